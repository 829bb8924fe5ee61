"""What the observations say about one indicator, as arrays aligned to the evaluated regions.

The observation frame (``store.observation_frame()``: current values only) is cut once per
evaluation; for each indicator the latest level, the base-year level, the chained yearly changes
and the latest cumulative change are read for every region at once with pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from planwatch.errors import EvaluationError
from planwatch.model import Observation

# What an evaluation reads: the store's observation frame, or Observations (tests, small inputs).
ObservationsLike = pd.DataFrame | Iterable[Observation]

COLUMNS = ["indicator", "region", "year", "value", "bound", "text", "kind", "unit", "source", "note", "vintage"]


def observation_frame(observations: ObservationsLike) -> pd.DataFrame:
    """The observations as a frame with the store's columns (accepts a frame or Observations)."""
    if isinstance(observations, pd.DataFrame):
        frame = observations
        missing = [c for c in ("indicator", "region", "year", "value") if c not in frame.columns]
        if missing:
            raise EvaluationError(f"观测数据缺少列：{'、'.join(missing)}")
        for col in COLUMNS:
            if col not in frame.columns:
                frame = frame.assign(**{col: "level" if col == "kind" else None})
        return frame
    rows = []
    for o in observations or []:
        if not isinstance(o, Observation):
            raise EvaluationError(f"观测数据应为 Observation 或 DataFrame，而不是 {type(o).__name__}")
        rows.append((o.indicator, o.region, o.year, o.value, o.bound.value if o.bound else None, o.text,
                     str(o.kind), o.unit, o.source, o.note, o.vintage))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["year"] = frame["year"].astype(int)
    return frame


def _kind_codes(kinds: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Kinds at ``rows`` as plain codes ('level'), whether stored as strings or enum members, 'level' when
    missing (mapped once per distinct value)."""
    codes, distinct = pd.factorize(kinds)
    mapped = [str(k.value) if hasattr(k, "value") else str(k) for k in distinct]
    return np.array([*mapped, "level"], dtype=object)[codes[rows]]  # code -1 (missing) picks the last


def _objects(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The values at ``rows`` as an object array, None where missing, each distinct value made a Python object
    once: a text column of the store's frame is Arrow-backed, where a Python string per cell is most of the cost."""
    codes, distinct = pd.factorize(values)
    return np.array([*distinct, None], dtype=object)[codes[rows]]  # code -1 (missing) picks the last


def _positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Each value's position in ``index``, -1 where it is not there (looked up once per distinct value)."""
    codes, distinct = pd.factorize(values)
    return np.append(index.get_indexer(distinct), -1)[codes]


USED = ["indicator", "region", "year", "value", "bound", "text", "kind", "source"]


@dataclass
class Rows:
    """One indicator's observations (≤ year) as arrays sorted by year; ``rc`` indexes the regions."""

    rc: np.ndarray
    year: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    bound: np.ndarray
    text: np.ndarray
    source: np.ndarray
    regions: pd.Index
    vintage: np.ndarray | None = None  # None where the frame has no vintage column (hand-made frames)
    derived: np.ndarray | None = None  # True for figures summed from the regions below (see aggregation.py)

    def __len__(self) -> int:
        return len(self.rc)

    def frame(self) -> pd.DataFrame:
        """The rows as a small DataFrame (for year-matched comparisons)."""
        return pd.DataFrame({"region": self.regions.to_numpy()[self.rc], "year": self.year, "value": self.value,
                             "kind": self.kind, "bound": self.bound, "text": self.text, "source": self.source})


def is_none(values: np.ndarray) -> np.ndarray:
    """Elementwise ``is None`` over an object array, as a boolean array."""
    # numpy's stubs don't admit None as a ufunc operand; numpy itself compares elementwise.
    return np.equal(values, None)  # type: ignore[call-overload]


def prepare(frame: pd.DataFrame, year: int, regions: pd.Index, indicators: set[str] | None = None) -> dict[str, Rows]:
    """Observations up to ``year`` of the given regions (and indicators), sorted by year, by indicator.

    Regions become integer positions in ``regions`` once, so every later step is array work.
    """
    all_codes, all_names = pd.factorize(frame["indicator"])
    keep = (frame["year"].to_numpy() <= year) & (all_codes >= 0)  # a row without an indicator is no one's
    if indicators is not None:
        keep &= frame["indicator"].isin(indicators).to_numpy()
    # Row positions are chosen and ordered first, so each column is gathered once, in its final order.
    rows = np.flatnonzero(keep)
    rc = _positions(frame["region"], regions)[rows]
    inside = rc >= 0
    if not inside.all():
        rows, rc = rows[inside], rc[inside]
    ind_codes, seen = pd.factorize(all_codes[rows])  # numbered in order of appearance among the rows
    ind_names = all_names[seen]
    years = frame["year"].to_numpy(dtype=np.int64)[rows]
    order = np.lexsort((years, ind_codes))
    rows, rc, years, sorted_codes = rows[order], rc[order], years[order], ind_codes[order]
    bounds = np.searchsorted(sorted_codes, np.arange(len(ind_names) + 1))
    kinds = _kind_codes(frame["kind"], rows)
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)[rows]
    bound_col, text_col = _objects(frame["bound"], rows), _objects(frame["text"], rows)
    source_col = _objects(frame["source"], rows)
    vintage_col = _objects(frame["vintage"], rows) if "vintage" in frame.columns else None
    derived_col = frame["derived"].fillna(False).to_numpy(dtype=bool)[rows] if "derived" in frame.columns else None
    out = {}
    for i, name in enumerate(ind_names):
        sl = slice(bounds[i], bounds[i + 1])
        out[str(name)] = Rows(rc[sl], years[sl], values[sl], kinds[sl], bound_col[sl], text_col[sl], source_col[sl],
                              regions, None if vintage_col is None else vintage_col[sl],
                              None if derived_col is None else derived_col[sl])
    return out


def used_vintages(rows: Rows | None, n: int, years: np.ndarray, kind: str) -> np.ndarray:
    """The vintage of the figure each region's judgement rests on: its row of ``kind`` in the data year
    (any kind when a rate was derived from levels), None where no vintage was recorded."""
    if rows is None or rows.vintage is None or len(rows) == 0:
        return np.full(n, None, dtype=object)
    return _used(rows, rows.vintage, ~is_none(rows.vintage), n, years, kind, None)


def used_derived(rows: Rows | None, n: int, years: np.ndarray, kind: str) -> np.ndarray:
    """Whether the figure each region's judgement rests on was derived (summed from the regions below)."""
    if rows is None or rows.derived is None or len(rows) == 0:
        return np.zeros(n, dtype=bool)
    return _used(rows, rows.derived, np.ones(len(rows), dtype=bool), n, years, kind, False).astype(bool)


def _used(rows: Rows, column: np.ndarray, present: np.ndarray, n: int, years: np.ndarray, kind: str,
          fill) -> np.ndarray:
    """``column`` of each region's row in its data year: of ``kind`` when there is one, else of any kind."""
    out = np.full(n, fill, dtype=object)
    with np.errstate(invalid="ignore"):
        at_year = (rows.year == years[rows.rc]) & present
    for wanted in (at_year, at_year & (rows.kind == str(kind))):  # the kind's own row wins
        hit, last = _last_rows(rows.rc, wanted)
        out[hit] = column[last]
    return out


# Evidence's arrays are all set by gather() before an Evidence is used; None only marks "not yet gathered".
_GATHERED: np.ndarray = cast("np.ndarray", None)


@dataclass
class Evidence:
    """Observed facts for one indicator across ``regions`` (arrays of that length)."""

    regions: pd.Index
    level: np.ndarray = field(default=_GATHERED)  # latest level value ≤ year
    level_year: np.ndarray = field(default=_GATHERED)
    level_bound: np.ndarray = field(default=_GATHERED)  # '>' / '<' / None
    level_source: np.ndarray = field(default=_GATHERED)
    base_level: np.ndarray = field(default=_GATHERED)  # level observed in the base year
    base_source: np.ndarray = field(default=_GATHERED)
    growth_log: np.ndarray = field(default=_GATHERED)  # Σ ln(1 ± g/100) of yearly changes after base
    growth_years: np.ndarray = field(default=_GATHERED)  # how many yearly changes were chained
    growth_last_year: np.ndarray = field(default=_GATHERED)
    growth_sources: np.ndarray = field(default=_GATHERED)  # list of sources per region, or None
    # (observed years, missing years) where the chained years leave a gap between base and last year, else None
    growth_gaps: np.ndarray = field(default=_GATHERED)
    cumulative: np.ndarray = field(default=_GATHERED)  # latest change since base, %
    cumulative_year: np.ndarray = field(default=_GATHERED)
    cumulative_source: np.ndarray = field(default=_GATHERED)
    text: np.ndarray = field(default=_GATHERED)  # latest qualitative value
    any_rows: np.ndarray = field(default=_GATHERED)  # any observation of the base year or later
    earlier_year: np.ndarray = field(default=_GATHERED)  # the latest year of an observation before the base year


def _last_rows(rc: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(region positions, row positions) of the last selected row per region (rows sorted by year)."""
    idx = np.flatnonzero(mask)[::-1]
    regions_hit, first = np.unique(rc[idx], return_index=True)
    return regions_hit, idx[first]


def _pick(n: int, at: tuple[np.ndarray, np.ndarray], values: np.ndarray, fill) -> np.ndarray:
    out = np.full(n, fill, dtype=float if isinstance(fill, float) else object)
    out[at[0]] = values[at[1]]
    return out


def gather(rows: Rows | None, regions: pd.Index, base_year: int, *, reduction: bool = False) -> Evidence:
    """The evidence for one indicator across ``regions`` from its rows (≤ year, sorted by year).

    Yearly changes are chained as factors (1 + g/100); for an indicator named as a reduction
    (用水量降低) a yearly value states the reduction, so its factor is (1 − g/100).
    """
    n = len(regions)
    ev = Evidence(regions)
    if rows is None or len(rows) == 0:
        nan, none = np.full(n, np.nan), np.full(n, None, dtype=object)
        ev.level, ev.level_year, ev.base_level = nan, nan.copy(), nan.copy()
        ev.level_bound, ev.level_source, ev.base_source = none, none.copy(), none.copy()
        ev.growth_log, ev.growth_years, ev.growth_last_year = nan.copy(), np.zeros(n), nan.copy()
        ev.growth_sources, ev.growth_gaps = none.copy(), none.copy()
        ev.cumulative, ev.cumulative_year, ev.cumulative_source = nan.copy(), nan.copy(), none.copy()
        ev.text, ev.any_rows, ev.earlier_year = none.copy(), np.zeros(n, dtype=bool), nan.copy()
        return ev
    has_value = np.isfinite(rows.value)
    is_level = (rows.kind == "level") & has_value
    # A value from before the base year says nothing of progress in the period (the 15th plan judged on 2024
    # GDP, a year before its 2025 base, read as 基本符合预期 at completion -21% against time -20%).
    in_period = rows.year >= base_year

    at = _last_rows(rows.rc, is_level & in_period)
    ev.level = _pick(n, at, rows.value, np.nan)
    ev.level_year = _pick(n, at, rows.year.astype(float), np.nan)
    ev.level_bound = _pick(n, at, rows.bound, None)
    ev.level_source = _pick(n, at, rows.source, None)
    at = _last_rows(rows.rc, is_level & (rows.year == base_year) & is_none(rows.bound))
    ev.base_level = _pick(n, at, rows.value, np.nan)
    ev.base_source = _pick(n, at, rows.source, None)

    growth = (rows.kind == "annual_growth") & has_value & (rows.year > base_year)
    ev.growth_sources = np.full(n, None, dtype=object)
    ev.growth_gaps = np.full(n, None, dtype=object)
    if growth.any():
        # One change per region and year: the last row of each pair counts.
        g_idx = np.flatnonzero(growth)
        key = rows.rc[g_idx].astype(np.int64) * 10000 + rows.year[g_idx]
        _, last_of = np.unique(key[::-1], return_index=True)
        g_idx = g_idx[::-1][last_of]
        sign = -1.0 if reduction else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log1p(sign * rows.value[g_idx] / 100.0)
        codes = rows.rc[g_idx]
        ev.growth_log = np.bincount(codes, weights=logs, minlength=n).astype(float)
        ev.growth_years = np.bincount(codes, minlength=n).astype(float)
        last = np.full(n, -np.inf)
        np.maximum.at(last, codes, rows.year[g_idx].astype(float))
        ev.growth_last_year = np.where(np.isfinite(last), last, np.nan)
        ev.growth_log[ev.growth_years == 0] = np.nan
        ev.growth_sources = _source_lists(codes, rows.year[g_idx], rows.source[g_idx], n)
        ev.growth_gaps = chain_gaps(codes, rows.year[g_idx], ev.growth_years, ev.growth_last_year, base_year, n)
    else:
        ev.growth_log, ev.growth_years, ev.growth_last_year = np.full(n, np.nan), np.zeros(n), np.full(n, np.nan)

    at = _last_rows(rows.rc, (rows.kind == "cumulative") & has_value & in_period)
    ev.cumulative = _pick(n, at, rows.value, np.nan)
    ev.cumulative_year = _pick(n, at, rows.year.astype(float), np.nan)
    ev.cumulative_source = _pick(n, at, rows.source, None)

    at = _last_rows(rows.rc, ~is_none(rows.text) & ~has_value & in_period)
    ev.text = _pick(n, at, rows.text, None)
    ev.any_rows = np.zeros(n, dtype=bool)
    ev.any_rows[rows.rc[in_period]] = True
    earlier = np.full(n, -np.inf)
    np.maximum.at(earlier, rows.rc[~in_period], rows.year[~in_period].astype(float))
    ev.earlier_year = np.where(np.isfinite(earlier), earlier, np.nan)
    return ev


def chain_gaps(codes: np.ndarray, years: np.ndarray, counts: np.ndarray, last: np.ndarray, base_year: int,
               n: int) -> np.ndarray:
    """(observed years, missing years) per region whose yearly changes skip a year after the base, else None.

    A chain of yearly changes covers base + 1 … last year; fewer changes than those years is a gap
    (one Python step per gapped region only).
    """
    out = np.full(n, None, dtype=object)
    with np.errstate(invalid="ignore"):
        gapped = np.flatnonzero(np.isfinite(last) & (counts < last - base_year))
    for r in gapped.tolist():
        seen = sorted({int(y) for y in years[codes == r].tolist()})
        missing = [y for y in range(base_year + 1, int(last[r])) if y not in seen]
        out[r] = (seen, missing)
    return out


def gap_note(observed: list[int], missing: list[int]) -> str:
    """缺2022年数据，按2021、2023两年计算 — said wherever a chain of yearly changes has a gap."""
    count = _COUNT_WORDS.get(len(observed), f"{len(observed)}")
    seen = "、".join(str(y) for y in observed) + ("年" if len(observed) == 1 else "")
    return f"缺{'、'.join(str(y) for y in missing)}年数据，按{seen}{count}年计算"


_COUNT_WORDS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def _source_lists(codes: np.ndarray, years: np.ndarray, sources: np.ndarray, n: int) -> np.ndarray:
    """Distinct sources per region in year order (one Python step per distinct region × source)."""
    pairs = pd.DataFrame({"r": codes, "y": years, "s": sources}).dropna(subset=["s"])
    pairs = pairs.sort_values("y", kind="stable").drop_duplicates(["r", "s"])
    out = np.full(n, None, dtype=object)
    for r, src in zip(pairs["r"].to_numpy(), pairs["s"].to_numpy(), strict=True):
        if out[r] is None:
            out[r] = []
        out[r].append(str(src))
    return out
