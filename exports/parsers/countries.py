"""Partner codes: ISO 3166-1 alpha-3 validation and UN Comtrade partner codes to ISO alpha-3."""

from __future__ import annotations

import pycountry

ISO_ALPHA3: frozenset[str] = frozenset(country.alpha_3 for country in pycountry.countries)

_ISO_NUMERIC_TO_ALPHA3: dict[str, str] = {
    str(int(country.numeric)): country.alpha_3 for country in pycountry.countries
}

# Comtrade's own codes where they differ from ISO 3166-1 numeric. "" means all destinations.
COMTRADE_SPECIAL_CODES: dict[str, str] = {
    "0": "",  # World
    "842": "USA",  # USA, including Puerto Rico and the US Virgin Islands
    "699": "IND",
    "251": "FRA",  # France, including Monaco
    "381": "ITA",
    "579": "NOR",  # Norway, including Svalbard and Jan Mayen
    "757": "CHE",  # Switzerland, including Liechtenstein
    "490": "TWN",  # "Other Asia, nes": Comtrade's name for Taiwan
}

# Comtrade codes with no single ISO country: groupings, former states, "nes" areas. Listed so
# that an ISO numeric code of the same number (none today) can never be matched by accident.
COMTRADE_UNMAPPED_CODES: frozenset[str] = frozenset(
    {
        "58",  # Belgium-Luxembourg (until 1998)
        "97",  # EU
        "129",  # Caribbean, nes
        "200",  # Czechoslovakia
        "221",  # Eastern Europe, nes
        "278",  # German Democratic Republic
        "280",  # Federal Republic of Germany (until 1990)
        "290",  # Northern Africa, nes
        "471",  # CACM, nes
        "472",  # Africa CAMEU region, nes
        "473",  # LAIA, nes
        "492",  # Europe EU, nes
        "527",  # Oceania, nes
        "530",  # Netherlands Antilles
        "536",  # Neutral Zone
        "568",  # Other Europe, nes
        "577",  # Other Africa, nes
        "582",  # Pacific Islands (until 1991)
        "636",  # Rest of America, nes
        "637",  # North and Central America, nes
        "697",  # Europe EFTA, nes
        "711",  # Southern African Customs Union (until 1999): five countries, not South Africa
        "720",  # Democratic Yemen
        "736",  # Sudan before South Sudan's independence
        "810",  # USSR
        "837",  # Bunkers
        "838",  # Free zones
        "839",  # Special categories
        "841",  # USA before 1981
        "849",  # US Miscellaneous Pacific Islands
        "866",  # Yemen Arab Republic
        "868",  # Former Sudan
        "879",  # Western Asia, nes
        "890",  # Yugoslavia
        "891",  # Serbia and Montenegro
        "899",  # Areas, nes
    }
)


def is_iso_alpha3(code: str) -> bool:
    return code in ISO_ALPHA3


def comtrade_partner_iso(code: str) -> str | None:
    """The ISO alpha-3 code for a Comtrade partner code, "" for World, None when unknown."""
    code = code.strip()
    if code.isdigit():
        code = str(int(code))
    if code in COMTRADE_SPECIAL_CODES:
        return COMTRADE_SPECIAL_CODES[code]
    if code in COMTRADE_UNMAPPED_CODES:
        return None
    return _ISO_NUMERIC_TO_ALPHA3.get(code)
