"""Screening of company names against the entries of MOFCOM's entity lists."""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pycountry
from rapidfuzz import fuzz

# Rounded score from which a pair is a possible match. The different companies of the tests score
# at most 82 (a parent against its subsidiary, "Mitsubishi Electric" / "... Electric Software") and
# one-letter typos of real names score 93 or more; 88 sits between the two.
MATCH_THRESHOLD: float = 88.0

# Normalised names this short are initials or codes: one letter off is another company.
SHORT_NAME = 3

# Legal forms as normalised tokens (dots dropped, punctuation made spaces), dropped from the end.
_LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "limited partnership",
        "kabushiki kaisha",
        "sdn bhd",
        "co",
        "cos",
        "corp",
        "corpn",
        "corporation",
        "company",
        "inc",
        "incorporated",
        "ltd",
        "ltda",
        "limited",
        "llc",
        "lp",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "kgaa",
        "se",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "nv",
        "bv",
        "kk",
        "pty",
        "pte",
        "bhd",
        "oy",
        "ab",
        "asa",
    )
)
_LEGAL_PREFIXES: tuple[tuple[str, ...], ...] = (("kabushiki", "kaisha"), ("the",))
# CJK legal forms, longest first; 集团 (group) is kept as it names the business, not its form.
_CJK_FORMS = "|".join(
    ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "公司")
    + ("株式会社", "有限会社", "合同会社")
)
_CJK_SUFFIX = re.compile(rf"(?:\s*(?:{_CJK_FORMS}))+$")
_CJK_PREFIX = re.compile(r"^(?:(?:株式会社|有限会社|合同会社)\s*)+")
# NFKC turns ㈱ and （株） into (株).
_CJK_MARKS = re.compile(r"\((?:株|有|合)\)")
_APOSTROPHES = re.compile(r"['’`´]")
_INITIALS = re.compile(r"\b(?:\w\.){2,}")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_WORDS_DROPPED = frozenset({"and"})


@functools.cache
def _fold(char: str) -> str:
    """A Latin letter without its accents; any other character unchanged."""
    if ord(char) >= 0x250:
        return char
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def _strip_legal_forms(text: str) -> str:
    """`text` without the legal forms at its start and end."""
    while True:
        before = text
        text = _CJK_PREFIX.sub("", _CJK_SUFFIX.sub("", text)).strip()
        tokens = text.split()
        for form in _LEGAL_SUFFIXES:
            if len(tokens) >= len(form) and tuple(tokens[-len(form) :]) == form:
                tokens = tokens[: -len(form)]
        for form in _LEGAL_PREFIXES:
            if tuple(tokens[: len(form)]) == form:
                tokens = tokens[len(form) :]
        text = " ".join(tokens)
        if text == before:
            return text


def normalise_name(name: str) -> str:
    """Name as compared: width and case folded, punctuation and legal forms dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(_fold(char) for char in text)
    text = _APOSTROPHES.sub("", text)
    text = _INITIALS.sub(lambda initials: initials.group().replace(".", ""), text)
    text = _PUNCTUATION.sub(" ", _CJK_MARKS.sub(" ", text))
    text = " ".join(word for word in text.split() if word not in _WORDS_DROPPED)
    # A name that is nothing but a legal form is still a name.
    return _strip_legal_forms(text) or text or " ".join(name.casefold().split())


def _compact(normalised: str) -> str:
    """A normalised name without its spaces: "ning bo" and "ningbo" are one word."""
    return normalised.replace(" ", "")


@dataclass(frozen=True)
class Candidate:
    """An entry of an entity list, with its names normalised once, at construction."""

    key: object
    names: tuple[str, ...]
    country: str = ""
    # (name as written, normalised, compact), one per distinct normalised name.
    compared: tuple[tuple[str, str, str], ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "country", self.country.strip().upper())
        compared: dict[str, tuple[str, str, str]] = {}
        for written in self.names:
            normalised = normalise_name(written)
            if normalised and normalised not in compared:
                compared[normalised] = (written, normalised, _compact(normalised))
        object.__setattr__(self, "compared", tuple(compared.values()))


def candidate(key: object, names: Iterable[str | None], country: str = "") -> Candidate:
    """A Candidate of the names that are not blank, each once, in their order."""
    kept = dict.fromkeys(name.strip() for name in names if name and name.strip())
    return Candidate(key=key, names=tuple(kept), country=country or "")


@dataclass(frozen=True)
class NameMatch:
    """A candidate whose name may be the screened name."""

    key: object
    name: str
    score: float
    country_differs: bool


def _score(name: str, compact: str, other: str, other_compact: str, cutoff: float = 0) -> float:
    """Similarity 0-100 of two normalised names (with their compact forms)."""
    if compact == other_compact:
        return 100.0
    if len(compact) <= SHORT_NAME or len(other_compact) <= SHORT_NAME:
        return 0.0
    # Token-wise catches reordered words, compact catches "Zhongke" against "Zhong Ke".
    # token_set_ratio is avoided: it scores a parent against its subsidiary 100.
    return max(
        fuzz.token_sort_ratio(name, other, score_cutoff=cutoff),
        fuzz.ratio(compact, other_compact, score_cutoff=cutoff),
    )


def similarity(name: str, other: str) -> float:
    """Score 0-100, rounded to one decimal, of two names as `screen` scores them."""
    normalised, other_normalised = normalise_name(name), normalise_name(other)
    score = _score(normalised, _compact(normalised), other_normalised, _compact(other_normalised))
    return round(score, 1)


def screen(
    name: str,
    country: str,
    candidates: Iterable[Candidate],
    *,
    threshold: float = MATCH_THRESHOLD,
) -> list[NameMatch]:
    """Possible matches of `name` among the candidates, best first, at most one per key."""
    normalised = normalise_name(name)
    if not normalised:
        return []
    compact = _compact(normalised)
    country = country.strip().upper()
    # Scores are reported rounded; a raw score that rounds up to the threshold is a match.
    cutoff = max(threshold - 0.05, 0)
    best: dict[object, NameMatch] = {}
    for entry in candidates:
        written, score = "", -1.0
        for entry_written, entry_normalised, entry_compact in entry.compared:
            entry_score = _score(normalised, compact, entry_normalised, entry_compact, cutoff)
            if entry_score > score:
                written, score = entry_written, entry_score
        score = round(score, 1)
        if score < threshold or (entry.key in best and best[entry.key].score >= score):
            continue
        differs = bool(country and entry.country and country != entry.country)
        best[entry.key] = NameMatch(entry.key, written, score, differs)
    matches = list(best.values())
    with contextlib.suppress(TypeError):  # keys that do not order keep the candidates' order
        matches.sort(key=lambda match: match.key)
    matches.sort(key=lambda match: -match.score)
    return matches


# Names pycountry lacks, as lists and the press write them; abbreviations are matched in capitals.
_COUNTRY_ALIASES = {
    "Britain": "GBR",
    "Great Britain": "GBR",
    "England": "GBR",
    "Holland": "NLD",
    "Macau": "MAC",
    "Russia": "RUS",
    "Turkey": "TUR",
}
_COUNTRY_ABBREVIATIONS = {
    "UK": "GBR",
    "U.K.": "GBR",
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "U.S.A.": "USA",
}


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of `names`, longest first, each a whole word."""
    ordered = sorted(set(names), key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(re.escape(name) for name in ordered) + r")(?!\w)"


@functools.cache
def _country_patterns() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """Alpha-3 by lower-cased country name, and the patterns that find names and abbreviations."""
    codes = {name.casefold(): code for name, code in _COUNTRY_ALIASES.items()}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                codes[value.casefold()] = country.alpha_3
    names = re.compile(_alternation(codes), re.IGNORECASE)
    abbreviations = re.compile(_alternation(_COUNTRY_ABBREVIATIONS))
    return codes, names, abbreviations


@functools.lru_cache(maxsize=1024)
def country_code(text: str) -> str:
    """ISO 3166-1 alpha-3 of the one country `text` names, '' when it names none or several."""
    text = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", text):
        field_name = "alpha_3" if len(text) == 3 else "alpha_2"
        if found := pycountry.countries.get(**{field_name: text.upper()}):
            return found.alpha_3
    codes, names, abbreviations = _country_patterns()
    found_codes = {codes[match.group().casefold()] for match in names.finditer(text)}
    found_codes |= {_COUNTRY_ABBREVIATIONS[match.group()] for match in abbreviations.finditer(text)}
    # "United States per dataset (TASS calls it UK-based)" is disputed, not a country.
    return found_codes.pop() if len(found_codes) == 1 else ""
