"""How the dashboards react to what other apps announce or ask (connected in
DashboardsConfig.ready): imports committed, and the alerts wanted of customs releases."""

from __future__ import annotations

import logging
from datetime import date

from core.formatting import day_in_words
from dashboards.selectors import series_freshness
from dashboards.tasks import monthly_summaries_refresh_after_import
from exports.models import Series
from licensing.alerts.models import Alert
from licensing.alerts.services import Candidate

logger = logging.getLogger(__name__)

# Beyond this many (series, partner) pairs the task is sent only the batch id and reads what
# changed from the batch's records, so that a message stays small.
CHANGED_IN_MESSAGE_MAX = 500


def summaries_refresh_on_import(sender, *, batch_id: int, changed: list[dict], **kwargs) -> None:
    """An import was committed: rebuild, in the background, the summaries it reaches."""
    if not changed:
        return
    try:
        monthly_summaries_refresh_after_import.delay(
            batch_id, changed if len(changed) <= CHANGED_IN_MESSAGE_MAX else None
        )
    except Exception:  # noqa: BLE001 - the periodic full rebuild catches up anyway
        # Eager (no broker) the task runs here, so this is also where its failure lands.
        logger.warning(
            "The summary rebuild after import %s failed or could not be queued; the periodic "
            "rebuild will do it",
            batch_id,
            exc_info=True,
        )


def releases_overdue(sender, *, on: date, **kwargs) -> list[Candidate]:
    """Each series whose newest overdue release is late by more than a week: one alert per
    release, so a series behind by months raises one alert a month, not a flood."""
    candidates = []
    codes = list(Series.objects.order_by("code").values_list("code", flat=True))
    for current in series_freshness(on=on, codes=codes):
        series, due = current.series, current.alert_due
        if due is None:
            continue
        message = (
            f"{series.name}: {due.period_name}'s {due.release.name} was due by "
            f"{day_in_words(due.last)} and is not in RareGate. {current.behind_text}"
        )
        candidates.append(
            Candidate(Alert.Kind.RELEASE_OVERDUE, due.last, message, series=series.code)
        )
    return candidates
