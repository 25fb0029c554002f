"""Global search and its suggestions: what a user's words find, and only what the user may see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.search import search, suggestions
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    ElementFactory,
    ExporterFactory,
    HsCodeFactory,
    ImporterFactory,
    LicenceFactory,
)
from tests.test_settings import BASE_DIR

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full text and trigrams are PostgreSQL's"
)


@pytest.fixture
def yunsheng(db):
    return ExporterFactory(name="Ningbo Yunsheng Co., Ltd.", name_zh="宁波韵升股份有限公司")


def labels(groups, kind: str) -> list[str]:
    return [hit.label for group in groups if group.kind.key == kind for hit in group.hits]


@postgres_only
def test_a_misspelt_name_finds_the_exporter_by_trigram(analyst, yunsheng):
    ExporterFactory(name="JL Mag Rare-Earth Co., Ltd.")

    groups = search(user=analyst, text="Yunshen", limit=5)
    misspelt = search(user=analyst, text="Yunshegn", limit=5)

    assert labels(groups, "exporter") == ["Ningbo Yunsheng Co., Ltd."]
    # Not a substring of the name: only trigram similarity can find it.
    assert labels(misspelt, "exporter") == ["Ningbo Yunsheng Co., Ltd."]


@postgres_only
def test_words_typed_so_far_find_a_name_by_full_text_prefixes(analyst, yunsheng):
    ExporterFactory(name="Ningbo Jintian Copper")

    groups = search(user=analyst, text="yunsh ningbo", limit=5)

    assert labels(groups, "exporter") == ["Ningbo Yunsheng Co., Ltd."]


@postgres_only
def test_the_closest_name_comes_first(analyst, yunsheng):
    ExporterFactory(name="Ningbo Jintian Copper")

    groups = search(user=analyst, text="Ningbo Yunsheng", limit=5)

    assert labels(groups, "exporter")[0] == "Ningbo Yunsheng Co., Ltd."


def test_the_chinese_name_finds_the_exporter(analyst, yunsheng):
    groups = search(user=analyst, text="韵升", limit=5)

    assert labels(groups, "exporter") == ["Ningbo Yunsheng Co., Ltd."]


def test_each_kind_is_found_by_its_name_number_or_code(analyst, yunsheng):
    AutomakerFactory(name="Ford Motor Company")
    ImporterFactory(name="Robert Bosch GmbH")
    LicenceFactory(exporter=yunsheng, number="GL-2025-0042")
    ControlMeasureFactory(reference="MOFCOM/GACC Announcement No. 18 of 2025")
    ElementFactory()
    HsCodeFactory()

    def found(text: str) -> dict[str, list[str]]:
        groups = search(user=analyst, text=text, limit=5)
        return {group.kind.key: [hit.label for hit in group.hits] for group in groups if group.hits}

    assert found("Ford")["automaker"] == ["Ford Motor Company"]
    assert found("Bosch")["importer"] == ["Robert Bosch GmbH (DEU)"]
    assert found("GL-2025-0042")["licence"] == [
        "General licence GL-2025-0042, Ningbo Yunsheng Co., Ltd."
    ]
    assert found("No. 18")["measure"] == ["MOFCOM/GACC Announcement No. 18 of 2025"]
    assert found("Dysprosium")["element"] == ["Dysprosium (Dy)"]
    assert found("8505.11")["code"] == ["8505.11"]


def test_each_hit_leads_to_its_own_page(analyst, yunsheng):
    licence = LicenceFactory(exporter=yunsheng, number="GL-2025-0042")
    ElementFactory()
    HsCodeFactory()

    def url(text: str, kind: str) -> str:
        (group,) = search(user=analyst, text=text, kinds=[kind], limit=1)
        return group.hits[0].url

    assert url("Yunsheng", "exporter") == f"/exporters/{yunsheng.pk}/"
    assert url("GL-2025-0042", "licence") == f"/licences/{licence.pk}/"
    assert url("Dysprosium", "element") == "/elements/Dy/"
    assert url("8505.11", "code") == "/codes/8505.11/"


def test_a_manager_is_not_shown_importers_he_may_not_view(manager, analyst):
    ImporterFactory(name="Ningbo Magnet Trading GmbH")
    ExporterFactory(name="Ningbo Yunsheng Co., Ltd.")

    manager_kinds = {group.kind.key for group in search(user=manager, text="Ningbo", limit=5)}
    analyst_kinds = {group.kind.key for group in search(user=analyst, text="Ningbo", limit=5)}

    assert "importer" not in manager_kinds
    assert "exporter" in manager_kinds
    assert "importer" in analyst_kinds


def test_the_suggest_endpoint_answers_kind_id_label_and_url(analyst_client, yunsheng):
    response = analyst_client.get(reverse("licensing:search-suggest"), {"q": "Yunsheng"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "exporter",
            "kind_name": "Exporter",
            "id": yunsheng.pk,
            "label": "Ningbo Yunsheng Co., Ltd.",
            "detail": "宁波韵升股份有限公司",
            "url": f"/exporters/{yunsheng.pk}/",
            "value": str(yunsheng.pk),
        }
    ]


def test_the_suggest_endpoint_keeps_to_the_kind_asked_for(analyst_client, yunsheng):
    AutomakerFactory(name="Ningbo Motors")

    response = analyst_client.get(
        reverse("licensing:search-suggest"), {"q": "Ningbo", "kind": "automaker"}
    )

    assert [hit["kind"] for hit in response.json()] == ["automaker"]


def test_the_suggest_endpoint_refuses_an_unknown_kind(analyst_client):
    response = analyst_client.get(
        reverse("licensing:search-suggest"), {"q": "x", "kind": "passwords"}
    )

    assert response.status_code == 400


def test_the_suggest_endpoint_gives_a_manager_no_importer(manager_client, db):
    ImporterFactory(name="Ningbo Magnet Trading GmbH")

    response = manager_client.get(
        reverse("licensing:search-suggest"), {"q": "Ningbo", "kind": "importer"}
    )

    assert response.json() == []


def test_a_licence_suggestion_carries_the_reference_a_filter_takes(analyst, yunsheng):
    numbered = LicenceFactory(exporter=yunsheng, number="GL-7")
    unnumbered = LicenceFactory(exporter=yunsheng, number="", valid_until=date(2026, 11, 1))
    hits = suggestions(user=analyst, text="Yunsheng", kind="licence")

    values = {hit.id: hit.value for hit in hits}

    assert values == {numbered.pk: "GL-7", unnumbered.pk: f"#{unnumbered.pk}"}


def test_the_results_page_groups_hits_by_kind_with_a_count(analyst_client, yunsheng):
    for n in range(12):
        AutomakerFactory(name=f"Ningbo Auto {n}")

    response = analyst_client.get(reverse("licensing:search"), {"q": "Ningbo"})
    page = response.content.decode()

    assert response.status_code == 200
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert groups["automaker"].count == 12
    assert len(groups["automaker"].hits) == 10
    assert "The first 10 of 12" in page
    assert f'href="/exporters/{yunsheng.pk}/"' in page


def test_the_results_page_says_when_nothing_matches(analyst_client, db):
    response = analyst_client.get(reverse("licensing:search"), {"q": "Zzyzx"})

    assert "Nothing matches “Zzyzx”" in response.content.decode()


def test_every_page_carries_the_search_box(analyst_client, db):
    page = analyst_client.get(reverse("licensing:automaker-list")).content.decode()

    assert "data-site-search" in page
    assert "js/search.js" in page


def test_the_approvals_filter_takes_the_holders_name_and_says_which_licence(
    analyst_client, yunsheng
):
    licence = LicenceFactory(exporter=yunsheng, number="GL-9")
    under = ApprovalFactory(licence=licence, exporter=yunsheng, statement="Under GL-9.")
    ApprovalFactory(statement="Another claim.")

    response = analyst_client.get(reverse("licensing:approval-list"), {"licence": "Yunsheng"})
    page = response.content.decode()

    assert list(response.context["object_list"]) == [under]
    assert f"Showing approvals under the {licence}<" in page


def test_the_approvals_filter_takes_a_licence_number_or_its_list_reference(analyst_client, db):
    licence = LicenceFactory(number="GL-10")
    under = ApprovalFactory(licence=licence, exporter=licence.exporter)
    ApprovalFactory()

    by_number = analyst_client.get(reverse("licensing:approval-list"), {"licence": "gl-10"})
    by_reference = analyst_client.get(
        reverse("licensing:approval-list"), {"licence": f"#{licence.pk}"}
    )

    assert list(by_number.context["object_list"]) == [under]
    assert list(by_reference.context["object_list"]) == [under]


def test_the_approvals_filter_offers_pickers_for_its_foreign_keys(analyst_client, db):
    page = analyst_client.get(reverse("licensing:approval-list")).content.decode()

    for kind in ("automaker", "exporter", "importer", "licence"):
        assert f'data-picker="{kind}"' in page


def test_the_approval_form_keeps_plain_selects_that_a_script_may_enhance(compliance_client, db):
    page = compliance_client.get(reverse("licensing:approval-create")).content.decode()

    assert '<select name="automaker"' in page
    assert 'data-picker="automaker"' in page
    assert "js/picker.js" in page


# The SQLite fallback, in a process of its own with the demo's settings and an empty database.
SQLITE_SEARCH = textwrap.dedent(
    """
    import json
    import environ
    environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from core.roles import ANALYST, MANAGER
    from django.contrib.auth.models import Group
    from licensing.models import Exporter, Importer
    from licensing.search import search
    Exporter.objects.create(name="Ningbo Yunsheng Co., Ltd.", name_zh="宁波韵升股份有限公司")
    Exporter.objects.create(name="JL Mag Rare-Earth Co., Ltd.")
    Importer.objects.create(name="Ningbo Trading GmbH", country="DEU", kind="distributor")
    users = get_user_model().objects
    analyst = users.create_user("a", password="unused-1234")
    analyst.groups.add(Group.objects.get(name=ANALYST))
    manager = users.create_user("m", password="unused-1234")
    manager.groups.add(Group.objects.get(name=MANAGER))
    def found(user, text):
        groups = search(user=user, text=text, limit=5)
        return {g.kind.key: [h.label for h in g.hits] for g in groups if g.hits}
    print(json.dumps({
        "vendor": connection.vendor,
        "yunsheng": found(analyst, "yunsheng"),
        "chinese": found(analyst, "韵升"),
        "manager": found(manager, "Ningbo"),
    }))
    """
)


def test_on_sqlite_the_search_falls_back_to_a_plain_substring(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "RAREGATE_")) and name not in {"REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'search.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SEARCH],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])

    assert answer["vendor"] == "sqlite"
    assert answer["yunsheng"] == {"exporter": ["Ningbo Yunsheng Co., Ltd."]}
    assert answer["chinese"] == {"exporter": ["Ningbo Yunsheng Co., Ltd."]}
    assert answer["manager"] == {"exporter": ["Ningbo Yunsheng Co., Ltd."]}


@pytest.mark.parametrize("text", ["_", "'", "a & b", "!(", "x:*", "<->", "%", "9" * 40, "é"])
def test_any_text_is_searched_without_an_error(analyst_client, yunsheng, text):
    response = analyst_client.get(reverse("licensing:search-suggest"), {"q": text})
    page = analyst_client.get(reverse("licensing:search"), {"q": text})

    assert response.status_code == 200
    assert page.status_code == 200


def test_the_results_page_reads_a_fixed_number_of_queries(analyst_client, db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            analyst_client.get(reverse("licensing:search"), {"q": "Ningbo"})
        return len(captured)

    LicenceFactory(exporter=ExporterFactory(name="Ningbo One"))
    few = queries()
    for n in range(15):
        LicenceFactory(exporter=ExporterFactory(name=f"Ningbo {n}"))

    assert queries() == few + 2  # the counts of exporters and licences, now past a page
