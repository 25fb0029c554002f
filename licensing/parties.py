"""Reads for the pages of the parties: the exporter list with the licences valid on a day, one
exporter's licences, customers, approvals and listings, and the licences naming an importer
(selectors.py is at its size already)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from licensing.models import (
    Approval,
    Automaker,
    EntityListEntry,
    Exporter,
    Importer,
    Licence,
    LicenceParty,
    SupplyLink,
)
from licensing.names import NameMatch, candidate, screen
from licensing.selectors import LINK_RELATED, licence_valid_on


def exporters_listed(*, on: date, name: str = "") -> QuerySet[Exporter]:
    """The exporters (whose English or Chinese name holds `name`, when given), each with
    `valid_licences`: how many of its licences are valid on the day."""
    valid = (
        Licence.objects.filter(licence_valid_on(on), exporter=OuterRef("pk"))
        .order_by()
        .values("exporter")
        .annotate(count=Count("id"))
        .values("count")
    )
    exporters = Exporter.objects.annotate(
        valid_licences=Coalesce(Subquery(valid, output_field=IntegerField()), 0)
    )
    if name:
        exporters = exporters.filter(name__icontains=name) | exporters.filter(
            name_zh__icontains=name
        )
    return exporters.order_by("name", "pk")


@dataclass
class Customer:
    """A party an exporter's licences name or its supply links lead to: an importer or an
    automaker, with the licences that name it and the links that reach it."""

    party: Importer | Automaker
    licences: list[Licence] = field(default_factory=list)
    links: list[SupplyLink] = field(default_factory=list)

    @property
    def is_importer(self) -> bool:
        return isinstance(self.party, Importer)


@dataclass
class Listing:
    """A list entry whose names are close to the exporter's: a possible match, never reviewed
    (screening reviews automakers and importers; exporters are matched when shown)."""

    entry: EntityListEntry
    match: NameMatch

    def in_force_on(self, on: date) -> bool:
        return self.entry.listed_on <= on and (
            self.entry.delisted_on is None or self.entry.delisted_on > on
        )


@dataclass
class HeldLicence:
    """A licence as an exporter's page shows it: its status on the day and the days from the
    day to its end (negative once past; None with no end recorded)."""

    licence: Licence
    status: str
    days_to_end: int | None
    valid: bool

    @property
    def status_label(self) -> str:
        return Licence.Status(self.status).label


def exporter_licences(exporter: Exporter, *, on: date) -> list[HeldLicence]:
    """Its licences, the latest ending first, each as it stands on the day."""
    licences = exporter.licences.select_related("exporter").prefetch_related("transitions")
    return [_held(licence, on) for licence in licences.order_by("-valid_until", "-id")]


def _held(licence: Licence, on: date) -> HeldLicence:
    return HeldLicence(
        licence, licence.status_on(on), licence.days_to_end(on), licence.is_valid_on(on)
    )


def exporter_customers(
    exporter: Exporter, licences: list[Licence], *, with_links: bool = True
) -> list[Customer]:
    """The parties its licences name and (`with_links`) the customers of its supply links, by
    name; `licences` are the exporter's (exporter_licences), so that the parties' need no
    query."""
    customers: dict[tuple[str, int], Customer] = {}

    def customer(party: Importer | Automaker) -> Customer:
        key = (type(party).__name__, party.pk)
        return customers.setdefault(key, Customer(party))

    by_pk = {licence.pk: licence for licence in licences}
    parties = LicenceParty.objects.filter(licence__exporter=exporter).select_related(
        "importer", "automaker"
    )
    for party in parties:
        named = customer(party.party).licences
        if by_pk[party.licence_id] not in named:
            named.append(by_pk[party.licence_id])
    links = SupplyLink.objects.filter(supplier_exporter=exporter).select_related(*LINK_RELATED)
    for link in links if with_links else []:
        customer(link.customer).links.append(link)
    return sorted(customers.values(), key=lambda found: found.party.name.lower())


def exporter_approvals(exporter: Exporter) -> QuerySet[Approval]:
    """The claims that name it, newest first."""
    return Approval.objects.filter(exporter=exporter).select_related(
        "automaker", "exporter", "importer", "licence", "licence__exporter"
    )


def exporter_listings(exporter: Exporter) -> list[Listing]:
    """The entity list entries its English or Chinese name may match, best first."""
    entries = list(EntityListEntry.objects.all())
    candidates = [candidate(entry, entry.names, entry.country_code) for entry in entries]
    found: dict[int, NameMatch] = {}
    for name in (exporter.name, exporter.name_zh):
        for match in screen(name, "CHN", candidates) if name else []:
            if match.key.pk not in found or found[match.key.pk].score < match.score:
                found[match.key.pk] = match
    listings = [Listing(match.key, match) for match in found.values()]
    return sorted(listings, key=lambda listing: -listing.match.score)


@dataclass
class NamedOn:
    """A licence naming an importer: the party row (its role) and the licence on the day."""

    party: LicenceParty
    held: HeldLicence


def licences_naming(importer: Importer, *, on: date) -> list[NamedOn]:
    """The licences that name the importer as a party (one row per role), the latest ending
    first, each as it stands on the day."""
    parties = LicenceParty.objects.filter(importer=importer).select_related("licence__exporter")
    parties = parties.prefetch_related("licence__transitions")
    return [
        NamedOn(party, _held(party.licence, on))
        for party in parties.order_by("-licence__valid_until", "-licence_id", "role")
    ]
