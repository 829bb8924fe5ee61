"""The Word reports as LibreOffice lays them out: charts drawn whole, table columns wide enough for
their words, indicator names not wrapped a character a line, Chinese drawn in a CJK face.

Each report kind is built from the real Jiaxing store, converted to PDF by ``soffice`` and read
back with pdfplumber. CI installs LibreOffice and poppler-utils: a missing tool is a failure, not a
skip. One page of each report is kept as PNG in tests/output/ for a person to look at.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import statistics
import subprocess
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from lxml import etree
from PIL import ImageFont

from planwatch.report import fonts

pytestmark = pytest.mark.libreoffice

OUTPUT = Path(__file__).resolve().parents[1] / "output"  # tests/output/, kept after the run
KINDS = {"annual": 2024, "midterm": None, "final": None}
SOFFICE_TIMEOUT = 120  # seconds; a first start builds the LibreOffice profile

EMU_PER_PT = 12700
TWIPS_PER_PT = 20
TABLE_FONT_PT = 9  # 小五, the size of every table's text
NAME_MIN_CHARS = 8  # the indicator-name column holds at least this many characters a line
MIN_HEIGHT_RATIO = 0.8  # a chart may lose a little to rounding, never most of itself
SHORT_HEADER_CHARS = 4  # 序号, 单位, 完成度: a header this short must not wrap
NAME_HEADERS = ("指标", "目标", "项目")
INDICATOR_HEADER = "序号指标单位"  # the start of an indicator table's header line

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
LATIN_TOKEN = re.compile(r"[\x21-\x7e]+")  # a run of printable ASCII: a number, code or word
WORD_BREAK = re.compile(r"(?<=[-/])(?=[A-Za-z])")  # lines may break in 1-year, and/or


def _require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is not installed (apt-get install {package}); the Word layout tests need it"
    return path


def _convert_to_pdf(docx: Path, out: Path) -> Path:
    """``docx`` rendered by LibreOffice, with a profile of its own so parallel runs do not clash."""
    soffice = _require("soffice", "libreoffice-writer-nogui")
    profile = (out / "lo").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=SOFFICE_TIMEOUT,
        check=False,  # judged by the PDF below
    )
    pdf = out / docx.with_suffix(".pdf").name
    assert pdf.exists(), f"soffice made no PDF of {docx.name}:\n{result.stdout}\n{result.stderr}"
    return pdf


@pytest.fixture(scope="module", params=list(KINDS))
def rendered(request, jiaxing_store_shared, tmp_path_factory):
    """(kind, .docx path, .pdf path) of one report kind built from the real Jiaxing store."""
    from planwatch.report import build_reports

    kind = request.param
    out = tmp_path_factory.mktemp(f"layout-{kind}")
    (docx,) = build_reports(jiaxing_store_shared, kind, KINDS[kind], out, formats=("docx",))
    return kind, docx, _convert_to_pdf(docx, out)


def _document_xml(docx: Path):
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read("word/document.xml"))


@dataclass(frozen=True)
class PdfText:
    """What the tests read from a rendered PDF's text, read once per PDF (pdfplumber is slow)."""

    table_lines: list[str]  # each line set at the table font size, spaces dropped
    cjk_faces: set[str]  # fonts that draw Chinese characters
    pages: list[tuple[int, bool]]  # per page: pictures placed, holds an indicator table


@lru_cache(maxsize=3)
def _pdf_text(pdf: Path) -> PdfText:
    lines, faces, pages = [], set(), []
    with pdfplumber.open(pdf) as plumber:
        for page in plumber.pages:
            # A table row's cells side by side on one line; a wrapped cell continues on the next.
            page_lines = [
                "".join(c["text"] for c in line["chars"] if _in_table(c)).replace(" ", "")
                for line in page.extract_text_lines(return_chars=True)
            ]
            lines += [line for line in page_lines if line]
            faces |= {c["fontname"].split("+")[-1] for c in page.chars if "\u4e00" <= c["text"] <= "\u9fff"}
            pages.append((len(page.images), any(line.startswith(INDICATOR_HEADER) for line in page_lines)))
    return PdfText(table_lines=lines, cjk_faces=faces, pages=pages)


def _in_table(char: dict) -> bool:
    return abs(char["size"] - TABLE_FONT_PT) < 0.5


# ---------------------------------------------------------------- charts


def _intended_heights(docx: Path) -> list[float]:
    """Heights in pt that docx.py gave the pictures (inline extents), in document order."""
    return [int(e.get("cy")) / EMU_PER_PT for e in _document_xml(docx).iterfind(".//wp:inline/wp:extent", NS)]


def _clip_box(image) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) of the clip path an image is drawn through, if any."""
    raw = pypdfium2.raw
    clip = raw.FPDFPageObj_GetClipPath(image.raw)
    if not clip:
        return None
    boxes = []
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for seg in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            x, y = ctypes.c_float(), ctypes.c_float()
            raw.FPDFPathSegment_GetPoint(raw.FPDFClipPath_GetPathSegment(clip, path, seg), x, y)
            xs.append(x.value)
            ys.append(y.value)
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    # The drawn area is inside every clip path at once.
    return (max(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes), min(b[3] for b in boxes))


def _drawn_heights(pdf: Path) -> list[float]:
    """Heights in pt of the pictures as drawn, page by page, top to bottom.

    pdfplumber's image boxes give where a picture is placed, not what is seen: a picture squeezed
    into an exact-height line is placed at full size and clipped to the line. The clip path, read
    with pypdfium2 (the renderer pdfplumber itself uses), gives the part actually drawn."""
    heights = []
    placed = [images for images, _ in _pdf_text(pdf).pages]
    document = pypdfium2.PdfDocument(pdf)
    for number, page in enumerate(document):
        drawn = []
        for image in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
            _, bottom, _, top = image.get_bounds()
            clip = _clip_box(image)
            if clip:
                bottom, top = max(bottom, clip[1]), min(top, clip[3])
            drawn.append((-top, max(0.0, top - bottom)))
        assert len(drawn) == placed[number], f"page {number + 1}: pdfplumber and pdfium see different images"
        heights += [h for _, h in sorted(drawn)]
    document.close()
    return heights


def test_charts_are_drawn_whole(rendered):
    kind, docx, pdf = rendered
    intended, drawn = _intended_heights(docx), _drawn_heights(pdf)
    assert len(intended) > 2 and len(drawn) == len(intended), (kind, len(drawn), len(intended))
    ratios = [d / i for d, i in zip(drawn, intended, strict=True)]
    print(f"{kind}: {len(ratios)} charts, smallest drawn/intended height {min(ratios):.3f}")
    clipped = [
        (n, round(d), round(i))
        for n, (d, i) in enumerate(zip(drawn, intended, strict=True), 1)
        if d < MIN_HEIGHT_RATIO * i
    ]
    assert not clipped, f"{kind}: charts drawn shorter than intended (no., drawn pt, intended pt): {clipped}"


# ---------------------------------------------------------------- tables


MEASURE_SCALE = 100  # measure text at 100x the table size: getlength rounds to whole pixels


@lru_cache(maxsize=2)
def _latin_font(bold: bool) -> ImageFont.FreeTypeFont:
    """Times New Roman as fontconfig (and so LibreOffice) substitutes it, at 100x the table size."""
    pattern = "Times New Roman:bold" if bold else "Times New Roman"
    path = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True).stdout
    return ImageFont.truetype(path, TABLE_FONT_PT * MEASURE_SCALE)


def _latin_width_pt(text: str, *, bold: bool) -> float:
    return _latin_font(bold).getlength(text) / MEASURE_SCALE


def _is_cjk(text: str) -> bool:
    return all(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def _needed_pt(header: str, cells: list[str]) -> float:
    """Width the longest unbreakable token of a column needs: a Latin run (7569.53, [1][2],
    preliminary) or a short CJK header, which would read wrongly broken."""
    widths = [_latin_width_pt(t, bold=False) for text in cells for t in LATIN_TOKEN.findall(text)]
    widths += [_latin_width_pt(t, bold=True) for t in LATIN_TOKEN.findall(header)]
    if _is_cjk(header) and len(header) <= SHORT_HEADER_CHARS:
        widths.append(len(header) * TABLE_FONT_PT)
    return max(widths, default=0.0)


def _tables(docx: Path) -> list[dict]:
    """Each table's grid widths, cell margins, header and body texts, as pt."""
    tables = []
    for tbl in _document_xml(docx).iterfind(".//w:tbl", NS):
        margins = [int(m.get(f"{{{NS['w']}}}w")) for m in tbl.iterfind("w:tblPr/w:tblCellMar/*", NS)]
        rows = [["".join(tc.itertext()) for tc in tr.iterfind("w:tc", NS)] for tr in tbl.iterfind("w:tr", NS)]
        tables.append(
            {
                "tbl": tbl,
                "grid": [int(g.get(f"{{{NS['w']}}}w")) / TWIPS_PER_PT for g in tbl.iterfind("w:tblGrid/w:gridCol", NS)],
                "padding": sum(margins) / TWIPS_PER_PT,
                "header": rows[0],
                "body": rows[1:],
            }
        )
    return tables


def _name_column(table: dict) -> int | None:
    """Index of the column of indicator (or target, project) names, if the table has one."""
    header = table["header"]
    for j, title in enumerate(header):
        cells = [row[j] for row in table["body"]]
        if title in NAME_HEADERS and cells and statistics.median(map(len, cells)) > SHORT_HEADER_CHARS:
            return j
    return None


def _text_width_pt(docx: Path) -> float:
    sect = _document_xml(docx).find(".//w:body/w:sectPr", NS)
    w = f"{{{NS['w']}}}"
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    return (int(size.get(w + "w")) - int(margins.get(w + "left")) - int(margins.get(w + "right"))) / TWIPS_PER_PT


def test_table_layout_is_fixed_with_repeated_header(rendered):
    kind, docx, _ = rendered
    w = f"{{{NS['w']}}}"
    text_width = _text_width_pt(docx)
    for n, table in enumerate(_tables(docx), 1):
        tbl = table["tbl"]
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(w + "type") == "fixed", (kind, n)
        assert tbl.find("w:tr/w:trPr/w:tblHeader", NS) is not None, (kind, n)
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in tbl.iterfind("w:tr", NS)), (kind, n)
        assert sum(table["grid"]) <= text_width + 0.5, (kind, n, sum(table["grid"]), text_width)
        for tr in tbl.iterfind("w:tr", NS):  # each cell repeats its grid width: LibreOffice reads tcW
            cell_widths = [int(tc.get(w + "w")) / TWIPS_PER_PT for tc in tr.iterfind("w:tc/w:tcPr/w:tcW", NS)]
            assert cell_widths == table["grid"], (kind, n)


def test_columns_fit_their_longest_token(rendered):
    kind, docx, _ = rendered
    narrow, name_chars = [], []
    for n, table in enumerate(_tables(docx), 1):
        for j, (width, header) in enumerate(zip(table["grid"], table["header"], strict=True)):
            cells = [row[j] for row in table["body"]]
            needed = _needed_pt(header, cells) + table["padding"]
            if width < needed:
                narrow.append((n, header, round(width, 1), round(needed, 1)))
        name = _name_column(table)
        if name is not None:
            name_chars.append((table["grid"][name] - table["padding"]) / TABLE_FONT_PT)
    assert not narrow, f"{kind}: columns narrower than their longest token (table, header, pt, needed pt): {narrow}"
    assert name_chars, f"{kind}: no table with an indicator-name column"
    print(f"{kind}: narrowest name column holds {min(name_chars):.2f} characters")
    assert min(name_chars) >= NAME_MIN_CHARS, (kind, [round(c, 2) for c in name_chars])


def test_indicator_names_are_not_broken_into_characters(rendered):
    kind, docx, pdf = rendered
    lines = _pdf_text(pdf).table_lines
    assert any("地区生产总值" in line for line in lines), f"{kind}: 地区生产总值 is not whole on one table line"
    names = {row[_name_column(t)] for t in _tables(docx) if _name_column(t) is not None for row in t["body"]}
    # A name wraps, but its first line holds several characters (not 地区生 / 产总值).
    prefixes = {n: n.replace(" ", "")[:6] for n in names if n}
    broken = sorted(n for n, prefix in prefixes.items() if not any(prefix in line for line in lines))
    assert not broken, f"{kind}: names whose first table line is under six characters: {broken}"


def test_numbers_and_codes_are_not_broken(rendered):
    """Every Latin token of the tables' cells (7569.53, 72.3%, [1][2]) is whole on a rendered line:
    the grid check above trusts a model of where lines break, this one what LibreOffice did."""
    kind, docx, pdf = rendered
    cells = [cell for table in _tables(docx) for row in table["body"] for cell in row]
    wanted = Counter(
        piece for cell in cells for token in LATIN_TOKEN.findall(cell) for piece in WORD_BREAK.split(token)
    )
    found = Counter()
    for line in _pdf_text(pdf).table_lines:
        found.update({t: line.count(t) for t in wanted if t in line})
    broken = sorted(t for t, n in wanted.items() if found[t] < n)
    assert not broken, f"{kind}: tokens broken across lines in the tables: {broken[:20]}"


# ---------------------------------------------------------------- fonts and a page to look at


def test_chinese_is_drawn_in_a_cjk_face(rendered):
    kind, docx, pdf = rendered
    faces = [f.replace(" ", "").lower() for f in fonts.PREFERRED_FAMILIES]
    used = _pdf_text(pdf).cjk_faces
    assert used and all(any(u.lower().startswith(f) for f in faces) for u in used), (kind, used)
    # The document keeps the 公文 names a Word user on Windows has.
    styles = _styles_xml(docx)
    for style, face in (
        ("Normal", fonts.BODY_FONT),
        ("Heading1", fonts.HEADING_FONT),
        ("Heading2", fonts.SUBHEADING_FONT),
        ("Title", fonts.TITLE_FONT),
    ):
        rfonts = styles.find(f".//w:style[@w:styleId='{style}']/w:rPr/w:rFonts", NS)
        assert rfonts.get(f"{{{NS['w']}}}eastAsia") == face, (style, face)
        assert rfonts.get(f"{{{NS['w']}}}eastAsiaTheme") is None, style  # a theme font would win in Word


def _styles_xml(docx: Path):
    with zipfile.ZipFile(docx) as z:
        return etree.parse(io.BytesIO(z.read("word/styles.xml")))


def _sample_page(pdf: Path) -> int:
    """The first page with an indicator table and a chart, else the first with an indicator table."""
    pages = _pdf_text(pdf).pages
    both = [n for n, (images, table) in enumerate(pages, 1) if images and table]
    tables = [n for n, (_, table) in enumerate(pages, 1) if table]
    assert tables, "no page holds an indicator table"
    return (both or tables)[0]


def test_sample_page_saved_as_png(rendered):
    kind, _, pdf = rendered
    pdftoppm = _require("pdftoppm", "poppler-utils")
    OUTPUT.mkdir(exist_ok=True)
    page = _sample_page(pdf)
    stem = OUTPUT / f"docx-{kind}-page{page}"
    for old in OUTPUT.glob(f"docx-{kind}-page*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-r", "60", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    assert stem.with_suffix(".png").stat().st_size > 10_000
