"""The tracking chapters of the mid-term and final reviews, as plain data: 重大项目建设情况 and
主要任务和重大改革推进情况, built from the project and task roll-ups (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from planwatch.evaluate.projects import GROUPING_LABELS, ProjectsOverview, RollupRow
from planwatch.evaluate.tasks import TaskRollupRow, TasksOverview
from planwatch.figures import fmt_number, fmt_share
from planwatch.model import Comparator, TaskState
from planwatch.vocabulary import (
    MILESTONE_LABELS,
    PROJECT_LATE,
    PROJECT_NOT_IN_PLAN,
    PROJECT_STALLED,
    TASK_NOT_REPORTED,
    TASK_STATE_LABELS,
)

from .contents import TrackingSection, TrackingTable

PROJECTS_TITLE = "重大项目建设情况"
TASKS_TITLE = "主要任务和重大改革推进情况"
STATE_ORDER = (str(TaskState.on_schedule), str(TaskState.behind), str(TaskState.not_started), str(TaskState.done), "")
STATE_HEADERS = tuple(TASK_STATE_LABELS[TaskState(s)] if s else TASK_NOT_REPORTED for s in STATE_ORDER)
PROJECT_HEADERS = ("项目", "牵头单位", "地区", "总投资", "年度计划", "年度完成", "完成率", "累计完成", "状态")
SETTLED_STATES = (TaskState.on_schedule, TaskState.done)  # 按计划推进, 已完成: no reason to explain
ATTENTION_CAPTION = "需关注项目及原因（滞后、未启动、未填报、节点逾期或停滞）"
COMPARATOR_WORDS = {Comparator.about: "左右", Comparator.at_least: "以上", Comparator.at_most: "以内"}


def _state_counts(counts: Mapping[str, int]) -> str:
    parts = [f"{label}{counts[s]}个" for s, label in zip(STATE_ORDER, STATE_HEADERS, strict=True) if counts.get(s)]
    return "，".join(parts) or "无"


def _rollup_table(caption: str, first: str, rows: Sequence[RollupRow], year: int | None) -> TrackingTable:
    headers = (first, "项目数", *STATE_HEADERS, PROJECT_LATE, PROJECT_STALLED, "计划投资", "完成投资", "完成率")
    body = tuple((r.group, str(r.count), *(str(r.states.get(s, 0)) for s in STATE_ORDER), str(r.late), str(r.stalled),
                  fmt_number(r.year_planned), fmt_number(r.year_completed), fmt_share(r.year_share)) for r in rows)
    return TrackingTable(caption + (f"（{year}年投资，亿元）" if year else ""), headers, body)


def _yi_yuan(value: float) -> str:
    """亿元, or 万亿元 from 10000 亿元 on (1万亿元 as the plan writes it)."""
    return f"{fmt_number(value / 10000)}万亿元" if value >= 10000 else f"{fmt_number(value)}亿元"


def projects_section(overview: ProjectsOverview) -> TrackingSection:
    """重大项目建设情况: the programme totals against the tracked projects, each project, roll-ups, late and stalled."""
    views = overview.views
    year, data_year = overview.year, overview.data_year
    paragraphs = []
    for p in overview.programmes:
        target = []
        if p.target_count is not None:
            word = COMPARATOR_WORDS.get(p.count_comparator, "") if p.count_comparator else ""
            target.append(f"实施{fmt_number(p.target_count)}个{word}重大项目")
        if p.target_investment is not None:
            target.append(f"累计带动投资{_yi_yuan(p.target_investment)}"
                          f"{COMPARATOR_WORDS.get(p.investment_comparator, '') if p.investment_comparator else ''}")
        span = f"{p.first_year}—{year}年" if p.first_year and p.first_year < year else f"{year}年"
        paragraphs.append(
            f"规划提出{p.title}（第{p.line}行），目标{'、'.join(target)}。截至{overview.as_of or year}，已填报进展的项目"
            f"{p.tracked}个（规划专栏列名{p.tracked_in_plan}个，{PROJECT_NOT_IN_PLAN}{p.tracked_not_in_plan}个），"
            f"为目标项目数的{fmt_share(p.count_share)}；{span}累计完成投资{fmt_number(p.cumulative_completed)}亿元，"
            f"为目标投资的{fmt_share(p.investment_share)}。")
    in_plan = sum(1 for v in views if v.in_plan)
    total = overview.total
    text = (f"规划专栏列名重大项目{in_plan}个，项目进展表另列{PROJECT_NOT_IN_PLAN}项目{len(views) - in_plan}个；"
            f"按项目状态，{_state_counts(total.states)}")
    if data_year is not None:
        text += (f"。{data_year}年计划投资{fmt_number(total.year_planned)}亿元，完成{fmt_number(total.year_completed)}亿元，"
                 f"完成率{fmt_share(total.year_share)}")
    text += f"；节点{PROJECT_LATE}{len(overview.late)}个，{PROJECT_STALLED}{len(overview.stalled)}个。"
    if not any(v.state for v in views):
        text = f"规划专栏列名重大项目{in_plan}个，尚未导入项目进展（planwatch projects import）。"
    paragraphs.append(text)
    s = overview.settings
    paragraphs.append(
        f"判断规则：年度完成投资低于年度计划投资（按截至日期的时间进度折算）的{fmt_share(s.investment_share)}，或立项、开工、"
        f"完工、投用节点晚于计划日期超过{s.milestone_margin_days}天，为“滞后”；已完工或投用为“已完成”；尚未开工且未完成投资为"
        f"“未启动”；其余为“按计划推进”。年度计划投资大于零而完成投资为零的，列为“{PROJECT_STALLED}”。")
    # The project table keeps to what a reader compares across projects, nine short columns that fit a
    # portrait page in rows of 1–3 lines. The reasons (a sentence each) are not a column: in a tenth column
    # on A4 they got 1.5 cm and made every row 8–10 lines, and for a project on schedule they only restate
    # the figures beside them. They go, with the late milestones and stalls, to the table right under it,
    # for the projects a mid-term reader has to follow up: any state other than 按计划推进 and 已完成
    # (滞后, 未启动, 未填报), or a late milestone, or stalled. A landscape section was the other way; it
    # would still give the sentence barely 4 cm and breaks the report's page flow for one table.
    project_rows = tuple(
        (v.name + ("" if v.in_plan else f"（{PROJECT_NOT_IN_PLAN}）"), v.lead_unit or "", v.region or "",
         fmt_number(v.total_investment), fmt_number(v.year_planned if v.data_year == data_year else None),
         fmt_number(v.year_completed if v.data_year == data_year else None),
         fmt_share(v.year_share if v.data_year == data_year else None), fmt_number(v.cumulative_completed),
         v.state_label)
        for v in views)
    caption = "重大项目进展（投资单位：亿元" + (f"；年度为{data_year}年）" if data_year else "）")
    tables = [TrackingTable(caption, PROJECT_HEADERS, project_rows)]
    flagged = [v for v in views if v.late or v.stalled or v.state not in SETTLED_STATES]
    tables.append(TrackingTable(ATTENTION_CAPTION, ("项目", "状态", "情况", "原因"), tuple(
        (v.name + ("" if v.in_plan else f"（{PROJECT_NOT_IN_PLAN}）"), v.state_label,
         "、".join([*(f"{MILESTONE_LABELS[m]}{PROJECT_LATE}" for m in v.late), *([PROJECT_STALLED] if v.stalled else [])]),
         v.reason_text) for v in flagged)))
    for grouping in ("box", "region", "unit"):
        tables.append(_rollup_table(f"按{GROUPING_LABELS[grouping]}汇总", GROUPING_LABELS[grouping],
                                    overview.rollups[grouping], data_year))
    return TrackingSection(PROJECTS_TITLE, tuple(paragraphs), tuple(tables))


def _task_rollup_table(caption: str, first: str, rows: Sequence[TaskRollupRow]) -> TrackingTable:
    headers = (first, "任务数", *STATE_HEADERS, PROJECT_STALLED)
    body = tuple((r.group, str(r.count), *(str(r.states.get(s, 0)) for s in STATE_ORDER), str(r.stalled))
                 for r in rows)
    return TrackingTable(caption, headers, body)


def _lead_phrase(text: str) -> str:
    """A task's text up to its first comma or full stop: 建设“一个中心”，即城市综合运营管理中心，… → 建设“一个中心”."""
    return re.split(r"[，。；：]", text, maxsplit=1)[0] or text


def _dated(progress: str, as_of: str | None) -> str:
    """The progress reported, with its date: 选址未定（2023-06-30）; the date alone if the report had no text."""
    if not as_of:
        return progress
    return f"{progress}（{as_of}）" if progress else as_of


def tasks_section(overview: TasksOverview, stalled_days: int) -> TrackingSection:
    """主要任务和重大改革推进情况: counts by state, by box and unit, then every task and the late and stalled ones."""
    views = overview.views
    total = overview.total
    boxes = len(overview.rollups["box"])
    overdue = [v for v in views if v.overdue_days is not None]
    past_due = f"，超过计划完成时间仍未完成{len(overdue)}项" if overdue else ""
    if any(v.state for v in views):
        text = (f"规划{boxes}个专栏列出主要任务和重大改革{len(views)}项，截至{overview.as_of}，"
                f"{_state_counts(total.states).replace('个', '项')}；其中{PROJECT_STALLED}{len(overview.stalled)}项"
                f"{past_due}。")
    else:
        text = f"规划{boxes}个专栏列出主要任务和重大改革{len(views)}项，尚未导入任务进展（planwatch tasks import）。"
    rule = (f"任务状态按牵头单位填报的最新进展；超过计划完成时间（任务分工）仍未完成的，为“滞后”；最新状态为“未启动”或"
            f"“滞后”，且{stalled_days}天以前的填报已是同一状态的，列为“{PROJECT_STALLED}”。任务进展表的任务取规划原文的首句，"
            f"全文见规划专栏；滞后和{PROJECT_STALLED}任务列全文。")
    paragraphs = [text, rule]
    # The planned completion is not a column of the task tables: a date column took its width from the task
    # and progress columns and made their rows a line taller in the Word report. The tasks past it are named here.
    if overdue:
        paragraphs.append("超过计划完成时间仍未完成的任务：" + "；".join(
            f"{v.box}第{v.task.no}项{_lead_phrase(v.task.text)}（{v.reasons[0]}）" for v in overdue) + "。")
    tables = [_task_rollup_table("按专栏汇总", "专栏", overview.rollups["box"]),
              _task_rollup_table("按牵头单位汇总", "牵头单位", overview.rollups["unit"])]
    # Six columns, not seven: the date of the latest report goes with the progress it dates (选址未定
    # （2023-06-30）) rather than in a column of its own, so the task text and the progress get the width.
    headers = ("专栏", "序号", "任务", "状态", "牵头单位", "进展情况")
    flagged = [v for v in views if v.late or v.stalled]
    if flagged:
        tables.append(TrackingTable(f"滞后和{PROJECT_STALLED}任务", headers, tuple(
            (v.box, v.task.no or "", v.task.text,
             v.state_label + (f"（{PROJECT_STALLED}，自{v.stalled_since}）" if v.stalled else ""),
             v.lead_unit or "", _dated(v.progress, v.as_of)) for v in flagged)))
    # Every task by its lead phrase (发展数字经济, not the 54 characters that follow it): the plan's box
    # and number lead to the full text, and with it the task column was 4–6 lines a row. The late and
    # stalled tasks above, the ones to follow up, keep the full text.
    tables.append(TrackingTable("任务进展", headers, tuple(
        (v.box, v.task.no or "", _lead_phrase(v.task.text), v.state_label, v.lead_unit or "",
         _dated(v.progress, v.as_of))
        for v in views)))
    return TrackingSection(TASKS_TITLE, tuple(paragraphs), tuple(tables))
