"""Plan families: a region's five-year plans in order (13th → 14th → 15th), and one indicator followed across them.

A family is the stored plans of one region and level, ordered by plan number, then first year; before its first
member stands the previous plan as that member's own 表1 records it (targets for the previous period's end and
their outcomes), unless a stored plan covers that period. So a store holding only the Jiaxing 14th plan has a
family of two: the 13th (表1) and the 14th (表2).

Indicators are followed across members by the one matcher: the stored plans' series
(:class:`planwatch.store.series_matches.SeriesLinks`, with people's decisions), and 表1 against the series'
earliest stored indicator by :func:`planwatch.series_match.name_match` (through its index).

One indicator's row per member (:func:`compare`): as that plan prints it (name, unit, base, target), its outcome at
the target year in that plan's unit (表1's outcome column; for a stored plan the series' observation), else the
latest value the judgement rests on, the judgement (表1's previous-plan judgement; the final judgement when the target
year has data; else the progress judgement at the plan's latest data year, as its dashboard opens) and the next
member's target.

Pure: plans, series links and each stored plan's inputs (a callable) come in; nothing is read here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from planwatch.errors import NotFoundError
from planwatch.model import (
    Assessment,
    Bound,
    Finding,
    Indicator,
    Plan,
    Status,
    Target,
    observed_kind,
    observed_unit,
)
from planwatch.series_match import SeriesIndex
from planwatch.store.series_matches import SeriesLinks, parse_ref
from planwatch.vocabulary import plan_label, status_label

from .assessment import plan_years
from .previous import evaluate_previous_plan, outcome_unit
from .scope import Inputs, assess

STORED = "stored"
TABLE1 = "table1"  # the previous plan, as its successor's 表1 records it
# What a row's judgement rests on (labels in vocabulary.FAMILY_BASIS_LABELS).
FINAL, PREVIOUS, PROGRESS = "final", "previous", "progress"


@dataclass(frozen=True)
class FamilyMember:
    """One plan of a family: a stored plan (``key``), or the previous plan read from the 表1 of ``plan``."""

    source: str  # stored / table1
    plan_key: str  # the stored plan; for a table1 member, the plan whose 表1 it is
    plan: Plan
    plan_number: int | None
    period_start: int | None
    period_end: int | None

    @property
    def key(self) -> str | None:
        """The stored plan's key; None for a plan known only from its successor's 表1."""
        return self.plan_key if self.source == STORED else None

    @property
    def label(self) -> str:
        """十四五, or the period (2021—2025) when the plan number is unknown."""
        return plan_label(self.plan_number) or f"{self.period_start or '?'}—{self.period_end or '?'}"

    @property
    def title(self) -> str:
        """The stored plan's title; for a table1 member, where it was read."""
        if self.source == STORED:
            return self.plan.meta.title
        carrier = plan_label(self.plan.meta.plan_number)
        return f"“{self.label}”规划（据{f'“{carrier}”规划' if carrier else self.plan.meta.title}表1）"

    @property
    def indicators(self) -> list[Indicator]:
        """The member's indicators: a stored plan's current ones (表2), a table1 member's 表1 rows."""
        return self.plan.current_indicators() if self.source == STORED else self.plan.previous_indicators()

    def ref(self, indicator: Indicator) -> str:
        """How a person names an indicator of the member: ``PLANKEY:ID`` (a 表1 row by its carrier's key)."""
        return f"{self.plan_key}:{indicator.id}"


@dataclass(frozen=True)
class Family:
    """The plans of one region and level, in order (the previous plan from 表1 first, when it is one)."""

    region: str | None
    level: str | None
    members: tuple[FamilyMember, ...]

    @property
    def id(self) -> str:
        """A stable name: region and level (嘉兴市/city); a plan naming no region is a family of its own."""
        head = self.region or self.members[-1].plan_key
        return f"{head}/{self.level}" if self.level else head

    @property
    def label(self) -> str:
        """嘉兴市 十三五 → 十四五 → 十五五."""
        return f"{self.region or ''} {' → '.join(m.label for m in self.members)}".strip()

    def holds(self, plan_key: str) -> bool:
        """Whether the stored plan ``plan_key`` is a member."""
        return any(m.key == plan_key for m in self.members)

    def position(self, plan_key: str) -> int:
        """The index of the stored plan ``plan_key``."""
        return next(n for n, m in enumerate(self.members) if m.key == plan_key)

    def neighbours(self, plan_key: str) -> tuple[FamilyMember | None, FamilyMember | None]:
        """The members before and after the stored plan ``plan_key``."""
        n = self.position(plan_key)
        return (self.members[n - 1] if n else None,
                self.members[n + 1] if n + 1 < len(self.members) else None)


def families(plans: Sequence[tuple[str, Plan]]) -> list[Family]:
    """The families of the stored plans (load order), in the order of their first-loaded plan."""
    groups: dict[tuple[str, str | None], list[tuple[int, str, Plan]]] = {}
    for order, (key, plan) in enumerate(plans):
        region = (plan.meta.region or "").strip()
        # Region names compare exactly (the store keeps them as the region tree writes them).
        groups.setdefault((region or f"\0{key}", plan.meta.level), []).append((order, key, plan))
    return [_family(region, level, found) for (region, level), found in groups.items()]


def _family(region: str, level: str | None, found: list[tuple[int, str, Plan]]) -> Family:
    def period(item: tuple[int, str, Plan]) -> tuple[bool, int, int, int]:
        order, _, plan = item
        meta = plan.meta
        return (meta.plan_number is None, meta.plan_number or 0, meta.period_start or 0, order)

    stored = [FamilyMember(STORED, key, plan, plan.meta.plan_number, plan.meta.period_start, plan.meta.period_end)
              for _, key, plan in sorted(found, key=period)]
    members = [m for m in [_previous_of(stored[0], stored)] if m is not None] + stored
    return Family(None if region.startswith("\0") else region, level, tuple(members))


def _previous_of(first: FamilyMember, stored: list[FamilyMember]) -> FamilyMember | None:
    """The previous plan as the first stored member's 表1 records it, unless a stored plan covers its period."""
    rows = first.plan.previous_indicators()
    if not rows:
        return None
    start = min((i.period_start for i in rows if i.period_start is not None), default=None)
    end = max(i.period_end for i in rows if i.period_end is not None)
    if any(m.period_end is not None and m.period_start is not None and m.period_start <= end
           and (start is None or m.period_end >= start) for m in stored):
        return None
    number = first.plan_number - 1 if first.plan_number and first.plan_number > 1 else None
    return FamilyMember(TABLE1, first.plan_key, first.plan, number, start, end)


def family_of(found: Sequence[Family], plan_key: str) -> Family:
    """The family holding the stored plan ``plan_key``; NotFoundError naming the keys there are."""
    for family in found:
        if family.holds(plan_key):
            return family
    known = "、".join(m.plan_key for f in found for m in f.members if m.key) or "无"
    raise NotFoundError(f"没有键为 {plan_key} 的规划（已有：{known}）")


# ---------------------------------------------------------------- one indicator across a family


@dataclass(frozen=True)
class FamilySeries:
    """One indicator followed across a family: its row in each member, None where a member has none."""

    family: Family
    indicators: tuple[Indicator | None, ...]  # aligned with family.members

    @property
    def name(self) -> str:
        """The name as the latest member holding it prints it."""
        return next(i for i in reversed(self.indicators) if i is not None).name

    def cells(self) -> list[tuple[FamilyMember, Indicator | None]]:
        """(member, its indicator or None), in the family's order."""
        return list(zip(self.family.members, self.indicators, strict=True))

    def ref_in(self, plan_key: str) -> str | None:
        """The ref of the series' indicator in the stored plan ``plan_key`` (its 表2 row, else its 表1 row)."""
        held = [(m, i) for m, i in self.cells() if i is not None and m.plan_key == plan_key]
        held.sort(key=lambda cell: cell[0].source != STORED)
        return held[0][0].ref(held[0][1]) if held else None


def family_series(family: Family, links: SeriesLinks) -> list[FamilySeries]:
    """Every indicator of the family as a series: the stored members' series (SeriesLinks, in the order of first
    appearance along the family), each with the 表1 row matching its earliest indicator; then the 表1 rows matching
    none, each a series of its own."""
    width = len(family.members)
    rows: dict[str, list[Indicator | None]] = {}
    for n, member in enumerate(family.members):
        if member.source != STORED:
            continue
        for ind in member.indicators:
            home = links.home(links.member(member.plan_key, ind.id)).ref
            row = rows.setdefault(home, [None] * width)
            if row[n] is None:  # one indicator per plan in a series (as SeriesLinks keeps it)
                row[n] = ind
    found = list(rows.values())
    table1 = [n for n, m in enumerate(family.members) if m.source == TABLE1]
    if table1:
        n = table1[0]
        index = SeriesIndex(family.members[n].indicators)
        used: set[str] = set()
        for row in found:
            earliest = next(i for i in row if i is not None)
            match = next((item for item, _ in index.matches(earliest) if item.id not in used), None)
            if match is not None:
                row[n] = match
                used.add(match.id)
        alone = [[ind if k == n else None for k in range(width)]
                 for ind in family.members[n].indicators if ind.id not in used]
        found += alone
    return [FamilySeries(family, tuple(row)) for row in found]


def series_of(found: Sequence[Family], links: SeriesLinks, ref: str) -> FamilySeries:
    """The series of the indicator ``PLANKEY:ID`` (a 表2 row, or a 表1 row by its plan's key) in its family;
    NotFoundError naming what is missing."""
    key, indicator_id = parse_ref(ref)
    family = family_of(found, key)
    for series in family_series(family, links):
        if any(i is not None and m.plan_key == key and i.id == indicator_id for m, i in series.cells()):
            return series
    raise NotFoundError(f"规划 {key} 中没有指标 {indicator_id}（表1、表2均未列出）")


@dataclass(frozen=True)
class ComparisonRow:
    """One member's row of an indicator followed across a family (see :func:`compare`)."""

    member: FamilyMember
    indicator: Indicator | None
    outcome: float | None = None  # at the target year, in the plan's unit
    outcome_bound: Bound | None = None
    outcome_year: int | None = None
    latest: float | None = None  # the latest value the judgement rests on, when the target year has none yet
    latest_bound: Bound | None = None
    latest_year: int | None = None
    outcome_unit: str | None = None
    status: Status | None = None
    status_label: str = ""
    judged_year: int | None = None
    basis: str | None = None  # final / previous / progress
    next_member: FamilyMember | None = None
    next_target: Target | None = None

    @property
    def target(self) -> Target | None:
        """The primary target as the plan prints it."""
        return self.indicator.target if self.indicator is not None else None

    @property
    def target_year(self) -> int | None:
        """The year the primary target falls due."""
        return due_year(self.member, self.indicator) if self.indicator is not None else None


def due_year(member: FamilyMember, indicator: Indicator) -> int | None:
    """The year an indicator's primary target falls due: its own, else the indicator's or the plan's end."""
    return indicator.target.year or indicator.period_end or member.period_end


@dataclass
class Readings:
    """What a comparison reads of the stored members: inputs once per plan, a judgement once per plan and year."""

    inputs_of: Callable[[str], Inputs]
    _inputs: dict[str, Inputs] = field(default_factory=dict)
    _judged: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    _previous: dict[str, Assessment] = field(default_factory=dict)
    _years: dict[str, dict[tuple[str, str], set[int]]] = field(default_factory=dict)

    def inputs(self, plan_key: str) -> Inputs:
        if plan_key not in self._inputs:
            self._inputs[plan_key] = self.inputs_of(plan_key)
        return self._inputs[plan_key]

    def years(self, plan_key: str) -> dict[tuple[str, str], set[int]]:
        if plan_key not in self._years:
            self._years[plan_key] = years_with_values(self.inputs(plan_key))
        return self._years[plan_key]

    def assessment(self, plan_key: str, year: int) -> Assessment:
        if (plan_key, year) not in self._judged:
            self._judged[(plan_key, year)] = assess(self.inputs(plan_key), year=year)
        return self._judged[(plan_key, year)]

    def previous(self, member: FamilyMember) -> Assessment:
        if member.plan_key not in self._previous:
            self._previous[member.plan_key] = evaluate_previous_plan(member.plan)
        return self._previous[member.plan_key]


def compare(series: FamilySeries, readings: Readings) -> list[ComparisonRow]:
    """The series' row in every member of its family, each with the next member's target for the same series."""
    cells = series.cells()
    rows = []
    for n, (member, ind) in enumerate(cells):
        following = cells[n + 1] if n + 1 < len(cells) else None
        next_member, next_ind = following if following is not None else (None, None)
        row = _reading(member, ind, readings) if ind is not None else ComparisonRow(member, None)
        rows.append(_with_next(row, next_member, next_ind))
    return rows


def _with_next(row: ComparisonRow, member: FamilyMember | None, ind: Indicator | None) -> ComparisonRow:
    return replace(row, next_member=member, next_target=ind.target if ind is not None else None)


def _reading(member: FamilyMember, ind: Indicator, readings: Readings) -> ComparisonRow:
    if member.source == TABLE1:
        return _table1_reading(member, ind, readings.previous(member))
    return _stored_reading(member, ind, readings)


def _primary(findings: list[Finding], ind: Indicator) -> Finding | None:
    """The finding of the indicator's primary target (the first of its kind), else its first."""
    mine = [f for f in findings if f.indicator_id == ind.id]
    return next((f for f in mine if f.kind == ind.target.kind), mine[0] if mine else None)


def _table1_reading(member: FamilyMember, ind: Indicator, judged: Assessment) -> ComparisonRow:
    """A 表1 row: the outcome column as the previous plan's judgement read it, and that judgement."""
    finding = _primary(judged.findings, ind)
    if finding is None:
        return ComparisonRow(member, ind)
    return ComparisonRow(member, ind, outcome=finding.actual, outcome_year=finding.actual_year,
                         outcome_unit=outcome_unit(ind, ind.target, finding.kind),
                         status=finding.status, status_label=status_label(finding.status, final=judged.final),
                         judged_year=judged.year,
                         basis=PREVIOUS)


def _stored_reading(member: FamilyMember, ind: Indicator, readings: Readings) -> ComparisonRow:
    """A stored plan's row, judged as its dashboard judges it now (at its latest data year), or at the target
    year when the indicator has a value for it."""
    inputs = readings.inputs(member.plan_key)
    _, end = plan_years(member.plan)
    due = min(due_year(member, ind) or end, end)
    year = due if due in readings.years(member.plan_key).get((ind.id, str(observed_kind(ind.target.kind))), ()) \
        else inputs.default_year
    judged = readings.assessment(member.plan_key, year)
    finding = _primary(judged.findings, ind)
    if finding is None:
        return ComparisonRow(member, ind)
    row = ComparisonRow(member, ind, outcome_unit=observed_unit(ind.target.kind, ind.unit), status=finding.status,
                        status_label=status_label(finding.status, final=judged.final), judged_year=year,
                        basis=FINAL if judged.final else PROGRESS)
    if finding.actual is None or finding.actual_year is None:
        return row
    if finding.actual_year == due:
        return replace(row, outcome=finding.actual, outcome_bound=finding.actual_bound, outcome_year=due)
    return replace(row, latest=finding.actual, latest_bound=finding.actual_bound, latest_year=finding.actual_year)


def years_with_values(inputs: Inputs) -> dict[tuple[str, str], set[int]]:
    """The years with a value per (indicator, observation kind), for the plan's own region (every region when it
    names none)."""
    frame = inputs.frame
    if frame.empty:
        return {}
    keep = frame["value"].notna()
    regions = inputs.default_regions()
    if regions:
        keep &= frame["region"].astype(str).isin(regions)
    found: dict[tuple[str, str], set[int]] = {}
    for ind, kind, year in zip(frame.loc[keep, "indicator"].astype(str), frame.loc[keep, "kind"].astype(str),
                               frame.loc[keep, "year"].astype(int), strict=True):
        found.setdefault((ind, kind), set()).add(int(year))
    return found
