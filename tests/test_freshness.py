"""Every page and API list shows what the database holds now: a change made through the ORM, by
QuerySet.update() or in raw SQL shows at the next request, and the cache does not grow with
what a visitor types into the query string."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from licensing.models import Approval, Automaker, Exporter, Licence
from tests.conftest import client_for
from tests.dashboards.test_views import figure, gacc, html  # noqa: F401 - gacc is a fixture
from tests.exports.test_worker import services_or_skip
from tests.factories import ApprovalFactory, ControlMeasureFactory, LicenceFactory

pytestmark = pytest.mark.django_db

HOW = ["save", "update", "sql"]


def change(instance, field: str, value: str, how: str) -> None:
    """Set one field of a row: through the model, with QuerySet.update(), or in SQL."""
    model = type(instance)
    if how == "save":
        setattr(instance, field, value)
        instance.save()
    elif how == "update":
        model.objects.filter(pk=instance.pk).update(**{field: value})
    else:
        column = model._meta.get_field(field).column
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{model._meta.db_table}" SET "{column}" = %s WHERE id = %s',
                [value, instance.pk],
            )


@pytest.fixture
def records():
    """A licence ending within the warning days, and an approval under it."""
    today = timezone.localdate()
    licence = LicenceFactory(
        number="LIC-BEFORE",
        issued_on=today - timedelta(days=100),
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=10),
        exporter__name="Exporter Before Ltd",
    )
    approval = ApprovalFactory(
        licence=licence,
        exporter=licence.exporter,
        automaker__name="Automaker Before AG",
        statement="Statement before the change.",
    )
    return licence, approval


# (role, url, what changes: model, field, before, after)
SHOWN = [
    ("analyst", "/licences/", Licence, "number", "LIC-BEFORE", "LIC-AFTER"),
    ("analyst", "/api/v1/licences/", Licence, "number", "LIC-BEFORE", "LIC-AFTER"),
    ("analyst", "/approvals/", Approval, "statement", "Statement before", "Statement after"),
    ("analyst", "/api/v1/approvals/", Approval, "statement", "Statement before", "Statement after"),
    ("analyst", "/automakers/", Automaker, "name", "Automaker Before", "Automaker After"),
    ("analyst", "/api/v1/automakers/", Automaker, "name", "Automaker Before", "Automaker After"),
    ("manager", "/", Exporter, "name", "Exporter Before", "Exporter After"),
]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(("role", "url", "model", "field", "before", "after"), SHOWN)
def test_a_change_shows_at_the_next_request(
    records, request, how, role, url, model, field, before, after
):
    client = client_for(request.getfixturevalue(role))
    licence, approval = records
    instance = {
        Licence: licence,
        Approval: approval,
        Automaker: approval.automaker,
        Exporter: licence.exporter,
    }[model]
    first = html(client.get(url))
    assert before in first and after not in first

    value = getattr(instance, field).replace(before, after)
    change(instance, field, value, how)

    again = html(client.get(url))
    assert after in again and before not in again


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("url", ["/", "/charts/"])
def test_a_changed_measure_shows_on_the_cached_monthly_chart_at_once(
    gacc,  # noqa: F811 - the fixture
    analyst_client,
    how,
    url,
):
    measure = ControlMeasureFactory(
        reference="MOFCOM Announcement No. 91 of 2025", effective_from=date(2025, 10, 9)
    )

    def labels() -> str:
        return str(figure(analyst_client.get(url), "figure-monthly")["layout"])

    assert "No. 91 in force" in labels()
    change(measure, "reference", "MOFCOM Announcement No. 92 of 2025", how)

    shown = labels()
    assert "No. 92 in force" in shown and "No. 91" not in shown


def cache_size() -> int:
    """How many keys this suite holds in the Redis cache."""
    return len(cache.keys("*"))


@pytest.mark.parametrize(
    ("role", "url"),
    [("manager", "/"), ("analyst", "/charts/"), ("manager", "/api/v1/summaries/")],
)
def test_unknown_query_parameters_leave_the_cache_no_larger(gacc, request, role, url):  # noqa: F811
    services_or_skip()  # counted in Redis, as production caches
    client = client_for(request.getfixturevalue(role))
    assert client.get(url).status_code == 200
    size = cache_size()

    for number in range(1000):
        assert client.get(url, {f"x{number}": number}).status_code == 200

    assert cache_size() <= size
