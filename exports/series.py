"""The series registry: what each figure measures. A data migration seeds it."""

from __future__ import annotations

SERIES = [
    (
        "gacc-rare-earths",
        "Rare earths (稀土), China customs",
        "gacc",
        "2805.30;2846.10;2846.90",
        "GACC's headline monthly export tonnage of rare earths from its table of major export "
        "commodities; January and February are published as one span.",
    ),
    (
        "gacc-ndfeb-magnets",
        "Rare-earth permanent magnets, China customs",
        "gacc",
        "8505.11",
        "Monthly exports of rare-earth permanent magnets (HS 8505.11), as China customs "
        "report them.",
    ),
    (
        "comtrade-rare-earths-group",
        "Rare earths and magnets, UN Comtrade",
        "comtrade",
        "2805.30;2846.90;8505.11",
        "China's exports of HS 280530, 284690 and 850511 together, from UN Comtrade.",
    ),
    (
        "comtrade-280530",
        "Rare-earth metals, UN Comtrade",
        "comtrade",
        "2805.30",
        "China's exports of HS 280530 (rare-earth metals, scandium and yttrium), from UN Comtrade.",
    ),
    (
        "comtrade-284610",
        "Cerium compounds, UN Comtrade",
        "comtrade",
        "2846.10",
        "China's exports of HS 284610 (cerium compounds), from UN Comtrade.",
    ),
    (
        "comtrade-284690",
        "Other rare-earth compounds, UN Comtrade",
        "comtrade",
        "2846.90",
        "China's exports of HS 284690 (other rare-earth compounds), from UN Comtrade.",
    ),
    (
        "comtrade-850511",
        "Permanent magnets of metal, UN Comtrade",
        "comtrade",
        "8505.11",
        "China's exports of HS 850511 (permanent magnets of metal), from UN Comtrade.",
    ),
]


# The series the overview leads with: an import that revises its latest month changes the
# headline every manager reads, so the preview says so.
HEADLINE_SERIES = "gacc-rare-earths"

# Each source's values are shown in one unit of its currency (see exports.units).
VALUE_UNITS = {"gacc": "CNY_1M", "comtrade": "USD_1K"}


def series_sync(series_model=None) -> None:
    """Create or update every registered series (idempotent); a migration's historical model
    gets the fields it has."""
    if series_model is None:
        from exports.models import Series as series_model
    fields = {field.name for field in series_model._meta.get_fields()}
    for code, name, source, hs_codes, description in SERIES:
        defaults = {
            "name": name,
            "source": source,
            "hs_codes": hs_codes,
            "description": description,
            "value_unit": VALUE_UNITS[source],
        }
        series_model.objects.update_or_create(
            code=code, defaults={key: value for key, value in defaults.items() if key in fields}
        )
