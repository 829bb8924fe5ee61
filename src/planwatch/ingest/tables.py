"""Rebuild the grids of indicator tables from a plain-text dump of a plan.

Two layouts are read:

* **Tab layout** (a Word table saved as text): a caption line ``表N 标题``, then one cell per
  line, each starting with a tab. A cell that held a line break goes on over the next line(s)
  without a tab, sometimes after a blank line; merged cells are empty tab lines; a row ends at a
  blank line that is followed by a tab line. The table ends at its footnotes (``注：``), at
  another caption, or at a paragraph that cannot be a wrapped cell.
* **Pipe layout** (a web page): ``a | b | c |`` lines, a bare ``|`` between rows, and
  section rows with a single cell (``一、发展目标 |``).

Header rows are the leading rows in which no cell is a figure. A two-row header whose first
row has fewer cells than the second is rebuilt by giving each empty cell of the second row the
next label of the first (a label merged downwards) and sharing the second row's labels evenly
among the remaining first-row labels (a label merged across): ``规划目标`` over ``2020年`` and
``年均增长(%)[累计]`` gives ``规划目标·2020年`` and ``规划目标·年均增长(%)[累计]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cell", "Row", "Table", "TableNote", "find_tables", "join_wrapped"]


@dataclass
class Cell:
    """One cell: its text (wrapped lines joined) and the lines it spans."""

    text: str
    line: int
    line_end: int


@dataclass
class Row:
    """One row of cells."""

    cells: list[Cell]
    line: int
    line_end: int
    section: str | None = None  # the pipe layout's section row above it (一、发展目标)

    @property
    def texts(self) -> list[str]:
        """The cell texts."""
        return [c.text for c in self.cells]


@dataclass
class TableNote:
    """A footnote of a table: what it says about which indicators."""

    kind: str  # current_prices / comparable_prices / five_year_cumulative / other
    text: str
    line: int
    names: list[str] = field(default_factory=list)  # indicators the note names


@dataclass
class Table:
    """A rebuilt table."""

    label: str  # 表2 as printed; '' for a table without a caption
    title: str
    line: int
    line_end: int
    header: list[str]
    rows: list[Row]
    notes: list[TableNote] = field(default_factory=list)
    header_rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layout: str = "tab"


CAPTION = re.compile(r"^\s*(表\s*(?:\d+|[一二三四五六七八九十]+))[\s:：]*(.*)$")
NOTE_START = re.compile(r"^\s*注[：:]")
NOTE_ITEM = re.compile(r"^\s*[（(]\d+[)）]")
HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十百]+[章节篇]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|专栏)")
# A wrapped cell's continuation is short and not a sentence.
MAX_WRAPPED = 30
FIGURE = re.compile(r"^[\[［]?[-+]?\d[\d.,]*%?[\]］]?$")


def join_wrapped(parts: list[str]) -> str:
    """The text of a cell wrapped over several lines (no separator between CJK pieces)."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            text += " "
        text += part
    return text


def _compact_label(text: str) -> str:
    """A header label without the spaces used to stretch it (指 标 → 指标)."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text).strip()


# ---------------------------------------------------------------- tab layout


def _is_continuation(line: str) -> bool:
    """Whether a non-tab line inside a table can be the rest of a wrapped cell."""
    text = line.strip()
    return bool(text) and len(text) <= MAX_WRAPPED and not (
        NOTE_START.match(text) or CAPTION.match(text) or HEADING.match(text) or text.endswith(("。", "；", ";"))
    )


def _tab_cells(lines: list[str], start: int) -> tuple[list[tuple[Cell, bool]], int]:
    """(cells with whether a blank line preceded them, index of the first line after the table)."""
    cells: list[tuple[Cell, bool]] = []
    parts: list[str] = []
    blank = True
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            if cells:
                cells[-1][0].text = join_wrapped(parts)
            parts = [line[1:]]
            cells.append((Cell("", i + 1, i + 1), blank))
            blank = False
        elif not line.strip():
            blank = True
        elif cells and _is_continuation(line):
            parts.append(line)
            cells[-1][0].line_end = i + 1
            blank = False  # a blank line before a continuation is part of the wrapped cell
        else:
            break
        i += 1
    if cells:
        cells[-1][0].text = join_wrapped(parts)
    return cells, i


def _rows_of(cells: list[tuple[Cell, bool]]) -> list[list[Cell]]:
    """Cells grouped into rows: a row starts at a tab line after a blank line."""
    rows: list[list[Cell]] = []
    for cell, after_blank in cells:
        if after_blank or not rows:
            rows.append([])
        rows[-1].append(cell)
    return rows


def _is_header_row(cells: list[Cell]) -> bool:
    return not any(FIGURE.match(c.text.replace(" ", "")) for c in cells)


def _split_run_on(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rows where a missing blank line glued several full rows together split by the column count."""
    result: list[list[Cell]] = []
    for cells in rows:
        if width and len(cells) >= 2 * width and len(cells) % width == 0:
            result.extend(cells[k : k + width] for k in range(0, len(cells), width))
        else:
            result.append(cells)
    return result


def rebuild_header(header_rows: list[list[str]]) -> list[str]:
    """Column labels from one or more header rows (labels merged down or across)."""
    rows = [[_compact_label(t) for t in r] for r in header_rows]
    if not rows:
        return []
    labels = rows[0]
    for below in rows[1:]:
        if not any(below):
            continue
        labels = _merge_header_rows(labels, below)
    return labels


def _merge_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """Labels of two stacked header rows, the upper one possibly spanning columns of the lower."""
    empties = sum(1 for t in lower if not t)
    spanning = len(upper) - empties
    filled = len(lower) - empties
    if spanning <= 0 or filled <= 0:
        return [up or low for up, low in zip(upper, lower, strict=False)] + lower[len(upper) :]
    width = max(1, filled // spanning)
    labels: list[str] = []
    pointer, used = 0, 0
    for text in lower:
        if not text:
            if used:  # an empty cell after a span closes it
                pointer, used = pointer + 1, 0
            labels.append(upper[pointer] if pointer < len(upper) else "")
            pointer += 1
            continue
        parent = upper[pointer] if pointer < len(upper) else ""
        labels.append(f"{parent}·{text}" if parent else text)
        used += 1
        if used == width and pointer < len(upper) - 1:
            pointer, used = pointer + 1, 0
    return labels


def _read_tab_table(lines: list[str], caption_index: int, match: re.Match[str]) -> tuple[Table | None, int]:
    """The table whose caption (``match``) is at ``caption_index``, and the index after it."""
    label, title = re.sub(r"\s+", "", match.group(1)), match.group(2).strip()
    start = caption_index + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not lines[start].startswith("\t"):
        return None, caption_index + 1
    cells, after = _tab_cells(lines, start)
    grouped = _rows_of(cells)
    header_cells: list[list[Cell]] = []
    while grouped and _is_header_row(grouped[0]):
        header_cells.append(grouped.pop(0))
    header = rebuild_header([[c.text for c in r] for r in header_cells])
    width = len(header)
    table = Table(label=label, title=title, line=caption_index + 1, line_end=cells[-1][0].line_end if cells else start + 1,
                  header=header, rows=[], header_rows=[_row(r) for r in header_cells])
    for cells_of_row in _split_run_on(grouped, width):
        row = _row(cells_of_row)
        if width and len(cells_of_row) < width:
            table.warnings.append(
                f"{label}第{row.line}行：该行只有{len(cells_of_row)}个单元格（表头有{width}列），"
                f"表格可能在此处被截断，已忽略该行"
            )
            continue
        table.rows.append(row)
    notes, after = _read_notes(lines, after)
    table.notes = notes
    if notes:
        table.line_end = max(n.line for n in notes)
    return table, after


def _row(cells: list[Cell]) -> Row:
    return Row(cells=cells, line=cells[0].line, line_end=max(c.line_end for c in cells))


# ---------------------------------------------------------------- footnotes

PRICE_RULE = re.compile(r"按(当年价格?|现价|可比价格?|不变价格?)(?:核算|计算|计)")
CUMULATIVE_RULE = re.compile(r"[\[［【]\s*[\]］】][^。；;]*累计")


def _read_notes(lines: list[str], index: int) -> tuple[list[TableNote], int]:
    """Footnotes (注：（1）…（2）…) starting at ``index``, and the index after them."""
    i = index
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not NOTE_START.match(lines[i]):
        return [], index
    notes: list[TableNote] = []
    first = True
    while i < len(lines):
        text = lines[i].strip()
        if not text:
            i += 1
            continue
        if not first and not NOTE_ITEM.match(text):
            break
        body = NOTE_START.sub("", text, count=1) if first else text
        body = NOTE_ITEM.sub("", body, count=1).strip()
        notes.extend(notes_of(body, i + 1))
        first = False
        i += 1
    return notes, i


def notes_of(text: str, line: int) -> list[TableNote]:
    """The notes a footnote sentence makes (price basis with the indicators named, [] = cumulative)."""
    found: list[TableNote] = []
    for sentence in (s for s in re.split(r"[。；;]", text) if s.strip()):
        price = PRICE_RULE.search(sentence)
        if price:
            kind = "current_prices" if price.group(1).startswith(("当年", "现价")) else "comparable_prices"
            found.append(TableNote(kind, sentence.strip(), line, _named_indicators(sentence[: price.start()])))
        elif CUMULATIVE_RULE.search(sentence):
            found.append(TableNote("five_year_cumulative", sentence.strip(), line))
    if not found:
        found.append(TableNote("other", text.strip(), line))
    return found


def _named_indicators(text: str) -> list[str]:
    """Indicator names listed before a price rule ('A、B、C等增长速度均' → [A, B, C])."""
    text = re.sub(r"(均|都|皆)$", "", text.strip())
    if "等" in text:
        text = text[: text.rindex("等")]
    return [name.strip() for name in re.split(r"[、，,]", text) if name.strip()]


# ---------------------------------------------------------------- pipe layout

PIPE_ROW = re.compile(r"^[^|]*\|")


def _pipe_cells(line: str) -> list[str]:
    parts = [p.strip() for p in line.split("|")]
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def _read_pipe_table(lines: list[str], index: int) -> tuple[Table, int]:
    """The pipe table whose header is at ``index`` and the index after it."""
    header = [_compact_label(t) for t in _pipe_cells(lines[index])]
    width = len(header)
    table = Table(label="", title="", line=index + 1, line_end=index + 1, header=header, rows=[], layout="pipe")
    section: str | None = None
    i = index + 1
    while i < len(lines):
        line = lines[i].rstrip("\n")
        if not line.strip():
            break
        if "|" not in line:
            break
        cells = _pipe_cells(line)
        i += 1
        if not cells:  # a bare '|' between rows
            continue
        table.line_end = i
        if len(cells) == 1:
            section = cells[0]
            continue
        if len(cells) < width:
            table.warnings.append(
                f"第{i}行：该行只有{len(cells)}个单元格（表头有{width}列），表格可能在此处被截断，已忽略该行"
            )
            continue
        if not line.rstrip().endswith("|") and i >= len(lines):
            table.warnings.append(f"第{i}行：表格在文件末尾结束，最后一行末尾缺少“|”，最后一个单元格可能不完整")
        row_cells = [Cell(t, i, i) for t in cells]
        table.rows.append(Row(cells=row_cells, line=i, line_end=i, section=section))
    return table, i


def _is_pipe_header(line: str) -> bool:
    cells = _pipe_cells(line)
    return len(cells) >= 3 and all(cells) and _is_header_row([Cell(t, 0, 0) for t in cells])


# ---------------------------------------------------------------- entry point


def find_tables(lines: list[str]) -> list[Table]:
    """Every table of a document given as its (half-width) lines, in order."""
    lines = [line.rstrip("\r\n") for line in lines]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        caption = CAPTION.match(line) if not line.startswith("\t") and len(line.strip()) <= 80 else None
        if caption is not None:
            table, i = _read_tab_table(lines, i, caption)
            if table is not None:
                tables.append(table)
            continue
        if "|" in line and _is_pipe_header(line):
            table, i = _read_pipe_table(lines, i)
            if table.rows:
                tables.append(table)
            continue
        i += 1
    return tables
