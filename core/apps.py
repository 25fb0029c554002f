from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from core.auth import tokens_revoked_on_password_change

        pre_save.connect(tokens_revoked_on_password_change, sender=get_user_model())
