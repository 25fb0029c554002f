"""Enqueue again the import batches left pending, e.g. while the broker was down."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from exports import services


class Command(BaseCommand):
    help = "Enqueue again the import batches still pending after a while (default 300 s)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=300,
            metavar="SECONDS",
            help="Only batches pending for longer than this (default 300).",
        )

    def handle(self, *args, older_than: int, **options) -> None:
        ids = services.import_batches_requeue(older_than_seconds=older_than)
        if not ids:
            self.stdout.write(f"No import batch pending for more than {older_than} s.")
            return
        self.stdout.write(
            f"Enqueued again {len(ids)} import batch(es): {', '.join(str(pk) for pk in ids)}."
        )
