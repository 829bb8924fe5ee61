"""A supervision table (序号 / 主要工作任务 / 进展情况 / 牵头单位 / 进展状态, and optionally 配合单位 /
计划完成时间) matched to a plan's tasks.

Matching is pure: :func:`match_rows` takes the tasks and the table's rows and returns the updates
and every row it could not use. A row's 序号 names a task by its id (``box5.1``) or by box and
number (``专栏5-1``, ``5.1``, ``专栏12-一``); failing that, its 主要工作任务 names the task whose text is
the same once whitespace and punctuation are set aside, or the one task that contains it or is
contained in it. No task → unmatched; several → ambiguous, with the candidates listed. The state
must be one of 未启动 / 按计划推进 / 滞后 / 已完成 (or the English codes). Only confirmed tasks count.

A row that fills 配合单位 or 计划完成时间 (also headed 计划完成, 计划完成日期 or 完成时限) states the task's
assignment: its 牵头单位 (then required), 配合单位 (split on 、 or ,) and 计划完成时间 (a date as the project
sheets take it: 2025-12-31, 2025/12/31, 2025年12月31日, or a month, 2025-12 → its last day), replacing the
task's assignment when written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planwatch.errors import DataImportError, InputError
from planwatch.model import Task, TaskAssignment, TaskState, TaskUpdate
from planwatch.store import split_units
from planwatch.vocabulary import TASK_STATE_LABELS

from .cells import parse_date
from .tables import read_table

NUMBER, TEXT, PROGRESS, LEAD, STATE = "序号", "主要工作任务", "进展情况", "牵头单位", "进展状态"
CO, DUE = "配合单位", "计划完成时间"
SHEET_COLUMNS = (NUMBER, TEXT, PROGRESS, LEAD, STATE)
OPTIONAL_COLUMNS = (CO, DUE)
# Other headings supervision tables (督查台账) give the optional columns.
HEADER_ALIASES = {"计划完成": DUE, "计划完成日期": DUE, "完成时限": DUE}
ALLOWED_STATES = "、".join([*TASK_STATE_LABELS.values(), *(str(s) for s in TaskState)])
BOX_NUMBER = re.compile(r"(?:专栏)?\s*(\d+)\s*[-－—–.．、_]\s*([0-9]+|[一二三四五六七八九十]+)")

_STATES: dict[str, TaskState] = {label: state for state, label in TASK_STATE_LABELS.items()}
_STATES.update({str(s): s for s in TaskState})


@dataclass
class RowIssue:
    """A row that cannot be written: unmatched, ambiguous, a bad state, or a task named twice."""

    row: int
    kind: str  # unmatched / ambiguous / bad_state / duplicate / empty / bad_date / missing_lead
    message: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    """The updates a sheet yields and the rows that stop it from being written."""

    updates: list[TaskUpdate] = field(default_factory=list)
    assignments: list[TaskAssignment] = field(default_factory=list)  # rows filling 配合单位 or 计划完成时间
    issues: list[RowIssue] = field(default_factory=list)
    matched_by: dict[int, str] = field(default_factory=dict)  # row → id / number / text


def normalise(text: str) -> str:
    """Text without whitespace and punctuation, NFKC-folded (full-width → half-width)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] not in "PS")


def parse_state(cell: str) -> TaskState | None:
    """The state a cell names, or None."""
    return _STATES.get(cell.strip()) or _STATES.get(cell.strip().lower())


def by_number(tasks: Sequence[Task], number: str) -> Task | None:
    """The task a 序号 cell names by id (box5.1) or by box and number (专栏5-1, 5.1), if any."""
    number = unicodedata.normalize("NFKC", number).strip()
    if not number:
        return None
    for t in tasks:
        if t.id == number:
            return t
    m = BOX_NUMBER.fullmatch(number)
    if not m:
        return None
    box, no = f"专栏{m.group(1)}", m.group(2)
    for t in tasks:
        if t.box == box and (t.no == no or t.id == f"box{m.group(1)}.{no}"):
            return t
    return None


def by_text(tasks: Sequence[Task], text: str) -> list[Task]:
    """The tasks a 主要工作任务 cell may name: the equal ones, else those containing or contained in it."""
    key = normalise(text)
    if not key:
        return []
    keys = [(t, normalise(t.text)) for t in tasks]
    equal = [t for t, k in keys if k == key]
    if equal:
        return equal
    return [t for t, k in keys if k and (key in k or k in key)]


def match_rows(tasks: Sequence[Task], header: list[str], rows: Sequence[tuple[int, list[str]]], *,
               as_of: str) -> MatchResult:
    """Match a supervision table's rows to the (confirmed) tasks; every problem is listed, none guessed."""
    pool = [t for t in tasks if t.confirmed]
    col = columns_of(header)
    result = MatchResult()
    seen: dict[str, int] = {}

    def cell(cells: list[str], name: str) -> str:
        i = col.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for n, cells in rows:
        number, text, state_cell = cell(cells, NUMBER), cell(cells, TEXT), cell(cells, STATE)
        task: Task | None = by_number(pool, number)
        how = "id" if task is not None and task.id == number else "number"
        if task is None:
            found = by_text(pool, text)
            how = "text"
            if len(found) == 1:
                task = found[0]
            elif found:
                ids = [t.id for t in found]
                result.issues.append(RowIssue(n, "ambiguous", f"第 {n} 行：任务“{text}”对应多项任务（{'、'.join(ids)}），"
                                                              "请在序号列写明任务编号", ids))
            elif not number and not text:
                result.issues.append(RowIssue(n, "empty", f"第 {n} 行：序号和主要工作任务均为空"))
            else:
                what = "、".join(f"{label} {value}" for label, value in ((NUMBER, number), (TEXT, text)) if value)
                result.issues.append(RowIssue(n, "unmatched", f"第 {n} 行：找不到对应的任务（{what}）"))
        state = parse_state(state_cell)
        if state is None:
            shown = f"“{state_cell}”" if state_cell else "为空"
            result.issues.append(RowIssue(n, "bad_state", f"第 {n} 行：进展状态{shown}无效，应为 {ALLOWED_STATES} 之一"))
        assigned, refused = _assignment(n, task, cell(cells, LEAD), cell(cells, CO), cell(cells, DUE), result.issues)
        if task is None or state is None or refused:
            continue
        if task.id in seen:
            result.issues.append(RowIssue(n, "duplicate", f"第 {n} 行：与第 {seen[task.id]} 行对应同一任务 {task.id}",
                                          [task.id]))
            continue
        seen[task.id] = n
        result.matched_by[n] = how
        result.updates.append(TaskUpdate(task_id=task.id, state=state, progress=cell(cells, PROGRESS),
                                         lead_unit=cell(cells, LEAD) or None, as_of=as_of, row=n))
        if assigned is not None:
            result.assignments.append(assigned)
    return result


def columns_of(header: list[str]) -> dict[str, int]:
    """Column index by name, the optional columns' other headings read as theirs (the first of a name counts)."""
    col: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip()
        col.setdefault(HEADER_ALIASES.get(name, name), i)
    return col


def _assignment(n: int, task: Task | None, lead: str, co: str, due_cell: str,
                issues: list[RowIssue]) -> tuple[TaskAssignment | None, bool]:
    """The assignment a row states (None when it fills neither 配合单位 nor 计划完成时间), and whether it was
    refused (what is wrong then listed in ``issues``)."""
    if not co and not due_cell:
        return None, False
    due = parse_date(due_cell) if due_cell else None
    ok = True
    if due_cell and due is None:
        issues.append(RowIssue(n, "bad_date", f"第 {n} 行：{DUE}“{due_cell[:20]}”不是有效日期，应为 YYYY-MM-DD"
                                              "（如 2025-12-31）或年月（如 2025-12）"))
        ok = False
    if not lead:
        issues.append(RowIssue(n, "missing_lead", f"第 {n} 行：填写了{CO}或{DUE}，须同时填写{LEAD}"))
        ok = False
    if not ok or task is None:
        return None, not ok
    return TaskAssignment(task_id=task.id, lead_unit=lead, co_units=split_units(co), planned_completion=due, row=n), False


def progress_from_sheet(path: Path, tasks: Sequence[Task], *, as_of: str, sheet: str | None = None) -> MatchResult:
    """Read a supervision table (CSV or XLSX) through the safe table reader and match its rows."""
    table = read_table(path, sheet=sheet)
    if table.problems:
        raise DataImportError(f"进展表有 {len(table.problems)} 处问题，未写入任何进展：" + "；".join(
            f"第 {p.row} 行：{p.message}" for p in table.problems), file=str(path), problems=table.problems)
    if STATE not in table.header or (NUMBER not in table.header and TEXT not in table.header):
        raise InputError(f"进展表缺少列：表头应为 {' / '.join(SHEET_COLUMNS)}（须有进展状态，以及序号或主要工作任务；"
                         f"可另有 {' / '.join(OPTIONAL_COLUMNS)}）", file=str(path), line=1)
    if not table.rows:
        raise InputError("进展表没有数据行", file=str(path))
    return match_rows(tasks, table.header, table.rows, as_of=as_of)
