"""Automakers and their derived licence status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.views.generic import DetailView, ListView

from core.views import PageMixin
from licensing import selectors
from licensing.models import Automaker, Licence
from licensing.selectors import CoverStatus

COLUMNS = [
    ("name", "Automaker"),
    ("country", "Country"),
    ("status", "Status"),
    ("earliest_expiry", "Earliest expiry"),
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


class AutomakerListView(PageMixin, ListView):
    permission_required = "licensing.view_automaker"
    template_name = "licensing/automaker_list.html"
    context_object_name = "automakers"
    paginate_by = 50
    section = "automakers"

    def get(self, request, *args, **kwargs):
        self.sort = request.GET.get("sort", "name")
        if self.sort.lstrip("-") not in selectors.AUTOMAKER_SORTS:
            self.sort = "name"
        self.status = request.GET.get("status", "")
        if self.status not in CoverStatus.values:
            self.status = ""
        self.on = timezone.localdate()
        self.all_automakers = selectors.automakers_with_status(on=self.on)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.automakers_listed(self.all_automakers, status=self.status, sort=self.sort)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = selectors.automaker_status_counts(self.all_automakers)
        context.update(
            on=self.on,
            rows=[selectors.status_row(automaker) for automaker in context["automakers"]],
            total=sum(counts.values()),
            status_tabs=[
                (choice, counts[choice.value], EXPLANATIONS[choice]) for choice in CoverStatus
            ],
            sort=self.sort,
            columns=columns_for(self.sort),
            status=self.status,
        )
        return context


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
