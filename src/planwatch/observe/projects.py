"""A project tracking sheet (重大项目进展表) matched to a plan's projects.

One row per project and year::

    项目编号 / 项目名称 / 规划内 / 牵头单位 / 所在地区 / 总投资（亿元） / 年度 / 年度计划投资（亿元） /
    年度完成投资（亿元） / 计划立项 / 实际立项 / 计划开工 / 实际开工 / 计划完工 / 实际完工 / 计划投用 / 实际投用

Matching is pure (:func:`match_rows`). A row's 项目编号 names a plan project by key (``box3.1``) or by
box and number (``专栏3-1``, ``3-1``, ``3.1``); failing that its 项目名称 names the project whose name is
the same once whitespace and punctuation are set aside, or the one whose name contains it or is
contained in it. A row with 规划内 = 否 is a project the plan's text does not name (the ~500 projects of
the “551” list): it is kept under its name, flagged not-in-plan. No project → unmatched; several →
ambiguous, the candidates listed. Every problem names the file, the row, the column and what was
expected; a sheet with any problem is not written at all.

Money columns are 亿元 unless the header says （万元）; dates are YYYY-MM-DD (also 2023/6/30, 2023.6.30,
2023年6月30日); a month alone (2023-06, 2023年6月) is read as the month's last day.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

from planwatch.errors import DataImportError, InputError
from planwatch.model import MILESTONES, Milestone, Project, ProjectReport
from planwatch.vocabulary import MILESTONE_LABELS

from .cells import parse_date
from .tables import read_table
from .task_progress import BOX_NUMBER, normalise

NUMBER, NAME, IN_PLAN, LEAD, REGION, YEAR = "项目编号", "项目名称", "规划内", "牵头单位", "所在地区", "年度"
TOTAL, YEAR_PLANNED, YEAR_COMPLETED = "总投资", "年度计划投资", "年度完成投资"
MONEY_COLUMNS = (TOTAL, YEAR_PLANNED, YEAR_COMPLETED)
PLANNED, ACTUAL = "计划", "实际"
MILESTONE_COLUMNS: dict[str, tuple[Milestone, str]] = {
    f"{when}{label}": (m, when) for m, label in MILESTONE_LABELS.items() for when in (PLANNED, ACTUAL)
}
SHEET_COLUMNS = (NUMBER, NAME, IN_PLAN, LEAD, REGION, "总投资（亿元）", YEAR, "年度计划投资（亿元）",
                 "年度完成投资（亿元）", *MILESTONE_COLUMNS)
CANONICAL_COLUMNS = (NUMBER, NAME, IN_PLAN, LEAD, REGION, YEAR, *MONEY_COLUMNS, *MILESTONE_COLUMNS)
MONEY_HEADER = re.compile(r"^(?P<name>总投资|年度计划投资|年度完成投资)\s*(?:[（(]\s*(?P<unit>亿元|万元)\s*[)）])?$")
TO_YI_YUAN = {"亿元": 1.0, "万元": 0.0001}
YES, NO = ("是", "yes", "y", "true", "1", "规划内"), ("否", "no", "n", "false", "0", "规划外", "新增")
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass
class SheetIssue:
    """A problem of one row: where it is (file, row, column), what kind, and what was expected."""

    file: str
    row: int
    column: str | None
    kind: str  # unmatched / ambiguous / bad_value / missing / duplicate / in_plan / order
    message: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class ProjectMatch:
    """The reports a sheet yields and the rows that stop it from being written."""

    reports: list[ProjectReport] = field(default_factory=list)
    issues: list[SheetIssue] = field(default_factory=list)
    matched_by: dict[int, str] = field(default_factory=dict)  # row → key / number / name / added / known
    added: list[str] = field(default_factory=list)  # not-in-plan projects new to the store, by name


def by_number(projects: Sequence[Project], number: str) -> list[Project]:
    """The plan projects a 项目编号 names: by key (box3.1), by box and number (专栏3-1, 3.1), or by a bare
    number when only one box has projects."""
    number = unicodedata.normalize("NFKC", number).strip()
    if not number:
        return []
    exact = [p for p in projects if p.key == number]
    if exact:
        return exact
    m = BOX_NUMBER.fullmatch(number)
    if m:
        return [p for p in projects if p.section == f"box{m.group(1)}" and p.no == m.group(2)]
    if number.isdigit():
        return [p for p in projects if p.no == number]
    return []


def by_name(projects: Sequence[Project], name: str, keys: Sequence[tuple[Project, str]] | None = None) -> list[Project]:
    """The plan projects a 项目名称 may name: the equal ones, else those containing or contained in it
    (``keys``: the projects with their normalised names, when the caller holds them)."""
    key = normalise(name)
    if not key:
        return []
    keys = keys if keys is not None else [(p, normalise(p.name)) for p in projects]
    equal = [p for p, k in keys if k == key]
    if equal:
        return equal
    return [p for p, k in keys if k and (key in k or k in key)]


def parse_amount(cell: str) -> float | None:
    """A non-negative finite number (thousands separators allowed); None when it is not one."""
    text = unicodedata.normalize("NFKC", cell).strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_in_plan(cell: str) -> bool | None:
    """规划内: 是 → True, 否 → False, blank → True; None when the cell says neither."""
    text = unicodedata.normalize("NFKC", cell).strip().lower()
    if not text or text in YES:
        return True
    return False if text in NO else None


def columns_of(header: list[str]) -> tuple[dict[str, int], dict[str, float]]:
    """Column index by canonical name (总投资 for 总投资（万元）), and the factor to 亿元 of each money column."""
    index: dict[str, int] = {}
    factor: dict[str, float] = {}
    for i, raw in enumerate(header):
        name = unicodedata.normalize("NFKC", raw).strip()
        money = MONEY_HEADER.match(name.replace("(", "（").replace(")", "）")) or MONEY_HEADER.match(name)
        if money:
            index[money["name"]] = i
            factor[money["name"]] = TO_YI_YUAN[money["unit"] or "亿元"]
        else:
            index.setdefault(raw.strip(), i)
    return index, factor


def match_rows(projects: Sequence[Project], header: list[str], rows: Sequence[tuple[int, list[str]]], *,
               as_of: str, file: str = "", known_extra: Collection[str] = ()) -> ProjectMatch:
    """Match a tracking sheet's rows to the plan's projects (and to projects added before); list every problem."""
    col, factor = columns_of(header)
    result = ProjectMatch()
    seen: dict[tuple[str, int], int] = {}
    extra_by_key = {normalise(n): n for n in known_extra}
    names = [(p, normalise(p.name)) for p in projects]
    added: set[str] = set()  # result.added, looked up once per row: a list was quadratic in new projects
    # a sheet repeats the same dates and names on every row of a project: each is read once
    date_of, fold = cache(parse_date), cache(normalise)
    blank = dict.fromkeys(CANONICAL_COLUMNS, "")
    present = list(col.items())

    for n, cells in rows:
        issues: list[SheetIssue] = []
        # every cell of the row by canonical column name, once ("" where the sheet has no such column)
        cell = blank | {name: cells[i].strip() for name, i in present if i < len(cells)}

        def problem(column: str | None, kind: str, message: str, candidates: list[str] | None = None,
                    n: int = n, issues: list[SheetIssue] = issues) -> None:
            where = f"第 {n} 行" + (f"“{column}”列" if column else "")
            issues.append(SheetIssue(file, n, column, kind, f"{file} {where}：{message}", candidates or []))

        number, name = cell[NUMBER], cell[NAME]
        key, project_name, in_plan, how = _identify(projects, names, number, name, cell[IN_PLAN], extra_by_key,
                                                    problem, fold)

        year_cell = cell[YEAR]
        year = int(year_cell) if year_cell.isdigit() and FIRST_YEAR <= int(year_cell) <= LAST_YEAR else None
        if year is None:
            shown = f"“{year_cell}”无效" if year_cell else "为空"
            problem(YEAR, "bad_value" if year_cell else "missing",
                    f"年度{shown}，应为 {FIRST_YEAR}–{LAST_YEAR} 之间的四位年份，如 2023")

        amounts: dict[str, float | None] = {}
        for money in MONEY_COLUMNS:
            raw = cell[money]
            amounts[money] = None if not raw else parse_amount(raw)
            if raw and amounts[money] is None:
                unit = "万元" if factor.get(money) == TO_YI_YUAN["万元"] else "亿元"
                problem(money, "bad_value", f"“{raw}”不是有效金额，应为不小于 0 的数字（单位{unit}），如 12.5")
            elif amounts[money] is not None:
                amounts[money] = round(amounts[money] * factor.get(money, 1.0), 8)  # type: ignore[operator]

        planned: dict[Milestone, str] = {}
        actual: dict[Milestone, str] = {}
        for column, (milestone, when) in MILESTONE_COLUMNS.items():
            raw = cell[column]
            if not raw:
                continue
            parsed = date_of(raw)
            if parsed is None:
                problem(column, "bad_value", f"“{raw}”不是有效日期，应为 YYYY-MM-DD（如 2023-06-30）或年月（如 2023-06）")
                continue
            (planned if when == PLANNED else actual)[milestone] = parsed
            if when == ACTUAL and parsed > as_of:
                problem(column, "order", f"实际日期 {parsed} 晚于填报截至日期 {as_of}：尚未发生的节点应填在“{PLANNED}"
                                         f"{MILESTONE_LABELS[milestone]}”列")
        check_order(planned, PLANNED, problem)
        check_order(actual, ACTUAL, problem)

        if key is not None and year is not None:
            if (key, year) in seen:
                problem(None, "duplicate", f"与第 {seen[key, year]} 行是同一项目（{project_name}）同一年度 {year}，"
                                           "每个项目每年应只有一行", [key])
            else:
                seen[key, year] = n
        result.issues.extend(issues)
        if issues or key is None or year is None or project_name is None:
            continue
        result.matched_by[n] = how
        if how == "added" and key not in added:
            added.add(key)
            result.added.append(key)
        result.reports.append(ProjectReport(
            project_key=key, name=project_name, in_plan=in_plan, year=year, lead_unit=cell[LEAD] or None,
            region=cell[REGION] or None, total_investment_yi_yuan=amounts[TOTAL],
            planned_investment_yi_yuan=amounts[YEAR_PLANNED], completed_investment_yi_yuan=amounts[YEAR_COMPLETED],
            planned=planned, actual=actual, as_of=as_of, row=n))
    return result


def _identify(projects: Sequence[Project], names: Sequence[tuple[Project, str]], number: str, name: str,
              in_plan_cell: str, extra_by_key: dict[str, str], problem,
              fold: Callable[[str], str]) -> tuple[str | None, str | None, bool, str]:
    """(key, name, in plan, how matched) of a row, or key None after reporting why."""
    in_plan = parse_in_plan(in_plan_cell)
    if in_plan is None:
        problem(IN_PLAN, "bad_value", f"“{in_plan_cell}”无效，应为“是”（规划列名的项目，可留空）或“否”（规划未列名的项目）")
        return None, None, True, ""
    if not in_plan:
        if not name:
            problem(NAME, "missing", "规划未列名的项目须填写项目名称")
            return None, None, False, ""
        folded = fold(name)
        named = [p for p, k in names if k == folded] or by_number(projects, number)
        if named:
            problem(IN_PLAN, "in_plan", f"“{name}”是规划列名的项目 {named[0].key}，“{IN_PLAN}”列应为“是”或留空",
                    [p.key for p in named])
            return None, None, False, ""
        known = extra_by_key.get(folded)
        return (known, known, False, "known") if known else (name, name, False, "added")
    found = by_number(projects, number)
    how = "key" if len(found) == 1 and found[0].key == number.strip() else "number"
    if not found:
        found, how = by_name(projects, name, names), "name"
    if len(found) == 1:
        return found[0].key, found[0].name, True, how
    if found:
        keys = [p.key for p in found]
        column = NAME if how == "name" else NUMBER
        shown = name if how == "name" else number
        problem(column, "ambiguous", f"“{shown}”对应多个规划项目（{'、'.join(keys)}），应在项目编号列写明编号，"
                                     f"如 {keys[0]}", keys)
        return None, None, True, ""
    known = extra_by_key.get(fold(name)) if name else None
    if known and not number:
        return known, known, False, "known"
    if not number and not name:
        problem(None, "missing", "项目编号和项目名称均为空，应至少填写一项")
    else:
        what = "、".join(f"{label}“{value}”" for label, value in ((NUMBER, number), (NAME, name)) if value)
        problem(NAME if name else NUMBER, "unmatched",
                f"找不到对应的规划项目（{what}），应为规划专栏中的项目编号（如 box3.1、专栏3-1）或项目名称；"
                f"规划未列名的项目请在“{IN_PLAN}”列填“否”")
    return None, None, True, ""


def check_order(dates: dict[Milestone, str], when: str, problem) -> None:
    """Milestones in order: 立项 ≤ 开工 ≤ 完工 ≤ 投用 among the dates given."""
    given = [(m, dates[m]) for m in MILESTONES if m in dates]
    for (a, da), (b, db) in pairwise(given):
        if db < da:
            problem(f"{when}{MILESTONE_LABELS[b]}", "order",
                    f"{when}{MILESTONE_LABELS[b]} {db} 早于{when}{MILESTONE_LABELS[a]} {da}，应不早于它")


def projects_from_sheet(path: Path, projects: Sequence[Project], *, as_of: str, sheet: str | None = None,
                        known_extra: Collection[str] = ()) -> ProjectMatch:
    """Read a project tracking sheet (CSV or XLSX) through the safe table reader and match its rows."""
    table = read_table(path, sheet=sheet)
    if table.problems:
        raise DataImportError(f"项目进展表有 {len(table.problems)} 处问题，未写入任何内容：" + "；".join(
            f"第 {p.row} 行：{p.message}" for p in table.problems), file=str(path), problems=table.problems)
    col, _ = columns_of(table.header)
    if YEAR not in col or (NUMBER not in col and NAME not in col):
        raise InputError(f"项目进展表缺少列：须有“{YEAR}”，以及“{NUMBER}”或“{NAME}”；可用的列为 "
                         f"{' / '.join(SHEET_COLUMNS)}", file=str(path), line=1)
    if not table.rows:
        raise InputError("项目进展表没有数据行", file=str(path))
    return match_rows(projects, table.header, table.rows, as_of=as_of, file=path.name, known_extra=known_extra)
