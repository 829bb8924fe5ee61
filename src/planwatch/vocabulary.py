"""The words and colours of planwatch: one home for every label a surface shows.

Status codes in data are stable English words (:class:`~planwatch.model.Status`); what a reader
sees — the Chinese label, its definition, its colour on a chart, its fill in a table — is looked up
here by the CLI, the reports (Word, HTML, Excel), the dashboard and the API alike. Before writing a
label anywhere else, add it here.
"""

from __future__ import annotations

from planwatch.model import Attribute, Bound, ObservationKind, Outlook, Status, TargetKind, TaskState

STATUS_LABELS: dict[Status, str] = {
    Status.exceeded: "超额完成",
    Status.achieved: "提前实现",
    Status.ahead: "快于预期",
    Status.on_track: "基本符合预期",
    Status.lagging: "滞后",
    Status.nearly_achieved: "基本完成",
    Status.not_achieved: "未实现",
    Status.likely_achieved: "预计完成",
    Status.likely_missed: "预计难以完成",
    Status.no_data: "无数据",
    Status.pending_target: "待下达",
    Status.not_assessable: "无法评估",
}

# 'achieved' during the period is 提前实现; judged at (or after) the period's end it is 已实现.
ACHIEVED_AT_END = "已实现"

STATUS_DEFINITIONS: dict[Status, str] = {
    Status.exceeded: "规划期末实际值明显优于规划目标值（完成进度不低于设定比例，如110%）",
    Status.achieved: "实际值已达到或优于规划目标值",
    Status.ahead: "完成进度明显快于规划期时间进度",
    Status.on_track: "完成进度与时间进度基本一致，按目前趋势可望如期实现目标",
    Status.lagging: "完成进度明显慢于时间进度，按目前趋势难以如期实现目标",
    Status.nearly_achieved: "规划期末预期性指标未达到目标值，但完成进度接近目标（不低于设定比例，如90%）",
    Status.not_achieved: "规划期末实际值未达到规划目标值",
    Status.likely_achieved: "期末数据尚未发布，按最新数据和目前趋势预计可以实现目标",
    Status.likely_missed: "期末数据尚未发布，按最新数据和目前趋势预计难以实现目标",
    Status.no_data: "截至评估年份尚无可用的实际数据",
    Status.pending_target: "目标值由上级下达，尚未下达具体数值",
    Status.not_assessable: "目标为定性表述或缺少基期值等必要信息，无法量化评估",
}

# One palette for charts, HTML, Excel and the dashboard: colour-blind-safe hues dark enough for
# white text, and light fills of the same hues for table cells where dark text must stay readable.
STATUS_COLOURS: dict[Status, str] = {
    Status.exceeded: "#0F6B2E",
    Status.achieved: "#1A7F37",
    Status.ahead: "#2E7D9A",
    Status.on_track: "#5B8C2A",
    Status.lagging: "#C2410C",
    Status.nearly_achieved: "#A16207",
    Status.not_achieved: "#B91C1C",
    Status.likely_achieved: "#3F8F5F",
    Status.likely_missed: "#D9480F",
    Status.no_data: "#6B7280",
    Status.pending_target: "#7C5CBF",
    Status.not_assessable: "#8A7A5C",
}
STATUS_FILLS: dict[Status, str] = {
    Status.exceeded: "B3E0C0",
    Status.achieved: "C6E9CF",
    Status.ahead: "CBE6EF",
    Status.on_track: "DDEBC9",
    Status.lagging: "F9D7C4",
    Status.nearly_achieved: "F5E6B8",
    Status.not_achieved: "F6CACA",
    Status.likely_achieved: "D3ECDC",
    Status.likely_missed: "FADBC8",
    Status.no_data: "E5E7EB",
    Status.pending_target: "E4DCF3",
    Status.not_assessable: "ECE7DC",
}
UNKNOWN_COLOUR = "#6B7280"
UNKNOWN_FILL = "FFFFFF"

# Statuses that summary tables always show (the others appear when present): during the period, and at
# its end, where progress statuses give way to 已实现 / 未实现 (and 预计… before the final data).
CORE_STATUSES: tuple[Status, ...] = (
    Status.achieved, Status.ahead, Status.on_track, Status.lagging, Status.no_data, Status.pending_target,
)
CORE_STATUSES_AT_END: tuple[Status, ...] = (
    Status.achieved, Status.not_achieved, Status.no_data, Status.pending_target,
)

# Warnings are graded as the reviews grade them: 一级 the most serious (see evaluate/warning.py for the rule).
WARNING_LEVEL_LABELS: dict[int, str] = {1: "一级预警", 2: "二级预警", 3: "三级预警"}
WARNING_WORD = "预警"

OUTLOOK_LABELS: dict[Outlook, str] = {Outlook.on_course: "可望实现", Outlook.at_risk: "可能难以实现"}

ATTRIBUTE_LABELS: dict[Attribute, str] = {Attribute.anticipatory: "预期性", Attribute.binding: "约束性"}

TARGET_KIND_LABELS: dict[TargetKind, str] = {
    TargetKind.level: "水平目标",
    TargetKind.annual_growth: "年均增长目标",
    TargetKind.cumulative_change: "累计变化目标",
    TargetKind.comparative: "比较性目标",
    TargetKind.assigned: "上级下达目标",
    TargetKind.maintain: "保持类目标",
    TargetKind.text: "定性目标",
}

OBSERVATION_KIND_LABELS: dict[ObservationKind, str] = {
    ObservationKind.level: "水平值",
    ObservationKind.annual_growth: "年增长率",
    ObservationKind.cumulative: "累计变化",
    ObservationKind.text: "定性",
}

# A bound in running text (超过129万人) and in a table cell (>129).
BOUND_WORDS: dict[Bound, str] = {Bound.above: "超过", Bound.below: "低于"}
BOUND_SIGNS: dict[Bound, str] = {Bound.above: ">", Bound.below: "<"}

# Progress states of tasks (进展状态), as the supervision tables offices keep write them.
TASK_STATE_LABELS: dict[TaskState, str] = {
    TaskState.not_started: "未启动",
    TaskState.on_schedule: "按计划推进",
    TaskState.behind: "滞后",
    TaskState.done: "已完成",
}
# A task with no update yet.
TASK_NOT_REPORTED = "未填报"
# The group of tasks read from the prose rather than a box.
TASK_PROSE_GROUP = "正文任务"


def task_state_label(state: TaskState | str | None) -> str:
    """未启动 / 按计划推进 / 滞后 / 已完成, or 未填报 when there is no update."""
    return TASK_STATE_LABELS[TaskState(state)] if state else TASK_NOT_REPORTED


UNCATEGORISED = "其他"
MISSING = "—"


def is_final(year: int, period_end: int | None) -> bool:
    """Whether a judgement at ``year`` is a judgement at the period's end (已实现 / 未实现 wording)."""
    return period_end is not None and year >= period_end


def status_label(status: Status | str, *, final: bool = False) -> str:
    """Chinese display label of a status code; at a period's end 'achieved' reads 已实现."""
    code = Status(status)
    if final and code == Status.achieved:
        return ACHIEVED_AT_END
    return STATUS_LABELS[code]


def definition_label(status: Status) -> str:
    """Label of a status in a definitions table, with both forms of 'achieved'."""
    if status == Status.achieved:
        return f"{STATUS_LABELS[status]} / {ACHIEVED_AT_END}"
    return STATUS_LABELS[status]


def status_colour(status: Status | str) -> str:
    """Chart colour of a status ('#RRGGBB')."""
    return STATUS_COLOURS.get(Status(status), UNKNOWN_COLOUR)


def status_fill(status: Status | str) -> str:
    """Table-cell fill of a status ('RRGGBB', no '#')."""
    return STATUS_FILLS.get(Status(status), UNKNOWN_FILL)


def attribute_label(attribute: Attribute | str | None) -> str:
    """预期性 / 约束性, or '' when the table does not say."""
    return ATTRIBUTE_LABELS[Attribute(attribute)] if attribute else ""


def warning_label(warned: bool, level: int | None) -> str:
    """二级预警, 预警 when the grade is unknown, '' without a warning."""
    if not warned:
        return ""
    return WARNING_LEVEL_LABELS.get(level or 0, WARNING_WORD)


def outlook_label(outlook: Outlook | str | None) -> str:
    """可望实现 / 可能难以实现, '' when there is no trend judgement."""
    return OUTLOOK_LABELS[Outlook(outlook)] if outlook else ""


def place_in_plan(line: int | None, location: str | None = None) -> str:
    """Where a reader finds an item in the plan: the reader's location (p.9 表2 第14行) or 第458行."""
    if location:
        return location
    return f"第{line}行" if line else ""


def stale_note(data_year: int | None) -> str:
    """What a finding on old data says after its status: （按2021年数据）."""
    return f"（按{data_year}年数据）" if data_year else ""
