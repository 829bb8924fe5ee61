"""ingest/readers: the Jiaxing outline as .docx, .pdf and .html ingests to the same plan as the .txt.

The documents are built from the shipped text (tests/ingest/formats.py) as offices make them;
the PDF is LibreOffice's export of the .docx. Hostile files are refused with a clear message.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest

from planwatch.cli import main
from planwatch.errors import PlanFormatError
from planwatch.ingest import read_document, read_plan
from planwatch.ingest.document import MAX_PLAN_BYTES
from planwatch.ingest.readers import READERS

from .formats import blocks_of, build_docx, build_html, pdf_from_docx

HAS_SOFFICE = shutil.which("soffice") is not None
FORMATS = ["docx", "html", pytest.param("pdf", marks=[
    pytest.mark.libreoffice, pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")])]
LINE_FIELDS = {"line", "line_end", "location"}  # places differ by format by design


@pytest.fixture(scope="session")
def format_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("formats")


@pytest.fixture(scope="session")
def outline_blocks(outline_path):
    return blocks_of(outline_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def outline_files(format_dir, outline_blocks):
    """Format → path of the Jiaxing outline in that format (the PDF made on first use)."""
    files = {"docx": build_docx(outline_blocks, format_dir / "jiaxing.docx"),
             "html": build_html(outline_blocks, format_dir / "jiaxing.html")}
    return files


@pytest.fixture(scope="session")
def outline_plans(outline_files, format_dir):
    """Format → Plan, each format read once."""
    cache: dict = {}

    def plan_of(kind: str):
        if kind not in cache:
            if kind == "pdf" and "pdf" not in outline_files:
                outline_files["pdf"] = pdf_from_docx(outline_files["docx"], format_dir)
            cache[kind] = read_plan(outline_files[kind])
        return cache[kind]

    return plan_of


def without_lines(item) -> dict:
    """An item's fields without the line numbers, which differ by format."""
    data = item.model_dump(exclude=LINE_FIELDS)
    if "parts" in data:
        data["parts"] = [{k: v for k, v in part.items() if k not in LINE_FIELDS} for part in data["parts"]]
    return data


def table_rows(plan, label: str) -> list[dict]:
    return [without_lines(i) for i in plan.indicators if i.table == label]


@pytest.mark.parametrize("kind", FORMATS)
def test_table2_is_cell_exact(kind, outline_plans, jiaxing_plan):
    plan = outline_plans(kind)
    rows = table_rows(plan, "表2")
    assert len(rows) == 38
    assert rows == table_rows(jiaxing_plan, "表2")
    by_id = {i.id: i for i in plan.indicators}
    gdp = by_id["T2-1"]
    assert (gdp.category, gdp.name, gdp.unit, gdp.baseline.value, gdp.target.text, gdp.target.value) == \
        ("经济发展", "地区生产总值", "亿元", 5509.5, "9000", 9000.0)
    assert gdp.attribute is not None and gdp.attribute.value == "anticipatory"
    pm = by_id["T2-18"]
    assert (pm.name, pm.unit, pm.baseline.value, pm.target.text, pm.target.value, pm.target.comparator.value) == \
        ("设区城市细颗粒物(PM2.5)平均浓度", "微克/立方米", 28.0, "27以下", 27.0, "at_most")
    assert by_id["T2-5"].category == "科技创新"  # a merged category cell that the PDF breaks over two pages
    assert by_id["T2-8.1"].cells == ["", "", "# 数字经济核心产业增加值占地区生产总值比重", "%", "9", "15", ""]
    assert by_id["T2-16"].target.cumulative and by_id["T2-16"].target.value == 16.0


@pytest.mark.parametrize("kind", FORMATS)
def test_table1_rows_are_the_texts(kind, outline_plans, jiaxing_plan):
    rows, expected = table_rows(outline_plans(kind), "表1"), table_rows(jiaxing_plan, "表1")
    if kind == "pdf":
        # LibreOffice drops the space where it wraps '[23.3] (省下达)' inside its narrow cell.
        for row in rows + expected:
            row["cells"] = [re.sub(r"\s+", "", c) for c in row["cells"]]
    assert len(rows) == 34
    assert rows == expected


@pytest.mark.parametrize("kind", FORMATS)
def test_prose_targets_projects_and_outline_are_the_texts(kind, outline_plans, jiaxing_plan):
    plan = outline_plans(kind)
    assert [without_lines(t) for t in plan.targets] == [without_lines(t) for t in jiaxing_plan.targets]
    assert [t.quote for t in plan.targets][:2] == [t.quote for t in jiaxing_plan.targets][:2]
    assert [without_lines(p) for p in plan.projects] == [without_lines(p) for p in jiaxing_plan.projects]
    assert [without_lines(a) for a in plan.achievements] == [without_lines(a) for a in jiaxing_plan.achievements]
    assert [(n.id, n.kind, n.title) for n in plan.outline] == [(n.id, n.kind, n.title) for n in jiaxing_plan.outline]
    assert plan.warnings == jiaxing_plan.warnings


@pytest.mark.parametrize("kind, table_row, paragraph", [
    ("docx", r"^表2 第\d+行$", r"^段 \d+$"),
    ("html", r"^表2 第\d+行$", r"^段 \d+$"),
    pytest.param("pdf", r"^p\.(8|9|10) 表2 第\d+行$", r"^p\.\d+$", marks=FORMATS[2].marks),
])
def test_lines_keep_a_location_a_person_can_find(kind, table_row, paragraph, outline_plans, outline_files):
    plan = outline_plans(kind)
    doc = read_document(outline_files[kind])
    grain = next(i for i in plan.indicators if i.id == "T2-37")
    assert re.match(table_row, doc.location(grain.line))
    assert re.match(paragraph, doc.location(plan.targets[0].line))
    project = doc.location(plan.projects[0].line)
    assert project.endswith("段") and "专栏3" in project
    # The plan keeps those places on its items, so reports and pages point into the file a person holds.
    assert (grain.location, plan.targets[0].location, plan.projects[0].location) == \
        (doc.location(grain.line), doc.location(plan.targets[0].line), project)
    assert all(t.location for t in plan.tasks)


def test_text_lines_are_their_own_location(jiaxing_document, jiaxing_plan):
    assert jiaxing_document.locations == []
    assert jiaxing_document.location(12) == "第 12 行"
    assert all(i.location is None for i in jiaxing_plan.indicators)  # a .txt's line numbers are its places


def test_a_report_points_into_the_word_file(outline_plans):
    from planwatch.evaluate import evaluate
    from planwatch.presentation.sentences import indicator_paragraph

    plan = outline_plans("docx")
    gdp = next(f for f in evaluate(plan, [], 2024).findings if f.indicator_id == "T2-1")
    assert gdp.location and gdp.location.startswith("表2 第")
    assert f"指标见规划纲要{gdp.location}" in indicator_paragraph(gdp, target_year=2025)


# ---------------------------------------------------------------- hostile files


def refused(path) -> str:
    with pytest.raises(PlanFormatError) as info:
        read_plan(path)
    assert info.value.file == str(path)
    return str(info.value)


def test_corrupt_docx_is_refused(tmp_path):
    renamed = tmp_path / "renamed.docx"
    renamed.write_text("一、总则\n这不是 Word 文档。\n", encoding="utf-8")
    assert "不是有效的 Word 文档" in refused(renamed)
    garbage = tmp_path / "garbage.docx"
    with zipfile.ZipFile(garbage, "w") as package:
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("word/document.xml", b"\x00\x01garbage")
    assert "Word 文档已损坏" in refused(garbage)
    truncated = tmp_path / "truncated.docx"
    good = io.BytesIO()
    build_docx(blocks_of("一、总则\n到2025年，地区生产总值达到9000亿元。\n"), tmp_path / "small.docx")
    good.write((tmp_path / "small.docx").read_bytes())
    truncated.write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    assert "Word" in refused(truncated)


def test_old_word_file_named_docx_is_refused(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert ".doc" in refused(path) and "密码" in refused(path)


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (101 * 1024 * 1024))
    assert path.stat().st_size < MAX_PLAN_BYTES
    assert "解压后过大" in refused(path)


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_oversized_file_is_refused_in_every_format(tmp_path, suffix):
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    assert "规划文件过大（200.0 MB）" in refused(path)


def test_scanned_pdf_is_refused(tmp_path):
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(page).rectangle((100, 100, 1100, 300), outline="black", width=5)
    path = tmp_path / "scan.pdf"
    page.save(path, "PDF", resolution=150)
    assert "扫描版 PDF" in refused(path)


def test_damaged_pdf_is_refused(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert "PDF" in refused(path)
    named = tmp_path / "named.pdf"
    named.write_text("一、总则\n", encoding="utf-8")
    assert "不是 PDF" in refused(named)


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_encrypted_pdf_is_refused(tmp_path):
    source = build_docx(blocks_of("一、总则\n到2025年，地区生产总值达到9000亿元。\n"), tmp_path / "secret.docx")
    options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", options,
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    assert "PDF 已加密" in refused(tmp_path / "secret.pdf")


def test_html_page_without_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav><a href='/'>首页</a></nav><script>load()</script></body></html>",
                    encoding="utf-8")
    assert "没有找到正文" in refused(path)


def test_gbk_page_is_read_by_its_declared_charset(tmp_path, jiaxing_plan, outline_files):
    page = outline_files["html"].read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gbk"')
    page = page.replace("<meta charset=utf-8>", "<meta charset=gbk>").replace('<meta charset="utf-8">',
                                                                                 '<meta charset="gbk">')
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gb18030"))
    plan = read_plan(path)
    assert plan.meta.encoding == "gb18030"
    assert table_rows(plan, "表2") == table_rows(jiaxing_plan, "表2")


@pytest.mark.parametrize("name, content, says", [
    ("bad.docx", b"PK\x03\x04 not really a zip", "Word"),
    ("scan.pdf", None, "扫描版"),
])
def test_cli_refuses_with_a_message_and_no_traceback(tmp_path, capsys, name, content, says):
    path = tmp_path / name
    if content is None:
        from PIL import Image

        Image.new("RGB", (600, 800), "white").save(path, "PDF")
    else:
        path.write_bytes(content)
    assert main(["ingest", str(path)]) != 0
    captured = capsys.readouterr()
    assert says in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out
