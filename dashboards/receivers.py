"""How the dashboards react to what other apps announce (connected in DashboardsConfig.ready)."""

from __future__ import annotations

import logging

from dashboards.tasks import monthly_summaries_refresh_after_import

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
