"""UN Comtrade, fetched: China's monthly exports of the tracked HS codes, by period and partner,
through the same import path as an upload.

Each request becomes one ImportBatch: its response body is registered like an uploaded file
(services.import_batch_register: the same body again is the same batch and stores nothing new)
and the import worker processes it (revisions supersede, row errors are reported). A request that
gets no usable answer becomes a failed batch without a file, so that the imports list shows it.

Requests are spaced by COMTRADE_MIN_INTERVAL_SECONDS and retried, with backoff or as Retry-After
asks, on named temporary errors only (RETRIED_STATUSES, RETRIED_ERRORS), up to
COMTRADE_MAX_ATTEMPTS. The API key travels in a request header only: never in a URL, a batch, a
message or a log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from core.periods import add_months, month_at, month_index, period_name
from exports.models import ImportBatch
from exports.parsers.comtrade import TRACKED_COMMODITIES
from exports.services import import_batch_register
from exports.services.fetches import import_batch_fetch_failed

logger = logging.getLogger(__name__)

PREVIEW_URL = "https://comtradeapi.un.org/public/v1/preview/C/M/HS"
FULL_URL = "https://comtradeapi.un.org/data/v1/get/C/M/HS"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
CHINA = "156"
# Comtrade takes up to 12 periods a request. Its keyless preview answers at most 500 records,
# about what one month of the four HS codes by partner holds, so it is asked a month at a time.
PERIODS_PER_REQUEST = {"full": 12, "preview": 1}
PREVIEW_RECORD_LIMIT = 500
# Comtrade's figures for a month come about two months after it; a year of them is fetched again
# each time, which picks up its revisions.
PUBLICATION_LAG_MONTHS = 2
RECENT_MONTHS = 12

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRIED_ERRORS = (requests.ConnectionError, requests.Timeout)
TIMEOUT_SECONDS = (10, 120)  # to connect, to read
BACKOFF_SECONDS = 2.0  # the wait after the first temporary error, doubled after each one
# A Retry-After longer than this (a quota reset an hour away) ends the fetch rather than hold a
# worker that long.
LONGEST_WAIT_SECONDS = 300.0


class FetchFailed(Exception):
    """No usable answer: the message says what Comtrade answered, for the user."""


@dataclass(frozen=True)
class Fetched:
    """One request's outcome: its batch, and whether the batch will run (False: the response is
    one already imported, or a failed fetch, which has nothing to run)."""

    months: tuple[date, ...]
    url: str
    batch: ImportBatch
    will_run: bool
    warning: str = ""


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    return [month_at(index) for index in range(month_index(first), month_index(last) + 1)]


def recent_months(today: date) -> list[date]:
    """The RECENT_MONTHS months ending PUBLICATION_LAG_MONTHS before today's month."""
    last = add_months(today, -PUBLICATION_LAG_MONTHS)
    return months_between(add_months(last, 1 - RECENT_MONTHS), last)


def request_url(months: list[date], *, keyed: bool) -> str:
    """The request for China's exports of the tracked HS codes in `months`, every partner and the
    World total (no partnerCode), totals only (the parser keeps nothing else); no key."""
    query = {
        "reporterCode": CHINA,
        "flowCode": "X",
        "cmdCode": ",".join(TRACKED_COMMODITIES),
        "period": ",".join(f"{month:%Y%m}" for month in months),
        "partner2Code": "0",
        "customsCode": "C00",
        "motCode": "0",
    }
    return f"{FULL_URL if keyed else PREVIEW_URL}?{urlencode(query, safe=',')}"


class ComtradeClient:
    """GETs from UN Comtrade: spaced, timed out, retried on named temporary errors only."""

    def __init__(
        self,
        *,
        api_key: str = "",
        session: requests.Session | None = None,
        min_interval: float,
        max_attempts: int,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_key = api_key
        self.session = session or requests.Session()
        self.min_interval = min_interval
        self.max_attempts = max(1, max_attempts)
        self.sleep = sleep
        self.clock = clock
        self.last_request: float | None = None

    @property
    def keyed(self) -> bool:
        return bool(self.api_key)

    def get(self, url: str) -> requests.Response:
        """The first answer that is not a temporary error; FetchFailed after max_attempts."""
        for attempt in range(1, self.max_attempts + 1):
            self._space()
            try:
                # No redirects: the key must not follow one to another host.
                response = self.session.get(
                    url,
                    headers={KEY_HEADER: self.api_key} if self.api_key else {},
                    timeout=TIMEOUT_SECONDS,
                    allow_redirects=False,
                )
            except RETRIED_ERRORS as error:
                problem, asked, attempts_word = _unreachable(error), None, "in"
            else:
                if response.status_code not in RETRIED_STATUSES:
                    return response
                problem = f"UN Comtrade answered {_status(response)}"
                asked, attempts_word = _retry_after(response), "to"
            logger.warning("UN Comtrade attempt %s of %s: %s", attempt, self.max_attempts, problem)
            if attempt == self.max_attempts:
                break
            if asked is not None and asked > LONGEST_WAIT_SECONDS:
                raise FetchFailed(
                    f"{problem} and asked to wait {asked:,.0f} s, after {_attempts(attempt)}"
                )
            self.sleep(asked if asked is not None else BACKOFF_SECONDS * 2 ** (attempt - 1))
        raise FetchFailed(f"{problem} {attempts_word} {_attempts(self.max_attempts)}")

    def _space(self) -> None:
        """Wait until min_interval has passed since the last request."""
        if self.last_request is not None:
            remaining = self.min_interval - (self.clock() - self.last_request)
            if remaining > 0:
                self.sleep(remaining)
        self.last_request = self.clock()


def comtrade_exports_fetch(
    *,
    months: list[date],
    api_key: str | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    enqueue: bool = True,
) -> list[Fetched]:
    """Fetch China's exports of the tracked HS codes in `months` from UN Comtrade, one batch per
    request (the full API with a key, else the public preview); `enqueue=False` leaves the
    batches for the caller to process. `sleep` and `clock` are time's, unless a test's."""
    client = ComtradeClient(
        api_key=settings.COMTRADE_API_KEY if api_key is None else api_key,
        session=session,
        min_interval=settings.COMTRADE_MIN_INTERVAL_SECONDS,
        max_attempts=settings.COMTRADE_MAX_ATTEMPTS,
        sleep=sleep,
        clock=clock,
    )
    per_request = PERIODS_PER_REQUEST["full" if client.keyed else "preview"]
    try:
        return [
            _fetch(client, chunk, enqueue=enqueue) for chunk in _chunks(sorted(months), per_request)
        ]
    finally:
        if session is None:
            client.session.close()  # the one made here


def _chunks(months: list[date], size: int) -> Iterator[list[date]]:
    for start in range(0, len(months), size):
        yield months[start : start + size]


def _fetch(client: ComtradeClient, months: list[date], *, enqueue: bool) -> Fetched:
    url = request_url(months, keyed=client.keyed)
    name = f"comtrade-exports-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}.json"
    period = period_name(months[0], months[-1], short=True)
    nothing = f"nothing was fetched for {period}."
    try:
        response = client.get(url)
        _check_answered(response)
    except FetchFailed as failure:
        message = _without_key(f"{failure}; {nothing}", client.api_key)
        return _failed(months, url, name, message)
    except requests.RequestException as error:  # not temporary: a broken answer, say
        message = f"UN Comtrade's answer could not be read ({type(error).__name__}); {nothing}"
        return _failed(months, url, name, message)
    try:
        batch, will_run = import_batch_register(
            file=ContentFile(response.content, name=name),
            original_name=name,
            enqueue=enqueue,
            origin=ImportBatch.Origin.FETCH,
            fetched_from=url,
        )
    except ValidationError as error:  # an empty answer, or one over IMPORT_MAX_BYTES
        refused = " ".join(error.messages)
        message = f"UN Comtrade's answer was refused: {refused} Nothing was fetched for {period}."
        return _failed(months, url, name, message)
    warning = _cut_short(response, client)
    if warning:
        logger.warning("UN Comtrade fetch %s: %s", url, warning)
    logger.info("UN Comtrade fetch %s: import %s (%s)", url, batch.pk, batch.status)
    return Fetched(tuple(months), url, batch, will_run, warning=warning)


def _failed(months: list[date], url: str, name: str, message: str) -> Fetched:
    logger.error("UN Comtrade fetch %s failed: %s", url, message)
    batch = import_batch_fetch_failed(original_name=name, fetched_from=url, message=message)
    return Fetched(tuple(months), url, batch, will_run=False)


def _check_answered(response: requests.Response) -> None:
    """Refuse at once an answer that is not data (400, 401, 403, a redirect …): retrying will
    not change it."""
    if 200 <= response.status_code < 300:
        return
    said = _error_text(response)
    raise FetchFailed(
        f"UN Comtrade refused the request: {_status(response)}" + (f" ({said})" if said else "")
    )


def _status(response: requests.Response) -> str:
    """ "HTTP 429 Too Many Requests"."""
    reason = response.reason
    if not reason:
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = ""
    return f"HTTP {response.status_code} {reason}".strip()


def _error_text(response: requests.Response, *, longest: int = 300) -> str:
    """What Comtrade said was wrong: the error or message of its JSON body, else its text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("error", "message", "Message"):
            if body.get(key):
                return str(body[key]).strip()[:longest]
    return response.text.strip()[:longest]


def _retry_after(response: requests.Response) -> float | None:
    """The seconds Retry-After asks for (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def _unreachable(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "UN Comtrade did not answer in time"
    return "UN Comtrade could not be reached"


def _cut_short(response: requests.Response, client: ComtradeClient) -> str:
    """A warning when the keyless preview answered as many records as it ever does: some may be
    missing (Comtrade's own count says only how many it sent)."""
    if client.keyed:
        return ""
    try:
        records = response.json().get("data") or []
    except (ValueError, AttributeError):
        return ""
    if len(records) < PREVIEW_RECORD_LIMIT:
        return ""
    return (
        f"The public preview answered {len(records)} records, the most it sends: some figures may "
        "be missing. Set RAREGATE_COMTRADE_API_KEY to fetch from the full API."
    )


def _without_key(message: str, api_key: str) -> str:
    """Comtrade's error text, quoted in a message, must not carry the key back into storage."""
    return message.replace(api_key, "[key]") if api_key else message
