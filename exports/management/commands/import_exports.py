"""Import customs files in the foreground, through the same service as an upload."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports import services
from exports.models import ImportBatch

Status = ImportBatch.Status
STAGES = ["reading", "parsing", "writing", "done"]
BAR_WIDTH = 24
ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import customs files (RareGate CSV, GACC tables, UN Comtrade API or bulk files) in the "
        "foreground, with a progress bar; a file imported before is not imported again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args, files: list[Path], **options) -> None:
        failed = [path.name for path in files if not self.import_file(path)]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} file(s) not imported: {', '.join(failed)}."
            )

    def import_file(self, path: Path) -> bool:
        """Import one file and report on it; True when its figures are stored."""
        self.stdout.write(self.style.MIGRATE_HEADING(f"{path}"))
        try:
            with path.open("rb") as handle:
                batch, created = services.import_batch_register(
                    file=File(handle, name=path.name), original_name=path.name, enqueue=False
                )
        except OSError as error:
            self.stdout.write(self.style.ERROR(f"  Cannot read the file: {error.strerror}."))
            return False
        except ValidationError as error:
            for message in error.messages:
                self.stdout.write(self.style.ERROR(f"  {message}"))
            return False
        if not created and batch.is_finished:
            self.stdout.write(
                f"  Already imported as import {batch.pk} ({batch.get_status_display().lower()}):"
                " not imported again."
            )
            self.summary(batch)
            return batch.status == Status.SUCCEEDED
        if getattr(batch, "retried", False):
            self.stdout.write(f"  Failed before as import {batch.pk}: run again.")
        elif not created:
            # Registered before but never run (no worker, or a run cut short): run it now.
            self.stdout.write(f"  Already uploaded as import {batch.pk}, still {batch.status}.")
        started = time.monotonic()
        progress = Progress(self.stdout)
        processed = services.import_batch_process(batch_id=batch.pk, on_stage=progress.stage)
        progress.end()
        if processed is None:
            self.stdout.write(self.style.ERROR(f"  Import {batch.pk} vanished while importing."))
            return False
        self.summary(processed, took=time.monotonic() - started)
        return processed.status == Status.SUCCEEDED

    def summary(self, batch: ImportBatch, *, took: float | None = None) -> None:
        style = {
            Status.SUCCEEDED: self.style.SUCCESS,
            Status.FAILED: self.style.ERROR,
        }.get(batch.status, self.style.WARNING)
        format_label = f", {batch.get_format_display()}" if batch.format else ""
        timing = f" in {took:.1f} s" if took is not None else ""
        self.stdout.write(
            style(f"  {batch.get_status_display()}: import {batch.pk}{format_label}{timing}.")
        )
        self.stdout.write(
            f"  Rows read {batch.rows_read:,} · stored {batch.rows_stored:,} · revised "
            f"{batch.rows_superseding:,} · unchanged {batch.rows_unchanged:,} · skipped "
            f"{batch.rows_skipped:,} · in error {batch.rows_in_error:,}"
        )
        for reason, count in sorted(batch.skipped_reasons.items()):
            self.stdout.write(f"  Skipped {count:,}: {reason}")
        for warning in batch.warnings:
            self.stdout.write(self.style.WARNING(f"  Warning: {warning}"))
        if batch.status != Status.FAILED:
            return
        if batch.message:
            self.stdout.write(self.style.ERROR(f"  {batch.message}"))
        for error in batch.errors[:ERRORS_SHOWN]:
            where = ", ".join(
                part
                for part in (
                    f"line {error['line']}" if error.get("line") is not None else "",
                    f"column {error['column']}" if error.get("column") else "",
                )
                if part
            )
            self.stdout.write(f"  {where or 'file'}: {error['message']}")
        if len(batch.errors) > ERRORS_SHOWN:
            self.stdout.write(
                f"  … and {len(batch.errors) - ERRORS_SHOWN:,} more: see import {batch.pk} "
                "on the imports page, which downloads them all as CSV."
            )


class Progress:
    """A text progress bar over the import's stages: redrawn in place on a terminal."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.in_place = stdout.isatty()
        self.drawn = False

    def stage(self, name: str) -> None:
        done = STAGES.index(name) + 1 if name in STAGES else 0
        filled = BAR_WIDTH * done // len(STAGES)
        line = f"  [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {name}"
        if self.in_place:
            # Padded, so that a shorter stage name overwrites all of a longer one.
            self.stdout.write(f"\r{line:<{BAR_WIDTH + 14}}", ending="")
            self.stdout.flush()
            self.drawn = True
        else:
            self.stdout.write(line)

    def end(self) -> None:
        if self.drawn:
            self.stdout.write("")
