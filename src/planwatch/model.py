"""The shared vocabulary of planwatch: every stage reads and writes these types.

Pure data, no I/O. The flow is::

    ingest  → Plan (outline, indicators with typed targets, prose targets, projects,
              achievements, review flags; every item carries the 1-based line it came from)
    store   → Plan versions, regions, target adjustments, Observations (with revisions)
    evaluate→ Finding (one per indicator × region × year × target)
    report  → documents built from Findings

Chinese planning terms used in names:

- 规划纲要 (plan outline): :class:`Plan`.
- 指标 (indicator): :class:`Indicator`, a row of an indicator table (表1, 表2).
- 目标 (target): :class:`Target`, typed; a number alone is never a target.
- 预期性 / 约束性 (anticipatory / binding): :class:`Attribute`.
- 专栏 (box): an outline node of kind ``box``; holds projects and more targets.
- 省下达 (assigned by the province): ``TargetKind.assigned``.
- [16] (a bracketed figure): a five-year cumulative figure, ``TargetKind.cumulative_change``.
- 任务 (task): :class:`Task`, a reform, policy, action or work the plan commits to (专栏5 items).
- 计划 / 行动 with totals (“551”重大项目计划): :class:`Programme`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# ---------------------------------------------------------------- enumerations


class TargetKind(StrEnum):
    """What kind of commitment a target is; each kind has its own evaluation rule."""

    level = "level"  # reach ≥ / ≤ / ≈ a value by the target year (9000, 93以上, 27以下, 75左右)
    annual_growth = "annual_growth"  # average annual growth rate (年均增长 7以上)
    cumulative_change = "cumulative_change"  # five-year total change ([16] 用水量降低)
    comparative = "comparative"  # relative to another indicator (高于地区生产总值年均增长)
    assigned = "assigned"  # value assigned later by a higher level (省下达指标)
    maintain = "maintain"  # hold at least the base (167 → 167)
    text = "text"  # nothing checkable could be read


class Comparator(StrEnum):
    """How an actual value is compared with a target value."""

    at_least = "at_least"  # 以上, 不少于, 突破, 超过; plain value for higher-is-better
    at_most = "at_most"  # 以下, 不超过, 控制在; plain value for lower-is-better
    about = "about"  # 左右, 基本同步: within a tolerance band
    between = "between"  # 1-2 (value .. value_max)
    exactly = "exactly"


class Direction(StrEnum):
    """Which way is good for an indicator."""

    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"
    neutral = "neutral"  # e.g. ≈ targets, where both ways away from the band are bad


class Attribute(StrEnum):
    """Indicator attribute (属性)."""

    anticipatory = "anticipatory"  # 预期性
    binding = "binding"  # 约束性


class PathShape(StrEnum):
    """Shape of the planned path from base to target."""

    geometric = "geometric"  # compounding quantities: 亿元, 万人, 件
    linear = "linear"  # shares and rates: %, 岁, 年


class ObservationKind(StrEnum):
    """What an observed value measures."""

    level = "level"
    annual_growth = "annual_growth"  # growth over the previous year, %
    cumulative = "cumulative"  # change since the base year, %
    text = "text"  # a qualitative statement (a rank, a phrase)


def observed_kind(kind: TargetKind) -> ObservationKind:
    """Which observations measure progress towards a target of ``kind``.

    Growth and comparative targets (与经济增长基本同步) are judged on yearly growth rates, cumulative
    targets on the change since the base year, everything else on levels.
    """
    if kind in (TargetKind.annual_growth, TargetKind.comparative):
        return ObservationKind.annual_growth
    if kind == TargetKind.cumulative_change:
        return ObservationKind.cumulative
    return ObservationKind.level


def observed_unit(kind: TargetKind, unit: str | None) -> str | None:
    """The unit of the values a target of ``kind`` is judged on: % for rates, else the indicator's."""
    return unit if observed_kind(kind) == ObservationKind.level else "%"


class Outlook(StrEnum):
    """The trend judgement beside the progress judgement: where the present pace leads by the target year."""

    on_course = "on_course"  # 按目前趋势可望实现
    at_risk = "at_risk"  # 可能难以实现


class Bound(StrEnum):
    """An observation that is a bound rather than a value (超129万人 → '>' 129)."""

    above = ">"
    below = "<"


class Status(StrEnum):
    """Evaluation status; the vocabulary of the national plan's mid-term evaluation."""

    exceeded = "exceeded"  # 超额完成 (at the end, on the final year's data, well beyond the target)
    achieved = "achieved"  # 提前实现 (during the period) / 已实现 (at its end)
    ahead = "ahead"  # 快于预期
    on_track = "on_track"  # 基本符合预期
    lagging = "lagging"  # 滞后
    nearly_achieved = "nearly_achieved"  # 基本完成 (at the end: an anticipatory target narrowly missed)
    not_achieved = "not_achieved"  # 未实现 (at the end of a period, on the final year's data)
    likely_achieved = "likely_achieved"  # 预计完成 (at the end, before the final year's data exist)
    likely_missed = "likely_missed"  # 预计难以完成 (at the end, before the final year's data exist)
    no_data = "no_data"  # 无数据
    pending_target = "pending_target"  # 待下达
    not_assessable = "not_assessable"  # 无法评估


# ---------------------------------------------------------------- plan document


class PlanMeta(_Model):
    """Metadata of a plan document."""

    title: str = Field(description="Full title as printed, e.g. 嘉兴市国民经济和社会发展第十四个五年规划…纲要")
    region: str | None = Field(None, description="Region the plan governs, e.g. 嘉兴市")
    level: str | None = Field(None, description="province / city / county, from the region's suffix")
    period_start: int | None = Field(None, description="First year of the plan period (2021)")
    period_end: int | None = Field(None, description="Target year of the plan period (2025)")
    base_year: int | None = Field(None, description="Base year, the year before the period (2020)")
    vision_year: int | None = Field(None, description="Long-range vision year (2035)")
    plan_number: int | None = Field(None, description="Five-year plan number: 14 for 十四五")
    source_file: str | None = None
    encoding: str | None = None
    sha256: str | None = None
    line: int | None = Field(None, description="Line the title was read from")


class OutlineNode(_Model):
    """A heading of the plan: 一、 / （一） / 1． / 专栏N."""

    id: str = Field(description="Stable path id, e.g. '4', '4.2', '4.2.1', 'box3'")
    kind: str = Field(description="chapter / section / item / box / table")
    label: str = Field(description="Numbering as printed: 一、 （二） 1． 专栏3 表2")
    title: str
    level: int = Field(description="Depth, 1 for chapters")
    parent: str | None = None
    line: int
    line_end: int


class Target(_Model):
    """A typed target. ``value`` is in the indicator's (normalised) unit."""

    kind: TargetKind
    comparator: Comparator | None = None
    value: float | None = None
    value_max: float | None = Field(None, description="Upper value of a range (1-2家)")
    text: str = Field("", description="The target as printed, e.g. '7以上', '[16]', '省下达指标'")
    qualifier: str | None = Field(None, description="以上 / 以下 / 左右 / 力争 / 累计 … as written")
    direction: Direction = Direction.higher_is_better
    year: int | None = Field(None, description="Target year")
    base_year: int | None = None
    reference: str | None = Field(None, description="For comparative targets: the referenced quantity")
    reference_indicator: str | None = Field(None, description="Id of the referenced indicator or series")
    assigned_by: str | None = Field(None, description="Who assigns an 'assigned' target (省)")
    assigned_kind: TargetKind | None = Field(None, description="Kind the assigned value will take")
    tolerance: float | None = Field(None, description="Half-width of the ≈ band, in the value's unit")
    aspirational: bool = Field(False, description="力争: a stretch goal")
    cumulative: bool = Field(False, description="A five-year cumulative figure ([] in the table)")
    unit: str | None = None
    adjustment_reason: str | None = Field(None, description="Why the target was adjusted (规划动态调整), set by the reviewer")
    adjustment_document: str | None = Field(None, description="The document approving the adjustment")
    adjustment_date: str | None = Field(None, description="Date of the adjustment, YYYY-MM-DD")


class Outcome(_Model):
    """The recorded outcome of a finished plan's target (表1 完成情况)."""

    value: float | None = None
    text: str = ""
    growth: float | None = None
    growth_text: str = ""
    cumulative: bool = False
    year: int | None = None


class Baseline(_Model):
    """The base-year value of an indicator."""

    value: float | None = None
    year: int | None = None
    text: str = ""


class Indicator(_Model):
    """A row of an indicator table (表1 of the previous plan, 表2 of this plan)."""

    id: str = Field(description="Stable key, e.g. 'T2-1', 'T2-8.1' (sub-row), 'T1-9.2'")
    table: str = Field(description="Table label as printed: 表1, 表2")
    category: str | None = Field(None, description="类别, carried down merged cells")
    no: str | None = Field(None, description="序号 as printed; None for sub-rows")
    name: str
    unit: str | None = Field(None, description="Unit as printed (亿元, %, 微克/立方米)")
    baseline: Baseline = Field(default_factory=Baseline)
    target: Target = Field(description="The primary target")
    targets: list[Target] = Field(default_factory=list, description="All targets of the row (primary first)")
    outcome: Outcome | None = Field(None, description="Actual results for a finished plan (表1)")
    growth_outcome: Outcome | None = None
    attribute: Attribute | None = None
    path: PathShape | None = Field(None, description="Planned-path shape; editable by the reviewer")
    parent: str | None = Field(None, description="Id of the parent row (sub-rows such as '# …')")
    notes: list[str] = Field(default_factory=list, description="Footnote flags: current_prices, comparable_prices, …")
    period_start: int | None = None
    period_end: int | None = None
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    line_end: int | None = None
    cells: list[str] = Field(default_factory=list, description="The row's cells as printed")
    group: str | None = Field(None, description="Group label of a two-level row (表1 城镇化率 over 常住/户籍)")
    responsible: str | None = Field(None, description="责任单位 (responsible units), when the table lists them")
    extra: dict[str, Any] = Field(default_factory=dict, description="Columns without a field of their own")


class ProseTarget(_Model):
    """A quantitative commitment found in the prose or a box, outside the tables."""

    subject: str
    comparator: Comparator | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = Field(None, description="Unit as written (万亿元)")
    unit_normalised: str | None = Field(None, description="Normalised unit (亿元)")
    value_normalised: float | None = None
    value_max_normalised: float | None = None
    year: int | None = None
    qualifier: str | None = None
    aspirational: bool = False
    kind: TargetKind = TargetKind.level
    section: str | None = Field(None, description="Outline node id")
    section_title: str | None = None
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    quote: str = Field(description="The phrase as printed")
    indicator: str | None = Field(None, description="Id of a table indicator this matches, if any")
    base_year: int | None = Field(None, description="Year a relative target builds on (在2025年的基础上翻一番)")
    year_explicit: bool = Field(False, description="The year is written in the text (到2025年), not assumed")


class Achievement(_Model):
    """A statement of past achievement (十三五 results): a fact, not a target."""

    subject: str
    value: float | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    year: int | None = None
    section: str | None = None
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    quote: str


class ProjectPart(_Model):
    """A part a project's description names separately (沪乍杭铁路's 货运线, 57.6 km)."""

    name: str = Field(description="The part as printed, e.g. 货运线")
    length_km: float | None = None
    line: int
    text: str = Field("", description="The clause naming the part, as printed")


class Project(_Model):
    """A project named with figures in a box (专栏); ``length_km`` is its main line's, parts are in ``parts``."""

    name: str
    no: str | None = None
    length_km: float | None = None
    investment_yi_yuan: float | None = Field(None, description="Total investment, 亿元")
    section: str | None = None
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    text: str = ""
    parts: list[ProjectPart] = Field(default_factory=list, description="Parts the description names separately")

    @property
    def key(self) -> str:
        """Stable key of a box project: 'box3.1' (box and number), else its name."""
        return f"{self.section}.{self.no}" if self.section and self.no else self.name


class Programme(_Model):
    """A programme of projects with totals the text states (“551”重大项目计划: 500个左右, 1万亿元以上).

    The totals are targets the project list is measured against, not projects themselves.
    """

    name: str = Field(description="The programme's code as quoted, e.g. 551")
    title: str = Field(description="The programme as printed, e.g. 嘉兴市扩大有效投资“551”重大项目计划")
    project_count: float | None = Field(None, description="Number of projects the programme plans")
    project_count_comparator: Comparator | None = None
    investment_yi_yuan: float | None = Field(None, description="Investment the programme plans, 亿元")
    investment_comparator: Comparator | None = None
    cumulative: bool = Field(False, description="累计: the investment is a total over the period")
    section: str | None = Field(None, description="Outline node id")
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    text: str = Field(description="The sentence stating the totals, as printed")


class TaskKind(StrEnum):
    """Where a task was read from."""

    box_item = "box_item"  # a numbered item of a box listing reforms, policies, actions or works
    prose_commitment = "prose_commitment"  # a qualitative commitment of the prose (建成…, 实现…全覆盖)


class Task(_Model):
    """A task (任务) of the plan: a reform, policy, action or work it commits to carry out."""

    id: str = Field(description="Stable key: 'box5.1' for box items, 'p1143.1' for prose commitments")
    kind: TaskKind
    box: str | None = Field(None, description="Box label as printed (专栏5) for a task read in a box")
    no: str | None = Field(None, description="Number as printed in the box: 1, 2 … or 一, 二 … (十大工程)")
    text: str = Field(description="The task as printed, without its number")
    detail: str = Field("", description="As printed: the description under a works heading (十大工程), or the "
                                        "sentence a prose commitment is a clause of")
    line: int
    location: str | None = Field(None, description="Where a person finds it in the original file when that is not plain text (p.9 表2 第14行, 段 431)")
    chapter: str | None = Field(None, description="Id of the chapter the task is in, e.g. '4'")
    section: str | None = Field(None, description="Id of the innermost heading (the box's own for box items)")
    confirmed: bool = Field(False, description="Counts as a task: box items do; a prose candidate once a person "
                                               "sets it true in plan.yaml")


class TaskState(StrEnum):
    """How far a task has come, as offices report it (进展状态); labels in vocabulary.py."""

    not_started = "not_started"  # 未启动
    on_schedule = "on_schedule"  # 按计划推进
    behind = "behind"  # 滞后
    done = "done"  # 已完成


class SubmissionState(StrEnum):
    """Where a reported figure stands in a data round (数据填报); labels in vocabulary.py.

    draft → submitted → approved, or submitted → returned (with the planner's comment) → submitted
    again; withdrawn by its unit before approval. Only approved figures count in the evaluation.
    """

    draft = "draft"  # 草稿
    submitted = "submitted"  # 已报送
    returned = "returned"  # 已退回
    approved = "approved"  # 已通过
    withdrawn = "withdrawn"  # 已撤回


class WorkKind(StrEnum):
    """What a unit's work report (工作填报) is about; labels in vocabulary.py."""

    task = "task"  # a task's progress update (任务进展)
    project = "project"  # a project's figures for one year (项目年度进展)


class RoundState(StrEnum):
    """Whether a data round takes figures."""

    open = "open"  # 填报中
    closed = "closed"  # 已结束


class TaskUpdate(_Model):
    """One dated progress update of a task (a row of a supervision table, or entered by hand)."""

    task_id: str = Field(description="Id of the task, e.g. 'box5.1'")
    state: TaskState
    progress: str = Field("", description="进展情况 as written")
    lead_unit: str | None = Field(None, description="牵头单位 as written")
    as_of: str = Field(description="Date the update describes, YYYY-MM-DD")
    row: int | None = Field(None, description="Row of the sheet it was read from (header = 1)")


class TaskAssignment(_Model):
    """Who answers for a task and by when (任务分工): set by hand or by a supervision table's row."""

    task_id: str = Field(description="Id of the task, e.g. 'box5.1'")
    lead_unit: str = Field(description="牵头单位")
    co_units: list[str] = Field(default_factory=list, description="配合单位")
    planned_completion: str | None = Field(None, description="计划完成时间, YYYY-MM-DD")
    row: int | None = Field(None, description="Row of the sheet it was read from (header = 1)")


class Milestone(StrEnum):
    """A dated step of a project (项目节点), in the order a project passes them; labels in vocabulary.py."""

    approved = "approved"  # 立项
    started = "started"  # 开工
    completed = "completed"  # 完工
    in_service = "in_service"  # 投用


# The milestones in order, as a tuple: iterating the enum itself is slow, and it is done per project and per row.
MILESTONES = tuple(Milestone)


class ProjectReport(_Model):
    """What a project tracking sheet reports of one project for one year (重大项目进展).

    Every import of a project-year is kept; the latest (by ``as_of``, then by order recorded) counts.
    The planned start and finish are the planned dates of 开工 and 完工.
    """

    project_key: str = Field(description="The plan's project ('box3.1', see Project.key) or, for a project the "
                                         "plan's text does not name, its name as the sheet writes it")
    name: str = Field(description="项目名称: as the plan prints it, or as the sheet writes a project not in the plan")
    in_plan: bool = Field(True, description="Named in the plan's text; False for a project a sheet adds (the 551 list)")
    year: int = Field(description="年度 the investment figures are for")
    lead_unit: str | None = Field(None, description="牵头单位 as written")
    region: str | None = Field(None, description="所在地区 as written")
    total_investment_yi_yuan: float | None = Field(None, description="总投资, 亿元")
    planned_investment_yi_yuan: float | None = Field(None, description="年度计划投资, 亿元")
    completed_investment_yi_yuan: float | None = Field(None, description="年度完成投资, 亿元")
    planned: dict[Milestone, str] = Field(default_factory=dict, description="Planned date per milestone, YYYY-MM-DD")
    actual: dict[Milestone, str] = Field(default_factory=dict, description="Actual date per milestone, YYYY-MM-DD")
    as_of: str = Field(description="Date the report describes, YYYY-MM-DD")
    row: int | None = Field(None, description="Row of the sheet it was read from (header = 1)")


class ProjectReportRow(NamedTuple):
    """A project report as the judging reads it: the fields of :class:`ProjectReport` it uses, each milestone's
    dates as one tuple in :class:`Milestone` order (None where not given).

    A plain tuple of plain values: a roll-up reads 100,000 stored reports, checked when they were written,
    and a tuple costs a fraction of a model to build and nothing to the garbage collector (bench/projects.py).
    """

    project_key: str
    name: str
    year: int
    lead_unit: str | None
    region: str | None
    total_investment_yi_yuan: float | None
    planned_investment_yi_yuan: float | None
    completed_investment_yi_yuan: float | None
    as_of: str
    planned: tuple[str | None, ...]
    actual: tuple[str | None, ...]

    @classmethod
    def of(cls, report: ProjectReport) -> ProjectReportRow:
        """The row of a report read from a sheet."""
        return cls(report.project_key, report.name, report.year, report.lead_unit, report.region,
                   report.total_investment_yi_yuan, report.planned_investment_yi_yuan,
                   report.completed_investment_yi_yuan, report.as_of,
                   tuple(report.planned.get(m) for m in Milestone), tuple(report.actual.get(m) for m in Milestone))


class ReviewFlag(_Model):
    """Something a person must confirm before the plan is loaded."""

    code: str = Field(description="Stable code: ambiguous_unit, unclear_bracket, assigned_pending, …")
    message: str = Field(description="What to check, in Chinese")
    line: int | None = None
    item: str | None = Field(None, description="Id of the indicator or target concerned")
    resolved: bool = False


class Series(_Model):
    """A data series the plan does not list but rules need (GDP growth, population)."""

    code: str
    name: str
    unit: str | None = None
    kind: ObservationKind = ObservationKind.level


class Plan(_Model):
    """A structured plan: the output of ingest and the input of every later stage."""

    format_version: int = 1
    meta: PlanMeta
    outline: list[OutlineNode] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    targets: list[ProseTarget] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    achievements: list[Achievement] = Field(default_factory=list)
    flags: list[ReviewFlag] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="What the reader could not understand")
    series: list[Series] = Field(default_factory=list, description="Declared extra series")
    tasks: list[Task] = Field(default_factory=list, description="Tasks: box items and prose commitments")
    programmes: list[Programme] = Field(default_factory=list, description="Programmes with stated totals (551)")

    def current_indicators(self) -> list[Indicator]:
        """Indicators of the plan's own period (表2), not the previous plan's results (表1).

        An indicator without a period of its own belongs to the plan's; a plan without an end year
        has only current indicators.
        """
        end = self.meta.period_end
        if end is None:
            return list(self.indicators)
        return [i for i in self.indicators if i.period_end is None or i.period_end == end]

    def previous_indicators(self) -> list[Indicator]:
        """Indicators of the finished previous plan (表1): those whose period ends before this plan's."""
        end = self.meta.period_end
        return [i for i in self.indicators if end is not None and i.period_end is not None and i.period_end < end]

    def tasks_by_chapter(self) -> dict[str | None, list[Task]]:
        """Tasks grouped by chapter id, chapters in plan order."""
        groups: dict[str | None, list[Task]] = {}
        for task in self.tasks:
            groups.setdefault(task.chapter, []).append(task)
        return groups

    def indicator(self, key: str) -> Indicator | None:
        """The indicator with this id, table number (表2's '1') or exact name."""
        for ind in self.indicators:
            if ind.id == key:
                return ind
        current = self.current_indicators() or self.indicators
        for ind in current:
            if ind.no is not None and ind.no == key:
                return ind
        for ind in current:
            if ind.name == key:
                return ind
        return None


# ---------------------------------------------------------------- observations


class Observation(_Model):
    """An actual value for an indicator (or declared series), region and year."""

    indicator: str = Field(description="Indicator id (T2-1) or declared series code (GDPg)")
    region: str
    year: int
    value: float | None = Field(None, description="Value in the indicator's unit; for a bound, the bound")
    bound: Bound | None = None
    text: str | None = Field(None, description="Qualitative value (a rank, a phrase)")
    unit: str | None = None
    kind: ObservationKind = ObservationKind.level
    source: str | None = None
    note: str | None = None
    vintage: str | None = Field(None, description="preliminary / final / a date; the latest counts")
    extra: dict[str, Any] = Field(default_factory=dict)


class TargetAdjustment(_Model):
    """A recorded change of a target between plan versions (规划动态调整)."""

    indicator: str = Field(description="Indicator id (T2-1)")
    indicator_name: str = ""
    no: str | None = None
    old_value: float | None = None
    new_value: float | None = None
    old_text: str = ""
    new_text: str = ""
    old_comparator: Comparator | None = None
    new_comparator: Comparator | None = None
    old_kind: TargetKind | None = None
    new_kind: TargetKind | None = None
    date: str = Field("", description="Date of the adjustment, YYYY-MM-DD")
    reason: str = ""
    document: str = Field("", description="The approving document")
    plan_key: str | None = None
    version: int | None = Field(None, description="Plan version that introduced the change")


# ---------------------------------------------------------------- evaluation


class Finding(_Model):
    """The judgement for one indicator × region × year × target."""

    indicator_id: str
    no: str | None
    indicator: str
    category: str | None = None
    attribute: Attribute | None = None
    unit: str | None = None
    region: str
    year: int
    kind: TargetKind
    target_text: str = ""
    status: Status
    actual: float | None = None
    actual_bound: Bound | None = None
    actual_year: int | None = None
    baseline: float | None = None
    expected: float | None = Field(None, description="Value on the planned path for this year")
    target: float | None = None
    completion: float | None = Field(None, description="Share of the base→target distance covered")
    time_elapsed: float | None = Field(None, description="Share of the plan period gone")
    gap: float | None = Field(None, description="Target minus actual, signed so positive = still to go")
    required_rate: float | None = Field(None, description="Annual rate (%) still required to hit the target")
    observed_rate: float | None = Field(None, description="Realised average annual rate (%) so far")
    projection: float | None = Field(None, description="Projected value at the target year")
    projection_year: int | None = Field(None, description="Year the target would be reached at the current pace")
    method: str = "elapsed_time"
    ratio: float | None = Field(None, description="Method's own ratio (Open SDG / UNSD)")
    category_code: str | None = Field(None, description="Method's own category (substantial_progress, …)")
    sources: list[str] = Field(default_factory=list)
    explanation: str = Field("", description="Why, in Chinese")
    line: int | None = Field(None, description="The indicator's line in the plan")
    stale: bool = Field(False, description="The data are older than the evaluation allows (stale_after_years)")
    base_year: int | None = Field(None, description="Base year of the target's planned path")
    target_year: int | None = Field(None, description="Year the target falls due")
    path: PathShape | None = Field(None, description="Shape of the planned path the judgement used")
    vintage: str | None = Field(None, description="Vintage of the figure the judgement rests on (初步数, 最终核实数 …)")
    warning_level: int | None = Field(
        None, description="Grade of the warning: 1 (一级, most serious) to 3 (三级); None without a warning")
    outlook: Outlook | None = Field(None, description="Trend judgement during the period; None when settled or unknown")
    rate_unit: str | None = Field(None, description="Unit of observed_rate and required_rate: % or units per year")
    rebased_baseline: float | None = Field(
        None, description="The base-year value as now observed, where it differs from the plan's (census rebasing)")
    rebased_completion: float | None = Field(None, description="Completion measured from the rebased base value")
    derived: bool = Field(False, description="The figure judged was summed from the regions below, not reported")
    location: str | None = Field(None, description="The indicator's place in the original file, when not plain text")

    # The status's label is not a field: its wording depends on the evaluation (已实现 at the period's end), and
    # presentation.FindingView is its one home. A national evaluation holds 10⁵–10⁶ findings, each a dict of
    # its fields: at most 42 of them fit the smaller of CPython's dict tables (half the memory).

    @property
    def warning(self) -> bool:
        """预警: the projection says the target will be missed (a warned finding has its grade, 1–3)."""
        return self.warning_level is not None


class Assessment(_Model):
    """All findings of one evaluation: a plan judged at one year by one method."""

    plan_title: str = ""
    region: str | None = Field(None, description="The plan's region")
    year: int
    method: str = "elapsed_time"
    period_start: int | None = None
    period_end: int | None = None
    base_year: int | None = None
    findings: list[Finding] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict, description="Settings used, name → value")

    @property
    def final(self) -> bool:
        """Whether the judgement is at (or after) the period's end: 已实现 / 未实现 wording."""
        return self.period_end is not None and self.year >= self.period_end

    def counts(self) -> dict[str, int]:
        """Number of findings per status code, in the order of :class:`Status`."""
        tally = {str(s): 0 for s in Status}
        for f in self.findings:
            tally[str(f.status)] += 1
        return tally

    def by_category(self) -> dict[str, list[Finding]]:
        """Findings grouped by indicator category (类别), in plan order; '其他' when unknown."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.category or "其他", []).append(f)
        return groups
