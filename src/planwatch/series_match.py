"""Which indicators of different plans are one series: the same name (normalised, with a small synonym
table) in units of one family.

Plans of one region over time (13th → 14th → 15th) and of a city and its counties name the same statistic in
slightly different words: 地区生产总值 = 地区生产总值; 研发经费支出占地区生产总值比重 = 研究与试验发展经费支出占
GDP比重; full-width brackets in one, half-width in the other. Every surface that pairs indicators across plans
(the county-vs-city check, ``planwatch series``, an import naming an indicator by name) asks this module, so
two plans are paired by one rule. A match carries its reason, for the person who confirms it.

- normalise: full width → half width, spaces, row marks (#, *, 其中：) and circled footnote marks dropped, Latin
  letters upper-cased;
- synonyms: each pair in :data:`SYNONYMS` rewrites the first wording to the second before comparing;
- units: two units match when :func:`planwatch.numbers.parse_unit` puts them in one family (亿元 and 万元 are
  one series in two scales; % and 个百分点 are not); an unknown unit matches only itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from planwatch.numbers import parse_unit, to_halfwidth

# Wordings of one statistic, the longer first where one contains another; (as some plans write it, as others).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("全社会研究与试验发展经费", "研发经费"),
    ("研究与试验发展经费", "研发经费"),
    ("全社会研发经费", "研发经费"),
    ("R&D经费", "研发经费"),
    ("GDP", "地区生产总值"),
    ("人均期望寿命", "人均预期寿命"),  # the Jiaxing 14th outline's 表1 and 表2 use both
    ("每千人口拥有", "每千人口"),  # 每千人口拥有执业（助理）医师数 = 每千人口执业（助理）医师数
)

_MARKS = re.compile(r"\s|^(?:其中[:：]?|[#*＃＊]+)|[①-⑳]")

# Why two indicators were matched: stable codes; the labels a person reads are in planwatch.vocabulary.
SAME_NAME = "same_name"
NORMALISED = "normalised"
SYNONYM = "synonym"


class Named(Protocol):
    """Anything with an indicator's name and unit (an Indicator, a series, a row of a sheet)."""

    @property
    def name(self) -> str: ...

    @property
    def unit(self) -> str | None: ...


@dataclass(frozen=True)
class NameMatch:
    """Why two indicators are one series: ``reason`` (same_name / normalised / synonym), the synonym
    rules that made the names equal (研究与试验发展经费→研发经费), and the two units when they differ in scale
    (万元, 亿元): the values are converted, not compared as written."""

    reason: str
    synonyms: tuple[str, ...] = ()
    units: tuple[str, str] | None = None


# Cached, as the two below: a city office pairs the same few dozen names against every county's plan.
@lru_cache(maxsize=8192)
def normalised_name(name: str) -> str:
    """A name reduced for comparing: half width, no spaces or row marks, Latin letters upper-case."""
    return _MARKS.sub("", to_halfwidth(name or "")).upper()


@lru_cache(maxsize=8192)
def canonical_name(name: str) -> tuple[str, tuple[str, ...]]:
    """The normalised name with every synonym rewritten, and the rules applied."""
    text, applied = normalised_name(name), []
    for wording, canonical in SYNONYMS:
        if wording.upper() in text:
            text = text.replace(wording.upper(), canonical)
            applied.append(f"{wording}→{canonical}")
    return text, tuple(applied)


@lru_cache(maxsize=1024)
def unit_family(unit: str | None) -> str:
    """The family a unit measures (亿元 and 万元: money_cny); an unknown unit is its own family."""
    parsed = parse_unit(unit)
    return parsed.family if parsed.known else normalised_name(unit or "")


def series_key(name: str, unit: str | None) -> tuple[str, str]:
    """The key two indicators share when they are one series: canonical name and unit family."""
    return canonical_name(name)[0], unit_family(unit)


def name_match(a: Named, b: Named) -> NameMatch | None:
    """Why ``a`` and ``b`` are one series, or None when they are not."""
    if unit_family(a.unit) != unit_family(b.unit):
        return None
    units = (a.unit or "", b.unit or "") if normalised_name(a.unit or "") != normalised_name(b.unit or "") else None
    if a.name == b.name:
        return NameMatch(SAME_NAME, units=units)
    if normalised_name(a.name) == normalised_name(b.name):
        return NameMatch(NORMALISED, units=units)
    left, right = canonical_name(a.name), canonical_name(b.name)
    if left[0] == right[0]:
        return NameMatch(SYNONYM, tuple(dict.fromkeys(left[1] + right[1])), units)
    return None


T = TypeVar("T", bound=Named)
L = TypeVar("L", bound=Named)
R = TypeVar("R", bound=Named)


class SeriesIndex(Generic[T]):
    """Indicators by series key, to find the one matching another plan's indicator without a pairwise scan."""

    def __init__(self, items: Iterable[T]):
        self.by_key: dict[tuple[str, str], list[T]] = {}
        for item in items:
            self.by_key.setdefault(series_key(item.name, item.unit), []).append(item)

    def matches(self, other: Named) -> list[tuple[T, NameMatch]]:
        """Every indexed item that is one series with ``other``, with the reason (from the item to ``other``:
        its unit converts into ``other``'s)."""
        found = []
        for item in self.by_key.get(series_key(other.name, other.unit), []):
            why = name_match(item, other)
            if why is not None:
                found.append((item, why))
        return found

    def first(self, other: Named) -> tuple[T, NameMatch] | None:
        """The first indexed item matching ``other`` (a plan lists each indicator once)."""
        found = self.matches(other)
        return found[0] if found else None


def pairs(left: Sequence[L], right: Sequence[R]) -> list[tuple[L, R, NameMatch]]:
    """Every (left, right) pair of one series, in the order of ``left``; the reason goes from right to left."""
    index = SeriesIndex(right)
    return [(item, other, why) for item in left for other, why in index.matches(item)]
