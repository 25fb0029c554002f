from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from licensing.reference import DEFAULT_DIRECTORY, reference_data_load


class Command(BaseCommand):
    help = "Load the licensing reference data (elements, measures, exporters, automakers, "
    "general licences, approval claims). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)

    def handle(self, *args, directory: Path, **options):
        counts = reference_data_load(directory=directory)
        if not counts:
            self.stdout.write("Reference data already up to date; nothing changed.")
        for what, number in sorted(counts.items()):
            self.stdout.write(f"{what}: {number}")
