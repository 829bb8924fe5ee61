"""The words and colours of planwatch: one home for every label a surface shows.

Status codes in data are stable English words (:class:`~planwatch.model.Status`); what a reader
sees — the Chinese label, its definition, its colour on a chart, its fill in a table — is looked up
here by the CLI, the reports (Word, HTML, Excel), the dashboard and the API alike. Before writing a
label anywhere else, add it here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import cn2an

from planwatch.model import (
    Attribute,
    Bound,
    Comparator,
    Milestone,
    ObservationKind,
    Outlook,
    RoundState,
    Status,
    SubmissionState,
    TargetKind,
    TaskState,
    WorkKind,
)

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

# How a target value is compared, as a reviewer picks it in a form (plan review, target adjustment).
COMPARATOR_LABELS: dict[Comparator, str] = {
    Comparator.at_least: "以上（不低于）",
    Comparator.at_most: "以下（不高于）",
    Comparator.about: "左右",
    Comparator.between: "区间",
    Comparator.exactly: "等于",
}
# The word written after a target value (9000以上, 27以下, 75左右); none for a range or an exact value.
COMPARATOR_WORDS: dict[Comparator, str] = {Comparator.at_least: "以上", Comparator.at_most: "以下",
                                           Comparator.about: "左右"}
# Kinds of outline nodes of a plan (ingest/outline.py), as the plan text page names them.
OUTLINE_KIND_LABELS: dict[str, str] = {"chapter": "章", "section": "节", "item": "条", "box": "专栏", "table": "表格"}

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


# States of a reported figure in a data round, and of the round.
SUBMISSION_STATE_LABELS: dict[SubmissionState, str] = {
    SubmissionState.draft: "草稿",
    SubmissionState.submitted: "已报送",
    SubmissionState.returned: "已退回",
    SubmissionState.approved: "已通过",
    SubmissionState.withdrawn: "已撤回",
}
# A figure of a round nobody has entered yet.
SUBMISSION_DUE = "待填报"
ROUND_STATE_LABELS: dict[RoundState, str] = {RoundState.open: "填报中", RoundState.closed: "已结束"}

# States of a report built in the browser (web/reports.py), and the formats it is written in.
REPORT_JOB_STATE_LABELS: dict[str, str] = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}
REPORT_FORMAT_LABELS: dict[str, str] = {"docx": "Word 文档", "html": "网页（HTML）", "xlsx": "Excel 表格"}


def submission_state_label(state: SubmissionState | str | None) -> str:
    """草稿 / 已报送 / 已退回 / 已通过 / 已撤回, or 待填报 for a figure not entered yet."""
    return SUBMISSION_STATE_LABELS[SubmissionState(state)] if state else SUBMISSION_DUE


# What a unit's work report (工作填报, store/work_reports.py) is about; its states are the submission states above.
WORK_KIND_LABELS: dict[WorkKind, str] = {WorkKind.task: "任务进展", WorkKind.project: "项目年度进展"}


# What an audit entry records (its stable action code), as the audit page and its exports name it.
AUDIT_ACTION_LABELS: dict[str, str] = {
    "user.add": "新增账号",
    "user.disable": "停用账号",
    "user.password": "修改密码",
    "responsibility": "指标分工",
    "target.adjust": "调整目标",
    "plan.load": "载入（发布）规划版本",
    "setting": "修改设置",
    "round.open": "开启填报轮次",
    "round.close": "结束填报轮次",
    "submission.save": "保存草稿",
    "submission.submit": "报送数据",
    "submission.approve": "审核通过",
    "submission.return": "退回数据",
    "submission.withdraw": "撤回数据",
    "task.assign": "任务分工",
    "work_report.save": "保存进展草稿",
    "work_report.submit": "报送进展",
    "work_report.approve": "审核通过进展",
    "work_report.return": "退回进展",
    "work_report.withdraw": "撤回进展",
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "token": "获取 API 令牌",
    "import": "导入数据",
    "category_section.confirmed": "确认指标类别对应的工作章节",
    "category_section.rejected": "否定指标类别对应的工作章节",
}
# The fields an audit entry's before/after values carry, as a reader sees them; "user.unit" is the
# field "unit" of an account's entries (its responsible unit, not a unit of measure).
AUDIT_FIELD_LABELS: dict[str, str] = {
    "name": "用户名", "role": "角色", "unit": "单位", "user.unit": "责任单位", "region": "地区", "disabled": "已停用",
    "created_at": "创建时间", "lead_unit": "牵头单位", "co_units": "配合单位", "state": "状态", "value": "数值",
    "source": "来源", "note": "说明", "comment": "意见", "version": "版本", "address": "来访地址",
    "via": "方式", "title": "名称", "year": "年份", "due": "截止日期", "regions": "地区",
    "text": "原文", "reason": "原因", "document": "依据文件", "id": "编号", "plan_key": "规划",
    "opened_by": "开启人", "opened_at": "开启时间", "closed_at": "结束时间",
    "planned_completion": "计划完成时间", "progress": "进展情况", "as_of": "截至日期", "content": "填报内容",
    "verdict": "决定",
}


def audit_action_label(action: str) -> str:
    """The Chinese name of an audit action code (the code itself for one not listed)."""
    return AUDIT_ACTION_LABELS.get(action, action)


# Moments (a submission's steps, an audit entry) are stored in UTC and shown in Beijing time,
# which has no daylight saving: a fixed offset needs no time-zone database.
BEIJING_TIME = timezone(timedelta(hours=8), "北京时间")


def fmt_moment(moment: datetime | None, *, seconds: bool = False) -> str:
    """'2025-03-31 17:05' in Beijing time (a naive moment is taken as UTC, as SQLite returns it); '—' for none."""
    if moment is None:
        return MISSING
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING_TIME).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


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


# Projects (重大项目): milestones, the words of the tracking status (the states are the task states,
# TASK_STATE_LABELS, judged by the rule in evaluate/projects.py), and the groups of the roll-ups.
MILESTONE_LABELS: dict[Milestone, str] = {
    Milestone.approved: "立项",
    Milestone.started: "开工",
    Milestone.completed: "完工",
    Milestone.in_service: "投用",
}
PROJECT_NOT_IN_PLAN = "规划未列名"  # a project a sheet adds (the 551 list), not named in the plan's text
PROJECT_LATE = "逾期"  # a milestone later than planned by more than the margin
PROJECT_STALLED = "停滞"  # no movement: see evaluate/projects.py
NO_GROUP = "未注明"  # a roll-up group the sheet leaves blank (no unit, no region)


def milestone_label(milestone: Milestone | str) -> str:
    """立项 / 开工 / 完工 / 投用."""
    return MILESTONE_LABELS[Milestone(milestone)]


# Series across plans (planwatch/series_match.py): why two plans' indicators were taken as one series.
SERIES_MATCH_LABELS: dict[str, str] = {
    "same_name": "名称、单位相同",
    "normalised": "名称规范化后相同（全角半角、空格、标记）",
    "synonym": "同义名称",
    "confirmed": "人工确认",  # planwatch series confirm: a person's decision, whatever the names say
}

# A person's decision on two plans' indicators (planwatch series confirm / split; store/series_matches.py).
SERIES_DECISION_LABELS: dict[str, str] = {
    "confirmed": "确认为同一序列",
    "split": "确认不是同一序列",
}

# A person's decision on an indicator category and a heading of the plan's work (store/category_sections.py);
# a proposal no one has decided on is 待确认.
CATEGORY_SECTION_LABELS: dict[str, str] = {"confirmed": "已确认", "rejected": "已否定"}
CATEGORY_SECTION_PENDING = "待确认"


SERIES_UNITS_CONVERTED = "单位换算"


def series_match_label(reason: str, synonyms: tuple[str, ...] | list[str] = (),
                       units: tuple[str, str] | None = None) -> str:
    """名称、单位相同 / 同义名称（研究与试验发展经费→研发经费） / 名称相同（单位换算：万元→亿元）."""
    label = SERIES_MATCH_LABELS[reason]
    notes = list(synonyms) + ([f"{SERIES_UNITS_CONVERTED}：{units[0]}→{units[1]}"] if units else [])
    if units and reason == "same_name":
        label = "名称相同"
    return f"{label}（{'；'.join(notes)}）" if notes else label


# Plan families (evaluate/families.py): a region's five-year plans in order, the first one's predecessor read
# from its 表1; where a member comes from, what its judgement rests on, and the mark of a value not at the target year.
FAMILY_SOURCE_LABELS: dict[str, str] = {"stored": "已载入规划", "table1": "据下一规划表1"}
FAMILY_BASIS_LABELS: dict[str, str] = {"final": "期末评估", "previous": "表1完成情况", "progress": "进度评估"}
LATEST_MARK = "最新"
FAMILY_NOT_LISTED = "未列此指标"


def plan_label(number: int | None) -> str:
    """The short name of the Nth five-year plan (14 → 十四五); '' when the number is unknown."""
    return f"{cn2an.an2cn(number)}五" if number else ""


# The county-vs-city check (evaluate/counties_vs_city.py).
COUNTY_TOTAL_SHORT = "县级目标合计低于全市目标"
COUNTY_TOTAL_COVERS = "县级目标合计不低于全市目标"
COUNTY_TOTAL_OVER = "县级目标合计高于全市上限"
COUNTY_TOTAL_WITHIN = "县级目标合计不高于全市上限"
COUNTY_RATE_BELOW = "低于全市目标"  # a county's target weaker than the city's, on a higher-is-better indicator
COUNTY_RATE_ABOVE = "高于全市目标"  # …on a lower-is-better one (PM2.5 浓度, 失业率)
COUNTY_LACKS = "县级规划缺少此指标"
COUNTY_NONE_WEAKER = "各县目标均不弱于全市目标"
COUNTY_SUM_PARTIAL = "合计不含未载入规划的{n}个县（市、区）"
COUNTY_NO_PLAN = "未载入规划"
COUNTY_CITY_NO_VALUE = "全市目标无数值，未比较"


# A plan's administrative level (PlanMeta.level, read from its region's suffix by ingest/meta.py).
PLAN_LEVEL_LABELS: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级"}


def plan_level_label(level: str | None) -> str:
    """The Chinese label of a plan's level (the code itself when unknown; “—” when none)."""
    return PLAN_LEVEL_LABELS.get(level, level) if level else MISSING


def plan_period_label(start: int | None, end: int | None) -> str:
    """A plan period as lists show it: 2021—2025年 (“—” when the plan names none)."""
    return f"{start}—{end}年" if start and end else MISSING


def plan_short_title(region: str | None, start: int | None, end: int | None, number: int | None = None) -> str:
    """A plan named briefly, where the full title is too long (the page header's plan switcher):
    嘉兴市 十四五 2021—2025年 (嘉兴市 2021—2025年 when the plan's number is unknown)."""
    period = plan_period_label(start, end)
    name = f"{region or '规划'} {plan_label(number)}".rstrip()
    return name if period == MISSING else f"{name} {period}"
