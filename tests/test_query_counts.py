"""Every list page and API list makes a bounded number of SQL queries: the same bound holds with
ten times the rows (lists are paginated, related rows fetched with their list)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.services import monthly_summaries_rebuild
from exports.models import ImportBatch
from licensing.alerts.models import Alert
from licensing.models import LicenceParty
from tests.conftest import client_for
from tests.dashboards.test_summaries import import_rows
from tests.dashboards.test_views import months_back
from tests.factories import (
    ApprovalFactory,
    ControlMeasureFactory,
    ElementFactory,
    HsCodeFactory,
    ImporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
)

pytestmark = pytest.mark.django_db

# (role, url, the most queries it may make: session, user and permissions included)
LISTS = [
    ("manager", "/", 23),  # with how current two series are (tests/dashboards/test_views.py)
    ("manager", "/brief/", 25),  # the overview's, and the policy events of the month
    ("analyst", "/charts/", 17),
    ("analyst", "/automakers/", 9),
    ("analyst", "/licences/", 11),
    ("analyst", "/exporters/", 8),
    ("manager", "/elements/Dy/", 18),
    ("manager", "/codes/8505.11/", 18),
    ("analyst", "/approvals/", 12),
    ("analyst", "/alerts/", 9),
    ("analyst", "/control-measures/", 15),
    ("analyst", "/imports/", 9),
    ("analyst", "/api/v1/elements/", 6),
    ("analyst", "/api/v1/hs-codes/", 6),
    ("analyst", "/api/v1/control-measures/", 8),
    ("analyst", "/api/v1/exporters/", 6),
    ("analyst", "/api/v1/importers/", 7),
    ("analyst", "/api/v1/supply-links/", 6),
    ("analyst", "/api/v1/automakers/", 6),
    ("analyst", "/api/v1/licences/", 10),
    ("analyst", "/api/v1/approvals/", 6),
    ("analyst", "/api/v1/imports/", 6),
    ("analyst", "/api/v1/series/", 6),
    ("analyst", "/api/v1/summaries/", 6),
]


def populate(count: int) -> None:
    """`count` of every kind of row a list shows, each with the rows related to it."""
    today = timezone.localdate()
    element, hs_code = ElementFactory(), HsCodeFactory()
    for number in range(count):
        licence = LicenceFactory(
            valid_from=today - timedelta(days=100), valid_until=today + timedelta(days=number)
        )
        licence.elements.add(element)
        licence.hs_codes.add(hs_code)
        importer = ImporterFactory()
        approval = ApprovalFactory(licence=licence, exporter=licence.exporter, importer=importer)
        SupplyLinkFactory(supplier_importer=importer, customer_automaker=approval.automaker)
        SupplyLinkFactory(
            supplier_exporter=licence.exporter,
            supplier_importer=None,
            customer_importer=importer,
            customer_automaker=None,
        )
        LicenceParty.objects.create(licence=licence, role="consignee", importer=importer)
        measure = ControlMeasureFactory(effective_from=date(2025, 4, 4) + timedelta(days=number))
        measure.elements.add(element)
        measure.hs_codes.add(hs_code)
        Alert.objects.create(
            kind=Alert.Kind.LICENCE_EXPIRING_30,
            licence=licence,
            concerns_on=licence.valid_until,
            message=f"Licence {number} expires soon.",
            raised_on=today,
        )
        ImportBatch.objects.create(
            file=f"imports/{number}.csv",
            original_name=f"{number}.csv",
            sha256=f"{number:064}",
            size=1,
        )
    import_rows("gacc-rare-earths", months_back(3 * count, last=date(2025, 12, 1)))
    monthly_summaries_rebuild()


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(("role", "url", "bound"), LISTS)
def test_a_list_makes_the_same_few_queries_with_ten_times_the_rows(
    request, django_assert_max_num_queries, count, role, url, bound
):
    populate(count)
    client = client_for(request.getfixturevalue(role))
    client.get(url)  # figures built and cached: the bound is that of every later request

    with django_assert_max_num_queries(bound):
        response = client.get(url)

    assert response.status_code == 200


def test_an_automakers_page_timeline_and_what_if_make_the_same_queries_with_ten_times_its_claims(
    analyst,
):
    """The cover rule is one statement for any number of claims and days: the automaker page,
    its timeline (a day for each licence end) and what-if do not query per claim or per day."""
    today = timezone.localdate()
    client = client_for(analyst)
    automaker = ApprovalFactory().automaker
    licence = LicenceFactory(valid_from=today - timedelta(days=50), valid_until=today)
    urls = [
        f"/automakers/{automaker.pk}/",
        f"/automakers/{automaker.pk}/timeline/",
        f"/api/v1/automakers/{automaker.pk}/timeline/",
        f"/what-if/?licence=%23{licence.pk}&event=not_renewed",
        f"/api/v1/what-if/?licence={licence.pk}&event=not_renewed",
    ]

    def claims(count: int) -> None:
        for number in range(count):
            held = LicenceFactory(
                valid_from=today - timedelta(days=100 + number),
                valid_until=today + timedelta(days=10 * number),
            )
            ApprovalFactory(
                automaker=automaker,
                licence=held,
                exporter=held.exporter,
                claimed_on=today - timedelta(days=number),
            )

    def queries() -> dict[str, int]:
        counted = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counted[url] = len(captured)
        return counted

    claims(3)
    queries()  # the client's permissions are read once, then cached
    few = queries()
    claims(27)

    assert queries() == few
    assert max(few.values()) <= 14
