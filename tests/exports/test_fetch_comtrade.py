"""Fetching UN Comtrade: recorded responses replayed (vcrpy), through the import path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import time_machine
import vcr
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import override_settings

from exports import tasks
from exports.comtrade_fetch import (
    FULL_URL,
    KEY_HEADER,
    PREVIEW_RECORD_LIMIT,
    PREVIEW_URL,
    comtrade_exports_fetch,
    recent_months,
    request_url,
)
from exports.models import ExportRecord, ImportBatch
from exports.services import import_batch_process, import_batch_retry
from exports.services.batches import InvalidTransition
from tests.exports.files import comtrade_json, comtrade_record

pytestmark = pytest.mark.django_db

CASSETTES = Path(__file__).parent / "cassettes"
NOVEMBER = date(2025, 11, 1)
DECEMBER = date(2025, 12, 1)
KEY = "test-comtrade-key-5f3a"  # the key full_2025_11_and_12.yaml was recorded with
Status = ImportBatch.Status


def same_key(sent, recorded) -> None:
    """The subscription key header is what the cassette recorded: absent for the preview."""
    assert sent.headers.get(KEY_HEADER) == recorded.headers.get(KEY_HEADER), "subscription key"


# An unrecorded request fails the test (record_mode "none"); so does a key header that differs.
replay = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="none",
    match_on=["method", "scheme", "host", "port", "path", "query", "subscription_key"],
)
replay.register_matcher("subscription_key", same_key)


class FakeTime:
    """Sleeping that takes no time, on a clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def fetch(cassette: str, months: list[date], *, api_key: str = "", clock: FakeTime | None = None):
    clock = clock or FakeTime()
    with replay.use_cassette(cassette) as tape:
        outcomes = comtrade_exports_fetch(
            months=months,
            api_key=api_key,
            sleep=clock.sleep,
            clock=clock.monotonic,
            enqueue=False,
        )
    return outcomes, tape


def fetch_and_import(cassette: str, months: list[date] = [NOVEMBER], **options) -> ImportBatch:  # noqa: B006
    (outcome,), _ = fetch(cassette, months, **options)
    return import_batch_process(batch_id=outcome.batch.pk) or outcome.batch


def current(series: str, partner: str, month: date = NOVEMBER) -> ExportRecord:
    return ExportRecord.objects.get(
        series__code=series, partner=partner, period_start=month, is_current=True
    )


def figures(series: str, partner: str, month: date = NOVEMBER) -> tuple:
    record = current(series, partner, month)
    return record.tonnes, record.value, record.value_unit


# --- a fetch is an import -------------------------------------------------------------------


def test_a_first_fetch_stores_a_batch_of_china_exports_by_partner():
    (outcome,), tape = fetch("preview_2025_11.yaml", [NOVEMBER])
    assert tape.play_count == 1
    assert outcome.will_run

    batch = import_batch_process(batch_id=outcome.batch.pk)

    assert batch.status == Status.SUCCEEDED, (batch.message, batch.errors[:3])
    assert batch.origin == ImportBatch.Origin.FETCH
    assert batch.format == ImportBatch.Format.COMTRADE_API_JSON
    assert batch.fetched_from == request_url([NOVEMBER], keyed=False)
    assert batch.fetched_from.startswith(PREVIEW_URL + "?reporterCode=156&flowCode=X&")
    assert batch.sha256 and batch.file
    # 12 records; the group series adds World, Japan and the USA (Germany has magnets only).
    assert (batch.rows_read, batch.rows_stored) == (12, 15)
    assert ExportRecord.objects.filter(batch=batch).count() == 15
    assert figures("comtrade-850511", "DEU") == (Decimal("1250.500"), Decimal("61234567"), "USD")
    assert figures("comtrade-284610", "") == (Decimal("1904.300"), Decimal("4189460"), "USD")
    assert figures("comtrade-280530", "USA") == (Decimal("21.300"), Decimal("1171500"), "USD")


def test_the_group_series_gets_the_summed_rows_of_its_three_hs_codes():
    fetch_and_import("preview_2025_11.yaml")

    group = "comtrade-rare-earths-group"
    # 280530 + 284690 + 850511; HS 284610 (cerium compounds) is not in the group.
    assert figures(group, "") == (Decimal("9029.950"), Decimal("370770860"), "USD")
    assert figures(group, "JPN") == (Decimal("1328.850"), Decimal("50845400"), "USD")
    assert figures(group, "USA") == (Decimal("986.740"), Decimal("38445500"), "USD")
    assert not ExportRecord.objects.filter(series__code=group, partner="DEU").exists()


def test_the_same_response_again_is_the_same_batch_and_stores_nothing_new():
    first = fetch_and_import("preview_2025_11.yaml")
    records = ExportRecord.objects.count()

    (again,), tape = fetch("preview_2025_11.yaml", [NOVEMBER])

    assert tape.play_count == 1
    assert again.batch.pk == first.pk
    assert not again.will_run
    assert ImportBatch.objects.count() == 1
    assert ExportRecord.objects.count() == records


def test_the_same_figures_in_a_new_response_store_no_new_record():
    # Comtrade's elapsedTime differs from one answer to the next: a new batch, nothing written.
    fetch_and_import("preview_2025_11.yaml")
    records = ExportRecord.objects.count()

    batch = fetch_and_import("preview_2025_11_again.yaml")

    assert batch.status == Status.SUCCEEDED
    assert (batch.rows_stored, batch.rows_unchanged) == (0, 15)
    assert ExportRecord.objects.count() == records


def test_a_revised_value_supersedes_and_the_old_figure_is_kept():
    first = fetch_and_import("preview_2025_11.yaml")

    revision = fetch_and_import("preview_2025_11_revised.yaml")

    assert revision.status == Status.SUCCEEDED
    # Japan's and the World's magnets, and the group's figures they are part of.
    assert (revision.rows_superseding, revision.rows_unchanged) == (4, 11)
    assert figures("comtrade-850511", "JPN") == (Decimal("436.800"), Decimal("22496000"), "USD")
    old = ExportRecord.objects.get(series__code="comtrade-850511", partner="JPN", batch=first)
    assert (old.tonnes, old.is_current, old.superseded_by_batch) == (
        Decimal("410.250"),
        False,
        revision,
    )
    group = "comtrade-rare-earths-group"
    assert figures(group, "JPN")[0] == Decimal("1355.400")
    assert figures(group, "")[0] == Decimal("9056.500")
    assert figures(group, "USA")[0] == Decimal("986.740")  # unrevised, still the first batch's
    assert current(group, "USA").batch == first


# --- retries, refusals and the rate limit ---------------------------------------------------


def test_http_429_is_retried_as_retry_after_asks_then_a_failed_batch_says_so():
    clock = FakeTime()

    (outcome,), tape = fetch("preview_429.yaml", [NOVEMBER], clock=clock)

    assert tape.play_count == settings.COMTRADE_MAX_ATTEMPTS == 4
    assert tape.all_played
    assert clock.sleeps == [3.0, 3.0, 3.0]  # Retry-After: 3, between the four attempts
    batch = ImportBatch.objects.get(pk=outcome.batch.pk)
    assert batch.status == Status.FAILED
    assert batch.message == (
        "UN Comtrade answered HTTP 429 Too Many Requests to 4 attempts; "
        "nothing was fetched for Nov 2025."
    )
    assert (batch.origin, batch.fetched_from) == (
        ImportBatch.Origin.FETCH,
        request_url([NOVEMBER], keyed=False),
    )
    assert (bool(batch.file), batch.sha256, batch.size) == (False, None, 0)
    assert not outcome.will_run
    assert not ExportRecord.objects.exists()


def test_http_503_is_retried_with_backoff_then_the_batch_fails():
    clock = FakeTime()

    (outcome,), tape = fetch("preview_503.yaml", [NOVEMBER], clock=clock)

    assert tape.play_count == 4
    assert clock.sleeps == [2.0, 4.0, 8.0]
    assert outcome.batch.status == Status.FAILED
    assert outcome.batch.message == (
        "UN Comtrade answered HTTP 503 Service Unavailable to 4 attempts; "
        "nothing was fetched for Nov 2025."
    )


def test_a_503_then_an_answer_imports_the_answer():
    clock = FakeTime()

    batch = fetch_and_import("preview_503_then_data.yaml", clock=clock)

    assert clock.sleeps == [2.0, 4.0]
    assert batch.status == Status.SUCCEEDED
    assert batch.rows_stored == 15


@override_settings(COMTRADE_MAX_ATTEMPTS=3)
def test_a_connection_that_fails_is_retried_then_the_batch_fails():
    class Unreachable(requests.Session):
        calls = 0

        def get(self, url, **kwargs):
            Unreachable.calls += 1
            assert kwargs["timeout"], "every request has a timeout"
            raise requests.ConnectionError("connection refused")

    clock = FakeTime()

    (outcome,) = comtrade_exports_fetch(
        months=[NOVEMBER],
        api_key="",
        session=Unreachable(),
        sleep=clock.sleep,
        clock=clock.monotonic,
        enqueue=False,
    )

    assert Unreachable.calls == 3
    assert clock.sleeps == [2.0, 4.0]
    assert outcome.batch.message == (
        "UN Comtrade could not be reached in 3 attempts; nothing was fetched for Nov 2025."
    )


def test_a_preview_answer_as_long_as_the_preview_sends_carries_a_warning():
    class Answering(requests.Session):
        def get(self, url, **kwargs):
            response = requests.Response()
            response.status_code, response.url = 200, url
            response._content = comtrade_json(
                *(comtrade_record(partnerCode=code) for code in range(1, PREVIEW_RECORD_LIMIT + 1))
            )
            return response

    (outcome,) = comtrade_exports_fetch(
        months=[NOVEMBER], api_key="", session=Answering(), sleep=FakeTime().sleep, enqueue=False
    )

    assert outcome.warning.startswith(
        "The public preview answered 500 records, the most it sends: some figures may be missing."
    )
    assert outcome.batch.status == Status.PENDING  # imported all the same


def test_a_retry_after_beyond_the_longest_wait_ends_the_fetch_at_once():
    class QuotaSpent(requests.Session):
        calls = 0

        def get(self, url, **kwargs):
            QuotaSpent.calls += 1
            response = requests.Response()
            response.status_code, response.reason = 429, "Too Many Requests"
            response.headers["Retry-After"] = "3600"
            return response

    clock = FakeTime()

    (outcome,) = comtrade_exports_fetch(
        months=[NOVEMBER],
        api_key="",
        session=QuotaSpent(),
        sleep=clock.sleep,
        clock=clock.monotonic,
        enqueue=False,
    )

    assert (QuotaSpent.calls, clock.sleeps) == (1, [])
    assert outcome.batch.message == (
        "UN Comtrade answered HTTP 429 Too Many Requests and asked to wait 3,600 s, after 1 "
        "attempt; nothing was fetched for Nov 2025."
    )


def test_a_refused_key_fails_at_once_with_comtrades_own_words():
    clock = FakeTime()

    (outcome,), tape = fetch("full_401.yaml", [NOVEMBER], api_key="wrong-comtrade-key", clock=clock)

    assert tape.play_count == 1  # not retried
    assert clock.sleeps == []
    assert outcome.batch.status == Status.FAILED
    assert outcome.batch.message == (
        "UN Comtrade refused the request: HTTP 401 Access Denied (Access denied due to invalid "
        "subscription key. Make sure to provide a valid key for an active subscription.); "
        "nothing was fetched for Nov 2025."
    )


def test_requests_are_spaced_by_the_minimum_interval():
    clock = FakeTime()

    outcomes, tape = fetch("preview_2025_11_and_12.yaml", [NOVEMBER, DECEMBER], clock=clock)

    # The preview is asked a month at a time; the second request waits out the interval.
    assert tape.play_count == 2
    assert clock.sleeps == [settings.COMTRADE_MIN_INTERVAL_SECONDS] == [1.0]
    assert [outcome.months for outcome in outcomes] == [(NOVEMBER,), (DECEMBER,)]
    assert len({outcome.batch.pk for outcome in outcomes}) == 2


def test_a_failed_fetch_cannot_be_run_again_from_a_file():
    (outcome,), _ = fetch("preview_503.yaml", [NOVEMBER])

    with pytest.raises(InvalidTransition, match="Fetch again instead"):
        import_batch_retry(batch_id=outcome.batch.pk, enqueue=False)

    assert ImportBatch.objects.get(pk=outcome.batch.pk).status == Status.FAILED


# --- the key --------------------------------------------------------------------------------


def test_with_a_key_the_full_api_gets_it_in_a_header_and_nothing_stores_it(caplog):
    caplog.set_level("DEBUG")

    # The cassette matches only a request carrying the key in Ocp-Apim-Subscription-Key.
    (outcome,), tape = fetch("full_2025_11_and_12.yaml", [NOVEMBER, DECEMBER], api_key=KEY)
    batch = import_batch_process(batch_id=outcome.batch.pk)

    assert tape.play_count == 1  # both months in one request
    assert batch.status == Status.SUCCEEDED, batch.message
    assert batch.fetched_from == request_url([NOVEMBER, DECEMBER], keyed=True)
    assert batch.fetched_from.startswith(FULL_URL + "?")
    assert "period=202511,202512" in batch.fetched_from
    stored = json.dumps(model_to_dict(batch), default=str)
    assert KEY not in stored
    assert KEY not in caplog.text
    # November by partner (12 + 3 group rows), December's World totals (4 + 1).
    assert batch.rows_stored == 20
    assert figures("comtrade-850511", "", DECEMBER) == (
        Decimal("5952.000"),
        Decimal("275004000"),
        "USD",
    )


# --- months, the command, the task and the beat ---------------------------------------------


def test_by_default_the_last_twelve_published_months_are_fetched():
    months = recent_months(date(2026, 12, 1))

    assert (months[0], months[-1], len(months)) == (date(2025, 11, 1), date(2026, 10, 1), 12)
    assert "period=202511,202512,202601," in request_url(months, keyed=True)
    assert request_url(months, keyed=True).endswith(
        "period=202511,202512,202601,202602,202603,202604,202605,202606,202607,202608,202609,"
        "202610&partner2Code=0&customsCode=C00&motCode=0"
    )


@override_settings(COMTRADE_API_KEY="")
def test_the_command_fetches_and_imports_in_the_foreground(capsys):
    with replay.use_cassette("preview_2025_11.yaml"):
        call_command("fetch_comtrade", "--from", "2025-11", "--to", "2025-11")

    out = capsys.readouterr().out
    assert "UN Comtrade, public preview (no API key): Nov 2025." in out
    assert "Nov 2025: import" in out and "stored 15 figure(s)" in out
    assert ImportBatch.objects.get().status == Status.SUCCEEDED


@override_settings(COMTRADE_API_KEY="", COMTRADE_MAX_ATTEMPTS=1)
def test_the_command_fails_when_a_request_gets_no_answer(capsys):
    with replay.use_cassette("preview_429.yaml"), pytest.raises(CommandError, match="1 of 1"):
        call_command("fetch_comtrade", "--from", "2025-11", "--to", "2025-11")

    assert "HTTP 429 Too Many Requests to 1 attempt; nothing" in capsys.readouterr().out


def test_the_command_refuses_months_in_the_wrong_order():
    with pytest.raises(CommandError, match="--from 2025-12 is after --to 2025-11"):
        call_command("fetch_comtrade", "--from", "2025-12", "--to", "2025-11")


@override_settings(COMTRADE_API_KEY=KEY)
def test_the_monthly_task_fetches_and_the_worker_imports(django_capture_on_commit_callbacks):
    # On 15 January 2026 the published months are December 2024 to November 2025: one request.
    with (
        time_machine.travel(date(2026, 1, 15), tick=False),
        replay.use_cassette("full_recent_12_months.yaml") as tape,
        django_capture_on_commit_callbacks(execute=True),
    ):
        (batch_id,) = tasks.comtrade_fetch.delay().get()

    assert tape.play_count == 1
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.status == Status.SUCCEEDED  # run by the import worker (eager here)
    assert batch.rows_stored == 15


@pytest.mark.parametrize(("turned_on", "scheduled"), [("", False), ("true", True)])
def test_the_beat_fetches_monthly_only_when_turned_on(turned_on, scheduled):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "RAREGATE_")) and name not in {"REDIS_URL"}
    }
    if turned_on:
        environment["RAREGATE_COMTRADE_FETCH"] = turned_on
    script = (
        "import json, config.settings.base as s; "
        "entry = s.CELERY_BEAT_SCHEDULE.get('fetch-comtrade'); "
        "print(json.dumps(entry and {'task': entry['task'], "
        "'schedule': [sorted(entry['schedule'].minute), sorted(entry['schedule'].hour), "
        "sorted(entry['schedule'].day_of_month)]}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    if scheduled:
        assert entry == {"task": "exports.tasks.comtrade_fetch", "schedule": [[0], [6], [3]]}
    else:
        assert entry is None
