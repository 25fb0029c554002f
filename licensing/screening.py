"""Screening the parties we record (automakers, importers: the parties licences name) against
MOFCOM's entity lists, and Compliance's review of each possible match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from licensing.history import as_history_user
from licensing.models import Automaker, EntityListEntry, Importer, ScreeningMatch
from licensing.names import NameMatch, candidate, country_code, screen
from licensing.validation import full_clean_naming_fields

Party = Automaker | Importer


def _field(party: Party) -> str:
    return "automaker" if isinstance(party, Automaker) else "importer"


def _candidates(entries: Iterable[EntityListEntry]):
    return [candidate(entry, entry.names, entry.country_code) for entry in entries]


def _store(party: Party, found: list[NameMatch]) -> list[ScreeningMatch]:
    stored = []
    for match in found:
        record, _ = ScreeningMatch.objects.update_or_create(
            entry=match.key,
            **{_field(party): party},
            defaults={
                "screened_name": party.name,
                "matched_name": match.name,
                "score": match.score,
            },
        )
        stored.append(record)
    return stored


@transaction.atomic
def party_screen(*, party: Party) -> list[ScreeningMatch]:
    """Screen one party against every entry, as it is created or renamed. Possible matches its
    name no longer makes are dropped; reviewed ones are kept with their review."""
    found = screen(party.name, party.country, _candidates(EntityListEntry.objects.all()))
    ScreeningMatch.objects.filter(
        status=ScreeningMatch.Status.POSSIBLE, **{_field(party): party}
    ).exclude(entry__in=[match.key for match in found]).delete()
    return _store(party, found)


@transaction.atomic
def entries_screen(*, entries: Iterable[EntityListEntry]) -> int:
    """Screen every party against entries that are new or changed; returns the matches found."""
    candidates = _candidates(entries)
    if not candidates:
        return 0
    found = 0
    for model in (Automaker, Importer):
        for party in model.objects.all():
            found += len(_store(party, screen(party.name, party.country, candidates)))
    return found


def match_for(*, automaker: Automaker, entry: EntityListEntry) -> ScreeningMatch:
    """The automaker's match with the entry, made (at the score its names give) if screening
    had not found it."""
    found = screen(automaker.name, automaker.country, _candidates([entry]), threshold=0)
    match, _ = ScreeningMatch.objects.get_or_create(
        automaker=automaker,
        entry=entry,
        defaults={
            "screened_name": automaker.name,
            "matched_name": found[0].name if found else str(entry),
            "score": found[0].score if found else 0.0,
        },
    )
    return match


@dataclass(frozen=True)
class ListMatch:
    entry: EntityListEntry
    name: str
    score: float
    country_differs: bool


def name_screen(*, name: str, country: str = "") -> list[ListMatch]:
    """A name's possible matches on the lists, stored nowhere (the screening API)."""
    found = screen(name, country.upper(), _candidates(EntityListEntry.objects.all()))
    return [ListMatch(m.key, m.name, m.score, m.country_differs) for m in found]


@transaction.atomic
def screening_match_review(
    *, match: ScreeningMatch, status: str, reason: str, user=None
) -> ScreeningMatch:
    """Confirm or dismiss a possible match, saying why; the review stays in its history."""
    match.status = status
    match.reason = reason.strip()
    match.reviewed_by = user
    match.reviewed_at = timezone.now()
    match.full_clean()
    as_history_user(match, user)
    match.save()
    return match


def listings_of(*, automaker: Automaker, on: date) -> list[ScreeningMatch]:
    """The automaker's matches that are not dismissed, those confirmed and listed by the day
    first: what the automaker page says about the lists."""
    matches = (
        ScreeningMatch.objects.filter(automaker=automaker, entry__listed_on__lte=on)
        .exclude(status=ScreeningMatch.Status.DISMISSED)
        .select_related("entry__measure")
    )
    return sorted(matches, key=lambda m: (m.status != ScreeningMatch.Status.CONFIRMED, -m.score))


ENTRY_FIELDS = {
    "list",
    "announcement",
    "measure",
    "listed_on",
    "delisted_on",
    "measures_suspended_until",
    "name_en",
    "name_zh",
    "aliases",
    "country",
    "country_code",
    "source_url",
    "quote",
    "confidence",
    "confidence_note",
    "note",
}


@transaction.atomic
def entity_list_entry_save(
    *, entry: EntityListEntry | None = None, data: dict, user=None
) -> EntityListEntry:
    """Record or change a list entry (kept through reference loads), then screen every party
    against it: a list that changes is screened again."""
    entry = entry or EntityListEntry()
    unknown = set(data) - ENTRY_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(entry, name, value)
    if "country" in data and "country_code" not in data:
        entry.country_code = country_code(entry.country)
    entry.edited_at = timezone.now()
    full_clean_naming_fields(entry)
    as_history_user(entry, user)
    entry.save()
    entries_screen(entries=[entry])
    return entry
