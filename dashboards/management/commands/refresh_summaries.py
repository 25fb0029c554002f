from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from dashboards.services import monthly_summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the monthly summaries from the current export records, in the foreground."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = monthly_summaries_rebuild()
        self.stdout.write(
            f"Rebuilt {count:,} monthly summaries in {time.monotonic() - started:.1f} s."
        )
