from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"

    def ready(self) -> None:
        from dashboards.receivers import summaries_refresh_on_import
        from exports.signals import import_committed

        import_committed.connect(
            summaries_refresh_on_import, dispatch_uid="dashboards-summaries-on-import"
        )
