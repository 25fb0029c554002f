"""The licensing lists as CSV and Excel downloads: every row the filters select, in the list's
order, with a header, formula text neutralised, and the list's own permission."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.utils import timezone

from licensing.downloads import (
    APPROVAL_HEADER,
    AUTOMAKER_HEADER,
    LICENCE_HEADER,
    MEASURE_HEADER,
)
from licensing.models import Approval, Licence
from tests.conftest import client_for
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    ElementFactory,
    ExporterFactory,
    ImporterFactory,
    LicenceFactory,
)
from tests.test_query_counts import populate

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[list]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def column(rows: list[list], header: list[str], name: str) -> list:
    return [row[header.index(name)] for row in rows[1:]]


# Licences


def test_the_licence_download_holds_every_filtered_licence_not_only_the_page(analyst_client):
    for number in range(55):
        LicenceFactory(number=f"G-{number:03}", valid_until=date(2026, 1, 1) + timedelta(number))
    LicenceFactory(kind=Licence.Kind.INDIVIDUAL, number="I-1")

    sheet, rows = sheet_rows(analyst_client.get("/licences/?kind=general&format=xlsx"))

    assert rows[0] == LICENCE_HEADER
    # Ordered as the list is: by the end of validity.
    assert column(rows, LICENCE_HEADER, "Number") == [f"G-{n:03}" for n in range(55)]
    assert column(rows, LICENCE_HEADER, "Kind") == ["General"] * 55
    assert rows[1][LICENCE_HEADER.index("Valid until")] == datetime(2026, 1, 1)
    assert sheet.cell(row=2, column=LICENCE_HEADER.index("Valid until") + 1).is_date
    assert sheet.title.startswith("Licences ")


def test_the_licence_csv_writes_numbers_and_neutralises_formula_text(analyst_client):
    exporter = ExporterFactory(name="=cmd|' /C calc'!A0")
    LicenceFactory(exporter=exporter, number="-1", quantity_cap_kg=2500)

    rows = csv_rows(analyst_client.get("/licences/?format=csv"))

    assert rows[0] == LICENCE_HEADER
    (row,) = rows[1:]
    assert row[LICENCE_HEADER.index("Exporter")] == "'=cmd|' /C calc'!A0"
    assert row[LICENCE_HEADER.index("Number")] == "'-1"
    assert float(row[LICENCE_HEADER.index("Quantity cap (t)")]) == 2.5
    assert row[LICENCE_HEADER.index("Valid until")] == "2026-12-01"


def test_a_licence_download_with_a_filter_that_does_not_validate_shows_the_page(analyst_client):
    response = analyst_client.get("/licences/?expiring_within=-4&format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# Approvals


def test_the_approval_download_follows_the_filters_and_the_lists_order(analyst_client):
    automaker = AutomakerFactory(name="Ford")
    older = ApprovalFactory(automaker=automaker, claimed_on=date(2025, 10, 1))
    newer = ApprovalFactory(
        automaker=automaker,
        claimed_on=date(2025, 12, 1),
        statement='=HYPERLINK("http://evil.example","click")',
        importer=ImporterFactory(name="Bosch"),
    )
    ApprovalFactory(status=Approval.Status.REFUSED)

    sheet, rows = sheet_rows(
        analyst_client.get(f"/approvals/?automaker={automaker.pk}&status=approved&format=xlsx")
    )

    assert rows[0] == APPROVAL_HEADER
    assert column(rows, APPROVAL_HEADER, "RareGate id") == [newer.pk, older.pk]
    assert column(rows, APPROVAL_HEADER, "Claimed on") == [
        datetime(2025, 12, 1),
        datetime(2025, 10, 1),
    ]
    assert column(rows, APPROVAL_HEADER, "Importer") == ["Bosch", None]
    statement = sheet.cell(row=2, column=APPROVAL_HEADER.index("Statement") + 1)
    assert statement.value == '\'=HYPERLINK("http://evil.example","click")'
    assert statement.data_type == "s"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_manager_who_cannot_see_approvals_cannot_download_them(manager_client, format):
    ApprovalFactory()

    response = manager_client.get(f"/approvals/?format={format}")

    assert response.status_code == 403


def test_a_manager_downloads_the_licences_and_automakers_the_role_can_read(manager_client):
    LicenceFactory()

    assert manager_client.get("/licences/?format=csv").status_code == 200
    assert manager_client.get("/automakers/?format=xlsx").status_code == 200


# Automakers


def covered_ford() -> tuple[Approval, Licence]:
    licence = LicenceFactory(number="GL-1", exporter=ExporterFactory(name="JL Mag"))
    claim = ApprovalFactory(
        automaker=AutomakerFactory(name="Ford", country="USA"),
        licence=licence,
        exporter=licence.exporter,
        importer=ImporterFactory(name="Bosch"),
        claimed_on=date(2025, 12, 10),
    )
    AutomakerFactory(name="BMW", country="DEU")
    return claim, licence


def test_the_automaker_download_gives_statuses_on_the_day_asked(analyst_client):
    covered_ford()

    _, before = sheet_rows(analyst_client.get("/automakers/?on=2025-12-09&format=xlsx"))
    sheet, after = sheet_rows(analyst_client.get("/automakers/?on=2026-01-15&format=xlsx"))

    assert before[0] == after[0] == AUTOMAKER_HEADER
    assert column(before, AUTOMAKER_HEADER, "Automaker") == ["BMW", "Ford"]
    assert column(before, AUTOMAKER_HEADER, "Status") == ["No information", "No information"]
    assert column(after, AUTOMAKER_HEADER, "Status") == ["No information", "Covered"]
    ford = after[2]
    assert ford[AUTOMAKER_HEADER.index("Cover until")] == datetime(2026, 12, 1)
    assert ford[AUTOMAKER_HEADER.index("Approvals")] == 1
    through = ford[AUTOMAKER_HEADER.index("Through (claims behind the status)")]
    assert through == "JL Mag → Bosch, general licence GL-1 (Covered)"
    assert sheet.title == "Automakers 15 Jan 2026"


def test_the_automaker_csv_keeps_the_lists_status_filter_and_sort(analyst_client):
    covered_ford()
    AutomakerFactory(name="Audi", country="DEU")

    covered = csv_rows(analyst_client.get("/automakers/?on=2026-01-15&status=covered&format=csv"))
    by_name = csv_rows(analyst_client.get("/automakers/?on=2026-01-15&sort=-name&format=csv"))

    assert column(covered, AUTOMAKER_HEADER, "Automaker") == ["Ford"]
    assert column(by_name, AUTOMAKER_HEADER, "Automaker") == ["Ford", "BMW", "Audi"]


def test_the_automaker_list_shows_statuses_on_the_day_asked_and_links_its_downloads(
    analyst_client,
):
    covered_ford()

    page = analyst_client.get("/automakers/?on=2025-12-09&status=no_information").content.decode()

    assert 'as of <time datetime="2025-12-09">' in page
    assert 'value="9 Dec 2025"' in page
    assert "?on=2025-12-09&amp;status=no_information&amp;format=csv" in page
    assert "?on=2025-12-09&amp;status=no_information&amp;format=xlsx" in page


# Control measures


def test_the_measure_download_gives_each_measures_state_on_the_day(analyst_client):
    terbium = ElementFactory(symbol="Tb", name="Terbium")
    named = ControlMeasureFactory(reference="No. 18", effective_from=date(2025, 4, 4))
    named.elements.add(terbium)
    ControlMeasureFactory(
        reference="No. 61", announced_on=date(2025, 10, 9), effective_from=date(2025, 11, 8)
    )

    _, before = sheet_rows(analyst_client.get("/control-measures/?on=2025-04-01&format=xlsx"))
    _, after = sheet_rows(analyst_client.get("/control-measures/?on=2025-06-01&format=xlsx"))
    terbium_only = csv_rows(
        analyst_client.get("/control-measures/?on=2025-06-01&element=Tb&format=csv")
    )

    assert before[0] == MEASURE_HEADER
    assert column(before, MEASURE_HEADER, "State on the day") == [
        "Not yet announced",
        "Not yet announced",
    ]
    assert column(after, MEASURE_HEADER, "Reference") == ["No. 18", "No. 61"]
    assert column(after, MEASURE_HEADER, "State on the day") == ["In force", "Not yet announced"]
    assert column(after, MEASURE_HEADER, "Elements") == ["Tb", None]
    assert column(terbium_only, MEASURE_HEADER, "Reference") == ["No. 18"]


def test_each_list_page_links_its_downloads_with_its_filters(analyst_client):
    for url in ["/licences/?kind=general", "/approvals/?status=approved"]:
        page = analyst_client.get(url).content.decode()
        query = url.split("?")[1]
        assert f"?{query}&amp;format=csv" in page
        assert f"?{query}&amp;format=xlsx" in page
    page = analyst_client.get("/control-measures/?on=2025-06-01").content.decode()
    assert "?on=2025-06-01&amp;format=xlsx" in page


# Queries: the same few whatever the number of rows.

# (url, the most queries it may make: session, user and permissions included)
DOWNLOADS = [
    ("/automakers/?format=csv", 7),
    ("/automakers/?format=xlsx", 7),
    ("/licences/?format=csv", 6),
    ("/licences/?format=xlsx", 6),
    ("/approvals/?format=csv", 5),
    ("/approvals/?format=xlsx", 5),
    ("/control-measures/?format=csv", 7),
    ("/control-measures/?format=xlsx", 7),
]


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(("url", "bound"), DOWNLOADS)
def test_a_download_makes_the_same_few_queries_with_ten_times_the_rows(
    analyst, django_assert_max_num_queries, count, url, bound
):
    populate(count)
    client = client_for(analyst)

    with django_assert_max_num_queries(bound):
        response = client.get(url)

    assert response.status_code == 200
    rows = sheet_rows(response)[1] if response.streaming else csv_rows(response)
    assert len(rows) == count + 1  # the header and a row for each of the listed things


def test_today_is_the_default_day(analyst_client):
    _, rows = sheet_rows(analyst_client.get("/automakers/?format=xlsx"))

    assert rows == [AUTOMAKER_HEADER]
    today = timezone.localdate()
    response = analyst_client.get("/automakers/?on=not-a-day&format=csv")
    assert f"automakers-{today.isoformat()}.csv" in response["Content-Disposition"]
