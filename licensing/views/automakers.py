"""Automakers and their derived licence status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from core.downloads import download_format, table_download
from core.forms import DateField
from core.views import FetchingPaginator, PageMixin
from licensing import scenarios, selectors
from licensing.downloads import automaker_table
from licensing.models import Approval, Automaker
from licensing.screening import listings_of
from licensing.selectors import CoverStatus
from licensing.views.licences import LicenceRow, licence_rows

COLUMNS = [
    ("name", "Automaker"),
    ("country", "Country"),
    ("status", "Status"),
    ("cover_until", "Cover until"),
    ("evidence", "Strongest evidence"),
    ("approvals", "Approvals"),
]
EXPLANATIONS = {
    CoverStatus.COVERED: "Every claim on record says its supply is covered by a licence valid now.",
    CoverStatus.EXPIRING: (
        "Covered today, but the licences behind a claim end within "
        f"{settings.EXPIRY_WARNING_DAYS} days."
    ),
    CoverStatus.PARTIALLY_COVERED: (
        "Some of its supply is covered: a claim says only some of its suppliers, or another path "
        "is refused, excluded, lapsed or unconfirmed."
    ),
    CoverStatus.PENDING: "An approval, or the licence behind it, has not been granted yet.",
    CoverStatus.UNCONFIRMED: (
        "The claim of cover has not been made again within "
        f"{settings.CLAIM_HORIZON_DAYS} days: it may no longer hold."
    ),
    CoverStatus.EXPIRED: (
        "The licences its approvals rest on are no longer valid: ended, suspended, revoked "
        "or used up, with no renewal on record."
    ),
    CoverStatus.NEEDS_INDIVIDUAL_LICENCE: (
        "It, or the importer a claim names, is on MOFCOM's watch list: general licences cannot "
        "cover it, and no individual licence on record does."
    ),
    CoverStatus.BARRED: (
        "It, or the importer a claim names, is on MOFCOM's export-control control list: no "
        "dual-use items may be exported to it."
    ),
    CoverStatus.EXCLUDED: (
        "The evidence says it was left out of a general licence or refused: not a supply ban, "
        "individual licences remain possible."
    ),
    CoverStatus.NO_INFORMATION: "No claim on record says anything about this automaker by today.",
}


# The automaker page's timeline: a year back, and what is known of the next three months.
TIMELINE_BACK_DAYS, TIMELINE_AHEAD_DAYS = 365, 92


@dataclass
class ClaimShown:
    """A claim behind the status: what it says on the date and the licences it rests on."""

    claim: Approval
    status: CoverStatus | None
    age_days: int
    rests_on: str
    licences: list[LicenceRow]
    more: int  # the licences it also rests on, not shown


RESTS_ON = {
    "licence": "the licence it names",
    "exporter": "the licences of this kind its exporter holds",
    "suppliers": "the licences of this kind held by the exporters that supply it (supply links)",
    "in force": "the licences of this kind in force on the claim's date (it names no exporter)",
}


def claims_shown(claims: list[Approval], on: date) -> list[ClaimShown]:
    candidates = selectors.candidate_licences(claims, on)
    shown = []
    for claim in claims:
        found = candidates[claim.pk]
        shown.append(
            ClaimShown(
                claim=claim,
                status=selectors.cover_status(claim.cover_rank),
                age_days=(on - claim.claimed_on).days,
                rests_on=RESTS_ON[found.tier],
                licences=licence_rows(found.licences, on),
                more=found.count - len(found.licences),
            )
        )
    return shown


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


def day_asked(request: HttpRequest) -> date:
    """The day a list reads statuses on: ?on=1 Dec 2026 or ?on=2026-12-01, else (absent or not
    a date) today."""
    try:
        asked = DateField(required=False).clean(request.GET.get("on"))
    except ValidationError:
        asked = None
    return asked or timezone.localdate()


class AutomakerListView(PageMixin, TemplateView):
    permission_required = "licensing.view_automaker"
    template_name = "licensing/automaker_list.html"
    paginate_by = 50
    section = "automakers"

    def asked(self) -> tuple[date, str, str]:
        """The day, status and sort the query asks for, each valid (a default otherwise)."""
        sort = self.request.GET.get("sort", "name")
        if sort.lstrip("-") not in selectors.AUTOMAKER_SORTS:
            sort = "name"
        status = self.request.GET.get("status", "")
        if status not in CoverStatus.values:
            status = ""
        return day_asked(self.request), status, sort

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format = download_format(request)
        if format:
            on, status, sort = self.asked()
            return table_download(automaker_table(on=on, status=status, sort=sort), format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        on, status, sort = self.asked()
        listings = []

        def fetch(offset: int, limit: int) -> tuple[list[Automaker], int]:
            listing = selectors.automaker_listing(
                on=on, status=status, sort=sort, offset=offset, limit=limit
            )
            listings.append(listing)
            return listing.automakers, listing.total(status)

        paginator = FetchingPaginator(fetch, self.paginate_by)
        number = self.request.GET.get("page", 1)
        try:
            page = paginator.page(paginator.num_pages if number == "last" else number)
        except InvalidPage as error:
            raise Http404(str(error)) from None
        counts = listings[-1].counts
        context = super().get_context_data(page_obj=page, is_paginated=page.has_other_pages())
        context.update(
            on=on,
            today=timezone.localdate(),
            rows=[selectors.status_row(automaker) for automaker in page],
            total=sum(counts.values()),
            status_tabs=[
                (choice, counts[choice.value], EXPLANATIONS[choice]) for choice in CoverStatus
            ],
            sort=sort,
            columns=columns_for(sort),
            status=status,
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
        context.update(
            on=on,
            status=status,
            explanation=EXPLANATIONS[CoverStatus(status.status)],
            claims=claims_shown(status.basis, on),
            horizon_days=settings.CLAIM_HORIZON_DAYS,
            supply_links=(
                selectors.supply_chain_of(self.object.pk)
                if self.request.user.has_perm("licensing.view_supplylink")
                else None
            ),
            can_view_approvals=self.request.user.has_perm("licensing.view_approval"),
            listings=listings_of(automaker=self.object, on=on),
        )
        return context


class AutomakerTimelineView(PageMixin, DetailView):
    """The automaker's status over time: on the first day and on each day it changes, from
    what is on record today (one status query per day on which something changes)."""

    permission_required = "licensing.view_automaker"
    model = Automaker
    template_name = "licensing/automaker_timeline.html"
    context_object_name = "automaker"
    section = "automakers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = timezone.localdate()
        start = on - timedelta(days=TIMELINE_BACK_DAYS)
        end = on + timedelta(days=TIMELINE_AHEAD_DAYS)
        context.update(
            on=on,
            start=start,
            end=end,
            timeline=scenarios.timeline(self.object, start, end),
        )
        return context
