"""Word writer (python-docx): an official-report look with title page, tables and charts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .archive import stable_ooxml
from .charts import Chart
from .context import IndicatorRow, ReportContext
from .palette import status_fill
from .xlsx import fixed_time

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(9)  # 小五
NUMERALS = "一二三四五六七八九十"


def _set_fonts(target, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian fonts of a style or run (python-docx sets only Latin)."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _setup_styles(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Heading 1", Pt(16)), ("Heading 2", Pt(15)), ("Title", Pt(22))):
        style = doc.styles[name]
        _set_fonts(style, HEADING_FONT if name != "Title" else TITLE_FONT)
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


def _page_setup(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


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


def _centred(doc: DocumentType, text: str, size: Pt, *, bold: bool = False, font: str = BODY_FONT,
             space_after: Pt = Pt(0)) -> None:
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


def _table(doc: DocumentType, headers: Sequence[str], rows: Sequence[Sequence], *,
           fills: Sequence[dict[int, str]] | None = None) -> None:
    """A grid table with a bold, repeating header row; ``fills`` shades cells by column."""
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Rows are built as XML: python-docx's cell API costs ~1 ms per cell, too slow for data tables.
    tbl = table._tbl
    tbl.append(parse_xml(_row_xml(headers, header=True, fills={i: "DDE4EC" for i in range(len(headers))})))
    for i, values in enumerate(rows):
        tbl.append(parse_xml(_row_xml(values, fills=fills[i] if fills else None)))
    doc.add_paragraph()


def _row_xml(values: Sequence, *, header: bool = False, fills: dict[int, str] | None = None) -> str:
    style = "TableHead" if header else "TableText"
    cells = []
    for j, value in enumerate(values):
        text = escape("" if value is None else str(value))
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fills[j]}"/>' if fills and j in fills else ""
        cells.append(
            f"<w:tc><w:tcPr>{shade}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
        )
    head = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr {nsdecls('w')}>{head}{''.join(cells)}</w:tr>"


def _picture(doc: DocumentType, chart: Chart | None, caption: str = "") -> None:
    if chart is None or not chart.png:
        return
    doc.add_picture(io.BytesIO(chart.png), width=Cm(15))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if caption:
        _centred(doc, caption, Pt(10.5))


def _summary(doc: DocumentType, ctx: ReportContext, charts: dict[str, Chart], n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、总体情况", level=1)
    _paragraph(doc, ctx.summary_text)
    for note in ctx.notes:
        _paragraph(doc, note)
    _table(doc, [label for _, label, _ in ctx.status_counts] + ["合计"],
           [[c for _, _, c in ctx.status_counts] + [ctx.total]],
           fills=[{i: status_fill(s) for i, (s, _, c) in enumerate(ctx.status_counts) if c}])
    for table in (ctx.by_category, ctx.by_attribute):
        body = [[name, *counts, total] for name, counts, total in table.rows + (table.total_row(),)]
        _table(doc, [table.heading, *table.labels, "合计"], body)
    _picture(doc, charts.get("status"), "图1 主要指标评估状态")
    _picture(doc, charts.get("category"), "图2 分领域指标评估状态")


def _indicator_table(doc: DocumentType, rows: Sequence[IndicatorRow]) -> None:
    headers = ["序号", "指标", "单位", "基期值", "目标值", "最新实际（年份）", "应达值", "完成度", "状态", "来源"]
    body, fills = [], []
    for r in rows:
        c = r.cells
        source = "".join(f"[{n}]" for n in r.source_numbers)
        if r.finding.line:
            source += f" 第{r.finding.line}行"
        status = c["status"] + ("（预警）" if r.finding.warning else "")
        body.append([c["no"], c["name"], c["unit"], c["baseline"], c["target"], c["actual"], c["expected"],
                     c["completion"], status, source])
        fills.append({8: status_fill(r.status)})
    _table(doc, headers, body, fills=fills)


def _categories(doc: DocumentType, ctx: ReportContext, charts: dict[str, Chart], n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、分领域指标评估", level=1)
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
            _picture(doc, charts.get(row.chart_key) if row.chart_key else None)


def _warnings(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、约束性指标滞后与预警", level=1)
    if ctx.lagging_binding:
        _table(doc, ["序号", "指标", "最新实际", "目标值", "完成度", "所需年均增速", "状态"],
               [[r.cells[k] for k in ("no", "name", "actual", "target", "completion", "required_rate", "status")]
                for r in ctx.lagging_binding])
    else:
        _paragraph(doc, f"截至{ctx.year}年，没有进度滞后或未实现的约束性指标。")
    if ctx.warnings:
        _paragraph(doc, f"预警指标（按目前趋势难以如期实现目标）共{len(ctx.warnings)}项：")
        for r in ctx.warnings:
            _paragraph(doc, f"{r.finding.indicator}：{r.paragraph}")
    else:
        _paragraph(doc, "没有触发预警的指标。")


def _adjustments(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、规划动态调整", level=1)
    if not ctx.adjustments:
        _paragraph(doc, "截至本报告，规划目标未作调整。")
        return
    _table(doc, ["指标", "原目标", "调整后目标", "日期", "理由", "依据文件"],
           [[a.indicator_name, a.old, a.new, a.date, a.reason, a.document] for a in ctx.adjustments])


def _final_extras(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、其他目标任务和重大项目", level=1)
    doc.add_heading("（一）正文和专栏中的量化目标", level=2)
    if ctx.prose_targets:
        known = sum(1 for t in ctx.prose_targets if t.has_data)
        _paragraph(doc, f"共{len(ctx.prose_targets)}项，其中有实际数据{known}项，暂无数据{len(ctx.prose_targets) - known}项。")
        _table(doc, ["目标", "目标值", "年份", "出处", "完成情况"],
               [[t.subject, t.target_text, t.year or "", f"{t.section}（第{t.line}行）", t.evidence]
                for t in ctx.prose_targets])
    else:
        _paragraph(doc, "规划正文中未识别出表外的量化目标。")
    doc.add_heading("（二）重大项目", level=2)
    if ctx.projects:
        _table(doc, ["项目", "规模", "出处", "进展"],
               [[p.name, p.figures, f"{p.section}（第{p.line}行）", p.evidence] for p in ctx.projects])
    else:
        _paragraph(doc, "规划中未识别出带有规模数据的重大项目。")
    if ctx.previous:
        doc.add_heading("（三）上一个规划期主要指标完成情况", level=2)
        _table(doc, ["序号", "指标", "单位", "基期值", "目标值", "完成情况", "评估"],
               [[r.no, r.name, r.unit, r.baseline, r.target, r.outcome, r.status_label] for r in ctx.previous])


def _sources(doc: DocumentType, ctx: ReportContext, n: int) -> None:
    doc.add_heading(f"{NUMERALS[n]}、数据来源", level=1)
    for s in ctx.sources:
        _paragraph(doc, f"[{s.number}] {s.source}", indent=False)
    if ctx.observations:
        _table(doc, ["指标", "年份", "数值", "单位", "版本", "采用", "来源", "备注"],
               [[o.indicator_name, o.year, o.value_text, o.unit, o.vintage, "是" if o.used else "否",
                 f"[{o.source_number}]", o.note] for o in ctx.observations])
    else:
        _paragraph(doc, "尚无观测数据。")


def _appendix(doc: DocumentType, ctx: ReportContext) -> None:
    doc.add_heading("附录　评估方法与状态定义", level=1)
    _paragraph(doc, f"评估方法：{ctx.method.label}（{ctx.method.code}）。")
    if ctx.method.settings:
        _table(doc, ["参数", "说明", "取值"], [list(s) for s in ctx.method.settings])
    _table(doc, ["状态", "含义"], [[label, definition] for _, label, definition in ctx.method.definitions],
           fills=[{0: status_fill(code)} for code, _, _ in ctx.method.definitions])


def build_document(ctx: ReportContext, charts: dict[str, Chart]) -> DocumentType:
    """The Word document of a report."""
    doc = Document()
    _setup_styles(doc)
    _page_setup(doc)
    _title_page(doc, ctx)
    _page_number_footer(doc)
    doc.add_heading(ctx.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    chapters = [lambda n: _summary(doc, ctx, charts, n), lambda n: _categories(doc, ctx, charts, n),
                lambda n: _warnings(doc, ctx, n), lambda n: _adjustments(doc, ctx, n)]
    if ctx.final:
        chapters.append(lambda n: _final_extras(doc, ctx, n))
    chapters.append(lambda n: _sources(doc, ctx, n))
    for n, chapter in enumerate(chapters):
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        chapter(n)
    _appendix(doc, ctx)
    when = fixed_time(ctx)
    props = doc.core_properties
    props.author = props.last_modified_by = "planwatch"
    props.title = ctx.title
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    return doc


def write_docx(ctx: ReportContext, charts: dict[str, Chart], path: Path) -> Path:
    """Write the Word report to ``path``."""
    buf = io.BytesIO()
    build_document(ctx, charts).save(buf)
    path.write_bytes(stable_ooxml(buf.getvalue(), fixed_time(ctx)))
    return path
