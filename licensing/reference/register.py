"""The register's reference files: control measures, their items, and MOFCOM's entity lists."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date

from licensing.models import (
    Confidence,
    ControlItem,
    ControlItemCode,
    ControlMeasure,
    Element,
    EntityListEntry,
)
from licensing.names import country_code
from licensing.reference.sync import (
    Load,
    date_or_none,
    hs_codes,
    split,
    sync,
    sync_m2m,
    sync_many,
)

SOURCE = "reference data: {}"


def measures_load(rows: list[dict[str, str]], elements: dict[str, Element], load: Load) -> None:
    source = SOURCE.format("control_measures.csv")
    measures = {}
    for row in rows:
        measure = sync(
            ControlMeasure,
            {"reference": row["reference"]},
            {
                "authority": row["authority"].replace(";", ", "),
                "kind": row["kind"],
                "announced_on": date_or_none(row["announced_on"]),
                "effective_from": date_or_none(row["effective_from"]),
                "suspended_from": date_or_none(row["suspended_from"]),
                "suspended_until": date_or_none(row["suspended_until"]),
                "in_force_until": date_or_none(row["in_force_until"]),
                "title": row["title"],
                "source_url": row["source_url"],
            },
            load,
            source,
        )
        sync_m2m(measure, "elements", [elements[s] for s in split(row["elements"])], load)
        sync_m2m(measure, "hs_codes", hs_codes(split(row["hs_codes"]), load), load)
        measures[row["reference"]] = measure
    # The suspending announcement may come later in the file than those it suspends.
    for row in rows:
        suspended_by = measures[row["suspended_by"]] if row["suspended_by"] else None
        sync(
            ControlMeasure,
            {"reference": row["reference"]},
            {"suspended_by": suspended_by},
            load,
            source,
        )


def _measure(text: str, measures: list[ControlMeasure]) -> ControlMeasure | None:
    """'MOFCOM/GACC Announcement No. 18 of 2025 (2025-04-04, …)' -> the measure No. 18 of 2025."""
    number = re.search(r"No\. (\d+) of (\d{4})", text)
    if number is None:
        return None
    wanted = f"No. {number.group(1)} of {number.group(2)}"
    return next((measure for measure in measures if wanted in measure.reference), None)


def confidence(text: str, control_code: str = "") -> str:
    """The file's confidence note as one of Confidence: inferred, confirmed, else unconfirmed."""
    note = text.strip().upper()
    if note.startswith("INFERRED") or "(inferred)" in control_code:
        return Confidence.INFERRED
    if note.startswith("CONFIRMED"):
        return Confidence.CONFIRMED
    return Confidence.UNCONFIRMED


FORMS_BY_ELEMENT = {
    "RE equipment": ControlItem.Form.EQUIPMENT,
    "RE raw/auxiliary material": ControlItem.Form.RAW_MATERIAL,
    "RE technology": ControlItem.Form.TECHNOLOGY,
    "REE (Annex 1 items)": ControlItem.Form.FOREIGN_MADE,
}
FORM_WORDS = {"permanent": ControlItem.Form.MAGNET, "ndfeb": ControlItem.Form.MAGNET}


def _form(element: str, text: str) -> str:
    if element in FORMS_BY_ELEMENT:
        return FORMS_BY_ELEMENT[element]
    first = re.split(r"[\s(;,]", text.strip().lower(), maxsplit=1)[0]
    if "/" in first:
        return ControlItem.Form.SEVERAL
    first = FORM_WORDS.get(first, first)
    return first if first in ControlItem.Form.values else ControlItem.Form.OTHER


def _symbols(text: str, elements: dict[str, Element]) -> list[Element]:
    return [elements[part] for part in re.split(r"[+;,\s]+", text) if part in elements]


NO_MEASURE = "control_items.csv rows that name no measure (tariff lines, industry practice)"
RANKED = [Confidence.INFERRED, Confidence.UNCONFIRMED, Confidence.CONFIRMED]


def items_load(rows: list[dict[str, str]], elements: dict[str, Element], load: Load) -> None:
    """One item per measure, control code and form; a code row per commodity code named. Rows
    that name no measure (the customs tariff's own lines, industry practice) are counted, not
    loaded: they are not controls."""
    source = SOURCE.format("control_items.csv")
    measures = list(ControlMeasure.objects.all())
    groups: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        measure = _measure(row["measure"], measures)
        if measure is None:
            load.not_loaded[NO_MEASURE] += 1
            continue
        code = row["control_code"].strip()
        code = "" if code.startswith("(") else code.replace("(inferred)", "").strip()
        groups[(measure, code, row["form"].strip())].append(row)
    keyed = []
    for (measure, code, form_detail), group in groups.items():
        first = group[0]
        worst = min(
            (confidence(row["confidence"], row["control_code"]) for row in group),
            key=RANKED.index,
        )
        keyed.append(
            (
                {"measure": measure, "control_code": code, "form_detail": form_detail},
                {
                    "form": _form(first["element"], form_detail),
                    "description": first["description"],
                    "confidence": worst,
                    "confidence_note": first["confidence"][:300],
                    "quote": first["quote"],
                    "source_url": first["source_url"],
                },
            )
        )
    sync_many(ControlItem, keyed, load, source)
    items = {
        (item.measure_id, item.control_code, item.form_detail): item
        for item in ControlItem.objects.prefetch_related("elements")
    }
    codes = []
    for (measure, code, form_detail), group in groups.items():
        item = items[(measure.pk, code, form_detail)]
        sync_m2m(item, "elements", _symbols(group[0]["element"], elements), load)
        for row in group:
            commodity, hs6 = row["commodity_code_10"].strip(), row["hs6"].strip()
            if commodity or hs6:
                lookup = {"item": item, "commodity_code": commodity, "hs_subheading": hs6}
                values = {
                    "confidence": confidence(row["confidence"], row["control_code"]),
                    "confidence_note": row["confidence"][:300],
                    "quote": row["quote"],
                    "source_url": row["source_url"],
                }
                codes.append((lookup, values))
    sync_many(ControlItemCode, codes, load, source)


def entries_load(rows: list[dict[str, str]], load: Load) -> list[EntityListEntry]:
    """The list entries; returns those created or changed, to be screened."""
    source = SOURCE.format("entity_lists.csv")
    measures = list(ControlMeasure.objects.all())
    keyed = [
        (
            {
                "list": row["list"],
                "announcement": row["announcement"],
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
            },
            {
                "measure": _measure(row["announcement"], measures),
                "listed_on": date_or_none(row["listed_on"]),
                "delisted_on": date_or_none(row["delisted_on"]),
                "measures_suspended_until": date_or_none(row["measures_suspended_until"]),
                "country": row["country"],
                "country_code": country_code(row["country"]),
                "source_url": row["source_url"],
                "quote": row["quote"],
                "confidence": confidence(row["confidence"]),
                "confidence_note": row["confidence"][:300],
                "note": row["note"],
            },
        )
        for row in rows
    ]
    return sync_many(EntityListEntry, keyed, load, source)


ENTRY_COLUMNS = ["list", "announcement", "listed_on", "name_en", "name_zh", "country"]
ENTRY_OPTIONAL = [
    "delisted_on",
    "measures_suspended_until",
    "source_url",
    "quote",
    "confidence",
    "note",
]
MAX_ENTRY_ROWS = 20_000


def _entry_errors(row: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) of each thing wrong with a row of an entity-list file."""
    errors = []
    if row["list"] not in EntityListEntry.List.values:
        lists = ", ".join(EntityListEntry.List.values)
        errors.append(("list", f"“{row['list'][:40]}” is none of {lists}."))
    if not (row["name_en"] or row["name_zh"]):
        errors.append(("name_en", "an entry needs an English or a Chinese name."))
    if not row["announcement"]:
        errors.append(("announcement", "say which announcement listed it."))
    if not row["source_url"].startswith(("https://", "http://")):
        errors.append(("source_url", "a web address (https://…) where the entry is published."))
    for column in ("listed_on", "delisted_on", "measures_suspended_until"):
        if row[column] or column == "listed_on":
            try:
                date.fromisoformat(row[column])
            except ValueError:
                errors.append((column, f"“{row[column][:20]}” is not a date (YYYY-MM-DD)."))
    return errors


def entry_rows_checked(name: str, text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of an entity-list file in the layout of entity_lists.csv, and each error as
    "file, line N, column C: message" (no row is loaded while there is one)."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in ENTRY_COLUMNS + ["source_url"] if column not in header]
    if missing:
        return [], [f"{name}, line 1: missing column(s) {', '.join(missing)}."]
    rows, errors = [], []
    for line, found in enumerate(reader, start=2):
        if line - 1 > MAX_ENTRY_ROWS:
            return [], [f"{name}: more than {MAX_ENTRY_ROWS:,} rows; split the file."]
        row = {
            column: (found.get(column) or "").strip() for column in ENTRY_COLUMNS + ENTRY_OPTIONAL
        }
        errors += [
            f"{name}, line {line}, column {column}: {message}"
            for column, message in _entry_errors(row)
        ]
        rows.append(row)
    return rows, errors
