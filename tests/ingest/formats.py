"""The Jiaxing outline in the formats offices publish, built from the shipped text for the format tests.

The text is a Word document saved as text; :func:`blocks_of` reads it back into its blocks
(headings, paragraphs, tables with their cells' paragraphs, 专栏 boxes), and the builders lay
those out as offices do: a .docx with Heading styles, first-line indents, 表1/表2 as real Word
tables with narrow columns (every indicator name wraps over three or four lines), the 类别 column
and the other blank cells vertically merged, the header rows repeated on every page, and each box
framed as a one-cell table; a PDF of it made by LibreOffice; an article page with navigation.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from planwatch.ingest.outline import box_end, heading

CAPTION = re.compile(r"^表\s*\d+")
MAX_WRAPPED = 30
HEADING_LEVEL = {"chapter": 1, "section": 2, "item": 3}
RUNNING_HEADER = "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
# Grid widths in cm of the two indicator tables: narrow enough that every name wraps.
TABLE_WIDTHS = {
    "表1": [1.3, 0.9, 1.7, 1.9, 1.5, 1.5, 1.9, 1.5, 1.9],
    "表2": [1.3, 0.9, 2.3, 1.3, 1.5, 2.0, 1.3],
}
# 表1's top header row: 指标名称 spans the two name columns, 规划目标 and 完成情况 two value columns each.
HEADER_SPANS = {("表1", 0): [1, 1, 2, 1, 2, 2]}
NAME_COLUMN = 2  # a row with fewer cells than the grid has one name spanning the two name columns


@dataclass
class Paragraph:
    text: str
    level: int = 0  # 1–3 for a heading


@dataclass
class Table:
    label: str
    rows: list[list[list[str]]]  # row → cell → paragraphs
    header_rows: int = 0


@dataclass
class Box:
    paragraphs: list[str] = field(default_factory=list)


Block = Paragraph | Table | Box


def table_cells(lines: list[str], start: int) -> tuple[list[list[list[str]]], int]:
    """(rows of cells of paragraphs, index after the table) of a table in the tab layout at ``start``."""
    rows: list[list[list[str]]] = []
    blank = True
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            if blank or not rows:
                rows.append([])
            rows[-1].append([line[1:].strip()] if line[1:].strip() else [])
            blank = False
        elif not line.strip():
            blank = True
        elif rows and is_wrapped_cell(line):
            rows[-1][-1].append(line.strip())
            blank = False
        else:
            break
        i += 1
    return rows, i


def is_wrapped_cell(line: str) -> bool:
    """Whether a line inside a table is the next paragraph of a cell (as the table reader decides)."""
    text = line.strip()
    return len(text) <= MAX_WRAPPED and not text.startswith(("注", "表")) and heading(text) is None \
        and not text.endswith(("。", "；"))


def header_count(rows: list[list[list[str]]]) -> int:
    """Leading rows without a figure: the header rows."""
    count = 0
    for row in rows:
        if any(re.fullmatch(r"[\[［]?[-+]?\d[\d.,]*%?[\]］]?", " ".join(c).replace(" ", "")) for c in row):
            break
        count += 1
    return count


def blocks_of(text: str) -> list[Block]:
    """The blocks of the shipped text: paragraphs (headings with their level), tables and boxes."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if line.startswith("\t专栏"):
            last = box_end(lines, i + 1)
            blocks.append(Box([t.strip() for t in lines[i:last] if t.strip()]))
            i = last
            continue
        found = heading(stripped)
        blocks.append(Paragraph(stripped, HEADING_LEVEL.get(found[0], 0) if found else 0))
        if CAPTION.match(stripped):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].startswith("\t"):
                rows, i = table_cells(lines, j)
                rows = [row for row in rows if any(row)]  # Word's text of a header merged downwards
                label = re.sub(r"\s+", "", CAPTION.match(stripped).group(0))
                blocks.append(Table(label, rows, header_count(rows)))
                continue
        i += 1
    return blocks


# ---------------------------------------------------------------- .docx


def set_east_asian_font(style, name: str = "WenQuanYi Micro Hei") -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def add_page_number_footer(section) -> None:
    """A centred '- N -' footer with a PAGE field, and the plan's name as the running header."""
    section.header.paragraphs[0].text = RUNNING_HEADER
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    field_run = footer.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            field_run._r.append(char)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.text = text
            field_run._r.append(element)
    footer.add_run(" -")


def set_cell_text(cell, paragraphs: list[str], *, size: float = 9, centred: bool = True) -> None:
    first, *rest = paragraphs or [""]
    cell.paragraphs[0].text = first
    for text in rest:
        cell.add_paragraph(text)
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.first_line_indent = Pt(0)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.font.size = Pt(size)


def mark_header_row(row) -> None:
    """Repeat a row at the top of every page the table runs onto (Word's 标题行重复)."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def grid_spans(table: Table, index: int, row: list[list[str]], width: int) -> list[int]:
    """How many grid columns each cell of a row spans."""
    if (table.label, index) in HEADER_SPANS:
        return HEADER_SPANS[(table.label, index)]
    spans = [1] * len(row)
    if len(row) < width:
        spans[NAME_COLUMN] += width - len(row)
    return spans


def add_word_table(document, table: Table) -> None:
    widths = TABLE_WIDTHS.get(table.label) or [16.0 / max(len(r) for r in table.rows)] * max(len(r) for r in table.rows)
    width = len(widths)
    word = document.add_table(rows=len(table.rows), cols=width)
    word.style = "Table Grid"
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    word.autofit = False
    for column, cm in zip(word.columns, widths, strict=True):
        column.width = Cm(cm)
        for cell in column.cells:
            cell.width = Cm(cm)
    origin: dict[int, object] = {}  # grid column → the cell a blank cell below merges into
    for r, row in enumerate(table.rows):
        header = r < table.header_rows
        if header:
            mark_header_row(word.rows[r])
        if r == table.header_rows:
            origin = {}
        column = 0
        for paragraphs, span in zip(row, grid_spans(table, r, row, width), strict=True):
            cell = word.cell(r, column)
            if span > 1:
                cell = cell.merge(word.cell(r, column + span - 1))
            if not paragraphs and column in origin and r > 0:
                origin[column] = origin[column].merge(cell)
            else:
                set_cell_text(cell, paragraphs)
                origin[column] = cell
            column += span


def add_box(document, box: Box) -> None:
    """A 专栏 box as offices frame it: a one-cell table, the title centred and bold."""
    word = document.add_table(rows=1, cols=1)
    word.style = "Table Grid"
    cell = word.cell(0, 0)
    title, *body = box.paragraphs
    cell.paragraphs[0].text = title
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.paragraphs[0].runs[0].bold = True
    for text in body:
        paragraph = cell.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(21)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(10.5)
    document.add_paragraph()


def build_docx(blocks: list[Block], path: Path) -> Path:
    """The outline as an office's Word document."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    add_page_number_footer(section)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    set_east_asian_font(normal)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        set_east_asian_font(style, "WenQuanYi Zen Hei")
        style.font.size = Pt({1: 16, 2: 14, 3: 12}[level])
    for block in blocks:
        if isinstance(block, Table):
            add_word_table(document, block)
        elif isinstance(block, Box):
            add_box(document, block)
        elif block.level:
            document.add_heading(block.text, level=block.level)
        else:
            paragraph = document.add_paragraph(block.text)
            if not CAPTION.match(block.text):
                paragraph.paragraph_format.first_line_indent = Pt(24)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))
    return path


def pdf_from_docx(source: Path, folder: Path) -> Path:
    """The PDF LibreOffice exports from a Word document (as an office exports it)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed"
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=300)
    return folder / (source.stem + ".pdf")


# ---------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 嘉兴市人民政府</title>
<script>var _hmt = _hmt || [];</script><style>.zoom p {{ text-indent: 2em; }}</style></head>
<body>
<header class="top"><div class="logo">嘉兴市人民政府</div><div class="search">站内搜索</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/ghjh">规划计划</a></li>
<li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 规划计划</div>
<div class="article"><h1 class="title">{title}</h1>
<div class="info">发布日期：2021-03-25　来源：市发展改革委　浏览次数：<span>1024</span></div>
<div class="zoom" id="zoom">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div></div></div>
<footer><p>主办单位：嘉兴市人民政府办公室　承办单位：嘉兴市大数据发展管理局</p>
<p>浙ICP备05000000号　浙公网安备 33040202000000号</p></footer>
</body></html>
"""


def html_cell(paragraphs: list[str], tag: str, rowspan: int, colspan: int) -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<{tag}{spans}>" + "<br>".join(html.escape(p) for p in paragraphs) + f"</{tag}>"


def html_table(table: Table) -> str:
    """The table as a site's editor writes it: merged cells as rowspan/colspan."""
    width = max(len(r) for r in table.rows)
    placed: list[list[tuple[int, int, int, list[str]]]] = []  # row → (grid column, rowspan, colspan, text)
    owner: dict[int, tuple[int, int]] = {}  # grid column → (row, index) of the cell a blank merges into
    for r, row in enumerate(table.rows):
        if r == table.header_rows:
            owner = {}
        placed.append([])
        column = 0
        for paragraphs, span in zip(row, grid_spans(table, r, row, width), strict=True):
            if not paragraphs and column in owner and r > 0:
                orow, index = owner[column]
                c, rs, cs, text = placed[orow][index]
                placed[orow][index] = (c, rs + 1, cs, text)
            else:
                placed[r].append((column, 1, span, paragraphs))
                owner[column] = (r, len(placed[r]) - 1)
            column += span
    out = ['<table border="1" cellspacing="0">']
    for r, row in enumerate(placed):
        tag = "th" if r < table.header_rows else "td"
        out.append("<tr>" + "".join(html_cell(t, tag, rs, cs) for _, rs, cs, t in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html(blocks: list[Block], path: Path) -> Path:
    """The outline as a government site's article page: navigation, header and footer around it."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            body.append(html_table(block))
        elif isinstance(block, Box):
            title, *rest = block.paragraphs
            body.append('<table class="zl" width="100%" border="1"><tr><td><p align="center"><strong>'
                        + html.escape(title) + "</strong></p>\n"
                        + "\n".join(f"<p>{html.escape(t)}</p>" for t in rest) + "</td></tr></table>")
        elif block.level:
            body.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
        else:
            body.append(f"<p>\n  {html.escape(block.text)}\n</p>")
    title = "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    path.write_text(PAGE.format(title=title, body="\n".join(body)), encoding="utf-8")
    return path
