"""Word writer (python-docx): an official-report look with title page, tables and charts."""

from __future__ import annotations

import io
import itertools
import statistics
import unicodedata
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

from planwatch.vocabulary import place_in_plan, status_fill

from .archive import stable_ooxml
from .charts import Chart
from .contents import TrackingSection
from .context import IndicatorRow, ReportContext
from .fonts import BODY_FONT, DOCUMENT_LANGUAGE, HEADING_FONT, LATIN_FONT, SUBHEADING_FONT, TITLE_FONT
from .xlsx import fixed_time

BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(9)  # 小五
CAPTION_SIZE = Pt(10.5)  # 五号
NUMERALS = "一二三四五六七八九十"

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
LEFT_MARGIN, RIGHT_MARGIN = Cm(2.8), Cm(2.6)
TEXT_WIDTH = Emu(PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN)
FIGURE_WIDTH = Cm(15)

# Table column widths, in twips (1/20 pt), the unit of w:gridCol and w:tcW.
CELL_MARGIN = 40  # left and right of each cell (Word's default is 108): ten columns must fit
COLUMN_SLACK = 20  # per column, for the borders and the rounding of glyph widths
# Widths in em of the table font (a CJK character is 1 em).
NAME_MIN_CHARS = 8  # the column of indicator names keeps at least this many characters a line
SHORT_WORD_CHARS = 4  # CJK text this short (序号, 完成度, 快于预期) is one word: never wrapped
SHORT_COLUMN_CHARS = 6  # a column whose lines are this short (状态, 单位) never wraps: Chinese
# breaks anywhere, so a narrower column would split 微克/立方米 as 微克/立方 / 米
CHEAP_UNWRAP_CHARS = 3  # a column this little short of its longest line gets it, if the page allows
AUTOSPACE = 0.25  # the gap Word and LibreOffice put between Chinese and Latin letters or digits
# Punctuation a line may not start with (closing) or end with (opening), as in Chinese typesetting.
OPENING = "（《「『“‘〔【(["
CLOSING = "）》」』”’〕】，。、；：！？)]%"
# Times New Roman advance widths in em, by class of character (rounded up).
NARROW_LATIN = set(" .,:;!|'ijlftrsI()[]/-")
WIDE_LATIN = set("mwMW%@&")


def _set_fonts(target, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian fonts of a style or run (python-docx sets only Latin)."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    # Theme fonts win over named ones in Word: the template's headings would ignore 黑体.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_language(style) -> None:
    """Mark East Asian text of ``style`` as simplified Chinese (the template says en-US)."""
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), DOCUMENT_LANGUAGE)
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _setup_styles(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    _set_language(normal)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.line_spacing = Pt(28)  # 公文: exact 28 pt lines; pictures need Figure
    normal.paragraph_format.space_after = Pt(0)
    headings = (
        ("Heading 1", Pt(16), HEADING_FONT),
        ("Heading 2", Pt(15), SUBHEADING_FONT),
        ("Title", Pt(22), TITLE_FONT),
    )
    for name, size, font in headings:
        style = doc.styles[name]
        _set_fonts(style, font)
        style.font.size = size
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    for name, bold in (("TableText", False), ("TableHead", True)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.bold = TABLE_SIZE, bold
        fmt = style.paragraph_format
        fmt.line_spacing, fmt.first_line_indent, fmt.space_after = 1.0, Pt(0), Pt(0)
        if bold:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _setup_figure_styles(doc)


def _setup_figure_styles(doc: DocumentType) -> None:
    """Figure: single-spaced (an exact line height clips a picture to one line), centred; Caption below it."""
    figure = doc.styles.add_style("Figure", WD_STYLE_TYPE.PARAGRAPH)
    figure.base_style = doc.styles["Normal"]
    fmt = figure.paragraph_format
    fmt.line_spacing, fmt.first_line_indent = 1.0, Pt(0)
    fmt.space_before, fmt.space_after = Pt(6), Pt(6)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = doc.styles["Caption"]
    caption.base_style = doc.styles["Normal"]
    caption.font.size, caption.font.bold = CAPTION_SIZE, False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    fmt = caption.paragraph_format
    fmt.line_spacing, fmt.first_line_indent = 1.0, Pt(0)
    fmt.space_before, fmt.space_after = Pt(0), Pt(12)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_setup(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN


def _page_number_footer(doc: DocumentType) -> None:
    """A centred PAGE field in the footer of the body section."""
    section = doc.sections[-1]
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _centred(
    doc: DocumentType, text: str, size: Pt, *, bold: bool = False, font: str = BODY_FONT, space_after: Pt = Pt(0)
) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = space_after
    run = p.add_run(text)
    _set_fonts(run, font)
    run.font.size, run.font.bold = size, bold


def _title_page(doc: DocumentType, ctx: ReportContext) -> None:
    for _ in range(4):
        doc.add_paragraph()
    _centred(doc, ctx.plan_title, Pt(22), bold=True, font=TITLE_FONT, space_after=Pt(18))
    kind = ctx.cover_label
    _centred(doc, kind, Pt(26), bold=True, font=HEADING_FONT, space_after=Pt(60))
    lines = [
        f"地区：{ctx.region}",
        f"评估年份：{ctx.year}年（规划期{ctx.period_start}—{ctx.period_end}年）",
        f"数据截至：{f'{ctx.data_year}年' if ctx.data_year else '暂无数据'}（数据日期 {ctx.generated_on.isoformat()}）",
        f"评估方法：{ctx.method.label}",
        "planwatch 自动生成",
    ]
    for line in lines:
        _centred(doc, line, Pt(14))
    doc.add_section(WD_SECTION.NEW_PAGE)


def _paragraph(doc: DocumentType, text: str, *, indent: bool = True) -> None:
    p = doc.add_paragraph(text)
    if indent:
        p.paragraph_format.first_line_indent = Pt(28)


def _table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    *,
    fills: Sequence[dict[int, str]] | None = None,
) -> None:
    """A grid table sized to its content, with a bold header row repeated on each page; ``fills``
    shades cells by column."""
    texts = [[_cell_text(v) for v in row] for row in rows]
    widths = _column_widths(headers, texts)
    table = doc.add_table(rows=0, cols=len(headers))
    # Properties, grid and rows are built as XML: python-docx's cell API costs ~1 ms per cell, too
    # slow for data tables, and it cannot set cell margins.
    tbl = table._tbl
    tbl.replace(tbl.tblPr, parse_xml(_table_properties_xml(sum(widths))))
    tbl.replace(tbl.tblGrid, parse_xml(_grid_xml(widths)))
    tbl.append(parse_xml(_row_xml(headers, widths, header=True, fills={i: "DDE4EC" for i in range(len(headers))})))
    for i, values in enumerate(texts):
        tbl.append(parse_xml(_row_xml(values, widths, fills=fills[i] if fills else None)))
    doc.add_paragraph()


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _table_properties_xml(total: int) -> str:
    """Fixed layout, ``total`` twips wide: Word and LibreOffice then keep the grid's column widths."""
    margins = "".join(f'<w:{side} w:w="{CELL_MARGIN}" w:type="dxa"/>' for side in ("left", "right"))
    return (
        f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{total}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    )


def _grid_xml(widths: Sequence[int]) -> str:
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tblGrid {nsdecls('w')}>{cols}</w:tblGrid>"


def _row_xml(
    values: Sequence, widths: Sequence[int], *, header: bool = False, fills: dict[int, str] | None = None
) -> str:
    """One table row; each cell repeats its grid width (tcW): Word and LibreOffice each read one of them."""
    style = "TableHead" if header else "TableText"
    cells = []
    for j, value in enumerate(values):
        text = escape(_cell_text(value))
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fills[j]}"/>' if fills and j in fills else ""
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[j]}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
        )
    # Rows are a few lines high: each stays whole on one page (a row taller than a page still splits).
    head = "<w:tblHeader/>" if header else ""
    return f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/>{head}</w:trPr>{''.join(cells)}</w:tr>"


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Twips per column, summing to the text width. Each column is at least as wide as its longest
    unbreakable piece (the names column at least NAME_MIN_CHARS); the rest of the width goes by how
    much more each column's longest line wants, so names get room and numbers stay narrow."""
    columns = [[row[j] for row in rows] for j in range(len(headers))]
    names = _names_column(columns)
    least = [_least_twips(h, col, names=j == names) for j, (h, col) in enumerate(zip(headers, columns, strict=True))]
    natural = [_natural_twips(h, col) for h, col in zip(headers, columns, strict=True)]
    return _fitted(least, natural, _twips(TEXT_WIDTH))


def _fitted(least: list[int], natural: list[int], total: int) -> list[int]:
    """Widths summing to ``total``: every line whole if that fits, else each column at least ``least``."""
    if sum(natural) <= total:
        base, weights = natural, natural
    elif sum(least) <= total:
        base = _unwrapped_where_cheap(least, natural, total)
        weights = [n - b for n, b in zip(natural, base, strict=True)]
    else:  # even the unbreakable pieces do not fit: shrink them alike
        base, weights = [0] * len(least), least
    spare = total - sum(base)
    widths = [b + spare * w // sum(weights) for b, w in zip(base, weights, strict=True)]
    widths[widths.index(max(widths))] += total - sum(widths)
    return widths


def _unwrapped_where_cheap(least: list[int], natural: list[int], total: int) -> list[int]:
    """``least``, with the columns that would wrap only a little (3.57（2024年）) widened to their
    longest line, cheapest first, while the width lasts: a value broken from its year reads worse
    than a long name on one more line."""
    widths = list(least)
    for j in sorted(range(len(least)), key=lambda j: natural[j] - least[j]):
        extra = natural[j] - least[j]
        if extra <= _text_twips(CHEAP_UNWRAP_CHARS) and sum(widths) + extra <= total:
            widths[j] = natural[j]
    return widths


def _least_twips(header: str, cells: Sequence[str], *, names: bool) -> int:
    longest = _longest_em(header, cells)
    if longest <= SHORT_COLUMN_CHARS:
        return _em_twips(longest)
    least = max((_text_em(piece) for text in (header, *cells) for piece in _unbreakable(text)), default=0)
    if names:
        least = max(least, NAME_MIN_CHARS)
    return _em_twips(least)


def _natural_twips(header: str, cells: Sequence[str]) -> int:
    return _em_twips(_longest_em(header, cells))


def _longest_em(header: str, cells: Sequence[str]) -> float:
    return max(map(_text_em, (header, *cells)))


def _names_column(columns: Sequence[Sequence[str]]) -> int | None:
    """Index of the names column (指标, 目标, 项目): the first whose typical cell is Chinese text longer
    than a short word. Only it is held to NAME_MIN_CHARS; ten such columns would not fit the page."""
    for j, cells in enumerate(columns):
        if cells and statistics.median(sum(map(_is_cjk, t)) for t in cells) > SHORT_WORD_CHARS:
            return j
    return None


def _unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` a line cannot break inside: a Latin word or number, a CJK character with
    the punctuation that may not leave it, or a short CJK word whole."""
    text = text.strip()
    if text and " " not in text and _text_em(text) <= SHORT_WORD_CHARS:
        return [text]
    pieces, current = [], ""
    for ch in text:
        if ch.isspace() or (current and _may_break(current[-1], ch)):
            pieces.append(current)
            current = ""
        if not ch.isspace():
            current += ch
    return [p for p in [*pieces, current] if p]


def _may_break(before: str, after: str) -> bool:
    if before in OPENING or after in CLOSING:
        return False
    if after in OPENING:  # LibreOffice keeps a number with the bracket after it: 7569.53（2024 / 年）
        return _is_cjk(before)
    return _is_cjk(before) or _is_cjk(after)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _text_em(text: str) -> float:
    """Width of ``text`` on one line, in em of the table font."""
    gaps = sum(_is_cjk(a) != _is_cjk(b) and (a + b).isalnum() for a, b in itertools.pairwise(text))
    return sum(map(_char_em, text)) + AUTOSPACE * gaps


def _char_em(ch: str) -> float:
    if _is_cjk(ch) or (ord(ch) > 0x2000 and unicodedata.east_asian_width(ch) == "A"):
        return 1.0  # drawn by the CJK face: ideographs, full-width punctuation, “”, Ⅲ, —
    if ch in NARROW_LATIN:
        return 0.34
    if ch in WIDE_LATIN:
        return 0.95
    if ch.isupper():
        return 0.73
    return 0.5 if ch.isalnum() else 0.6


def _em_twips(em: float) -> int:
    """Column width for a line ``em`` wide at the table font size, with cell margins and slack."""
    return _text_twips(em) + 2 * CELL_MARGIN + COLUMN_SLACK


def _text_twips(em: float) -> int:
    return round(em * TABLE_SIZE.pt * 20)


def _twips(length: int) -> int:
    return round(Emu(length).pt * 20)


class _Pictures:
    """Adds chart pictures to one document.

    python-docx's ``add_picture`` hashes every image already in the package and searches the whole
    document for the next shape id on each call, and naming a paragraph style looks it up among all
    styles: quadratic, seconds for a report of 200 charts. Here each image is hashed once, shape ids
    are counted (pictures are the only shapes, so the ids are the ones python-docx would give) and the
    two style ids are looked up once.
    """

    def __init__(self, doc: DocumentType) -> None:
        self.doc = doc
        self._by_sha1: dict[str, tuple[str, Image]] = {}
        self._next_shape_id = doc.part.next_id
        self._figure_style = doc.styles["Figure"].style_id
        self._caption_style = doc.styles["Caption"].style_id

    def add(self, chart: Chart | None, caption: str = "") -> None:
        """The chart in a Figure paragraph, kept on one page with its caption."""
        if chart is None or not chart.png:
            return
        figure = self._paragraph(self._figure_style)
        rid, image = self._image(chart.png)
        cx, cy = image.scaled_dimensions(FIGURE_WIDTH, None)
        figure.add_run()._r.add_drawing(CT_Inline.new_pic_inline(self._next_shape_id, rid, image.filename, cx, cy))
        self._next_shape_id += 1
        if caption:
            figure.paragraph_format.keep_with_next = True
            self._paragraph(self._caption_style).add_run(caption)

    def _paragraph(self, style_id: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = style_id
        return paragraph

    def _image(self, png: bytes) -> tuple[str, Image]:
        """The relationship id and image of ``png``, its part added on first use (same name as python-docx's)."""
        image = Image.from_blob(png)
        if image.sha1 not in self._by_sha1:
            parts = self.doc.part.package.image_parts
            part = ImagePart.from_image(image, PackURI(f"/word/media/image{len(parts) + 1}.{image.ext}"))
            parts.append(part)
            self._by_sha1[image.sha1] = (self.doc.part.relate_to(part, RT.IMAGE), image)
        return self._by_sha1[image.sha1]


def _chapter_heading(doc: DocumentType, n: int, title: str) -> None:
    """Chapter ``n``'s heading; later chapters start a new page. Page break before, not a break
    paragraph: after a page filled to the end, that paragraph would open a blank page."""
    heading = doc.add_heading(f"{NUMERALS[n]}、{title}", level=1)
    if n:
        heading.paragraph_format.page_break_before = True


def _summary(doc: DocumentType, ctx: ReportContext, charts: Mapping[str, Chart], pictures: _Pictures, n: int) -> None:
    _chapter_heading(doc, n, "总体情况")
    _paragraph(doc, ctx.summary_text)
    for note in ctx.notes:
        _paragraph(doc, note)
    _table(
        doc,
        [label for _, label, _ in ctx.status_counts] + ["合计"],
        [[c for _, _, c in ctx.status_counts] + [ctx.total]],
        fills=[{i: status_fill(s) for i, (s, _, c) in enumerate(ctx.status_counts) if c}],
    )
    for table in (ctx.by_category, ctx.by_attribute):
        body = [[name, *counts, total] for name, counts, total in (*table.rows, table.total_row())]
        _table(doc, [table.heading, *table.labels, "合计"], body)
    pictures.add(charts.get("status"), "图1 主要指标评估状态")
    pictures.add(charts.get("category"), "图2 分领域指标评估状态")


def _indicator_table(doc: DocumentType, rows: Sequence[IndicatorRow]) -> None:
    headers = ["序号", "指标", "单位", "基期值", "目标值", "最新实际（年份）", "应达值", "完成度", "状态", "来源"]
    body, fills = [], []
    for r in rows:
        c = r.cells
        source = "".join(f"[{n}]" for n in r.source_numbers)
        if r.finding.line:
            source += f" {place_in_plan(r.finding.line, r.finding.location)}"
        status = c["status"] + (f"（{c['warning']}）" if c["warning"] else "")
        body.append(
            [
                c["no"],
                c["name"],
                c["unit"],
                c["baseline"],
                c["target"],
                c["actual"],
                c["expected"],
                c["completion"],
                status,
                source,
            ]
        )
        fills.append({8: status_fill(r.status)})
    _table(doc, headers, body, fills=fills)


def _categories(doc: DocumentType, ctx: ReportContext, charts: Mapping[str, Chart], pictures: _Pictures, n: int) -> None:
    _chapter_heading(doc, n, "分领域指标评估")
    if not ctx.sections:
        _paragraph(doc, "没有可列出的指标评估结果。")
    for i, section in enumerate(ctx.sections):
        doc.add_heading(f"（{NUMERALS[i % 10]}）{section.name}", level=2)
        _indicator_table(doc, section.rows)
        for row in section.rows:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(28)
            lead = p.add_run(f"{row.cells['no']}{'. ' if row.cells['no'] else ''}{row.finding.indicator}。")
            lead.bold = True
            p.add_run(row.paragraph)
            pictures.add(charts.get(row.chart_key) if row.chart_key else None)


def _warnings(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    _chapter_heading(doc, n, "约束性指标滞后与预警")
    if ctx.lagging_binding:
        _table(
            doc,
            ["序号", "指标", "最新实际", "目标值", "完成度", "所需年均增速", "状态"],
            [
                [r.cells[k] for k in ("no", "name", "actual", "target", "completion", "required_rate", "status")]
                for r in ctx.lagging_binding
            ],
        )
    else:
        _paragraph(doc, f"截至{ctx.year}年，没有进度滞后或未实现的约束性指标。")
    if ctx.warnings:
        _paragraph(doc, f"预警指标（按目前趋势难以如期实现目标）共{len(ctx.warnings)}项：")
        for r in ctx.warnings:
            _paragraph(doc, f"{r.finding.indicator}：{r.paragraph}")
    else:
        _paragraph(doc, "没有触发预警的指标。")


def _adjustments(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    _chapter_heading(doc, n, "规划动态调整")
    if not ctx.adjustments:
        _paragraph(doc, "截至本报告，规划目标未作调整。")
        return
    _table(
        doc,
        ["指标", "原目标", "调整后目标", "日期", "理由", "依据文件"],
        [[a.indicator_name, a.old, a.new, a.date, a.reason, a.document] for a in ctx.adjustments],
    )


def _final_extras(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    _chapter_heading(doc, n, "其他目标任务和重大项目")
    doc.add_heading("（一）正文和专栏中的量化目标", level=2)
    if ctx.prose_targets:
        known = sum(1 for t in ctx.prose_targets if t.has_data)
        _paragraph(
            doc, f"共{len(ctx.prose_targets)}项，其中有实际数据{known}项，暂无数据{len(ctx.prose_targets) - known}项。"
        )
        _table(
            doc,
            ["目标", "目标值", "年份", "出处", "完成情况"],
            [
                [t.subject, t.target_text, t.year or "", f"{t.section}（{place_in_plan(t.line, t.location)}）", t.evidence]
                for t in ctx.prose_targets
            ],
        )
    else:
        _paragraph(doc, "规划正文中未识别出表外的量化目标。")
    doc.add_heading("（二）重大项目", level=2)
    if ctx.projects:
        _table(
            doc,
            ["项目", "规模", "出处", "进展"],
            [[p.name, p.figures, f"{p.section}（{place_in_plan(p.line, p.location)}）", p.evidence] for p in ctx.projects],
        )
    else:
        _paragraph(doc, "规划中未识别出带有规模数据的重大项目。")
    if ctx.previous:
        doc.add_heading("（三）上一个规划期主要指标完成情况", level=2)
        _table(
            doc,
            ["序号", "指标", "单位", "基期值", "目标值", "完成情况", "评估"],
            [[r.no, r.name, r.unit, r.baseline, r.target, r.outcome, r.status_label] for r in ctx.previous],
        )


def _tracking(doc: DocumentType, section: TrackingSection, n: int) -> None:
    """A tracking chapter (重大项目建设情况, 主要任务和重大改革推进情况): its paragraphs, then its captioned tables."""
    _chapter_heading(doc, n, section.title)
    for text in section.paragraphs:
        _paragraph(doc, text)
    for number, table in enumerate(section.tables, start=1):
        caption = doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        caption.add_run(f"表{number}　{table.caption}").bold = True
        if table.rows:
            _table(doc, table.headers, table.rows)
        else:
            _paragraph(doc, "无。")


def _sources(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    _chapter_heading(doc, n, "数据来源")
    for s in ctx.sources:
        _paragraph(doc, f"[{s.number}] {s.source}", indent=False)
    if ctx.observations:
        _table(
            doc,
            ["指标", "年份", "数值", "单位", "版本", "采用", "来源", "备注"],
            [
                [
                    o.indicator_name,
                    o.year,
                    o.value_text,
                    o.unit,
                    o.vintage,
                    "是" if o.used else "否",
                    f"[{o.source_number}]",
                    o.note,
                ]
                for o in ctx.observations
            ],
        )
    else:
        _paragraph(doc, "尚无观测数据。")


def _appendix(doc: DocumentType, ctx: ReportContext) -> None:
    doc.add_heading("附录　评估方法与状态定义", level=1)
    _paragraph(doc, f"评估方法：{ctx.method.label}（{ctx.method.code}）。")
    if ctx.method.settings:
        _table(doc, ["参数", "说明", "取值"], [list(s) for s in ctx.method.settings])
    _table(
        doc,
        ["状态", "含义"],
        [[label, definition] for _, label, definition in ctx.method.definitions],
        fills=[{0: status_fill(code)} for code, _, _ in ctx.method.definitions],
    )


def build_document(ctx: ReportContext, charts: Mapping[str, Chart]) -> DocumentType:
    """The Word document of a report."""
    doc = Document()
    _setup_styles(doc)
    _page_setup(doc)
    _title_page(doc, ctx)
    _page_number_footer(doc)
    doc.add_heading(ctx.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    pictures = _Pictures(doc)
    chapters = [
        lambda n: _summary(doc, ctx, charts, pictures, n),
        lambda n: _categories(doc, ctx, charts, pictures, n),
        lambda n: _warnings(doc, ctx, n),
        lambda n: _adjustments(doc, ctx, n),
    ]
    if ctx.final:
        chapters.append(lambda n: _final_extras(doc, ctx, n))
    chapters += [partial(_tracking, doc, tracked) for tracked in ctx.tracking]
    chapters.append(lambda n: _sources(doc, ctx, n))
    for n, chapter in enumerate(chapters):
        chapter(n)
    _appendix(doc, ctx)
    when = fixed_time(ctx)
    props = doc.core_properties
    props.author = props.last_modified_by = "planwatch"
    props.title = ctx.title
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    return doc


def write_docx(ctx: ReportContext, charts: Mapping[str, Chart], path: Path) -> Path:
    """Write the Word report to ``path``."""
    buf = io.BytesIO()
    build_document(ctx, charts).save(buf)
    path.write_bytes(stable_ooxml(buf.getvalue(), fixed_time(ctx)))
    return path
