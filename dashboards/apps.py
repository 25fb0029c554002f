from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"

    def ready(self) -> None:
        from dashboards.receivers import releases_overdue, summaries_refresh_on_import
        from exports.signals import import_committed
        from licensing.alerts.signals import alert_candidates_wanted

        import_committed.connect(
            summaries_refresh_on_import, dispatch_uid="dashboards-summaries-on-import"
        )
        alert_candidates_wanted.connect(
            releases_overdue, dispatch_uid="dashboards-releases-overdue"
        )
