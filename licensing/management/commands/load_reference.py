from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from licensing.reference import DEFAULT_DIRECTORY, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the licensing reference data (elements, measures and their items, entity lists, "
        "exporters, automakers, general licences, approval claims). Running it again changes "
        "nothing; a row edited in the app is kept, and the difference reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)

    def handle(self, *args, directory: Path, **options):
        load = reference_data_load(directory=directory)
        counts = +load.counts
        if not counts and not load.kept:
            self.stdout.write("Reference data already up to date; nothing changed.")
        for what, number in sorted(counts.items()):
            self.stdout.write(f"{what}: {number}")
        for why, number in sorted(load.not_loaded.items()):
            self.stdout.write(f"Not loaded: {number} {why}")
        if load.kept:
            self.stdout.write(
                f"Kept {len(load.kept)} value(s) edited in the app that differ from the files:"
            )
            for difference in load.kept:
                self.stdout.write(f"  {difference}")
