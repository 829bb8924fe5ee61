"""Reading an observation file (CSV or XLSX) into a header and numbered rows of text cells.

Every bound of :mod:`.limits` is checked before or while reading, and every refusal names the
file and the line, row or cell; nothing is read with a guessed encoding (see :mod:`.encoding`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planwatch.errors import DataImportError
from planwatch.inert_cells import CSV_QUOTE, text_from_csv

from .encoding import decode, first_control_character
from .limits import DEFAULT_LIMITS, ReadLimits, megabytes
from .xlsx import read_xlsx

XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
CONTROL_NAMES = {"\x00": "NUL（空字符）", "\x1a": "SUB（文件结束符）"}


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
    encoding: str | None = None


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None,
               limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """The table of a CSV or XLSX file; a row shorter than the header is a problem (truncated file)."""
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise DataImportError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：应为 .csv 或 .xlsx", file=str(path))
    _check_file(path, limits)
    if suffix in XLSX_SUFFIXES:
        return _xlsx_table(path, sheet, limits)
    decoded = decode(_read_bytes(path), str(path), encoding)
    _refuse_control_characters(decoded.text, path)
    rows = _csv_rows(decoded.text, path, "\t" if suffix == ".tsv" else ",", limits)
    table = _table(path, rows)
    table.encoding = decoded.encoding
    return table


def _check_file(path: Path, limits: ReadLimits) -> None:
    if not path.exists():
        raise DataImportError("文件不存在", file=str(path))
    if path.is_dir():
        raise DataImportError("这是一个目录，不是数据文件（CSV 或 XLSX）", file=str(path))
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise DataImportError(f"文件大小 {megabytes(size)}，超过上限 {megabytes(limits.file_bytes)}：请拆分为多个文件",
                              file=str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataImportError(f"无法读取文件：{exc.strerror or exc}", file=str(path)) from exc


def _table(path: Path, raw: list[list[str]], *, pad: bool = False) -> Table:
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
    width = len(header)
    strip = str.strip
    for n, cells in numbered[1:]:
        stripped = list(map(strip, cells))  # map and any run in C: this loop sees every row of a large file
        if not any(stripped):
            table.skipped += 1
            continue
        if pad:  # a spreadsheet row has no 'short' form: its missing cells are blank
            stripped += [""] * (width - len(stripped))
        if len(stripped) < width:
            table.problems.append(Problem(n, header[len(cells)], None,
                                          f"该行只有 {len(cells)} 列，表头有 {width} 列：文件可能被截断"))
            continue
        table.rows.append((n, stripped))
    return table


# ----------------------------------------------------------------------------- XLSX


def _xlsx_table(path: Path, sheet: str | None, limits: ReadLimits) -> Table:
    found, unsaved = read_xlsx(path, sheet, limits)
    table = _table(path, [[cell_text(v) for v in row] for row in found.rows], pad=True)
    header = table.header
    table.problems += [Problem(row, header[col] if col < len(header) and header[col] else found.cell_name(row, col),
                               None, message) for row, col, message in unsaved]
    table.problems.sort(key=lambda p: p.row or 0)
    return table


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a person sees ('2021', '7062.5', '2024-01-31'); 'inf' stays 'inf'."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ----------------------------------------------------------------------------- CSV


def _refuse_control_characters(text: str, path: Path) -> None:
    at = first_control_character(text)
    if at is None:
        return
    ch = text[at]
    name = CONTROL_NAMES.get(ch, f"U+{ord(ch):04X}")
    raise DataImportError(f"第 {text.count(chr(10), 0, at) + 1} 行含有控制字符 {name}：这不像文本表格"
                          "（二进制文件？若是没有 BOM 的 UTF-16 文件，请另存为 UTF-8 或用 --encoding utf-16 指定）",
                          file=str(path))


def _csv_rows(text: str, path: Path, delimiter: str, limits: ReadLimits) -> list[list[str]]:
    """The records of a CSV text, each checked against the limits; parse errors said with their line."""
    lines = _lines(text, path, limits) if _has_long_line(text, limits) else io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    # Only a cell starting with a quote can hold export's neutralising quote: most files have none.
    unquote = CSV_QUOTE in text
    rows: list[list[str]] = []
    cells = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise DataImportError(_csv_error(str(exc), start, reader.line_num, delimiter, limits),
                                  file=str(path)) from exc
        cells += len(row)
        if len(rows) >= limits.rows or len(row) > limits.columns or cells > limits.cells \
                or max(map(len, row), default=0) > limits.cell_chars:  # the checks, inline: every row passes here
            _check_record(row, start, len(rows) + 1, cells, path, limits)
        rows.append([text_from_csv(c) for c in row] if unquote else row)  # drop export's quote before '=', '+' …


def _has_long_line(text: str, limits: ReadLimits) -> bool:
    """Whether some line may exceed the limit: then lines are read one by one to name it (rare, slow path).

    A piece between two LF is at least as long as any line in it without its terminator (CR also ends
    a line), and a terminator adds at most one character beyond the LF: pieces of at most limit − 1 are safe.
    """
    return len(text) >= limits.line_chars and max(map(len, text.split("\n"))) >= limits.line_chars


def _lines(text: str, path: Path, limits: ReadLimits) -> Iterator[str]:
    for n, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.line_chars:
            raise DataImportError(f"第 {n} 行有 {len(line)} 个字符，超过上限 {limits.line_chars}："
                                  "这不像逐行的表格数据", file=str(path))
        yield line


def _check_record(row: list[str], line: int, count: int, cells: int, path: Path, limits: ReadLimits) -> None:
    if count > limits.rows:
        raise DataImportError(f"第 {line} 行：文件超过上限 {limits.rows} 行，请拆分为多个文件", file=str(path))
    if len(row) > limits.columns:
        raise DataImportError(f"第 {line} 行有 {len(row)} 列，超过上限 {limits.columns} 列", file=str(path))
    if cells > limits.cells:
        raise DataImportError(f"第 {line} 行：文件超过上限 {limits.cells} 个单元格，请拆分为多个文件", file=str(path))
    for i, cell in enumerate(row):
        if len(cell) > limits.cell_chars:
            raise DataImportError(f"第 {line} 行第 {i + 1} 列有 {len(cell)} 个字符，超过上限 {limits.cell_chars}"
                                  "（Excel 单元格的上限）", file=str(path))


def _csv_error(error: str, start: int, end: int, delimiter: str, limits: ReadLimits) -> str:
    """The csv module's English error said in Chinese, with the line it is about."""
    sep = "制表符" if delimiter == "\t" else f"“{delimiter}”"
    if "unexpected end of data" in error:
        return (f"第 {start} 行有一个以引号开始的字段，直到文件末尾（第 {end} 行）都没有结束引号："
                "请检查该行的引号是否成对；字段中的引号应写成两个（\"\"）")
    if "expected after" in error:
        return (f"第 {end} 行：引号字段的结束引号后应紧跟分隔符{sep}或换行：字段中的引号应写成两个（\"\"），"
                "或把整个字段用引号括起")
    if "field larger than field limit" in error:
        return (f"第 {start} 行起有一个单元格超过 {csv.field_size_limit()} 个字符（上限 {limits.cell_chars}）："
                "可能是引号没有闭合，后面的行都并入了这个单元格")
    return f"第 {start} 行：CSV 格式无法解析（{error}）"
