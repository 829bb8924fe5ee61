"""The heading tree of a plan: chapters 一、 / sections （一） / items 1． / boxes 专栏N / tables 表N.

Boxes (专栏) have their own numbering inside (（一）发展目标, 1.通苏嘉甬铁路：…) that must not be
read as headings of the plan; a box ends at the double blank line after its content, at the next
box or table, or at the next chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.model import OutlineNode
from planwatch.numbers import parse_number

from .document import Document
from .tables import Table

CN_DIGITS = "一二三四五六七八九十"
CHAPTER = re.compile(rf"^([{CN_DIGITS}]{{1,3}})、\s*(\S.*)$")
SECTION = re.compile(rf"^[（(]([{CN_DIGITS}]{{1,3}})[）)]\s*(\S.*)$")
ITEM = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(\S.*)$")
BOX = re.compile(r"^专栏\s*(\d{1,3})(?!\d)\s*(.*)$")
TABLE = re.compile(r"^表\s*(\d{1,3})(?![\d.])\s*(\S.*)$")
TABLE_NOTE = re.compile(r"^(注|资料来源|说明)\s*[：:]|^[（(]\d{1,2}[）)]")
SENTENCE_END = "。"
MAX_TITLE = {"chapter": 60, "section": 80, "item": 40, "box": 60, "table": 80}
MAX_WRAPPED_CELL = 20  # a table cell wrapped onto its own untabbed line (百分点, [累计], 单位)


@dataclass(frozen=True)
class Span:
    """Lines first..last (1-based, inclusive) of a block such as a table or a box."""

    first: int
    last: int

    def __contains__(self, line: int) -> bool:
        return self.first <= line <= self.last


def chinese_number(text: str) -> int | None:
    """Value of a small Chinese numeral such as 十四 or 二十三; None for a malformed one (十十)."""
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) and value > 0 else None


def is_title(text: str, kind: str) -> bool:
    """Whether text reads like a heading title: short, one phrase, no table cell separators."""
    text = text.strip()
    if not text or len(text) > MAX_TITLE[kind] or "|" in text:
        return False
    return SENTENCE_END not in text.rstrip(SENTENCE_END)


def heading(line: str) -> tuple[str, str, str, str] | None:
    """(kind, number, label, title) when a stripped line is a heading, else None."""
    text = line.strip()
    for kind, pattern in (("box", BOX), ("table", TABLE), ("chapter", CHAPTER), ("section", SECTION),
                          ("item", ITEM)):
        match = pattern.match(text)
        if match and kind in ("chapter", "section") and chinese_number(match.group(1)) is None:
            continue
        if match and is_title(match.group(2) or "x", kind):
            label = text[: match.start(2)].strip() if match.group(2) else text
            return kind, match.group(1), label, match.group(2).strip()
    return None


def table_span_after(lines: list[str], first: int) -> Span:
    """Fallback span of a table starting at its 表N line: cells, wrapped cells, then notes."""
    last = first
    in_notes = False
    for number in range(first + 1, len(lines) + 1):
        raw = lines[number - 1]
        text = raw.strip()
        if not text:
            continue
        if TABLE_NOTE.match(text) and (in_notes or text.startswith(("注", "资料来源", "说明"))):
            in_notes = True
            last = number
            continue
        if in_notes or heading(raw):
            break
        if raw.startswith("\t") or len(text) <= MAX_WRAPPED_CELL:
            last = number
            continue
        break
    return Span(first, last)


def table_spans(doc: Document, tables: list[Table]) -> list[tuple[int, Span, Table | None]]:
    """(first line, span, parsed table or None) of every table; a parsed table's span wins."""
    found: list[tuple[int, Span, Table | None]] = []
    used: set[int] = set()
    for number, line in enumerate(doc.lines, 1):
        found_heading = heading(line)
        if not found_heading or found_heading[0] != "table":
            continue
        # The table reader's caption may sit a line or two off the 表N heading (a wrapped caption).
        match = next((t for t in tables if id(t) not in used and abs(t.line - number) <= 2), None)
        if match is not None:
            used.add(id(match))
            found.append((number, Span(number, max(number, match.line_end)), match))
        else:
            found.append((number, table_span_after(doc.lines, number), None))
    for table in tables:  # tables without a 表N line (pipe tables of fragments)
        if id(table) not in used:
            found.append((table.line, Span(table.line, table.line_end), table))
    return sorted(found, key=lambda item: item[0])


def box_end(lines: list[str], first: int) -> int:
    """Last content line of a box starting at ``first``."""
    last = first
    blanks = 0
    for number in range(first + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if not text:
            blanks += 1
            if blanks >= 2 and last > first:
                break
            continue
        blanks = 0
        found = heading(lines[number - 1])
        if found and found[0] in ("box", "table", "chapter"):
            break
        last = number
    return last


@dataclass
class Outline:
    """The outline nodes plus the spans of tables and boxes, for the other readers."""

    nodes: list[OutlineNode]
    tables: list[tuple[Span, Table | None]]
    boxes: list[Span]
    heading_lines: set[int]

    def __post_init__(self) -> None:
        # Per-line lookups, so readers asking line by line stay linear in the document's length.
        last = max((n.line_end for n in self.nodes), default=0)
        self._innermost: list[OutlineNode | None] = [None] * (last + 2)
        self._chapter: list[OutlineNode | None] = [None] * (last + 2)
        for node in sorted(self.nodes, key=lambda n: n.level):
            for line in range(node.line, node.line_end + 1):
                self._innermost[line] = node
                if node.kind == "chapter":
                    self._chapter[line] = node
        self._table_lines = {n for span, _ in self.tables for n in range(span.first, span.last + 1)}

    def in_table(self, line: int) -> bool:
        """Whether a line lies inside a table (its cells or notes)."""
        return line in self._table_lines

    def node_at(self, line: int) -> OutlineNode | None:
        """The innermost node containing a line."""
        return self._innermost[line] if 0 <= line < len(self._innermost) else None

    def chapter_at(self, line: int) -> OutlineNode | None:
        """The chapter containing a line."""
        return self._chapter[line] if 0 <= line < len(self._chapter) else None


class _Builder:
    """Walks the lines once, keeping the open chapter/section/item."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.nodes: list[OutlineNode] = []
        self.stack: list[OutlineNode] = []
        self.ids: set[str] = set()

    def unique(self, node_id: str) -> str:
        candidate, n = node_id, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{node_id}~{n}"
        self.ids.add(candidate)
        return candidate

    def add(self, kind: str, number: str, label: str, title: str, line: int, line_end: int) -> OutlineNode:
        depth = {"chapter": 0, "section": 1, "item": 2}.get(kind)
        if depth is not None:
            while self.stack and {"chapter": 0, "section": 1, "item": 2}[self.stack[-1].kind] >= depth:
                self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if kind in ("chapter", "section"):
            local = str(chinese_number(number))
        else:
            local = number
        if kind in ("box", "table"):
            node_id = f"{kind}{local}"
        else:
            node_id = f"{parent.id}.{local}" if parent else local
        node = OutlineNode(id=self.unique(node_id), kind=kind, label=label, title=title,
                           level=(parent.level + 1) if parent else 1, parent=parent.id if parent else None,
                           line=line, line_end=line_end)
        self.nodes.append(node)
        if depth is not None:
            self.stack.append(node)
        return node


def printed_heading(doc: Document, number: int, label: str, title: str) -> tuple[str, str]:
    """Label and title of a heading line as printed (before half-width normalisation)."""
    raw = doc.raw[number - 1].strip()
    if len(raw) == len(doc.lines[number - 1].strip()) and raw:
        cut = len(label)
        return raw[:cut].strip(), raw[cut:].strip()
    return label, title


def read_outline(doc: Document, tables: list[Table]) -> Outline:
    """The outline of a document; ``tables`` are the parsed tables (their spans win)."""
    lines = doc.lines
    spans = table_spans(doc, tables)
    table_lines = {n for _, span, _ in spans for n in range(span.first, span.last + 1)}
    starts = {first: (span, table) for first, span, table in spans}
    builder = _Builder(doc)
    boxes: list[Span] = []
    headings: set[int] = set()
    box_until = 0
    for number in range(doc.header_lines + 1, len(lines) + 1):
        if number in starts:
            span, table = starts[number]
            found = heading(lines[number - 1])
            if found and found[0] == "table":
                label, title = printed_heading(doc, number, found[2], found[3])
                builder.add("table", found[1], label, title, number, span.last)
                headings.add(number)
            elif table is not None:  # a pipe table has no 表N line: number it in order
                count = sum(1 for n in builder.nodes if n.kind == "table") + 1
                builder.add("table", str(count), table.label or "表", table.title, number, span.last)
            continue
        if number in table_lines or number <= box_until:
            continue
        found = heading(lines[number - 1])
        if not found:
            continue
        kind, num, label, title = found
        label, title = printed_heading(doc, number, label, title)
        headings.add(number)
        if kind == "box":
            box_until = box_end(lines, number)
            boxes.append(Span(number, box_until))
            builder.add("box", num, label, title, number, box_until)
        elif kind == "table":  # a 表N line the table reader did not take: keep the heading only
            builder.add("table", num, label, title, number, number)
        else:
            builder.add(kind, num, label, title, number, number)
    nodes = with_line_ends(builder.nodes, lines)
    return Outline(nodes=nodes, tables=[(span, table) for _, span, table in spans], boxes=boxes,
                   heading_lines=headings)


def last_content_line(lines: list[str], first: int, last: int) -> int:
    """``last`` moved back over blank lines, but never before ``first``."""
    while last > first and not lines[last - 1].strip():
        last -= 1
    return last


def with_line_ends(nodes: list[OutlineNode], lines: list[str]) -> list[OutlineNode]:
    """Nodes whose chapter/section/item line_end runs to the next node of the same or higher level."""
    depth = {"chapter": 0, "section": 1, "item": 2}
    result = []
    for index, node in enumerate(nodes):
        if node.kind in depth:
            end = len(lines)
            for later in nodes[index + 1:]:
                if later.kind in depth and depth[later.kind] <= depth[node.kind]:
                    end = later.line - 1
                    break
            node = node.model_copy(update={"line_end": last_content_line(lines, node.line, end)})
        result.append(node)
    return result
