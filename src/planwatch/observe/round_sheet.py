"""The pre-filled sheet of a data round: one unit's figures to enter, written and read back.

The sheet lists exactly the figures a unit reports in a round (indicator × region), with what it
needs beside each (unit, last year's value, the target) and the columns it fills in (数值 / 来源 /
说明 / 确认). Every text is written as a string cell (:mod:`planwatch.inert_cells`), so a source
such as ``=HYPERLINK(…)`` never becomes a live formula. Reading it back goes through the hardened
table reader of ``planwatch import`` (:func:`planwatch.observe.tables.read_table`: size, zip-bomb
and formula checks), and each row becomes a :class:`FigureInput` carrying its row number, checked
afterwards by :mod:`planwatch.observe.submissions` exactly as a typed or posted figure is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planwatch.errors import DataImportError
from planwatch.inert_cells import inert
from planwatch.store.rounds import Submission

from .export import figure_text
from .limits import DEFAULT_LIMITS, ReadLimits
from .submissions import FigureInput, FigureProblem
from .tables import read_table

# (header, column width); the last four are the ones a unit fills in.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("指标编号", 10), ("序号", 6), ("指标名称", 30), ("地区", 10), ("年份", 8), ("单位", 8), ("上年数值", 12),
    ("目标", 18), ("数值", 12), ("来源", 40), ("说明", 40), ("确认", 8))
HEADERS = tuple(name for name, _ in COLUMNS)
EDITABLE = ("数值", "来源", "说明", "确认")
REQUIRED = ("指标编号", "地区", "数值")
# What a person writes in 确认 to confirm a value the plausibility checks question.
CONFIRM_WORDS = frozenset({"是", "确认", "已确认", "√", "✓", "✔", "y", "yes", "true", "1", "x"})
SHEET_TITLE = "数据填报"


@dataclass(frozen=True)
class SheetRow:
    """One figure of the sheet: what the unit is shown, and what it entered so far."""

    indicator: str
    no: str
    name: str
    region: str
    year: int
    unit: str
    last_year: str
    target: str
    value: str = ""
    source: str = ""
    note: str = ""


def value_text(value: float | None) -> str:
    """A stored value as it is pre-filled in a form or sheet: exact enough to read back unchanged."""
    return "" if value is None else figure_text(value)


def write_sheet(rows: Sequence[SheetRow], *, title: str) -> bytes:
    """The sheet as XLSX bytes: header frozen, the columns to fill in unlocked and shaded, the rest locked.

    The bytes depend on the rows only except for the zip's entry times and the document dates; a
    caller wanting byte-stable files fixes those (planwatch.report.archive.stable_ooxml)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None, "a new workbook has a sheet"
    ws.title = SHEET_TITLE
    editable_fill = PatternFill("solid", fgColor="FFF8DC")
    for c, (name, width) in enumerate(COLUMNS, start=1):
        cell = inert(ws.cell(row=1, column=c, value=name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=2):
        values: list[str | int] = [row.indicator, row.no, row.name, row.region, row.year, row.unit, row.last_year,
                                   row.target, row.value, row.source, row.note, ""]
        for c, value in enumerate(values, start=1):
            cell = inert(ws.cell(row=r, column=c, value=value))
            if HEADERS[c - 1] in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = editable_fill
    ws.freeze_panes = "A2"
    # Locked without a password: a guide against overtyping the informational columns, not a barrier.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_sheet(path: Path, *, year: int, limits: ReadLimits = DEFAULT_LIMITS) -> list[FigureInput]:
    """The figures of an uploaded sheet (rows whose 数值, 来源 and 说明 are all blank are skipped).

    A sheet that cannot be read, lacks a column, or has a row for another year is refused as a
    whole with every problem named by row."""
    table = read_table(path, limits=limits)
    problems: list[FigureProblem] = [
        FigureProblem(row=p.row, indicator="", field=p.column or "value", value=p.value, message=p.message)
        for p in table.problems]
    missing = [name for name in REQUIRED if name not in table.header]
    if missing:
        raise DataImportError(f"表格缺少列 {'、'.join(missing)}：请使用本页下载的填报表（表头为 {' / '.join(HEADERS)}）",
                              file=path.name)
    col = {name: table.header.index(name) for name in HEADERS if name in table.header}
    inputs: list[FigureInput] = []
    for n, cells in table.rows:
        row = {name: cells[i] if i < len(cells) else "" for name, i in col.items()}

        def cell(name: str, row: dict[str, str] = row) -> str:
            return row.get(name, "")

        if not (cell("数值") or cell("来源") or cell("说明")):
            continue
        indicator = cell("指标编号") or cell("指标名称")
        if cell("年份") and cell("年份") != str(year):
            problems.append(FigureProblem(row=n, indicator=indicator, region=cell("地区") or None, field="year",
                                          value=cell("年份"), message=f"应为 {year}（本轮填报的年份）"))
            continue
        confirm = cell("确认").strip().casefold()
        if confirm and confirm not in CONFIRM_WORDS:
            problems.append(FigureProblem(row=n, indicator=indicator, region=cell("地区") or None, field="确认",
                                          value=cell("确认"), message="应填“是”或留空"))
            continue
        inputs.append(FigureInput(indicator=indicator, region=cell("地区") or None, value=cell("数值"),
                                  unit=cell("单位") or None, source=cell("来源") or None, note=cell("说明") or None,
                                  confirmed=bool(confirm), row=n))
    if problems:
        raise DataImportError(f"表格有 {len(problems)} 处问题，未保存任何数据", file=path.name, problems=problems)
    if not inputs:
        raise DataImportError("表格中没有填写任何数值：请在“数值”列填写后再上传", file=path.name)
    return inputs


def unchanged(figure: FigureInput, current: Submission | None, *, submit: bool) -> bool:
    """Whether entering ``figure`` again would change nothing: same value, unit, source and note as the
    current submission, and (when submitting) already submitted or approved. Such rows are skipped, so
    re-sending a pre-filled form or sheet neither bumps versions nor sends an approved figure back
    (saving an unchanged figure as a draft changes nothing either)."""
    if current is None:
        return False
    same = ((figure.value or "").strip() == value_text(current.value)
            and (figure.unit or "").strip() == (current.unit or "")
            and (figure.source or "").strip() == (current.source or "")
            and (figure.note or "").strip() == (current.note or ""))
    return same and (not submit or str(current.state) in ("submitted", "approved"))
