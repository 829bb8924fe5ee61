"""The one entry every surface calls: evaluate this plan, for these regions, this year, this method.

The command line, the reports, the dashboard and the API all read their inputs with
:func:`read_inputs` and judge them with :func:`assess`, so that one county gets one answer
whichever surface asks. The defaults are decided here and nowhere else:

- year: the latest year with a value for a current-plan indicator (:func:`latest_data_year`);
- regions: the plan's own region (every region with data when the plan names none);
- method: :data:`DEFAULT_METHOD`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import pandas as pd

from planwatch.errors import EvaluationError
from planwatch.model import Assessment, Plan, PlanMeta
from planwatch.store import PlanSummary, Store, Submission
from planwatch.vocabulary import plan_short_title

from .aggregation import DERIVED, with_county_totals
from .assessment import evaluate, latest_data_year
from .settings import EvaluationSettings

DEFAULT_METHOD = "elapsed_time"
# What names one figure: a pending value replaces the current observation with the same key.
FIGURE_KEY = ("indicator", "region", "year", "kind")


@dataclass(frozen=True)
class Inputs:
    """What an evaluation reads from a store at one moment: the plan, its data and the region tree."""

    plan: Plan
    frame: pd.DataFrame
    region_tree: tuple[str, ...] = ()
    # The regions directly below the plan's own, whose figures are summed where its own total is missing.
    children: tuple[str, ...] = ()

    # Cached: a dashboard snapshot answers many requests from one Inputs, and both read the whole frame.
    @cached_property
    def region_names(self) -> list[str]:
        """Regions that can be asked for: the plan's own first, then the region tree's, then the data's."""
        own = [self.plan.meta.region] if self.plan.meta.region else []
        with_data = sorted(str(r) for r in self.frame["region"].dropna().unique())
        return list(dict.fromkeys([*own, *self.region_tree, *with_data]))

    @cached_property
    def default_year(self) -> int:
        """The year an evaluation is for when none is asked: the latest year with data."""
        return latest_data_year(self.plan, self.frame)

    def default_regions(self) -> list[str] | None:
        """The regions judged when none are asked: the plan's own (None: every region with data)."""
        return [self.plan.meta.region] if self.plan.meta.region else None


def chosen_plan(store: Store, asked: str | None = None) -> str | None:
    """The key of the plan to judge: the one asked for; else the store's only plan (None). With several
    plans and none asked for, an office could judge the wrong one unawares: stop and list them."""
    if asked:
        return asked
    plans = store.plans()
    if len(plans) > 1:
        listed = "；".join(f"{p.key}（{p.title}）" for p in plans)
        raise EvaluationError(f"数据库中有 {len(plans)} 个规划，请用 --plan 指定其中一个：{listed}")
    return None


@dataclass(frozen=True)
class StoredPlan:
    """One stored plan as the plan lists show it (`planwatch plans`, the web's plan chooser): its latest
    version's metadata."""

    key: str
    title: str
    region: str | None
    level: str | None
    period_start: int | None
    period_end: int | None
    versions: int
    latest_version: int
    loaded_at: datetime
    plan_number: int | None = None  # 14 for 十四五, when the title says

    @property
    def short_title(self) -> str:
        """The plan named briefly (嘉兴市 十四五 2021—2025年), where the full title is too long."""
        return plan_short_title(self.region, self.period_start, self.period_end, self.plan_number)


def stored_plan(summary: PlanSummary, meta: PlanMeta) -> StoredPlan:
    """A plan's listing from its summary and its latest version's metadata."""
    return StoredPlan(key=summary.key, title=summary.title, region=summary.region, level=meta.level,
                      period_start=meta.period_start, period_end=meta.period_end, versions=summary.versions,
                      latest_version=summary.latest_version, loaded_at=summary.loaded_at,
                      plan_number=meta.plan_number)


def stored_plans(store: Store) -> list[StoredPlan]:
    """Every stored plan, in the order they were first loaded."""
    return [stored_plan(s, store.plan(s.key).meta) for s in store.plans()]


def read_inputs(store: Store, plan_key: str | None = None) -> Inputs:
    """The plan (``plan_key``, or the store's only one), its current observations and the region tree.

    Totals the plan's region lacks are summed from the regions directly below it (see :mod:`.aggregation`),
    so every surface judges and charts the same derived figures. With several plans stored, each indicator
    reads its series (:meth:`planwatch.store.series_matches.SeriesLinks.frame_for`): the GDP figures
    imported once serve the 14th plan and the 15th.
    """
    chosen = chosen_plan(store, plan_key)
    plan = store.plan(chosen)
    regions = store.regions()
    children = [r.name for r in regions if plan.meta.region and r.parent == plan.meta.region]
    observed = store.observation_frame()
    if chosen is not None:  # several plans: read each indicator's series, stored once for all plans
        observed = store.series_links().frame_for(chosen, observed)
    frame = with_county_totals(plan, observed, children)
    return Inputs(plan, frame, tuple(r.name for r in regions), tuple(children))


def with_pending(inputs: Inputs, submissions: Iterable[Submission]) -> Inputs:
    """The inputs as they would be if every pending (submitted, not yet approved) figure were approved:
    each figure's value overlays the current observation of the same indicator, region, year and kind
    (or is added), and the county totals are summed again, as an approval followed by a re-read would.
    A planner's preview only: the published evaluation never reads a figure nobody approved."""
    rows = [{"indicator": s.indicator, "region": s.region, "year": int(s.year), "value": float(s.value),
             "bound": None, "text": None, "kind": str(s.kind), "unit": s.unit, "source": s.source, "note": s.note,
             "vintage": None, DERIVED: False}
            for s in submissions if s.value is not None]
    if not rows:
        return inputs
    pending = pd.DataFrame(rows).drop_duplicates(subset=list(FIGURE_KEY), keep="last")
    frame = inputs.frame
    reported = frame[~frame[DERIVED].astype(bool)] if DERIVED in frame.columns else frame
    keys = pd.MultiIndex.from_frame(reported[list(FIGURE_KEY)].astype({"year": "int64"}))
    replaced = keys.isin(pd.MultiIndex.from_frame(pending[list(FIGURE_KEY)]))
    kept = reported[~replaced]
    merged = pd.concat([kept, pending[[c for c in kept.columns if c in pending.columns]]], ignore_index=True)
    merged["year"] = merged["year"].astype("int64")
    merged["value"] = pd.to_numeric(merged["value"], errors="coerce").astype("float64")
    return Inputs(inputs.plan, with_county_totals(inputs.plan, merged, inputs.children), inputs.region_tree,
                  inputs.children)


def assess(inputs: Inputs, *, year: int | None = None, regions: Sequence[str] | None = None,
           method: str = DEFAULT_METHOD, settings: EvaluationSettings | None = None) -> Assessment:
    """Judge the plan for ``regions`` at ``year`` by ``method``, filling blanks with the defaults above."""
    chosen_year = inputs.default_year if year is None else year
    chosen_regions = list(regions) if regions else inputs.default_regions()
    return evaluate(inputs.plan, inputs.frame, chosen_year, method=method, regions=chosen_regions,
                    settings=settings, known_regions=inputs.region_tree)
