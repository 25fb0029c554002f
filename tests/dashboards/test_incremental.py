"""The rebuild after an import: only what the import's changes reach, and exactly as a full one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings

from dashboards import receivers, services
from dashboards.models import MonthlySummary, SummaryRebuild
from dashboards.selectors import summary_version
from dashboards.services import monthly_summaries_rebuild, monthly_summaries_update
from exports.models import ImportBatch, Series
from tests.dashboards.test_summaries import HEADER, import_bytes, import_data_file, import_rows

pytestmark = pytest.mark.django_db

MAGNETS = "gacc-ndfeb-magnets"
PARTNERS = ["", "DEU", "JPN", "USA"]
COLUMNS = [f.attname for f in MonthlySummary._meta.concrete_fields if f.attname != "id"]


def magnet_rows(partner: str) -> list[tuple[str, float]]:
    """Five years of months, with a January–February span (DEU 2023) and a gap (JPN 2024-07)."""
    rows = []
    for year in range(2021, 2026):
        for month in range(1, 13):
            if partner == "DEU" and year == 2023 and month in (1, 2):
                if month == 1:
                    rows.append(("2023-01/2023-02", 300.0))
                continue
            if partner == "JPN" and (year, month) == (2024, 7):
                continue
            rows.append((f"{year}-{month:02d}", 100 + year % 10 * 7 + month * 3 + len(partner)))
    return rows


@pytest.fixture
def summarised():
    """The real GACC headline and four partners of magnets, imported and fully summarised."""
    import_data_file("gacc_rare_earths_monthly.csv")
    for partner in PARTNERS:
        import_rows(MAGNETS, magnet_rows(partner), partner=partner)
    monthly_summaries_rebuild()


def stored() -> dict[tuple, tuple[int, tuple]]:
    """Every summary by (series, partner, period start): its id and every other column."""
    return {
        (row["series_id"], row["partner"], row["period_start"]): (
            row["id"],
            tuple(row[column] for column in COLUMNS),
        )
        for row in MonthlySummary.objects.values("id", *COLUMNS)
    }


def imported(django_capture_on_commit_callbacks, series: str, rows, partner: str = ""):
    """Import rows as an upload would be, running what its commit sets off."""
    with django_capture_on_commit_callbacks(execute=True):
        return import_rows(series, rows, partner=partner)


def in_scope(key: tuple, scopes: list[tuple[str, str, str, str]]) -> bool:
    series_id, partner, start = key
    for code, scope_partner, first, last in scopes:
        if (Series.objects.get(code=code).pk, scope_partner) != (series_id, partner):
            continue
        if date.fromisoformat(f"{first}-01") <= start < date(int(last[:4]) + 2, 1, 1):
            return True
    return False


REVISIONS = {
    "one month of one partner": [(MAGNETS, "DEU", [("2024-06", 999.5)])],
    "a December (next year's MoM, YoY, YTD)": [(MAGNETS, "USA", [("2024-12", 5.0)])],
    "a January (the year to date from its start)": [(MAGNETS, "", [("2025-01", 1.0)])],
    "a month filling a gap": [(MAGNETS, "JPN", [("2024-07", 250.0)])],
    "a January–February span": [(MAGNETS, "DEU", [("2023-01/2023-02", 410.0)])],
    "a new partner": [(MAGNETS, "FRA", [("2024-03", 12.0), ("2024-04", 15.0)])],
    "the headline's November 2025": [("gacc-rare-earths", "", [("2025-11", 5600.0)])],
    "months far apart": [(MAGNETS, "JPN", [("2021-03", 1.0), ("2025-10", 2.0)])],
    "one month of every partner, one file each": [
        (MAGNETS, partner, [("2024-09", 40.0 + index)]) for index, partner in enumerate(PARTNERS)
    ],
}


@pytest.mark.parametrize("revision", REVISIONS.values(), ids=REVISIONS.keys())
def test_it_rebuilds_only_the_scope_and_exactly_as_a_full_rebuild(
    summarised, django_capture_on_commit_callbacks, revision
):
    before = stored()
    version = summary_version()

    for series, partner, rows in revision:
        imported(django_capture_on_commit_callbacks, series, rows, partner=partner)

    after = stored()
    scopes = [
        (series, partner, min(p.split("/")[0] for p, _ in rows), max(p[-7:] for p, _ in rows))
        for series, partner, rows in revision
    ]
    outside = [key for key in before if not in_scope(key, scopes)]
    inside = [key for key in after if in_scope(key, scopes)]
    assert outside and inside
    # Not rewritten: the same ids, the same figures.
    assert {key: after[key] for key in outside} == {key: before[key] for key in outside}
    assert not {after[key][0] for key in inside} & {pk for pk, _ in before.values()}
    assert summary_version() == version + len(revision)
    assert SummaryRebuild.objects.get(pk=summary_version()).kind == "incremental"

    monthly_summaries_rebuild()

    full = stored()
    assert {key: columns for key, (_, columns) in after.items()} == {
        key: columns for key, (_, columns) in full.items()
    }


def test_it_rebuilds_many_pairs_in_several_statements_exactly_as_a_full_rebuild(
    summarised, django_capture_on_commit_callbacks
):
    lines = [f"{MAGNETS},2024-09,{partner},{50 + len(partner)},,,\n" for partner in PARTNERS]

    with (
        mock.patch.object(services, "SCOPES_PER_STATEMENT", 3),
        django_capture_on_commit_callbacks(execute=True),
    ):
        import_bytes((HEADER + "".join(lines)).encode(), "september.csv")

    rebuild = SummaryRebuild.objects.get(pk=summary_version())
    assert rebuild.scope["pairs"] == len(PARTNERS)
    assert rebuild.summaries == 16 * len(PARTNERS)  # September 2024 to December 2025
    incremental = stored()
    monthly_summaries_rebuild()
    assert {k: c for k, (_, c) in incremental.items()} == {k: c for k, (_, c) in stored().items()}


def test_it_shows_the_revised_figure_and_what_depends_on_it(
    summarised, django_capture_on_commit_callbacks
):
    imported(django_capture_on_commit_callbacks, MAGNETS, [("2024-06", 999.5)], partner="DEU")

    june = MonthlySummary.objects.get(
        series__code=MAGNETS, partner="DEU", period_start="2024-06-01"
    )
    july = MonthlySummary.objects.get(
        series__code=MAGNETS, partner="DEU", period_start="2024-07-01"
    )
    next_june = MonthlySummary.objects.get(
        series__code=MAGNETS, partner="DEU", period_start="2025-06-01"
    )
    assert float(june.tonnes) == 999.5
    assert july.mom_pct == pytest.approx((float(july.tonnes) - 999.5) * 100 / 999.5)
    assert next_june.yoy_pct == pytest.approx((float(next_june.tonnes) - 999.5) * 100 / 999.5)


def test_an_import_that_changes_nothing_rebuilds_nothing(
    summarised, django_capture_on_commit_callbacks
):
    before, version = stored(), summary_version()
    rows = magnet_rows("USA")[:3]

    batch = imported(django_capture_on_commit_callbacks, MAGNETS, rows, partner="USA")

    assert batch.rows_unchanged == 3
    assert stored() == before
    assert summary_version() == version


def test_a_large_change_sends_the_batch_id_and_the_rebuild_reads_the_batch(
    summarised, django_capture_on_commit_callbacks
):
    with mock.patch.object(receivers, "CHANGED_IN_MESSAGE_MAX", 0):
        imported(django_capture_on_commit_callbacks, MAGNETS, [("2024-06", 1.5)], partner="DEU")
    incremental = stored()

    monthly_summaries_rebuild()

    rebuild = SummaryRebuild.objects.filter(kind="incremental").get()
    assert rebuild.scope["pairs"] == 1
    assert rebuild.summaries == 19  # June 2024 to December 2025
    assert {k: c for k, (_, c) in incremental.items()} == {k: c for k, (_, c) in stored().items()}


def test_told_only_the_batch_it_reads_what_the_batch_changed(summarised):
    batch = import_rows(MAGNETS, [("2022-05", 7.0), ("2024-11", 8.0)], partner="JPN")
    told = stored()
    monthly_summaries_update(batch_id=batch.pk)

    assert {k: c for k, (_, c) in stored().items()} != {k: c for k, (_, c) in told.items()}
    read_back = stored()
    monthly_summaries_rebuild()
    assert {k: c for k, (_, c) in read_back.items()} == {k: c for k, (_, c) in stored().items()}


def test_an_import_rebuilds_the_summaries_of_an_empty_dashboard(django_capture_on_commit_callbacks):
    batch = imported(django_capture_on_commit_callbacks, MAGNETS, magnet_rows("DEU"), "DEU")

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert MonthlySummary.objects.count() == batch.rows_stored == 59
    incremental = stored()
    monthly_summaries_rebuild()
    assert {k: c for k, (_, c) in incremental.items()} == {k: c for k, (_, c) in stored().items()}


def test_a_rebuild_whose_message_was_lost_is_owed_and_done_within_a_minute(
    summarised, django_capture_on_commit_callbacks
):
    """Redis down as an import commits: the rebuild cannot be sent, but it is owed in the
    database, and the task beat runs every minute does it, with no new upload."""
    with mock.patch.object(
        receivers.monthly_summaries_refresh_after_import,
        "delay",
        side_effect=ConnectionError("Redis is down"),
    ):
        batch = imported(django_capture_on_commit_callbacks, MAGNETS, [("2024-06", 1.5)], "DEU")
    batch.refresh_from_db()
    before = stored()
    assert batch.summaries_owed  # committed with its figures

    with time_machine.travel(batch.finished_at + timedelta(seconds=31)):
        done = services.monthly_summaries_owed()

    batch.refresh_from_db()
    assert done == [batch.pk]
    assert not batch.summaries_owed
    assert stored() != before
    assert services.monthly_summaries_owed() == []  # settled once
    schedule = settings.CELERY_BEAT_SCHEDULE["settle-owed-summaries"]
    assert (schedule["task"], schedule["schedule"]) == (
        "dashboards.tasks.monthly_summaries_settle",
        60,
    )


def test_a_full_rebuild_settles_what_imports_owe(summarised):
    batch = import_rows(MAGNETS, [("2024-06", 2.5)], partner="DEU")
    assert ImportBatch.objects.get(pk=batch.pk).summaries_owed

    monthly_summaries_rebuild()

    assert not ImportBatch.objects.get(pk=batch.pk).summaries_owed


SQLITE_SCRIPT = """
import json
from pathlib import Path
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from dashboards.models import MonthlySummary, SummaryRebuild
from dashboards.services import monthly_summaries_rebuild
from exports.services import import_batch_process, import_batch_register

def snapshot():
    rows = MonthlySummary.objects.values_list(
        "series_id", "partner", "period_start", "period_end", "tonnes", "mom_pct", "yoy_pct",
        "ytd_tonnes", "ytd_complete", "ytd_yoy_pct", "record_id")
    return sorted(map(str, rows))

data = Path(settings.BASE_DIR) / "data" / "exports"
call_command("import_exports", *map(str, sorted(data.glob("*.csv"))), stdout=open("/dev/null", "w"))
after_files = snapshot()
content = b"series,period,partner,tonnes,value,value_unit,source_url\\n" \\
    b"gacc-rare-earths,2025-11,,5600.5,,,\\n"
batch, _ = import_batch_register(
    file=ContentFile(content, name="rev.csv"), original_name="rev.csv", enqueue=False)
import_batch_process(batch_id=batch.pk)
incremental = snapshot()
kinds = list(SummaryRebuild.objects.order_by("id").values_list("kind", flat=True))
monthly_summaries_rebuild()
print("RESULT " + json.dumps({
    "after_files": len(after_files), "kinds": kinds,
    "same": incremental == snapshot(), "changed": incremental != after_files}))
"""


def test_on_the_embedded_default_imports_rebuild_their_summaries_eagerly(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("DJANGO_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        REDIS_URL="",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )

    def manage(*arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "-v0")
    output = manage("shell", "-c", SQLITE_SCRIPT)

    result = json.loads(output.split("RESULT ", 1)[1])
    assert result["after_files"] > 0
    shipped = len(list((Path(settings.BASE_DIR) / "data" / "exports").glob("*.csv")))
    assert result["kinds"] == ["incremental"] * (shipped + 1)  # each file, then the revision
    assert result["changed"] and result["same"]


def test_an_import_whose_rebuild_cannot_be_queued_still_succeeds(
    summarised, django_capture_on_commit_callbacks, caplog
):
    before = stored()
    down = ConnectionError("Redis is down")

    with mock.patch.object(
        receivers.monthly_summaries_refresh_after_import, "delay", side_effect=down
    ):
        batch = imported(django_capture_on_commit_callbacks, MAGNETS, [("2024-06", 1.0)], "DEU")

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert stored() == before  # left to the periodic full rebuild
    assert "the periodic rebuild will do it" in caplog.text


def test_an_import_that_reaches_most_summaries_rebuilds_them_all_in_one_pass(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(services, "REACH_COUNTED_ABOVE", 0):
        batch = imported(django_capture_on_commit_callbacks, MAGNETS, magnet_rows("DEU"), "DEU")

    rebuild = SummaryRebuild.objects.get()
    assert (rebuild.kind, rebuild.summaries) == ("full", batch.rows_stored)
    assert MonthlySummary.objects.count() == 59


def test_an_import_that_reaches_few_summaries_rebuilds_only_those_even_when_counted(
    summarised, django_capture_on_commit_callbacks
):
    with mock.patch.object(services, "REACH_COUNTED_ABOVE", 0):
        imported(django_capture_on_commit_callbacks, MAGNETS, [("2024-06", 3.0)], "DEU")

    rebuild = SummaryRebuild.objects.get(pk=summary_version())
    assert (rebuild.kind, rebuild.summaries) == ("incremental", 19)
