from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from licensing.alerts.services import alerts_digest_send, alerts_raise
from licensing.services import licences_apply_due


class Command(BaseCommand):
    help = (
        "Bring the licences' statuses to a day's (today by default), raise the alerts due that "
        "day and print the new ones."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", help="the day to check, YYYY-MM-DD")
        parser.add_argument(
            "--email", action="store_true", help="also e-mail the digest to subscribers"
        )

    def handle(self, *args, on: str | None = None, email: bool = False, **options) -> None:
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--on must be YYYY-MM-DD: {error}") from error
        changed = licences_apply_due(on=day)
        if changed:
            self.stdout.write(
                f"{changed} licence status{'es' if changed != 1 else ''} brought up to date."
            )
        alerts = alerts_raise(on=day)
        for alert in alerts:
            self.stdout.write(f"{alert.get_kind_display()}: {alert.message}")
        self.stdout.write(f"{len(alerts)} new alert{'s' if len(alerts) != 1 else ''} on {day}.")
        if email:
            sent = alerts_digest_send(alerts=alerts)
            self.stdout.write(f"{sent} digest e-mail{'s' if sent != 1 else ''} sent.")
