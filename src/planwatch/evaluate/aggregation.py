"""County figures summed up to the plan's region where its own figure is missing, marked as derived.

A city's statistics are often published later than, or not at all beside, the counties' own: 嘉兴市 has
no 2023 figure for an indicator while all seven 县（市、区） have theirs. For a *total* (the one rule,
:func:`planwatch.evaluate.comparability.is_total`: an amount that adds up over regions) the city figure is
the sum of the counties'. The rule per indicator:

- a total: the sum, but only when every region directly below the plan's region in the store's region tree
  has a plain value (no bound) for that year — a partial sum would understate the city;
- a rate, share, intensity or per-head figure (城镇化率, 占比, 人均…): not derived; its city value is a
  weighted mean whose weights (population, GDP) planwatch does not hold, and a plain mean would mislead;
- growth rates and cumulative changes: not derived (the same reason).

A derived figure never replaces a reported one, is not stored, and carries ``derived`` = True so every
surface says so (the finding's ``derived`` field and its explanation).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planwatch.model import ObservationKind, Plan

from .comparability import is_total

DERIVED = "derived"


def derived_source(children: Sequence[str]) -> str:
    """The source line of a derived figure: 由下辖7个县（市、区）数据加总（南湖区、秀洲区、…）."""
    return f"由下辖{len(children)}个县（市、区）数据加总（{'、'.join(children)}）"


def with_county_totals(plan: Plan, frame: pd.DataFrame, children: Sequence[str]) -> pd.DataFrame:
    """The frame with a derived row for each total indicator and year that the plan's region lacks and every
    one of ``children`` reports; a ``derived`` column marks them (False on every reported row)."""
    frame = frame if DERIVED in frame.columns else frame.assign(**{DERIVED: False})
    own, children = plan.meta.region, list(dict.fromkeys(children))
    totals = {i.id: i for i in plan.current_indicators() if is_total(i.unit, i.name)}
    if not own or not children or not totals:
        return frame
    levels = _plain_levels(frame, list(totals))
    reported = set(zip(*(levels.loc[levels["region"] == own, c] for c in ("indicator", "year")), strict=True))
    kids = levels[levels["region"].isin(children)]
    sums = kids.groupby(["indicator", "year"]).agg(value=("value", "sum"), regions=("region", "nunique"))
    complete = sums[sums["regions"] == len(children)].reset_index()
    wanted = [(ind, year) not in reported for ind, year in zip(complete["indicator"], complete["year"], strict=True)]
    complete = complete[np.asarray(wanted, dtype=bool)]
    if complete.empty:
        return frame
    derived = pd.DataFrame({
        "indicator": complete["indicator"].astype(str), "region": own, "year": complete["year"].astype(int),
        "value": complete["value"].astype(float), "bound": None, "text": None, "kind": ObservationKind.level.value,
        "unit": [totals[i].unit for i in complete["indicator"]], "source": derived_source(children),
        "note": None, "vintage": None, DERIVED: True,
    })
    return pd.concat([frame, derived[[c for c in frame.columns if c in derived.columns]]], ignore_index=True)


def _plain_levels(frame: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Rows of these indicators that are plain level values (a number, no bound)."""
    kind = frame["kind"].astype(object).where(frame["kind"].notna(), ObservationKind.level.value).astype(str)
    value = pd.to_numeric(frame["value"], errors="coerce")
    bound = frame["bound"].astype(object)
    keep = frame["indicator"].astype(str).isin(indicators) & (kind == ObservationKind.level.value) \
        & np.isfinite(value) & ~bound.isin([">", "<"])
    out = frame.loc[keep, ["indicator", "region", "year"]].copy()
    out["indicator"] = out["indicator"].astype(str)
    out["year"] = out["year"].astype(int)
    out["value"] = value[keep]
    return out
