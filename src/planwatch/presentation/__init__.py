"""One presentation of findings for every surface: table cells, status text, records and chart series.

findings → :class:`FindingView` → the Word, HTML and Excel reports, the dashboard, the JSON API and
``planwatch evaluate`` each render the same cells and records, so one county gets one answer. The
words come from :mod:`planwatch.vocabulary`, the numbers from :mod:`planwatch.figures`, the planned
path from :mod:`planwatch.evaluate.paths`; nothing here judges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from planwatch.evaluate.paths import planned_path
from planwatch.figures import fmt_number, fmt_rate, fmt_share, fmt_value
from planwatch.model import (
    Bound,
    Finding,
    ObservationKind,
    Plan,
    Status,
    TargetKind,
    observed_kind,
    observed_unit,
)
from planwatch.vocabulary import (
    CORE_STATUSES,
    CORE_STATUSES_AT_END,
    MISSING,
    UNCATEGORISED,
    attribute_label,
    outlook_label,
    stale_note,
    status_colour,
    status_fill,
    status_label,
    warning_label,
)

__all__ = ["RATE_KINDS", "ChartSeries", "FindingView", "Point", "StatusCount", "chart_series", "finding_views",
           "observed_points", "plan_order", "status_counts", "summary_statuses"]

# Targets judged on a rate: their chart shows the target as a level line, not a point at the end.
RATE_KINDS = (TargetKind.annual_growth, TargetKind.comparative)
# The cells a record carries as ``<name>_display`` (the others repeat a field as it is).
DISPLAYED = ("baseline", "target", "actual", "expected", "completion", "time_elapsed", "projection", "required_rate")


@dataclass(frozen=True)
class Point:
    """An actual value of an indicator in one year (a bound when ``bound`` is '>' or '<')."""

    year: int
    value: float
    bound: str | None = None


@dataclass(frozen=True)
class FindingView:
    """A finding as every surface shows it: its status text, colour and formatted cells."""

    finding: Finding
    final: bool

    @property
    def status(self) -> Status:
        """The stable status code."""
        return Status(self.finding.status)

    @property
    def status_label(self) -> str:
        """提前实现 / 已实现 / 滞后 …, with the period-end wording when ``final``."""
        return status_label(self.status, final=self.final)

    @property
    def status_text(self) -> str:
        """The label, saying when it rests on stale data: 提前实现（按2021年数据）."""
        return self.status_label + (stale_note(self.finding.actual_year) if self.finding.stale else "")

    @property
    def colour(self) -> str:
        """Chart colour of the status."""
        return status_colour(self.status)

    @property
    def fill(self) -> str:
        """Table-cell fill of the status."""
        return status_fill(self.status)

    @property
    def category(self) -> str:
        """类别 as printed, 其他 when the table gives none."""
        return self.finding.category or UNCATEGORISED

    @property
    def unit(self) -> str | None:
        """Unit of the actual, expected and projected values (% for rate targets)."""
        return observed_unit(self.finding.kind, self.finding.unit)

    @property
    def actual_text(self) -> str:
        """The actual value with its bound, and its year when older than the evaluation: 72.4（2022年）."""
        f = self.finding
        text = fmt_value(f.actual, f.actual_bound, self.unit)
        if text != MISSING and f.actual_year and f.actual_year != f.year:
            text += f"（{f.actual_year}年）"
        return text

    @cached_property
    def cells(self) -> dict[str, str]:
        """Every table cell of the finding, formatted once for all surfaces."""
        f = self.finding
        return {
            "no": f.no or "",
            "name": f.indicator,
            "region": f.region,
            "unit": f.unit or "",
            "attribute": attribute_label(f.attribute),
            "category": self.category,
            "baseline": fmt_number(f.baseline, f.unit),
            "target": f.target_text or fmt_number(f.target, self.unit),
            "actual": self.actual_text,
            "expected": fmt_number(f.expected, self.unit),
            "completion": fmt_share(f.completion),
            "time_elapsed": fmt_share(f.time_elapsed),
            "projection": fmt_number(f.projection, self.unit),
            "required_rate": fmt_rate(f.required_rate, f.rate_unit),
            "status": self.status_text,
            "warning": warning_label(f.warning, f.warning_level),
            "outlook": outlook_label(f.outlook),
        }

    def record(self) -> dict[str, Any]:
        """The finding as JSON: every field, plus its labels and display strings (``evaluate --json``, the API)."""
        data = self.finding.model_dump(mode="json")
        data.update(
            data_year=self.finding.actual_year,
            warning=self.finding.warning,
            status_label=self.status_label,
            status_text=self.status_text,
            colour=self.colour,
            attribute_label=self.cells["attribute"],
            category_label=self.category,
            warning_label=self.cells["warning"],
            outlook_label=self.cells["outlook"],
        )
        data.update((f"{key}_display", self.cells[key]) for key in DISPLAYED)
        return data


def finding_views(findings: Iterable[Finding], *, final: bool) -> list[FindingView]:
    """A view of each finding, in the order given."""
    return [FindingView(f, final) for f in findings]


def plan_order(plan: Plan, findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the order of the plan's indicators (then by region as given)."""
    order = {ind.id: n for n, ind in enumerate(plan.indicators)}
    return sorted(findings, key=lambda f: order.get(f.indicator_id, len(order)))


@dataclass(frozen=True)
class StatusCount:
    """How many findings have a status, and how many of them rest on stale data."""

    status: Status
    label: str
    count: int
    stale: int

    @property
    def text(self) -> str:
        """提前实现3项（其中2项数据滞后） — the stale share said whenever there is one."""
        return f"{self.label}{self.count}项" + (f"（其中{self.stale}项数据滞后）" if self.stale else "")


def summary_statuses(views: Sequence[FindingView], *, final: bool) -> list[Status]:
    """The statuses a summary shows, in the fixed order: the core ones of the period (or of its end, where
    滞后 and 快于预期 no longer occur) and any other that a finding has."""
    present = {v.status for v in views}
    core = set(CORE_STATUSES_AT_END if final else CORE_STATUSES)
    return [s for s in Status if s in core or s in present]


def status_counts(views: Sequence[FindingView], statuses: Iterable[Status] = tuple(Status), *,
                  final: bool) -> list[StatusCount]:
    """Counts per status in the order given, with the stale ones among them."""
    return [StatusCount(s, status_label(s, final=final), sum(1 for v in views if v.status == s),
                        sum(1 for v in views if v.status == s and v.finding.stale)) for s in statuses]


def observed_points(frame: pd.DataFrame, region: str) -> dict[tuple[str, str], tuple[Point, ...]]:
    """Current numeric observations of one region by (indicator, kind), in year order (from the store's frame)."""
    rows = frame[(frame["region"] == region) & frame["value"].notna()]
    rows = rows.sort_values(["indicator", "kind", "year"], kind="stable")
    out: dict[tuple[str, str], list[Point]] = {}
    for ind, kind, year, value, bound in zip(rows["indicator"], rows["kind"].fillna("level"), rows["year"],
                                             rows["value"], rows["bound"], strict=True):
        # The frame holds NULL as None (SQLite) or NaN (pandas' reading): only '>' / '<' is a bound.
        out.setdefault((str(ind), str(kind)), []).append(Point(int(year), float(value), bound_sign(bound)))
    return {k: _one_per_year(v) for k, v in out.items()}


def bound_sign(bound: object) -> str | None:
    """'>' or '<' for a bound observation, None for a plain value (whatever the frame holds for NULL)."""
    return str(bound) if bound in BOUND_VALUES else None


BOUND_VALUES = frozenset(b.value for b in Bound)


def _one_per_year(points: list[Point]) -> tuple[Point, ...]:
    by_year = {p.year: p for p in points}  # the frame holds current values only; the last row wins a tie
    return tuple(by_year[y] for y in sorted(by_year))


@dataclass(frozen=True)
class ChartSeries:
    """What an indicator's chart draws: actual values, the planned path, the target, the projection."""

    kind: ObservationKind
    unit: str
    actual: tuple[Point, ...]
    planned: tuple[tuple[int, float], ...]
    target: tuple[int, float] | None
    target_text: str
    target_is_rate: bool
    projection: tuple[tuple[int, float], ...]
    years: tuple[int, int] | None  # the plan period the chart spans: base year to target year

    @property
    def drawable(self) -> bool:
        """Whether the chart has a line to show: actual values or the planned path (a target alone is not)."""
        return bool(self.actual or self.planned)

    def record(self) -> dict[str, Any]:
        """The series as JSON for the dashboard's charts."""
        return {
            "kind": str(self.kind), "unit": self.unit,
            "actual": [[p.year, p.value] for p in self.actual],
            "bounds": [[p.year, p.bound] for p in self.actual if p.bound],
            "planned": [list(p) for p in self.planned],
            "target": ({"year": self.target[0], "value": self.target[1], "text": self.target_text,
                        "rate": self.target_is_rate} if self.target else None),
            "projection": [list(p) for p in self.projection],
        }


def chart_series(f: Finding, points: Mapping[tuple[str, str], tuple[Point, ...]]) -> ChartSeries:
    """The chart of one finding, from the region's observed points (see :func:`observed_points`)."""
    kind = observed_kind(f.kind)
    actual = points.get((f.indicator_id, str(kind)), ())
    rate = f.kind in RATE_KINDS
    planned = () if rate else tuple(planned_path(f.baseline, f.target, f.base_year, f.target_year, f.path))
    target = (f.target_year, f.target) if f.target is not None and f.target_year else None
    projection: tuple[tuple[int, float], ...] = ()
    if (f.projection is not None and f.actual is not None and f.actual_year and f.target_year
            and f.target_year > f.actual_year and not rate):
        projection = ((f.actual_year, f.actual), (f.target_year, f.projection))
    if not actual and f.actual is not None and f.actual_year:
        actual = (Point(f.actual_year, f.actual, str(f.actual_bound) if f.actual_bound else None),)
    years = (f.base_year, f.target_year) if f.base_year and f.target_year else None
    return ChartSeries(kind, observed_unit(f.kind, f.unit) or "", actual, planned, target, f.target_text, rate,
                       projection, years)
