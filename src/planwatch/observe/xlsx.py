"""Reading one XLSX worksheet as rows of values with openpyxl read_only, after :mod:`.xlsx_guard` passed it.

The guard has bounded the archive, the rows, columns and cells; here each cell's length is
checked as it streams by. Formula cells are read with their saved results; a formula without
one (a file written by a script and never opened in Excel) is refused, naming the cell.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from planwatch.errors import DataImportError

from .limits import ReadLimits
from .xlsx_guard import guard_xlsx

# Errors a damaged archive or worksheet XML raises while openpyxl reads it.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, IndexError, ValueError, TypeError,
           ParseError)
PLAIN_VALUES = (str, int, float, bool, datetime, date, time, timedelta)


@dataclass
class FormulaCell:
    """A formula cell found while reading: where it is and its formula text."""

    row: int
    column: int  # 0-based index into the row
    formula: str


@dataclass
class SheetRows:
    """The rows of a worksheet (values as Python objects), the sheet's name and its formula cells."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    formulas: list[FormulaCell] = field(default_factory=list)

    def cell_name(self, row: int, column: int) -> str:
        """'Sheet1!C5' for a 1-based row and 0-based column."""
        return f"{self.title}!{get_column_letter(column + 1)}{row}"


def read_xlsx(path: Path, sheet: str | None, limits: ReadLimits) -> tuple[SheetRows, list[tuple[int, int, str]]]:
    """The sheet's rows with formula results filled in, and (row, column, message) for formulas without one."""
    guard_xlsx(path, limits)
    found = _read_sheet(path, sheet, limits, data_only=False)
    unsaved = []
    if found.formulas:
        saved = _formula_results(path, found)
        for f in found.formulas:
            value = saved.get((f.row, f.column))
            if value is None:
                unsaved.append((f.row, f.column, f"单元格 {found.cell_name(f.row, f.column)} 是公式 {f.formula}，"
                                                 "但文件中没有保存计算结果（文件可能由程序生成、未经 Excel 计算）："
                                                 "请在 Excel 或 WPS 中打开并保存后再导入，或把公式换成数值"))
            found.rows[f.row - 1][f.column] = value
    return found, unsaved


def _read_sheet(path: Path, sheet: str | None, limits: ReadLimits, *, data_only: bool) -> SheetRows:
    """The rows of the sheet as written (formulas as text), each cell's length checked while streaming."""
    book = _open(path, data_only=data_only)
    try:
        ws = _worksheet(book, sheet, path)
        # The declared range (checked by the guard) bounds nothing here: a smaller one must not cut rows off.
        ws.reset_dimensions()
        found = SheetRows(ws.title)
        _stream(ws, path, limits, found)
        return found
    finally:
        book.close()


def _open(path: Path, *, data_only: bool):
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except DAMAGED as exc:
        raise DataImportError(f"无法打开 XLSX 文件：工作簿内容损坏（{type(exc).__name__}: {exc}）", file=str(path)) from exc


def _worksheet(book, sheet: str | None, path: Path) -> ReadOnlyWorksheet:
    if sheet is not None and sheet not in book.sheetnames:
        raise DataImportError(f"没有名为 {sheet} 的工作表（有：{'、'.join(book.sheetnames)}）", file=str(path))
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    if not isinstance(ws, ReadOnlyWorksheet):
        raise DataImportError(f"工作表 {ws.title} 是图表页，不是数据表：请用 --sheet 指定数据所在的工作表", file=str(path))
    return ws


def _stream(ws: ReadOnlyWorksheet, path: Path, limits: ReadLimits, found: SheetRows) -> None:
    blank_run = 0
    for n, values in _rows(ws, path):
        row = _trimmed(values)
        if not row:
            blank_run += 1  # trailing blank rows are not kept; inner ones keep the row numbers right
            continue
        found.rows += [[] for _ in range(blank_run)]
        blank_run = 0
        found.rows.append(_checked(row, n, found, path, limits))


def _rows(ws: ReadOnlyWorksheet, path: Path) -> Iterator[tuple[int, tuple]]:
    try:
        # types-openpyxl declares ReadOnlyWorksheet.iter_rows as Worksheet's unbound function.
        yield from enumerate(ws.iter_rows(values_only=True), start=1)  # type: ignore[misc]
    except DAMAGED as exc:
        raise DataImportError(f"XLSX 工作表 {ws.title} 内容损坏，无法读取（{type(exc).__name__}: {exc}）",
                              file=str(path)) from exc


def _trimmed(values: tuple) -> list[Any]:
    """The row without its trailing empty cells."""
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return list(values[:end])


def _checked(row: list[Any], n: int, found: SheetRows, path: Path, limits: ReadLimits) -> list[Any]:
    """The row, with formula cells noted (their text kept until the saved results are read)."""
    for i, value in enumerate(row):
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise DataImportError(f"单元格 {found.cell_name(n, i)} 有 {len(value)} 个字符，超过上限 {limits.cell_chars}"
                                  "（Excel 单元格的上限）", file=str(path))
        if _is_formula(value):
            found.formulas.append(FormulaCell(n, i, str(getattr(value, "text", value))))
    return row


def _is_formula(value: Any) -> bool:
    """A formula as openpyxl gives it without data_only: '=…' text, or an array / data-table formula object."""
    return (isinstance(value, str) and value.startswith("=")) or not (value is None or isinstance(value, PLAIN_VALUES))


def _formula_results(path: Path, found: SheetRows) -> dict[tuple[int, int], Any]:
    """The saved result of each formula cell (None where the file holds none), read in a second streaming pass."""
    wanted = {(f.row, f.column) for f in found.formulas}
    book = _open(path, data_only=True)
    try:
        ws = _worksheet(book, found.title, path)
        ws.reset_dimensions()
        results = {}
        for n, values in _rows(ws, path):
            if n > len(found.rows):
                break
            results.update({(n, i): v for i, v in enumerate(values) if (n, i) in wanted})
        return results
    finally:
        book.close()
