"""The line text every structured reader writes: the layout of a Word document saved as plain text.

Readers of .docx, .pdf and .html rebuild the same lines the .txt reader gets from a Word document
saved as text, so every later stage reads one layout: a paragraph is a line; a table row is one
line per cell starting with a tab (a cell's further paragraphs follow on lines without a tab, a
merged-away cell is an empty tab line) and ends at a blank line; a table ends at one more blank
line. Each line keeps where a person finds it in the original file (p.12, 段 431, 表2 第5行).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import LINE_BREAK, Document, document_from_lines

CAPTION = re.compile(r"^\s*(表\s*\d{1,3}|专栏\s*\d{1,3})(?!\d)")
# Spaces inside a paragraph: tabs would read as table cells, other breaks as new lines.
INNER_SPACE = re.compile(r"[\t\x0b\x0c\xa0]")

# A cell is the texts of its paragraphs; an empty list is an empty (or merged-away) cell.
Cell = list[str]


def clean(text: str) -> str:
    """A paragraph's text on one line: inner tabs and no-break spaces as spaces, ends trimmed."""
    return INNER_SPACE.sub(" ", text).strip()


def caption_label(text: str) -> str | None:
    """表2 / 专栏3 when a paragraph or a cell starts with such a caption, else None."""
    match = CAPTION.match(text)
    return re.sub(r"\s+", "", match.group(1)) if match else None


@dataclass
class Lines:
    """Lines being written, each with its location; tables are written in the tab layout."""

    texts: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    tables: int = 0

    def add(self, text: str, location: str, prefix: str = "") -> None:
        """One paragraph (a soft line break inside it starts another line at the same location)."""
        for index, part in enumerate(LINE_BREAK.split(text)):
            self.texts.append((prefix if index == 0 else "") + clean(part))
            self.locations.append(location)

    def paragraph(self, text: str, location: str) -> None:
        """A body paragraph followed by a blank line; an empty paragraph writes nothing."""
        if clean(text):
            self.add(text, location)
            self.blank(location)

    def blank(self, location: str = "") -> None:
        """An empty line."""
        self.texts.append("")
        self.locations.append(location)

    def last_text(self) -> str:
        """The last non-blank line written ('' when none)."""
        return next((t for t in reversed(self.texts) if t.strip()), "")

    def table_label(self, rows: list[list[Cell]]) -> str:
        """How a person names a table: its caption (表2), its box title (专栏3), or 第4个表格."""
        self.tables += 1
        first = next((p for row in rows[:1] for cell in row[:1] for p in cell[:1]), "")
        return caption_label(first) or caption_label(self.last_text()) or f"第{self.tables}个表格"

    def table(self, rows: list[list[Cell]], label: str | None = None, where: list[str] | None = None) -> None:
        """A table in the tab layout; ``where`` locates each row (a one-column box by its paragraphs)."""
        label = label or self.table_label(rows)
        one_column = all(len(row) <= 1 for row in rows)
        if where is None:
            where = [label if one_column else f"{label} 第{n}行" for n in range(1, len(rows) + 1)]
        paragraph = 0
        for number, row in enumerate(rows, 1):
            row_location = where[min(number, len(where)) - 1]
            for cell in row:
                texts = [t for t in (clean(p) for p in cell) if t] or [""]
                for index, text in enumerate(texts):
                    paragraph += 1
                    location = f"{row_location} 第{paragraph}段" if one_column else row_location
                    self.add(text, location, prefix="\t" if index == 0 else "")
            self.blank(row_location)
        self.blank(label)

    def document(self, name: str, *, encoding: str = "", data: bytes | None = None) -> Document:
        """The Document of the lines written."""
        return document_from_lines(self.texts, self.locations, name, encoding=encoding, data=data)
