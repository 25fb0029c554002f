from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
