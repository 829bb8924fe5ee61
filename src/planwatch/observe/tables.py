"""Reading an observation file (CSV or XLSX) into a header and numbered rows of text cells.

Every bound of :mod:`.limits` is checked before or while reading, and every refusal names the
file and the line, row or cell; nothing is read with a guessed encoding (see :mod:`.encoding`).

A CSV is streamed: one pass over its bytes decides the encoding (and notes what its text shows),
a second parses it with ``csv.reader`` a batch of rows at a time; memory holds one batch.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, NoReturn

from planwatch.errors import DataImportError
from planwatch.inert_cells import CSV_QUOTE, text_from_csv

from .encoding import CHUNK_BYTES, Encoding, detect, first_control_character
from .limits import DEFAULT_LIMITS, ReadLimits, megabytes
from .xlsx import read_xlsx

XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
CONTROL_NAMES = {"\x00": "NUL（空字符）", "\x1a": "SUB（文件结束符）"}
# Bytes other than those of a control character (all but tab, LF and CR below 0x20, and DEL).
NOT_CONTROL_BYTES = bytes(b for b in range(256) if (b >= 0x20 or b in (9, 10, 13)) and b != 0x7F)
# White space str.strip removes, other than CR and LF (the other control characters are refused).
SPACE = re.compile("[ \t\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


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


@dataclass
class Batch:
    """Consecutive rows after the header: each kept row's number (header = 1, as in the file) and its
    trimmed cells; blank rows are counted, a row shorter than the header is a problem (truncated file)."""

    numbers: Sequence[int]
    rows: list[list[str]]
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    def numbered(self) -> list[tuple[int, list[str]]]:
        return list(zip(self.numbers, self.rows, strict=True))


@dataclass
class TableStream:
    """A file's header, then its rows batch by batch: a batch is read when the one before is done with.

    ``problems`` are those known before the rows (an XLSX's formulas without a saved result);
    ``progress()`` says how far the reading has come, out of ``size`` (bytes of a CSV, rows of an XLSX).
    """

    header: list[str]
    batches: Generator[Batch, None, None]
    encoding: str | None
    size: int
    progress: Callable[[], int]
    problems: list[Problem] = field(default_factory=list)

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.batches.close()  # closes the file of a stream left unread


# Rows read, checked and handed on at a time: memory holds one batch (a few MB), not the file.
BATCH_ROWS = 10_000


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None,
               limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """The table of a CSV or XLSX file, held whole (within the bounds of a table held in memory)."""
    with _open(path, sheet, encoding, limits) as stream:
        table = Table(header=stream.header, rows=[], problems=list(stream.problems), encoding=stream.encoding)
        for batch in stream.batches:
            table.rows += batch.numbered()
            table.skipped += batch.skipped
            table.problems += batch.problems
    table.problems.sort(key=lambda p: p.row or 0)
    return table


def stream_table(path: Path, *, sheet: str | None = None, encoding: str | None = None,
                 limits: ReadLimits = DEFAULT_LIMITS) -> TableStream:
    """The table of a CSV (streamed: within the bounds of a streamed CSV) or an XLSX (read as read_table reads it)."""
    return _open(path, sheet, encoding, limits if path.suffix.lower() in XLSX_SUFFIXES else limits.streamed())


def _open(path: Path, sheet: str | None, encoding: str | None, limits: ReadLimits) -> TableStream:
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise DataImportError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：应为 .csv 或 .xlsx", file=str(path))
    _check_file(path, limits)
    if suffix in XLSX_SUFFIXES:
        return _xlsx_table(path, sheet, limits)
    return _csv_table(path, "\t" if suffix == ".tsv" else ",", encoding, limits)


def _check_file(path: Path, limits: ReadLimits) -> None:
    if not path.exists():
        raise DataImportError("文件不存在", file=str(path))
    if path.is_dir():
        raise DataImportError("这是一个目录，不是数据文件（CSV 或 XLSX）", file=str(path))
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise DataImportError(f"文件大小 {megabytes(size)}，超过上限 {megabytes(limits.file_bytes)}：请拆分为多个文件",
                              file=str(path))


def file_chunks(path: Path) -> Iterator[bytes]:
    """The bytes of a file, a chunk at a time."""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk
    except OSError as exc:
        raise DataImportError(f"无法读取文件：{exc.strerror or exc}", file=str(path)) from exc


def _framed(path: Path, raw: Iterator[list[list[str]]], *, trim: bool, pad: bool
            ) -> tuple[list[str], Generator[Batch, None, None]]:
    """The header (the first non-blank row) and the batches of rows after it."""
    first = 0  # the number of the first row of ``rows``
    for rows in raw:
        at = next((i for i, cells in enumerate(rows) if any(c.strip() for c in cells)), None)
        if at is None:
            first += len(rows)
            continue
        header = rows[at]
        while header and not header[-1].strip():
            header.pop()
        header = [h.strip() for h in header]
        rest = rows[at + 1:]
        return header, _batches(header, chain((rest,), raw), first + at + 2, trim=trim, pad=pad)
    raise DataImportError("文件为空：应有表头行与数据行", file=str(path))


def _batches(header: list[str], raw: Iterable[list[list[str]]], first: int, *, trim: bool, pad: bool
             ) -> Generator[Batch, None, None]:
    for rows in raw:
        if rows:
            yield _batch(header, rows, first, trim=trim, pad=pad)
        first += len(rows)


def _padded(rows: list[list[str]]) -> bool:
    """Whether a cell begins or ends with white space: str.strip gives back the very cell when it has
    none, so the comparison is one of identities (map and list compare run in C)."""
    cells = list(chain.from_iterable(rows))
    return list(map(str.strip, cells)) != cells


def _batch(header: list[str], rows: list[list[str]], first: int, *, trim: bool, pad: bool) -> Batch:
    """The batch of ``rows`` (the first numbered ``first``): trimmed, blank ones dropped, short ones refused."""
    width = len(header)
    if trim and _padded(rows):
        rows = [list(map(str.strip, cells)) for cells in rows]
    if all(map(any, rows)) and min(map(len, rows)) >= width:  # most batches: every row kept as it is
        return Batch(range(first, first + len(rows)), rows)
    batch = Batch([], [])
    for n, cells in enumerate(rows, start=first):
        if not any(cells):
            batch.skipped += 1
            continue
        if pad:  # a spreadsheet row has no 'short' form: its missing cells are blank
            cells = cells + [""] * (width - len(cells))
        if len(cells) < width:
            batch.problems.append(Problem(n, header[len(cells)], None,
                                          f"该行只有 {len(cells)} 列，表头有 {width} 列：文件可能被截断"))
            continue
        assert isinstance(batch.numbers, list), "a batch with dropped rows lists its numbers"
        batch.numbers.append(n)
        batch.rows.append(cells)
    return batch


# ----------------------------------------------------------------------------- XLSX


def _xlsx_table(path: Path, sheet: str | None, limits: ReadLimits) -> TableStream:
    found, unsaved = read_xlsx(path, sheet, limits)
    texts = [[cell_text(v) for v in row] for row in found.rows]
    found.rows.clear()
    done = 0

    def slices() -> Iterator[list[list[str]]]:
        nonlocal done
        for start in range(0, len(texts), BATCH_ROWS):
            done = min(start + BATCH_ROWS, len(texts))  # told once the batch has been checked
            yield texts[start:start + BATCH_ROWS]

    header, batches = _framed(path, slices(), trim=True, pad=True)
    problems = [Problem(row, header[col] if col < len(header) and header[col] else found.cell_name(row, col), None,
                        message) for row, col, message in unsaved]
    problems.sort(key=lambda p: p.row or 0)
    return TableStream(header, batches, None, len(texts), lambda: done, problems)


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


def _csv_table(path: Path, delimiter: str, forced: str | None, limits: ReadLimits) -> TableStream:
    """The table of a CSV: its encoding decided over all its bytes, then its rows parsed batch by batch."""
    found, facts = detect(lambda: file_chunks(path), str(path), forced, lambda: TextFacts(limits.line_chars))
    facts.refuse_control_character(path)
    raw = _binary(path)
    records = _csv_records(_text(raw, found), path, found, delimiter, limits, facts)
    header, batches = _framed(path, records, trim=facts.trim, pad=False)
    return TableStream(header, batches, found.label, path.stat().st_size, raw.tell)


def _binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as exc:
        raise DataImportError(f"无法读取文件：{exc.strerror or exc}", file=str(path)) from exc


def _text(raw: io.BufferedReader, found: Encoding) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding=found.codec, errors="strict", newline="")


class TextFacts:
    """What a CSV's text shows before it is parsed, gathered chunk by chunk as its encoding is decided:
    the first control character, whether some line may be over the bound, whether some cell may need
    trimming (white space or a quote anywhere) and whether some may hold export's neutralising quote."""

    def __init__(self, line_chars: int):
        self.line_chars = line_chars
        self.lines = 0
        self.control: tuple[int, str] | None = None
        self.piece = 0  # characters since the last LF
        self.long_line = self.trim = self.quote = False

    def feed(self, text: str, raw: bytes) -> None:
        # A control character is a control byte in every encoding it can be read with: the bytes are
        # searched in C, the text only when they hold one (always for UTF-16).
        if self.control is None and raw.translate(None, NOT_CONTROL_BYTES):
            at = first_control_character(text)
            if at is not None:
                self.control = (self.lines + text.count("\n", 0, at) + 1, text[at])
        self.lines += text.count("\n")
        self.long_line = self.long_line or self._long_line(text)
        self.quote = self.quote or CSV_QUOTE in text
        self.trim = self.trim or '"' in text or SPACE.search(text) is not None

    def _long_line(self, text: str) -> bool:
        """Whether a piece between two LF reaches the bound (then lines are read one by one to name it).

        Such a piece is at least as long as any line in it without its terminator (CR also ends a line),
        and a terminator adds at most one character beyond the LF: pieces of at most bound − 1 are safe.
        """
        first = text.find("\n")
        if first < 0:
            self.piece += len(text)
            return self.piece >= self.line_chars
        longest = self.piece + first
        last = text.rfind("\n")
        if len(text) >= self.line_chars:  # a piece inside this chunk may reach the bound too
            longest = max(longest, *map(len, text[first + 1:last].split("\n")))
        self.piece = len(text) - last - 1
        return max(longest, self.piece) >= self.line_chars

    def refuse_control_character(self, path: Path) -> None:
        if self.control is None:
            return
        line, ch = self.control
        name = CONTROL_NAMES.get(ch, f"U+{ord(ch):04X}")
        raise DataImportError(f"第 {line} 行含有控制字符 {name}：这不像文本表格"
                              "（二进制文件？若是没有 BOM 的 UTF-16 文件，请另存为 UTF-8 或用 --encoding utf-16 指定）",
                              file=str(path))


def _csv_records(fh: io.TextIOWrapper, path: Path, found: Encoding, delimiter: str, limits: ReadLimits,
                 facts: TextFacts) -> Generator[list[list[str]], None, None]:
    """The records of the CSV text, a batch at a time, each batch checked against the limits as a whole
    (C-speed builtins); a batch that breaks one, or a parse error, is explained by :func:`_explain`."""
    long_lines = facts.long_line
    with fh:
        reader = csv.reader(_lines(fh, path, limits) if long_lines else fh, delimiter=delimiter, strict=True)
        records = cells = 0
        while True:
            try:
                batch = list(islice(reader, BATCH_ROWS))
            except csv.Error:
                _explain(path, found, delimiter, limits, long_lines)
            if not batch:
                return
            records += len(batch)
            cells += sum(map(len, batch))
            if records > limits.rows or cells > limits.cells or max(map(len, batch)) > limits.columns \
                    or max(map(len, chain.from_iterable(batch)), default=0) > limits.cell_chars:
                _explain(path, found, delimiter, limits, long_lines)
            if facts.quote:  # drop export's quote before '=', '+' …
                batch = [list(map(text_from_csv, row)) for row in batch]
            yield batch


def _explain(path: Path, found: Encoding, delimiter: str, limits: ReadLimits, long_lines: bool) -> NoReturn:
    """Read the CSV again record by record to say which line breaks a limit or cannot be parsed (the rare, slow path)."""
    with _text(_binary(path), found) as fh:
        reader = csv.reader(_lines(fh, path, limits) if long_lines else fh, delimiter=delimiter, strict=True)
        count = cells = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise DataImportError(_csv_error(str(exc), start, reader.line_num, delimiter, limits),
                                      file=str(path)) from exc
            count += 1
            cells += len(row)
            _check_record(row, start, count, cells, path, limits)
    raise DataImportError("文件在读取过程中被改动：请在文件写完后重新导入", file=str(path))


def _lines(fh: io.TextIOWrapper, path: Path, limits: ReadLimits) -> Iterator[str]:
    """The lines of the text, a line over the limit refused without being held whole."""
    n = 0
    while line := fh.readline(limits.line_chars + 1):
        n += 1
        if len(line) > limits.line_chars:
            length = len(line)
            while not line.endswith(("\n", "\r")) and (line := fh.readline(limits.line_chars + 1)):
                length += len(line)
            raise DataImportError(f"第 {n} 行有 {length} 个字符，超过上限 {limits.line_chars}："
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
