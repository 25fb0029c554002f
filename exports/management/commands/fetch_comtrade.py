"""Fetch China's exports of the tracked HS codes from UN Comtrade and import them now."""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.periods import add_months, parse_month, period_name
from exports import services
from exports.comtrade_fetch import Fetched, comtrade_exports_fetch, months_between, recent_months
from exports.models import ImportBatch

Status = ImportBatch.Status


def month_argument(text: str) -> date:
    month = parse_month(text)
    if month is None:
        raise ArgumentTypeError(f"{text!r} is not a month: expected YYYY-MM, e.g. 2025-11")
    return month


class Command(BaseCommand):
    help = (
        "Fetch China's monthly exports of HS 280530, 284610, 284690 and 850511 by partner from "
        "UN Comtrade (the full API with RAREGATE_COMTRADE_API_KEY, else the public preview) and "
        "import them in the foreground. By default the last 12 months ending two months ago."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="first", type=month_argument, metavar="YYYY-MM", help="first month"
        )
        parser.add_argument(
            "--to", dest="last", type=month_argument, metavar="YYYY-MM", help="last month"
        )

    def handle(self, *args, first: date | None, last: date | None, **options) -> None:
        months = self.months(first, last)
        source = "full API" if settings.COMTRADE_API_KEY else "public preview (no API key)"
        self.stdout.write(
            f"UN Comtrade, {source}: {period_name(months[0], months[-1], short=True)}."
        )
        outcomes = comtrade_exports_fetch(months=months, enqueue=False)
        failed = [outcome for outcome in outcomes if not self.report(outcome)]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(outcomes)} request(s) not imported: see the imports list."
            )

    def months(self, first: date | None, last: date | None) -> list[date]:
        today = timezone.localdate()
        if first is None and last is None:
            return recent_months(today)
        last = last or recent_months(today)[-1]
        first = first or add_months(last, -11)
        if first > last:
            raise CommandError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}.")
        if last > today:
            raise CommandError(f"--to {last:%Y-%m} has not begun yet.")
        return months_between(first, last)

    def report(self, outcome: Fetched) -> bool:
        """Import one request's batch, if it is to run, and report on it; True when stored."""
        label = period_name(outcome.months[0], outcome.months[-1], short=True)
        batch = outcome.batch
        if outcome.warning:
            self.stdout.write(self.style.WARNING(f"  {label}: {outcome.warning}"))
        if not batch.is_finished:
            # Registered now, or before but never run (no worker): run it here.
            batch = services.import_batch_process(batch_id=batch.pk) or batch
        elif batch.status == Status.SUCCEEDED and not outcome.will_run:
            self.stdout.write(
                f"  {label}: the same answer as import {batch.pk}: nothing new was stored."
            )
            return True
        if batch.status == Status.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"  {label}: import {batch.pk} stored {batch.rows_stored:,} figure(s) "
                    f"({batch.rows_superseding:,} revising one), {batch.rows_unchanged:,} "
                    f"unchanged, {batch.rows_skipped:,} row(s) skipped."
                )
            )
            return True
        detail = batch.message or f"{batch.rows_in_error:,} row error(s)"
        self.stdout.write(
            self.style.ERROR(f"  {label}: import {batch.pk} {batch.status}: {detail}")
        )
        return False
