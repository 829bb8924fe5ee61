"""Excel writer: summary, one sheet per category (status cells coloured), observations, adjustments.

Every cell is written through ``_put``: a text from the data (a source, a note, a name) is a string
cell, never a formula (:mod:`planwatch.inert_cells`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planwatch.inert_cells import inert
from planwatch.vocabulary import status_fill

from .archive import stable_ooxml
from .context import CountTable, IndicatorRow, ReportContext
from .tracking import PROJECTS_TITLE

HEADER_FILL = PatternFill("solid", fgColor="DDE4EC")
THIN = Side(style="thin", color="9AA5B1")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

INDICATOR_HEADERS = (
    ("序号", 6), ("指标", 30), ("属性", 8), ("单位", 10), ("基期值", 10), ("目标", 12), ("目标值", 10),
    ("最新实际", 10), ("实际年份", 8), ("应达值", 10), ("完成度", 9), ("时间进度", 9), ("所需年均增速(%)", 11),
    ("期末推算值", 11), ("状态", 12), ("预警", 9), ("来源", 10), ("规划行号", 8), ("评估说明", 80),
)


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet title (≤31 chars, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "Sheet"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}_{n}", n + 1
    used.add(title)
    return title


def _put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """The cell at (row, column) holding ``value``; a text from the data stays text, never a formula."""
    return inert(ws.cell(row=row, column=column, value=value))


def _header(ws: Worksheet, row: int, headers: Sequence[tuple[str, int]]) -> None:
    for col, (text, width) in enumerate(headers, start=1):
        cell = _put(ws, row, col, text)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width


def _row(ws: Worksheet, row: int, values: Sequence) -> None:
    for col, value in enumerate(values, start=1):
        cell = _put(ws, row, col, value)
        cell.border = GRID
        if isinstance(value, str) and len(value) > 20:
            cell.alignment = WRAP


def _count_table(ws: Worksheet, start: int, table: CountTable) -> int:
    headers = [(table.heading, 16)] + [(label, 12) for label in table.labels] + [("合计", 8)]
    _header(ws, start, headers)
    r = start
    for name, counts, total in (*table.rows, table.total_row()):
        r += 1
        _row(ws, r, [name, *counts, total])
        for i, status in enumerate(table.statuses, start=2):
            if counts[i - 2]:
                ws.cell(row=r, column=i).fill = PatternFill("solid", fgColor=status_fill(status))
    return r + 2


def _summary_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    ws.title = "汇总"
    _put(ws, 1, 1, ctx.title).font = Font(bold=True, size=14)
    info: list[tuple[str, str | int | None]] = [
        ("地区", ctx.region), ("报告类型", ctx.kind_label), ("评估年份", ctx.year),
        ("规划期", f"{ctx.period_start}–{ctx.period_end}"), ("基期", ctx.base_year),
        ("数据截至", ctx.data_year or "暂无数据"), ("数据日期", ctx.generated_on.isoformat()),
        ("评估方法", ctx.method.label), ("生成", "planwatch 自动生成"),
    ]
    for i, (k, v) in enumerate(info, start=2):
        _put(ws, i, 1, k).font = BOLD
        _put(ws, i, 2, v)
    r = len(info) + 3
    _put(ws, r, 1, ctx.summary_text).alignment = WRAP
    for note in ctx.notes:
        r += 1
        _put(ws, r, 1, note).alignment = WRAP
    r += 2
    _header(ws, r, [("状态", 16), ("指标数", 12)])
    for status, label, n in ctx.status_counts:
        r += 1
        _row(ws, r, [label, n])
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=status_fill(status))
    r += 1
    _row(ws, r, ["合计", ctx.total])
    r = _count_table(ws, r + 2, ctx.by_category)
    _count_table(ws, r, ctx.by_attribute)


def _indicator_values(row: IndicatorRow) -> list:
    f = row.finding
    return [
        f.no or "", f.indicator, row.attribute_label, f.unit or "", f.baseline, f.target_text, f.target,
        f.actual, f.actual_year, f.expected, f.completion, f.time_elapsed, f.required_rate, f.projection,
        row.cells["status"], row.cells["warning"], "".join(f"[{n}]" for n in row.source_numbers),
        f.line, row.paragraph,
    ]


def _category_sheet(ws: Worksheet, name: str, rows: Sequence[IndicatorRow]) -> None:
    _header(ws, 1, INDICATOR_HEADERS)
    ws.freeze_panes = "C2"
    for r, row in enumerate(rows, start=2):
        _row(ws, r, _indicator_values(row))
        for col in (11, 12):
            ws.cell(row=r, column=col).number_format = "0.0%"
        status = ws.cell(row=r, column=15)
        status.fill = PatternFill("solid", fgColor=status_fill(row.status))
        status.font = BOLD


def _table_sheet(ws: Worksheet, headers: Sequence[tuple[str, int]], rows: Sequence[Sequence]) -> None:
    _header(ws, 1, headers)
    ws.freeze_panes = "A2"
    for r, values in enumerate(rows, start=2):
        _row(ws, r, values)


# Widths of the long-text columns of the tracking tables; the others fit their header.
WIDE_COLUMNS = {"项目": 36, "任务": 50, "原因": 60, "进展情况": 50, "情况": 16, "专栏": 10, "牵头单位": 18, "地区": 10}


def build_workbook(ctx: ReportContext) -> Workbook:
    """The workbook of a report."""
    wb = Workbook()
    used = {"汇总"}
    ws = wb.active
    assert isinstance(ws, Worksheet), "a new workbook starts with one worksheet"
    _summary_sheet(ws, ctx)
    for section in ctx.sections:
        _category_sheet(wb.create_sheet(_sheet_title(section.name, used)), section.name, section.rows)
    _table_sheet(
        wb.create_sheet(_sheet_title("观测数据", used)),
        [("指标编号", 10), ("指标", 28), ("年份", 7), ("数值", 10), ("单位", 8), ("类型", 9), ("版本", 14),
         ("采用", 6), ("来源编号", 8), ("来源", 40), ("原文", 40), ("备注", 40)],
        [(o.indicator_id, o.indicator_name, o.year, o.value_text, o.unit, o.kind_label, o.vintage,
          "是" if o.used else "否", o.source_number, o.source, o.quote, o.note) for o in ctx.observations],
    )
    _table_sheet(
        wb.create_sheet(_sheet_title("目标调整", used)),
        [("指标编号", 10), ("指标", 28), ("原目标", 12), ("调整后目标", 12), ("日期", 12), ("理由", 40), ("依据文件", 30)],
        [(a.indicator_id, a.indicator_name, a.old, a.new, a.date, a.reason, a.document) for a in ctx.adjustments]
        or [("", "规划目标未作调整", "", "", "", "", "")],
    )
    _table_sheet(wb.create_sheet(_sheet_title("数据来源", used)), [("编号", 8), ("来源", 90)],
                 [(s.number, s.source) for s in ctx.sources])
    if ctx.final:
        _final_sheets(wb, ctx, used)
    for tracked in ctx.tracking:
        prefix = "项目" if tracked.title == PROJECTS_TITLE else "任务"
        for table in tracked.tables:
            name = table.caption if table.caption.startswith(prefix) or prefix in table.caption else f"{prefix}{table.caption}"
            _table_sheet(wb.create_sheet(_sheet_title(name, used)),
                         [(h, WIDE_COLUMNS.get(h, max(8, 2 * len(h) + 2))) for h in table.headers], table.rows)
    _table_sheet(
        wb.create_sheet(_sheet_title("评估方法", used)),
        [("项目", 20), ("说明", 50), ("取值", 30)],
        [("评估方法", ctx.method.label, ctx.method.code)]
        + [(k, label, v) for k, label, v in ctx.method.settings]
        + [(label, definition, code) for code, label, definition in ctx.method.definitions],
    )
    return wb


def _final_sheets(wb: Workbook, ctx: ReportContext, used: set[str]) -> None:
    _table_sheet(
        wb.create_sheet(_sheet_title("其他目标", used)),
        [("目标", 28), ("目标值", 14), ("年份", 7), ("章节", 20), ("行号", 7), ("原文", 50), ("完成情况", 40)],
        [(t.subject, t.target_text, t.year, t.section, t.line, t.quote, t.evidence) for t in ctx.prose_targets],
    )
    _table_sheet(
        wb.create_sheet(_sheet_title("重大项目", used)),
        [("项目", 36), ("规模", 24), ("章节", 16), ("行号", 7), ("进展", 40)],
        [(p.name, p.figures, p.section, p.line, p.evidence) for p in ctx.projects],
    )
    if ctx.previous:
        _table_sheet(
            wb.create_sheet(_sheet_title("上期完成情况", used)),
            [("序号", 6), ("指标", 30), ("单位", 10), ("基期值", 10), ("目标值", 10), ("完成情况", 12),
             ("评估", 10), ("行号", 7)],
            [(r.no, r.name, r.unit, r.baseline, r.target, r.outcome, r.status_label, r.line) for r in ctx.previous],
        )


def fixed_time(ctx: ReportContext) -> datetime:
    """The document timestamp: the data date, never the clock."""
    d = ctx.generated_on
    return datetime(d.year, d.month, d.day)


def write_xlsx(ctx: ReportContext, path: Path) -> Path:
    """Write the Excel report to ``path``, byte-identical for identical inputs."""
    wb = build_workbook(ctx)
    when = fixed_time(ctx)
    wb.properties.creator = "planwatch"
    wb.properties.title = ctx.title
    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(stable_ooxml(buf.getvalue(), when))
    return path
