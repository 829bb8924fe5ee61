"""Text-based PDFs (.pdf) as LibreOffice or WPS export them: text in reading order, tables rebuilt.

Read with pdfplumber. On each page, ruled tables are found from their lines (pdfplumber's table
finder) and framed one-cell boxes (专栏) from the same cell finder; every other character is
body text, grouped into printed lines. Running headers and page numbers are dropped, a table
continued on the next page is joined to its first part (its repeated header rows dropped), and
printed lines are joined back into paragraphs where a new paragraph shows: an indent, a short
line before, a change of font or size, or a wider gap. Tables are then written as a Word table
saved as text (see :mod:`.lines`): one cell per drawn cell (a merged cell once), a cell merged
from above as an empty cell. Every line is located by its page: ``p.12``.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from planwatch.errors import PlanFormatError

from ..document import Document
from .base import file_bytes
from .lines import Cell, Lines, caption_label

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
# A running header or footer repeats on at least this share of the pages.
RUNNING_SHARE = 0.5
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
TOLERANCE = 1.5  # points: coordinates of one drawn edge agree within this


@dataclass
class TextLine:
    """One printed line: its text, where it sits, and the font most of it is set in."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    page: int


@dataclass
class Frame:
    """A ruled table or a framed box on one page: rows of cells of printed lines ([] = merged away)."""

    page: int
    top: float
    bottom: float
    columns: list[float]
    rows: list[list[list[TextLine]]]
    row_pages: list[int] = field(default_factory=list)
    covered: list[list[bool]] = field(default_factory=list)  # cell merged from the row above

    @property
    def one_column(self) -> bool:
        return all(len(row) <= 1 for row in self.rows)


Item = TextLine | Frame


class PdfReader:
    """The reader of text-based PDFs of a plan."""

    suffixes: tuple[str, ...] = (".pdf",)
    label: str = "PDF 文档"

    def read(self, path: Path) -> Document:
        data = file_bytes(path)
        name = str(path)
        with opened(data, name) as pdf:
            items = page_items(pdf.pages, name)
        lines = Lines()
        write_items(joined_frames(without_running_lines(items)), lines)
        return lines.document(name, data=data)


def opened(data: bytes, name: str) -> pdfplumber.PDF:
    """The parsed PDF; PlanFormatError for a damaged or password-protected file."""
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise PlanFormatError("文件不是 PDF（缺少 %PDF 文件头），可能已损坏或只是改了扩展名", file=name)
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise PlanFormatError(pdf_problem(exc), file=name) from None


def pdf_problem(exc: PdfminerException) -> str:
    """What is wrong with a PDF pdfminer refused, in words for a person."""
    cause = exc.args[0] if exc.args else exc
    if "Password" in type(cause).__name__ or "Encrypt" in type(cause).__name__:
        return "PDF 已加密（设置了打开密码），无法读取；请提供未加密的 PDF，或改用 Word/文本版本"
    return f"PDF 文件已损坏或无法解析（{type(cause).__name__}）；请重新导出 PDF，或改用 Word/文本版本"


def page_items(pages: Iterable[Page], name: str) -> list[Item]:
    """Lines and frames of every page, in reading order; refuses a PDF without text (a scan)."""
    items: list[Item] = []
    images = chars = 0
    try:
        for number, page in enumerate(pages, 1):
            page_chars = [c for c in page.chars if c["text"].strip() or c["text"] == " "]
            chars += len(page_chars)
            images += len(page.images)
            items.extend(items_of_page(page, number, page_chars))
            page.flush_cache()
    except PdfminerException as exc:
        raise PlanFormatError(pdf_problem(exc), file=name) from None
    if not any(c for c in items if isinstance(c, TextLine) or c.rows) or not chars:
        if images:
            raise PlanFormatError("这是扫描版 PDF（页面只有图片，没有可提取的文字），无法读取；"
                                  "请提供文字版 PDF、Word 或文本文件，或先做文字识别（OCR）", file=name)
        raise PlanFormatError("PDF 中没有可提取的文字，无法读取规划", file=name)
    return items


def items_of_page(page: Page, number: int, chars: list[dict[str, Any]]) -> list[Item]:
    """The frames and the body lines of one page, top to bottom."""
    finder = page.debug_tablefinder(TABLE_SETTINGS)
    boxes: list[tuple[Box, list[Box]]] = [(table.bbox, list(table.cells)) for table in finder.tables]
    in_tables = [b for b, _ in boxes]
    boxes += [(cell, [cell]) for cell in finder.cells if not any(inside(cell, b) for b in in_tables)]
    owned: list[list[dict[str, Any]]] = [[] for _ in boxes]
    body: list[dict[str, Any]] = []
    for char in chars:
        index = next((i for i, (b, _) in enumerate(boxes) if holds(b, char)), None)
        (body if index is None else owned[index]).append(char)
    items: list[Item] = [frame_of(bbox, cells, owned[i], number) for i, (bbox, cells) in enumerate(boxes)]
    items += printed_lines(body, number)
    return sorted(items, key=lambda item: item.top)


def inside(inner: Box, outer: Box) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def holds(box: Box, char: dict[str, Any]) -> bool:
    """Whether a character's centre lies in a box."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def printed_lines(chars: list[dict[str, Any]], page: int) -> list[TextLine]:
    """Characters grouped into printed lines (same line where they overlap vertically), left to right."""
    groups: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        line = next((g for g in reversed(groups[-3:]) if g[0]["top"] <= middle <= g[0]["bottom"]), None)
        if line is None:
            groups.append([char])
        else:
            line.append(char)
    return [line_of(sorted(g, key=lambda c: c["x0"]), page) for g in groups]


def family(char: dict[str, Any]) -> str:
    return SUBSET_PREFIX.sub("", str(char.get("fontname", "")))


def line_of(chars: list[dict[str, Any]], page: int) -> TextLine:
    """A printed line from its characters (spaces only where the PDF has them)."""
    wide = [c for c in chars if not c["text"].isascii()] or chars
    font = Counter(family(c) for c in wide).most_common(1)[0][0]
    return TextLine(text="".join(c["text"] for c in chars).lstrip(), x0=min(c["x0"] for c in chars),
                    x1=max(c["x1"] for c in chars), top=min(c["top"] for c in chars),
                    bottom=max(c["bottom"] for c in chars), size=statistics.median(c["size"] for c in wide),
                    font=font, page=page)


def frame_of(bbox: Box, cells: list[Box], chars: list[dict[str, Any]], page: int) -> Frame:
    """A frame's rows as Word writes them: a cell spanning columns once, a cell merged from above empty."""
    columns = sorted({round(c[0], 1) for c in cells})
    tops = sorted({round(c[1], 1) for c in cells})
    by_cell: dict[Box, list[dict[str, Any]]] = {c: [] for c in cells}
    for char in chars:
        cell = next((c for c in cells if holds(c, char)), None)
        if cell is not None:
            by_cell[cell].append(char)
    rows: list[list[list[TextLine]]] = []
    covered: list[list[bool]] = []
    for top in tops:
        row: list[list[TextLine]] = []
        merged: list[bool] = []
        covered_to = -1.0
        for x in columns:
            if x < covered_to - TOLERANCE:
                continue
            cell = next((c for c in cells if abs(c[0] - x) <= TOLERANCE and c[1] <= top + TOLERANCE <= c[3]), None)
            starts_here = cell is not None and abs(cell[1] - top) <= TOLERANCE
            covered_to = cell[2] if cell is not None else next((c for c in columns if c > x + TOLERANCE), x + 1)
            row.append(printed_lines(by_cell[cell], page) if cell is not None and starts_here else [])
            merged.append(not starts_here)
        rows.append(row)
        covered.append(merged)
    return Frame(page=page, top=bbox[1], bottom=bbox[3], columns=columns, rows=rows, row_pages=[page] * len(rows),
                 covered=covered)


# ---------------------------------------------------------------- running headers, pages, paragraphs


def shape(text: str) -> str:
    """A line's text with its figures blanked, so 'p. 3' and 'p. 4' match."""
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def page_edges(items: list[Item]) -> dict[int, list[TextLine]]:
    """Page → its first and last body line (where running headers and footers sit)."""
    edges: dict[int, list[TextLine]] = {}
    for page in sorted({i.page for i in items}):
        on_page = [i for i in items if i.page == page]
        edges[page] = [i for i in (on_page[0], on_page[-1]) if isinstance(i, TextLine)]
    return edges


def without_running_lines(items: list[Item]) -> list[Item]:
    """The items without running headers, footers and page numbers."""
    edges = page_edges(items)
    shapes = Counter(shape(line.text) for lines in edges.values() for line in {id(x): x for x in lines}.values())
    pages = len(edges)
    running = {s for s, n in shapes.items() if pages >= 3 and n >= RUNNING_SHARE * pages}
    dropped = {id(line) for lines in edges.values() for line in lines
               if PAGE_NUMBER.match(line.text) or shape(line.text) in running}
    return [i for i in items if id(i) not in dropped]


def continues(first: Frame, second: Frame) -> bool:
    """Whether a frame at the top of a page goes on with the frame that ended the previous page."""
    if second.page != first.page + 1 or len(first.columns) != len(second.columns):
        return False
    if any(abs(a - b) > 2 * TOLERANCE for a, b in zip(first.columns, second.columns, strict=True)):
        return False
    opening = [line.text for row in second.rows[:1] for cell in row[:1] for line in cell[:1]]
    return not (second.one_column and opening and caption_label(opening[0]))


def cell_texts(row: list[list[TextLine]]) -> list[str]:
    return [joined(line.text for line in cell) for cell in row]


def joined_frames(items: list[Item]) -> list[Item]:
    """Items with each table continued over a page break joined to its first part."""
    result: list[Item] = []
    for item in items:
        previous = result[-1] if result else None
        if isinstance(item, Frame) and isinstance(previous, Frame) and continues(previous, item):
            append_frame(previous, item)
            continue
        result.append(item)
    return result


def append_frame(first: Frame, second: Frame) -> None:
    """Add the rows of a continuation, without the header rows it repeats; one-column cells run on."""
    if first.one_column and second.one_column:
        if first.rows and second.rows:
            first.rows[-1][-1].extend(line for row in second.rows for cell in row for line in cell)
        return
    repeated = 0
    while (repeated < len(second.rows) and repeated < len(first.rows) - 1
           and cell_texts(second.rows[repeated]) == cell_texts(first.rows[repeated])):
        repeated += 1
    if repeated < len(second.rows) and split_row_goes_on(first, second.rows[repeated], second.covered[repeated]):
        for cell, rest in zip(first.rows[-1], second.rows[repeated], strict=True):
            cell.extend(rest)
        repeated += 1
    first.rows.extend(second.rows[repeated:])
    first.row_pages.extend(second.row_pages[repeated:])
    first.page = second.page
    first.bottom = second.bottom


def split_row_goes_on(first: Frame, row: list[list[TextLine]], covered: list[bool]) -> bool:
    """Whether a row opening a page is the rest of the row the previous page broke off.

    A row broken at the page foot has cells whose text ran to the foot and, mostly, cells that
    ended above it; its rest on the next page has text only under the cells that ran to the foot.
    When the break left one line of the row (every cell ran to the foot), the rest is a row of
    drawn cells (none merged from above) with some left empty under cells that had text.
    """
    last = first.rows[-1] if first.rows else []
    if len(last) != len(row) or not any(row):
        return False
    size = statistics.median([line.size for cell in last for line in cell] or [10.0])
    running = [bool(cell) and max(x.bottom for x in cell) >= first.bottom - (size + 4) for cell in last]
    ended = [bool(cell) and not run for cell, run in zip(last, running, strict=True)]
    if not all(run or not cell for cell, run in zip(row, running, strict=True)):
        return False
    if any(ended):
        return True
    return not any(covered) and any(bool(before) and not after for before, after in zip(last, row, strict=True))


def joined(parts: Iterable[str]) -> str:
    """Printed lines of one paragraph or cell as one text (a space only between two Latin words)."""
    text = ""
    for part in parts:
        if text and part and text[-1].isascii() and text[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            text += " "
        text += part
    return text.strip()


@dataclass
class Column:
    """The left and right edges of the text column a run of lines is set in."""

    left: float
    right: float


def column_of(lines: list[TextLine]) -> Column:
    """The text column of lines: the usual left edge and the right edge of full lines."""
    if not lines:
        return Column(0, 0)
    by_page: dict[int, list[TextLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    left = statistics.median(min(x.x0 for x in group) for group in by_page.values())
    right = statistics.median(max(x.x1 for x in group) for group in by_page.values())
    return Column(left, right)


def starts_paragraph(line: TextLine, previous: TextLine | None, column: Column) -> bool:
    """Whether a printed line begins a new paragraph."""
    if previous is None:
        return True
    size = max(line.size, previous.size)
    # A line may end two characters short when its last character would have begun the next (kinsoku).
    if line.x0 > column.left + 0.8 * size or previous.x1 < column.right - 2.5 * size:
        return True
    if line.font != previous.font or abs(line.size - previous.size) > 0.5:
        return True
    return line.page == previous.page and line.top - previous.bottom > 0.8 * size


def paragraphs(lines: list[TextLine], column: Column) -> Iterator[tuple[str, int]]:
    """(text, page of its first line) of each paragraph the printed lines make."""
    current: list[TextLine] = []
    for line in lines:
        if current and starts_paragraph(line, current[-1], column):
            yield joined(x.text for x in current), current[0].page
            current = []
        current.append(line)
    if current:
        yield joined(x.text for x in current), current[0].page


# ---------------------------------------------------------------- writing


def frame_rows(frame: Frame) -> list[list[Cell]]:
    """The rows of a frame as cells of paragraphs: a box's cell by paragraph, a table's cell as one text."""
    if frame.one_column:
        lines = [line for row in frame.rows for cell in row for line in cell]
        return [[[text for text, _ in paragraphs(lines, column_of(lines))]]]
    return [[[joined(line.text for line in cell)] if cell else [] for cell in row] for row in frame.rows]


def write_items(items: list[Item], lines: Lines) -> None:
    """Body paragraphs and tables in reading order."""
    body = [i for i in items if isinstance(i, TextLine)]
    column = column_of(body)
    pending: list[TextLine] = []
    for item in [*items, None]:
        if isinstance(item, TextLine):
            pending.append(item)
            continue
        for text, page in paragraphs(pending, column):
            lines.paragraph(text, f"p.{page}")
        pending = []
        if item is not None:
            rows = frame_rows(item)
            label = lines.table_label(rows)
            lines.table(rows, label=label, where=row_locations(item, label))


def row_locations(frame: Frame, label: str) -> list[str]:
    """Where each row of a frame is: p.12 表2 第5行 (a box: the page it starts on)."""
    if frame.one_column:
        return [f"p.{frame.row_pages[0]} {label}"]
    return [f"p.{page} {label} 第{number}行" for number, page in enumerate(frame.row_pages, 1)]
