"""The monthly summaries on the real GACC figures: like with like, gaps and spans respected."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from dashboards.models import MonthlySummary, SummaryRebuild
from dashboards.selectors import headline_card, periods_of, summary_version
from dashboards.services import monthly_summaries_rebuild
from dashboards.views.presentation import card_view
from exports.models import ImportBatch
from exports.services import import_batch_process, import_batch_register

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "exports"
HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"
SOURCE = "https://example.org/customs"


def import_bytes(content: bytes, name: str) -> ImportBatch:
    """Import a file through the same services as an upload, without a worker."""
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    batch = import_batch_process(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors[:3])
    return batch


def import_data_file(name: str) -> ImportBatch:
    return import_bytes((DATA / name).read_bytes(), name)


def import_rows(series: str, rows: list[tuple[str, float]], partner: str = "") -> ImportBatch:
    lines = [f"{series},{period},{partner},{tonnes},,,{SOURCE}\n" for period, tonnes in rows]
    return import_bytes((HEADER + "".join(lines)).encode(), f"{series}-{len(rows)}.csv")


def summary(period: str, series: str = "gacc-rare-earths", partner: str = "") -> MonthlySummary:
    start = date.fromisoformat(period.split("/")[0] + "-01")
    return MonthlySummary.objects.get(series__code=series, partner=partner, period_start=start)


@pytest.fixture
def gacc():
    """China customs' rare-earth exports, March 2023 to December 2025, summarised."""
    batch = import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    return batch


def test_november_2025_is_up_26_5_percent_on_october(gacc):
    november = summary("2025-11")

    assert round(november.mom_pct, 1) == 26.5
    assert round(november.yoy_pct, 1) == 24.4


def test_march_2025_has_no_mom_after_the_january_february_span_but_has_yoy(gacc):
    march = summary("2025-03")

    assert march.mom_pct is None
    assert round(march.yoy_pct, 1) == 20.3


def test_the_2025_year_to_date_through_november_is_58193_tonnes_up_11_7_percent(gacc):
    november = summary("2025-11")

    assert november.ytd_complete is True
    assert abs(float(november.ytd_tonnes) - 58_193) <= 1
    assert round(november.ytd_yoy_pct, 1) == 11.7


def test_december_2025_reads_as_the_issue_says(gacc):
    december = summary("2025-12")

    assert float(december.tonnes) == 4392.1
    assert round(december.mom_pct, 1) == -20.1
    assert round(december.yoy_pct, 1) == 32.1
    assert round(float(december.ytd_tonnes)) == 62_585
    assert round(december.ytd_yoy_pct, 1) == 12.9


def test_each_summary_keeps_the_batch_and_source_of_its_figure(gacc):
    november = summary("2025-11")

    assert november.batch_id == gacc.pk
    assert november.record.tonnes == november.tonnes
    assert november.source_url == november.record.source_url != ""


def test_a_series_with_a_missing_month_shows_its_year_to_date_incomplete():
    import_rows(
        "gacc-ndfeb-magnets",
        [("2024-01", 10), ("2024-02", 10), ("2024-03", 10), ("2024-04", 10)]
        + [("2025-01", 20), ("2025-02", 20), ("2025-04", 20)],
    )
    monthly_summaries_rebuild()

    april = summary("2025-04", series="gacc-ndfeb-magnets")
    card = headline_card(series="gacc-ndfeb-magnets", period=date(2025, 4, 1))
    rows = periods_of("gacc-ndfeb-magnets")
    stats = {stat.key: stat for stat in card_view(card, rows).stats}

    assert april.ytd_complete is False
    assert april.ytd_yoy_pct is None
    assert card.ytd_missing == ["March"]
    assert stats["ytd"].value == "n/a"
    assert stats["ytd"].note == "YTD incomplete: lacks March"
    assert stats["ytd_yoy"].value == "n/a"


def test_the_demo_year_2023_lacks_its_first_months_and_april(gacc):
    card = headline_card(period=date(2023, 5, 1))

    assert card.summary.ytd_complete is False
    assert card.ytd_missing == ["January", "February", "April"]


def test_there_is_no_mom_across_a_gap():
    import_rows(
        "gacc-ndfeb-magnets",
        [("2025-01", 100), ("2025-02", 110), ("2025-04", 120), ("2025-05", 150)],
    )
    monthly_summaries_rebuild()

    assert summary("2025-04", series="gacc-ndfeb-magnets").mom_pct is None
    assert summary("2025-05", series="gacc-ndfeb-magnets").mom_pct == pytest.approx(25.0)
    assert summary("2025-02", series="gacc-ndfeb-magnets").mom_pct == pytest.approx(10.0)


def test_a_january_february_span_has_yoy_only_against_the_span_a_year_earlier(gacc):
    import_rows(
        "gacc-ndfeb-magnets",
        [("2023-01/2023-02", 100), ("2024-01", 40), ("2024-02", 60), ("2025-01/2025-02", 130)],
    )
    monthly_summaries_rebuild()

    # Against two separate months a year earlier: nothing comparable.
    assert summary("2025-01/2025-02", series="gacc-ndfeb-magnets").yoy_pct is None
    # A month a year after a span: nothing comparable either.
    assert summary("2024-01", series="gacc-ndfeb-magnets").yoy_pct is None
    assert summary("2024-02", series="gacc-ndfeb-magnets").yoy_pct is None
    # GACC's 2025 span against its 2024 span: 8,511.325 t against 8,774 t.
    span = summary("2025-01/2025-02")
    assert span.mom_pct is None
    assert round(span.yoy_pct, 1) == -3.0


def test_a_rebuild_replaces_the_old_rows_and_moves_the_summary_version_on(gacc):
    before = MonthlySummary.objects.count()
    old_ids = set(MonthlySummary.objects.values_list("pk", flat=True))
    version = summary_version()

    monthly_summaries_rebuild()

    assert MonthlySummary.objects.count() == before == 31
    assert not old_ids & set(MonthlySummary.objects.values_list("pk", flat=True))
    newest = SummaryRebuild.objects.get(pk=summary_version())
    assert summary_version() > version > 0
    assert (newest.kind, newest.summaries) == (SummaryRebuild.Kind.FULL, 31)


def test_the_summary_version_is_0_before_any_rebuild_and_survives_a_cleared_cache():
    from django.core.cache import cache

    assert summary_version() == 0
    monthly_summaries_rebuild()
    version = summary_version()

    cache.clear()

    assert summary_version() == version > 0


def test_a_rebuild_that_fails_leaves_the_summary_version_where_it_was(gacc):
    version = summary_version()
    rows = MonthlySummary.objects.count()

    with (
        pytest.raises(RuntimeError),
        mock.patch.object(MonthlySummary.objects, "count", side_effect=RuntimeError("cut")),
    ):
        monthly_summaries_rebuild()

    assert summary_version() == version
    assert SummaryRebuild.objects.count() == 1
    assert MonthlySummary.objects.count() == rows


def test_a_rebuild_after_a_revision_shows_the_revised_figure_once(gacc):
    revision = import_rows("gacc-rare-earths", [("2025-12", 4500), ("2026-01/2026-02", 9000)])

    count = monthly_summaries_rebuild()

    december = summary("2025-12")
    assert count == MonthlySummary.objects.count() == 32
    assert float(december.tonnes) == 4500
    assert december.batch_id == revision.pk
    assert MonthlySummary.objects.filter(period_start=date(2025, 12, 1)).count() == 1
