from django.apps import AppConfig


class LicensingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "licensing"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from licensing.cache import licensing_changed

        # Cached statuses and panels must follow every write, the admin's and the shell's too,
        # not only the services': so this one rule is a signal.
        def changed(sender, **kwargs) -> None:
            licensing_changed(sender)

        # A many-to-many change is a change of both ends (a licence's elements, say).
        def related_changed(sender, instance, model, **kwargs) -> None:
            licensing_changed(sender, type(instance), model)

        for model in self.get_models():
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        for model in self.get_models(include_auto_created=True):
            if model._meta.auto_created:
                m2m_changed.connect(related_changed, sender=model, weak=False)
