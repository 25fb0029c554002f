from django.apps import AppConfig


class RareGateConfig(AppConfig):
    """The project's own wiring: what keeps the cached access and tokens (config.access) in step."""

    name = "config"
    label = "raregate"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from rest_framework.authtoken.models import Token

        from config.access import access_changed

        user_model = get_user_model()

        def changed(sender, update_fields=None, **kwargs) -> None:
            # A log-in saves last_login alone, which grants nothing.
            if update_fields is not None and set(update_fields) <= {"last_login"}:
                return
            access_changed()

        for model in (user_model, Group, Permission, Token):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(changed, sender=through, weak=False)
        # Data migrations write through historical models, whose signals the above never see.
        post_migrate.connect(changed, weak=False)
