"""Automakers and their derived licence status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from licensing import selectors
from licensing.models import EVIDENCE_RANK, Approval, Automaker, Licence
from licensing.selectors import RANK, AutomakerStatus, CoverStatus
from licensing.views.common import CachedContentMixin, PageMixin

# Ascending order of each sortable column: best status and strongest evidence first.
SORT_KEYS: dict[str, Callable[[AutomakerStatus], Any]] = {
    "name": lambda row: row.automaker.name.casefold(),
    "country": lambda row: row.automaker.country,
    "status": lambda row: RANK[row.status],
    "expiry": lambda row: row.earliest_expiry,
    "evidence": lambda row: (
        -EVIDENCE_RANK[row.strongest_evidence] if row.strongest_evidence else None
    ),
    "approvals": lambda row: row.approval_count,
}
COLUMNS = [
    ("name", "Automaker"),
    ("country", "Country"),
    ("status", "Status"),
    ("expiry", "Earliest expiry"),
    ("evidence", "Strongest evidence"),
    ("approvals", "Approvals"),
]
EXPLANATIONS = {
    CoverStatus.COVERED: (
        "Approved under a licence that is valid today, or under a licence the claim does not name."
    ),
    CoverStatus.EXPIRING: (
        "Approved under a licence that is valid today but ends within "
        f"{settings.EXPIRY_WARNING_DAYS} days."
    ),
    CoverStatus.PENDING: "An approval, or the licence behind it, has not been granted yet.",
    CoverStatus.EXPIRED: (
        "The licences behind its approvals are no longer valid: expired, suspended, revoked "
        "or used up."
    ),
    CoverStatus.EXCLUDED: "The evidence says this automaker was excluded or refused.",
    CoverStatus.NO_INFORMATION: "No approval on record says anything about this automaker.",
}


@dataclass
class Column:
    key: str
    label: str
    next_sort: str
    direction: str  # "ascending", "descending" or "" for the aria-sort attribute


def sort_rows(rows: list[AutomakerStatus], sort: str) -> list[AutomakerStatus]:
    """Sort by a column ("-" first for descending), by name within ties; blanks always last."""
    key = SORT_KEYS[sort.lstrip("-")]
    rows = sorted(rows, key=SORT_KEYS["name"])
    known = [row for row in rows if key(row) is not None]
    blank = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=sort.startswith("-")) + blank


def columns_for(sort: str) -> list[Column]:
    columns = []
    for key, label in COLUMNS:
        if sort == key:
            columns.append(Column(key, label, f"-{key}", "ascending"))
        elif sort == f"-{key}":
            columns.append(Column(key, label, key, "descending"))
        else:
            columns.append(Column(key, label, key, ""))
    return columns


class AutomakerListView(PageMixin, CachedContentMixin, TemplateView):
    permission_required = "licensing.view_automaker"
    content_tables = (Approval, Automaker, Licence)
    template_name = "licensing/automaker_list.html"
    section = "automakers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "name")
        if sort.lstrip("-") not in SORT_KEYS:
            sort = "name"
        status = self.request.GET.get("status", "")
        if status not in CoverStatus.values:
            status = ""
        on = timezone.localdate()
        context.update(
            on=on,
            # Called by the template only when the cached content is missing.
            table=partial(automakers_table, on, status, sort),
            sort=sort,
            columns=columns_for(sort),
            status=status,
        )
        return context


def automakers_table(on, status: str, sort: str) -> dict[str, Any]:
    """The rows with `status` (all without), sorted, and every status tab's count."""
    # All rows once, so that each status tab can show its count.
    rows = selectors.automaker_licence_status(on=on)
    counts = Counter(row.status for row in rows)
    if status:
        rows = [row for row in rows if row.status == status]
    return {
        "rows": sort_rows(rows, sort),
        "total": sum(counts.values()),
        "status_tabs": [
            (choice, counts[choice.value], EXPLANATIONS[choice]) for choice in CoverStatus
        ],
    }


class AutomakerDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_automaker"
    model = Automaker
    template_name = "licensing/automaker_detail.html"
    context_object_name = "automaker"
    section = "automakers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = timezone.localdate()
        status = selectors.automaker_status(automaker=self.object, on=on)
        licences: dict[int, Licence] = {}
        for approval in status.basis:
            if approval.licence is not None:
                licences.setdefault(approval.licence.pk, approval.licence)
        context.update(
            on=on,
            status=status,
            explanation=EXPLANATIONS[CoverStatus(status.status)],
            licences=[
                (licence, licence.days_left(on), licence.is_expiring_on(on))
                for licence in licences.values()
            ],
            unnamed_licences=[a for a in status.basis if a.licence is None],
            can_view_approvals=self.request.user.has_perm("licensing.view_approval"),
        )
        return context
