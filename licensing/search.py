"""Global search and the type-ahead pickers' suggestions: which things a user's words name.

On PostgreSQL: full text ('simple' configuration, each word a prefix) and trigram word
similarity, so that a misspelling still finds its name; on SQLite (the demo) a plain
case-insensitive substring. Either way only the kinds the user may view are searched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.urls import reverse_lazy

from core.templatetags.things import code_url, element_url
from licensing.models import (
    Automaker,
    ControlMeasure,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
)

MAX_TEXT = 100  # longer words are cut: nothing searched is named at such length
MAX_ID = 2**63 - 1


# Where each kind of result leads: its own page (an element's and a code's are in dashboards,
# reversed by URL name by core.templatetags.things: licensing imports no dashboards code).
RESULT_URLS: dict[str, Callable[[Any], str]] = {
    "automaker": lambda obj: obj.get_absolute_url(),
    "exporter": lambda obj: obj.get_absolute_url(),
    "importer": lambda obj: obj.get_absolute_url(),
    "licence": lambda obj: obj.get_absolute_url(),
    "measure": lambda obj: obj.get_absolute_url(),
    "element": element_url,
    "code": code_url,
}


def picker_attrs(kind: str) -> dict[str, Any]:
    """The attributes that make a form's <select> or text box a type-ahead (static/js/picker.js)."""
    return {"data-picker": kind, "data-picker-url": reverse_lazy("licensing:search-suggest")}


def licence_reference(licence: Licence) -> str:
    """What names a licence in a filter: its number, else # and its id as the list shows it."""
    return licence.number or f"#{licence.pk}"


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    permission: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]
    label: Callable[[Any], str] = str
    detail: Callable[[Any], str] = lambda obj: ""
    # What a picker puts in a text box that takes this kind (a <select> takes the id).
    value: Callable[[Any], str] = lambda obj: str(obj.pk)

    @property
    def noun(self) -> str:
        """One of them: "Exporter", "HS code"."""
        return self.title.removesuffix("s")


KINDS: tuple[Kind, ...] = (
    Kind(
        "automaker",
        "Automakers",
        "licensing.view_automaker",
        Automaker.objects.all,
        ("name",),
        detail=lambda obj: obj.country,
    ),
    Kind(
        "exporter",
        "Exporters",
        "licensing.view_exporter",
        Exporter.objects.all,
        ("name", "name_zh", "stock_code"),
        detail=lambda obj: " · ".join(part for part in (obj.name_zh, obj.city) if part),
    ),
    Kind(
        "importer",
        "Importers",
        "licensing.view_importer",
        Importer.objects.all,
        ("name",),
        detail=lambda obj: obj.get_kind_display(),
    ),
    Kind(
        "licence",
        "Licences",
        "licensing.view_licence",
        lambda: Licence.objects.select_related("exporter"),
        ("number", "exporter__name", "exporter__name_zh"),
        detail=lambda obj: obj.get_status_display(),
        value=licence_reference,
    ),
    Kind(
        "measure",
        "Control measures",
        "licensing.view_controlmeasure",
        ControlMeasure.objects.all,
        ("reference", "title"),
        detail=lambda obj: obj.title,
    ),
    Kind(
        "element",
        "Elements",
        "licensing.view_element",
        Element.objects.all,
        ("symbol", "name"),
        label=lambda obj: f"{obj.name} ({obj.symbol})",
        detail=lambda obj: obj.get_group_display(),
        value=lambda obj: obj.symbol,
    ),
    Kind(
        "code",
        "HS codes",
        "licensing.view_hscode",
        HsCode.objects.all,
        ("code", "description"),
        detail=lambda obj: obj.description,
        value=lambda obj: obj.code,
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_name: str
    id: int
    label: str
    detail: str
    url: str
    value: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_name": self.kind_name,
            "id": self.id,
            "label": self.label,
            "detail": self.detail,
            "url": self.url,
            "value": self.value,
        }


@dataclass(frozen=True)
class Group:
    kind: Kind
    hits: list[Hit]
    count: int | None  # how many match in all; None when not counted (the suggestions)


def kinds_for(user: Any, keys: Iterable[str] | None = None) -> list[Kind]:
    """The kinds this user may view, of those asked for (all when none are named)."""
    wanted = set(keys) if keys else set(KINDS_BY_KEY)
    return [kind for kind in KINDS if kind.key in wanted and user.has_perm(kind.permission)]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _matching_postgres(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    words = _words(text)
    similarity = Greatest(*(TrigramWordSimilarity(text, field) for field in fields), Value(0.0))
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": text})
        matches |= Q(**{f"{field}__trigram_word_similar": text})
    queryset = queryset.annotate(similarity=similarity)
    if words:
        # Each word a prefix, all of them needed: what has been typed so far of a name.
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        vector = SearchVector(*fields, config="simple")
        queryset = queryset.annotate(found=vector, rank=SearchRank(vector, query))
        matches |= Q(found=query)
        score = F("similarity") + F("rank")
    else:
        score = F("similarity")
    return queryset.filter(matches).order_by(score.desc(), "pk")


def _matching_plain(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": text})
    return queryset.filter(matches).order_by(fields[0], "pk")


def matching(kind: Kind, text: str) -> QuerySet:
    """The things of this kind that the text names, the best match first."""
    text = text.strip()[:MAX_TEXT]
    queryset = kind.queryset()
    if connection.vendor == "postgresql":
        return _matching_postgres(queryset, kind.fields, text)
    return _matching_plain(queryset, kind.fields, text)


def _hit(kind: Kind, obj: Any) -> Hit:
    return Hit(
        kind=kind.key,
        kind_name=kind.noun,
        id=obj.pk,
        label=kind.label(obj),
        detail=kind.detail(obj),
        url=RESULT_URLS[kind.key](obj),
        value=kind.value(obj),
    )


def search(
    *, user: Any, text: str, kinds: Iterable[str] | None = None, limit: int, count: bool = False
) -> list[Group]:
    """Up to `limit` hits of each kind the user may view (and asked for) that the text names;
    with `count`, how many there are in all. Empty text finds nothing."""
    if not text.strip():
        return []
    groups = []
    for kind in kinds_for(user, kinds):
        found = matching(kind, text)
        hits = [_hit(kind, obj) for obj in found[:limit]]
        total = found.count() if count and len(hits) == limit else len(hits)
        groups.append(Group(kind, hits, total if count else None))
    return groups


def suggestions(*, user: Any, text: str, kind: str = "", limit: int = 8) -> list[Hit]:
    """The type-ahead's list: the best hits of one kind, or a few of each kind."""
    if kind:
        groups = search(user=user, text=text, kinds=[kind], limit=limit)
        return [hit for group in groups for hit in group.hits]
    groups = search(user=user, text=text, limit=3)
    return [hit for group in groups for hit in group.hits][:limit]


def licences_named(text: str) -> QuerySet[Licence]:
    """The licences a filter's words name: '#12' (an id, as the list shows it), a number, or
    words of the holder's name; bare digits are a number or an id (older links)."""
    given = text.strip()[:MAX_TEXT]
    licences = Licence.objects.all()
    if given.startswith("#") and given[1:].isdigit():
        return licences.filter(pk=int(given[1:])) if int(given[1:]) <= MAX_ID else licences.none()
    named = Q(number__iexact=given)
    if given.isdigit():
        named |= Q(pk=int(given)) if int(given) <= MAX_ID else Q()
    else:
        named |= Q(exporter__name__icontains=given) | Q(exporter__name_zh__icontains=given)
    return licences.filter(named)
