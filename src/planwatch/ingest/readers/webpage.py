"""Web pages (.html/.htm): the plan inside a government site's article page, without its navigation.

Parsed with lxml. Navigation, header, footer, scripts and forms are dropped; the article is the
deepest element holding most of the page's text outside links (a site's menus are links). Inside
it, each block (p, h1–h6, li, div text) is a line located as ``段 N``; each table is written in the
tab layout of :mod:`.lines` (a rowspan-covered cell as an empty cell, a colspan cell once).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from planwatch.errors import PlanFormatError

from ..document import Document
from .base import file_bytes
from .lines import Cell, Lines
from .text import decode

NOISE = "//script | //style | //noscript | //nav | //header | //footer | //aside | //form | //iframe | //template"
BLOCKS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                    "dl", "dt", "dd", "blockquote", "pre", "center", "caption", "figure", "figcaption", "hr",
                    "tbody", "thead", "tfoot", "tr", "td", "th"})
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SPACES = re.compile(r"[ \t\r\n\f]+")
# The article holds at least this share of the text outside links of the element around it.
ARTICLE_SHARE = 0.8
# gb2312 and gbk pages often use characters only their superset decodes.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}


class HtmlReader:
    """The reader of web pages holding a plan (an article page saved from a government site)."""

    suffixes: tuple[str, ...] = (".html", ".htm")
    label: str = "网页"

    def read(self, path: Path) -> Document:
        data = file_bytes(path)
        text, encoding = page_text(data, str(path))
        lines = Lines()
        write_blocks(article_of(parsed(text, str(path))), lines)
        if not any(line.strip() for line in lines.texts):
            raise PlanFormatError("网页中没有找到正文文字（可能是由脚本加载的页面），请保存包含规划全文的页面", file=str(path))
        return lines.document(str(path), encoding=encoding, data=data)


def page_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a page and its encoding: the charset its <meta> declares, else as a text file."""
    declared = META_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = declared.group(1).decode("ascii").lower()
        encoding = SUPERSETS.get(encoding, encoding)
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect the encoding as for a text file
    return decode(data, name)


def parsed(text: str, name: str) -> HtmlElement:
    """The page's element tree without navigation, scripts and other page furniture."""
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise PlanFormatError(f"无法解析网页：{exc}", file=name) from None
    for element in found(root, NOISE) + found(root, "//*[@role='navigation' or @role='banner' or @role='contentinfo']"):
        element.drop_tree()
    return root


def found(root: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements an XPath finds."""
    result = root.xpath(path)
    return [e for e in result if isinstance(e, HtmlElement)] if isinstance(result, list) else []


def own_weight(element: HtmlElement) -> int:
    """Characters of text an element holds itself (not in children), none when it is a link."""
    if not isinstance(element.tag, str) or element.tag == "a":
        return 0
    text = len((element.text or "").strip())
    return text + sum(len((child.tail or "").strip()) for child in element)


def weights(root: HtmlElement) -> dict[HtmlElement, int]:
    """Element → characters of text outside links in its subtree."""
    total: dict[HtmlElement, int] = {}
    for element in reversed(list(root.iter())):
        inner = 0 if element.tag == "a" else sum(total.get(child, 0) for child in element)
        total[element] = own_weight(element) + inner
    return total


def article_of(root: HtmlElement) -> HtmlElement:
    """The deepest element holding most of the page's text outside links: the article."""
    total = weights(root)
    body = root.find("body")
    node = body if body is not None else root
    while True:
        heaviest = max((c for c in node if isinstance(c.tag, str)), key=lambda c: total.get(c, 0), default=None)
        if heaviest is None or total.get(heaviest, 0) < ARTICLE_SHARE * total.get(node, 0):
            return node
        node = heaviest


@dataclass
class HtmlTable:
    """A table met among the blocks."""

    element: HtmlElement


def inline_text(element: HtmlElement) -> str:
    """The text of an inline element, <br> as a line break."""
    if not isinstance(element.tag, str):
        return ""
    if element.tag == "br":
        return "\n"
    return SPACES.sub(" ", element.text or "") + "".join(inline_text(c) + SPACES.sub(" ", c.tail or "")
                                                         for c in element)


def blocks(element: HtmlElement) -> Iterator[str | HtmlTable]:
    """The paragraphs (text with line breaks) and tables inside an element, in order."""
    buffer = [SPACES.sub(" ", element.text or "")]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table" or tag in BLOCKS:
            yield from flushed(buffer)
            if tag == "table":
                yield HtmlTable(child)
            else:
                yield from blocks(child)
        else:
            buffer.append(inline_text(child))
        buffer.append(SPACES.sub(" ", child.tail or ""))
    yield from flushed(buffer)


def flushed(buffer: list[str]) -> Iterator[str]:
    """The paragraph gathered in ``buffer`` (if it holds text), emptying it."""
    text = "".join(buffer).strip()
    buffer.clear()
    if text:
        yield text


def write_blocks(article: HtmlElement, lines: Lines) -> None:
    """Every paragraph and table of the article."""
    paragraphs = 0
    for block in blocks(article):
        if isinstance(block, HtmlTable):
            lines.table(table_rows(block.element))
        else:
            paragraphs += 1
            lines.paragraph(block, f"段 {paragraphs}")


def cell_paragraphs(cell: HtmlElement) -> Cell:
    """The paragraphs of a table cell, a nested table's cells included."""
    texts: list[str] = []
    for block in blocks(cell):
        if isinstance(block, HtmlTable):
            texts.extend(p for row in table_rows(block.element) for c in row for p in c)
        else:
            texts.extend(block.split("\n"))
    return texts


def span(cell: HtmlElement, attribute: str) -> int:
    """A cell's rowspan or colspan (1 when missing or malformed, at most 1000)."""
    value = str(cell.get(attribute, "1")).strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1


def table_rows(table: HtmlElement) -> list[list[Cell]]:
    """Rows of cells as Word writes them: a colspan cell once, a rowspan-covered cell as empty."""
    rows: list[list[Cell]] = []
    covered: dict[int, tuple[int, int]] = {}  # grid column → (rows still covered, columns wide)
    for tr in found(table, "./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells = iter(found(tr, "./td | ./th"))
        row: list[Cell] = []
        column = 0
        while True:
            if column in covered:
                remaining, width = covered[column]
                row.append([])
                covered[column] = (remaining - 1, width)
                if remaining <= 1:
                    del covered[column]
                column += width
                continue
            cell = next(cells, None)
            if cell is None:
                if any(c >= column for c in covered):
                    column = min(c for c in covered if c >= column)
                    continue
                break
            width = span(cell, "colspan")
            if span(cell, "rowspan") > 1:
                covered[column] = (span(cell, "rowspan") - 1, width)
            row.append(cell_paragraphs(cell))
            column += width
        rows.append(row)
    return rows
