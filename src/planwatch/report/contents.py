"""The content of a report as plain data: the types a ReportContext is made of, and their labels.

Writers (docx, html, xlsx) and charts read only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planwatch.errors import EvaluationError
from planwatch.model import Finding
from planwatch.presentation import ChartSeries, FindingView
from planwatch.vocabulary import status_label

KIND_LABELS = {"annual": "年度监测分析报告", "midterm": "中期评估报告", "final": "总结评估报告"}


# ---------------------------------------------------------------- context types


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the reports show it: the shared view of its finding, its paragraph and chart."""

    view: FindingView
    chart: ChartSeries
    paragraph: str
    source_numbers: tuple[int, ...]
    chart_key: str | None

    @property
    def finding(self) -> Finding:
        """The evaluator's finding."""
        return self.view.finding

    @property
    def cells(self) -> dict[str, str]:
        """The table cells, as every surface formats them."""
        return self.view.cells

    @property
    def status(self) -> str:
        """The stable status code."""
        return str(self.finding.status)

    @property
    def category(self) -> str:
        """类别, 其他 when the table gives none."""
        return self.view.category

    @property
    def attribute_label(self) -> str:
        """预期性 / 约束性."""
        return self.view.cells["attribute"]


@dataclass(frozen=True)
class CountTable:
    """Counts of indicators by status for a grouping (category, attribute)."""

    heading: str
    statuses: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (group, counts per status, total)

    def total_row(self) -> tuple[str, tuple[int, ...], int]:
        """The column sums."""
        sums = tuple(sum(r[1][i] for r in self.rows) for i in range(len(self.statuses)))
        return ("合计", sums, sum(r[2] for r in self.rows))


@dataclass(frozen=True)
class CategorySection:
    """A category (经济发展, 科技创新 …) with its indicator rows."""

    name: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class SourceRef:
    """A numbered source; reports cite it as [n]."""

    number: int
    source: str


@dataclass(frozen=True)
class ObservationRow:
    """An observation listed in the data-source section."""

    indicator_id: str
    indicator_name: str
    year: int
    value_text: str
    unit: str
    kind_label: str
    vintage: str
    source_number: int | None
    source: str
    note: str
    quote: str
    used: bool


@dataclass(frozen=True)
class AdjustmentRow:
    """A target adjustment (规划动态调整)."""

    indicator_id: str
    indicator_name: str
    old: str
    new: str
    date: str
    reason: str
    document: str


@dataclass(frozen=True)
class ProseRow:
    """A target found in the prose or a box, with what is known of it (final report)."""

    subject: str
    target_text: str
    year: int | None
    section: str
    line: int
    quote: str
    evidence: str
    has_data: bool
    location: str | None = None  # the place in a .docx/.pdf/.html original (p.9, 段 431)


@dataclass(frozen=True)
class ProjectRow:
    """A named project from a box, with what is known of it (final report)."""

    name: str
    figures: str
    section: str
    line: int
    evidence: str
    has_data: bool
    location: str | None = None  # the place in a .docx/.pdf/.html original (p.9, 段 431)


@dataclass(frozen=True)
class TrackingTable:
    """A table of a tracking chapter: caption, headers and rows of cell texts."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TrackingSection:
    """A tracking chapter of the mid-term and final reviews (重大项目建设情况, 主要任务和重大改革推进情况)."""

    title: str
    paragraphs: tuple[str, ...]
    tables: tuple[TrackingTable, ...]


@dataclass(frozen=True)
class PreviousRow:
    """A row of the previous plan's outcome table (表1)."""

    no: str
    name: str
    unit: str
    baseline: str
    target: str
    outcome: str
    status_label: str
    line: int


@dataclass(frozen=True)
class MethodInfo:
    """The evaluation method, its settings and the status definitions (appendix)."""

    code: str
    label: str
    settings: tuple[tuple[str, str, str], ...]  # (key, label, value)
    definitions: tuple[tuple[str, str, str], ...]  # (status, label, definition)


@dataclass(frozen=True)
class ReportContext:
    """Everything a report shows; writers only lay it out."""

    kind: str
    kind_label: str
    title: str
    plan_title: str
    region: str
    year: int
    period_start: int | None
    period_end: int | None
    base_year: int | None
    data_year: int | None
    generated_on: date
    method: MethodInfo
    final: bool
    status_counts: tuple[tuple[str, str, int], ...]  # (status, label, count)
    total: int
    by_category: CountTable
    by_attribute: CountTable
    sections: tuple[CategorySection, ...]
    lagging_binding: tuple[IndicatorRow, ...]
    warnings: tuple[IndicatorRow, ...]
    adjustments: tuple[AdjustmentRow, ...]
    observations: tuple[ObservationRow, ...]
    sources: tuple[SourceRef, ...]
    prose_targets: tuple[ProseRow, ...] = ()
    projects: tuple[ProjectRow, ...] = ()
    previous: tuple[PreviousRow, ...] = ()
    tracking: tuple[TrackingSection, ...] = ()  # mid-term and final: projects, then tasks
    notes: tuple[str, ...] = ()
    summary_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cover_label(self) -> str:
        """The report's name as the cover shows it: 2024年度监测分析报告, 中期评估报告."""
        return cover_label(self.kind, self.year)

    @property
    def rows(self) -> tuple[IndicatorRow, ...]:
        """All indicator rows in report order."""
        return tuple(r for s in self.sections for r in s.rows)

    def status_label(self, status: str) -> str:
        """Display label of a status in this report (已实现 at a period's end)."""
        return status_label(status, final=self.final)


# ---------------------------------------------------------------- years and kinds


def cover_label(kind: str, year: int) -> str:
    """A report's name: annual reports carry their year (2024年度监测分析报告)."""
    return f"{year}{KIND_LABELS[kind]}" if kind == "annual" else KIND_LABELS[kind]


def report_year(kind: str, year: int | None, period_start: int | None, period_end: int | None,
                latest: int | None = None) -> int:
    """The year a report of ``kind`` covers; EvaluationError when it lies outside the plan."""
    if kind not in KIND_LABELS:
        raise EvaluationError(f"未知的报告类型“{kind}”，应为 annual（年度）、midterm（中期）或 final（总结）")
    if period_start is None or period_end is None:
        raise EvaluationError("规划缺少规划期（起止年份），无法确定报告年份；请在 plan.yaml 中补充 period_start/period_end")
    if year is None:
        if kind == "final":
            year = period_end
        elif kind == "midterm":
            year = (period_start + period_end) // 2
        else:
            year = min(max(latest or period_start, period_start), period_end)
    if not period_start <= year <= period_end:
        raise EvaluationError(
            f"报告年份 {year} 不在规划期 {period_start}–{period_end} 年之内：请指定规划期内的年份"
        )
    if kind == "final" and year != period_end:
        raise EvaluationError(f"总结评估报告对应规划期末 {period_end} 年，不能用于 {year} 年")
    return year
