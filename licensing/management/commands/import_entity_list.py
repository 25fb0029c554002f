from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from licensing import screening
from licensing.reference.register import entries_load, entry_rows_checked
from licensing.reference.sync import Load

MAX_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Add or update entity-list entries from a CSV file in the layout of "
        "data/licensing/entity_lists.csv (see its README), then screen every party against "
        "them. A file with any bad row loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path.name}: larger than {MAX_BYTES // 1024 // 1024} MB.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{path.name}: not UTF-8 text (byte {error.start}).") from None
        rows, errors = entry_rows_checked(path.name, text)
        if errors:
            raise CommandError("Nothing loaded:\n" + "\n".join(errors[:50]))
        load = Load()
        with transaction.atomic():
            changed = entries_load(rows, load)
            found = screening.entries_screen(entries=changed)
        for what, number in sorted((+load.counts).items()):
            self.stdout.write(f"{what}: {number}")
        for difference in load.kept:
            self.stdout.write(f"Kept (edited in the app): {difference}")
        self.stdout.write(f"possible list matches found: {found}")
