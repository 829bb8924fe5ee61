"""Reading an observation file (CSV or XLSX) into a header and numbered rows of text cells."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from planwatch.errors import DataImportError

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Problem:
    """A problem with one cell or row; row is 1-based as in the file (header = 1)."""

    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class Table:
    """A file's header and rows; ``rows`` holds (row number, cells) for non-empty rows."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The table of a CSV or XLSX file; a row shorter than the header is a problem (truncated file)."""
    if not path.exists():
        raise DataImportError("文件不存在", file=str(path))
    if path.is_dir():
        raise DataImportError("这是一个目录，不是数据文件（CSV 或 XLSX）", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        raw = _csv_rows(path, delimiter="\t" if suffix == ".tsv" else ",")
    else:
        raise DataImportError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：应为 .csv 或 .xlsx", file=str(path))
    return _table(path, raw)


def _table(path: Path, raw: list[list[str]]) -> Table:
    numbered = [(n, cells) for n, cells in enumerate(raw, start=1)]
    while numbered and not any(c.strip() for c in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise DataImportError("文件为空：应有表头行与数据行", file=str(path))
    header = numbered[0][1]
    while header and not header[-1].strip():
        header.pop()
    header = [h.strip() for h in header]
    table = Table(header=header, rows=[])
    for n, cells in numbered[1:]:
        if not any(c.strip() for c in cells):
            table.skipped += 1
            continue
        if len(cells) < len(header):
            table.problems.append(Problem(n, header[len(cells)], None,
                                          f"该行只有 {len(cells)} 列，表头有 {len(header)} 列：文件可能被截断"))
            continue
        table.rows.append((n, [c.strip() for c in cells[: len(header)]] + [c.strip() for c in cells[len(header):]]))
    return table


def _decode(data: bytes, path: Path) -> str:
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataImportError("无法识别文件编码：应为 UTF-8 或 GB18030", file=str(path))


def _csv_rows(path: Path, delimiter: str) -> list[list[str]]:
    try:
        text = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise DataImportError(f"无法读取文件：{exc.strerror or exc}", file=str(path)) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise DataImportError(f"CSV 格式错误：{exc}（引号未闭合？文件可能被截断）", file=str(path)) from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataImportError(f"无法打开 XLSX 文件（文件损坏或被截断）：{exc}", file=str(path)) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataImportError(f"没有名为 {sheet} 的工作表（有：{'、'.join(book.sheetnames)}）", file=str(path))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    # Excel rows have no 'short' form: pad to the widest row so only real gaps count.
    return [r + [""] * (width - len(r)) for r in rows]
