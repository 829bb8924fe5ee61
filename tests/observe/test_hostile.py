"""Hostile input files through ``planwatch import``: each is refused with a clear Chinese message naming
the file, row or cell, no traceback, and the store exactly as it was (``export --revisions`` and the
import records compared before and after). Spreadsheet bombs are built here with zipfile, small on disk.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from planwatch.cli import evaluate_cmd, main
from planwatch.cli.json_output import dumps
from planwatch.store import schema

HEADER = "indicator,region,year,value,unit,source,note"
SEED = f"{HEADER}\n1,嘉兴市,2020,5509.52,亿元,u1,初步\n1,嘉兴市,2020,5563.58,亿元,u2,最终核实\n1,嘉兴市,2021,6355.28,亿元,u3,\n"
CONSOLE_SCRIPT = Path(sys.executable).with_name("planwatch")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(*args: object) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def db(hand_store, tmp_path) -> str:
    """The hand store's URL, seeded with three imported values (one a revision)."""
    seed = tmp_path / "seed.csv"
    seed.write_text(SEED, encoding="utf-8")
    result = cli("import", seed, "--db", hand_store.url)
    assert result.code == 0, result.text
    return hand_store.url


def snapshot(db: str, tmp_path: Path) -> tuple[bytes, int]:
    """What the store holds: the export of every revision, and the number of import records."""
    out = tmp_path / f"snapshot-{time.monotonic_ns()}.csv"
    result = cli("export", out, "--revisions", "--db", db)
    assert result.code == 0, result.text
    from planwatch.store import open_store

    store = open_store(db)
    try:
        with store.read() as conn:
            imports = conn.execute(select(func.count()).select_from(schema.imports)).scalar_one()
    finally:
        store.dispose()
    return out.read_bytes(), imports


def refused(db: str, tmp_path: Path, path: Path, *needles: str, args: tuple[str, ...] = ()) -> Result:
    """Import ``path``: exit 1, every needle in stderr, no traceback, the store unchanged."""
    before = snapshot(db, tmp_path)
    result = cli("import", path, *args, "--db", db)
    assert result.code == 1, result.text
    assert "Traceback" not in result.text and "内部错误" not in result.text, result.text
    assert "错误：" in result.err
    for needle in (path.name, *needles):
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"
    assert snapshot(db, tmp_path) == before
    return result


# ----------------------------------------------------------------------------- XLSX built by hand

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
COLUMNS = "ABCDEFG"
GOOD_ROWS = [["indicator", "region", "year", "value", "unit"], [1, "嘉兴市", 2022, 6739.45, "亿元"]]


def cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(n: int, values: list, *extra: str) -> str:
    return f'<row r="{n}">' + "".join(cell(f"{COLUMNS[i]}{n}", v) for i, v in enumerate(values)) + "".join(extra) + "</row>"


def write_xlsx(path: Path, rows: list[str], *, dimension: str | None = None, shared_bytes: int = 0) -> Path:
    """A minimal workbook; ``shared_bytes`` streams one shared string of that many bytes (small once deflated)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {MAIN}><si><t>'.encode())
            chunk = b"A" * (1 << 20)
            for start in range(0, shared_bytes, len(chunk)):
                fh.write(chunk[: shared_bytes - start])
            fh.write(b"</t></si></sst>")
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>{dim}<sheetData>{"".join(rows)}</sheetData>'
                   "</worksheet>")
    return path


def good_rows() -> list[str]:
    return [row(n, values) for n, values in enumerate(GOOD_ROWS, start=1)]


# ----------------------------------------------------------------------------- the hostile files


def last_column_bomb(path: Path) -> Path:
    """The used range declared as the whole sheet, A1:XFD1048576."""
    return write_xlsx(path, [*good_rows(), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'],
                      dimension="A1:XFD1048576")


def million_row_dimension(path: Path) -> Path:
    return write_xlsx(path, good_rows(), dimension="A1:E1048576")


def undeclared_last_column(path: Path) -> Path:
    """No <dimension>: the row itself reaches XFD, found while streaming."""
    return write_xlsx(path, [good_rows()[0], row(2, GOOD_ROWS[1], '<c r="XFD2"><v>1</v></c>')])


def lying_dimension(path: Path) -> Path:
    """<dimension> says A1:E2, but a value sits on row 200,000."""
    return write_xlsx(path, [*good_rows(), row(200_000, [1, "嘉兴市", 2023, 7062.5, "亿元"])], dimension="A1:E2")


def row_element_bomb(path: Path) -> Path:
    """One row of two million empty cells (22 MB of XML, 30 KB on disk): 700 MB through openpyxl."""
    return write_xlsx(path, [good_rows()[0], '<row r="2">' + '<c r="A2"/>' * 2_000_000 + "</row>"])


def past_last_column(path: Path) -> Path:
    """Cells without references counted past XFD: a malformed sheet."""
    return write_xlsx(path, [good_rows()[0], '<row r="2">' + "<c/>" * 20_000 + "</row>"])


def entity_bomb(path: Path) -> Path:
    """Shared strings with nested entities ("billion laughs"): expat refuses the amplification."""
    write_xlsx(path, good_rows())
    lol = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE sst [{lol}]><sst {MAIN}><si><t>&a9;</t></si></sst>'
    rewrite(path, "xl/sharedStrings.xml", bomb)
    return path


def no_workbook(path: Path) -> Path:
    write_xlsx(path, good_rows())
    rewrite(path, "_rels/.rels", PACKAGE_RELS.replace("xl/workbook.xml", "xl/missing.xml"))
    return path


def rewrite(path: Path, member: str, text: str) -> None:
    """Replace one member of a zip archive."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts[member] = text.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def shared_string_bomb(path: Path) -> Path:
    """One 80 MB shared string (the limit is 64 MB), under 100 KB on disk."""
    return write_xlsx(path, good_rows(), shared_bytes=80 * 1024 * 1024)


def long_cell_xlsx(path: Path) -> Path:
    return write_xlsx(path, [good_rows()[0], row(2, [1, "嘉兴市", 2022, 6739.45, "亿元"]),
                             row(3, [1, "嘉兴市", 2023, 7062.5, "亿元"], f'<c r="F3" t="inlineStr"><is><t>{"长" * 40_000}</t></is></c>')])


def infinite_xlsx(path: Path) -> Path:
    return write_xlsx(path, [good_rows()[0], row(2, [1, "嘉兴市", 2022, "1e309", "亿元"]).replace(
        't="inlineStr"><is><t>1e309</t></is>', '><v>1e309</v>')])


def formula_xlsx(path: Path) -> Path:
    """Formulas written by a script: openpyxl saves no result for them."""
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "value", "unit", "note"])
    sheet.append([1, "嘉兴市", 2022, 6739.45, "亿元", "ok"])
    sheet.append([1, "嘉兴市", 2023, 7062.5, "亿元", "ok"])
    sheet.append([1, "嘉兴市", 2024, "=C3*2", "亿元", None])
    sheet.append([1, "嘉兴市", 2025, "=D3+1", "亿元", "=F2"])
    book.save(path)
    return path


def zip_not_xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return path


def text_named_xlsx(path: Path) -> Path:
    path.write_text(SEED, encoding="utf-8")
    return path


def write(content: bytes) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return build


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode(encoding)


def stray_byte_utf8(path: Path) -> Path:
    """UTF-8 with one stray byte after 初步数 that happens to be valid GB18030 as a whole."""
    data = csv_bytes("1,,2021,6355.28,亿元,u1,初步数", "1,,2021,6388.38,亿元,u2,年报数据").replace(
        "初步数".encode(), "初步数".encode() + b"\xb0")
    data.decode("gb18030")  # the old reader would have taken it whole, garbled
    path.write_bytes(data)
    return path


def ten_megabyte_line(path: Path) -> Path:
    path.write_bytes(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1," + "x" * (10 * 1024 * 1024)))
    return path


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    build: Callable[[Path], Path]
    needles: tuple[str, ...]
    args: tuple[str, ...] = ()


CASES = [
    # 3. spreadsheet bombs and limits
    Case("last-column-bomb", "bomb.xlsx", last_column_bomb,
         ("工作表 Sheet1 的已用区域为 A1:XFD1048576", "1048576 行 × 16384 列", "超过上限")),
    Case("million-row-dimension", "rows.xlsx", million_row_dimension, ("A1:E1048576", "超过上限（100000 行")),
    Case("undeclared-last-column", "wide.xlsx", undeclared_last_column, ("单元格 Sheet1!XFD2 有数据", "超过上限 256 列")),
    Case("lying-dimension", "lying.xlsx", lying_dimension, ("单元格 Sheet1!A200000 有数据，超过上限 100000 行",)),
    Case("row-of-two-million-empty-cells", "row.xlsx", row_element_bomb,
         ("工作表 Sheet1 第 2 行的 XML 元素超过 100000 个", "压缩炸弹")),
    Case("cells-past-column-xfd", "xfd.xlsx", past_last_column,
         ("工作表 Sheet1 的第 2 行第 16385 个单元格超出 XLSX 的最大范围 A1:XFD1048576：文件已损坏",)),
    Case("entity-expansion", "laughs.xlsx", entity_bomb, ("XLSX 中的 xl/sharedStrings.xml 不是有效的 XML", "文件已损坏")),
    Case("chart-only-workbook-part-missing", "noworkbook.xlsx", no_workbook, ("不是 XLSX 工作簿（没有工作簿部件 xl/workbook.xml）",)),
    Case("shared-string-bomb", "strings.xlsx", shared_string_bomb,
         ("共享字符串表（xl/sharedStrings.xml）解压后 80.0 MB", "超过上限 64.0 MB", "压缩炸弹")),
    Case("cell-40000-chars", "cell.xlsx", long_cell_xlsx, ("单元格 Sheet1!F3 有 40000 个字符", "超过上限 32767")),
    Case("zip-not-xlsx", "archive.xlsx", zip_not_xlsx, ("这是 zip 压缩包，但不是 XLSX 工作簿（缺少 [Content_Types].xml、_rels/.rels）",)),
    Case("text-named-xlsx", "text.xlsx", text_named_xlsx, ("无法打开 XLSX 文件：不是有效的 zip 压缩包",)),
    Case("csv-line-10mb", "line.csv", ten_megabyte_line, ("第 2 行有 10485786 个字符", "超过上限 1000000")),
    Case("csv-cell-40000-chars", "cell.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1," + "长" * 40_000)),
         ("第 2 行第 7 列有 40000 个字符", "超过上限 32767")),
    Case("csv-cell-past-csv-field-limit", "field.csv", write(csv_bytes('1,嘉兴市,2022,6739.45,亿元,u1,"' + "x" * 200_000 + '"')),
         ("第 2 行起有一个单元格超过 131072 个字符", "引号没有闭合")),
    Case("csv-nul-byte", "nul.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,", "1,嘉兴市,2023,70\x0062.5,亿元,u1,")),
         ("第 3 行含有控制字符 NUL（空字符）", "不像文本表格")),
    # 4. non-finite numbers
    Case("non-finite", "inf.csv", write(csv_bytes(*(f"1,嘉兴市,{2020 + i},{v},亿元,u{i},"
                                                   for i, v in enumerate(("1e309", "inf", "-inf", "nan", "Infinity", "NaN"))))),
         ("inf.csv: 有 6 处问题", "第 2 行，列 value，值 “1e309”：不是有限的数值（无穷大或 NaN）",
          "第 7 行，列 value，值 “NaN”：不是有限的数值")),
    Case("non-finite-xlsx", "inf.xlsx", infinite_xlsx, ("第 2 行，列 value，值 “inf”：不是有限的数值",)),
    Case("overflow-after-unit-conversion", "overflow.csv", write(csv_bytes("1,嘉兴市,2022,1e308,万亿元,u1,")),
         ("第 2 行，列 value", "按单位 万亿元 换算为指标单位 亿元 后数值溢出")),
    # 5. decoding by evidence
    Case("utf8-stray-byte", "stray.csv", stray_byte_utf8,
         ("文件基本是 UTF-8 编码，但第 2 行（字节偏移 ", "字节 0xB0）不是有效的 UTF-8", "--encoding")),
    Case("forced-encoding-fails", "forced.csv", stray_byte_utf8, ("按 --encoding utf-8 解码失败：第 2 行", "字节 0xB0"),
         args=("--encoding", "utf-8")),
    Case("unknown-encoding", "named.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,")),
         ("未知的编码 --encoding klingon",), args=("--encoding", "klingon")),
    Case("utf8-with-garbage", "garbage.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,").replace(b"u1", b"\xff\xfe\xfd")),
         ("文件基本是 UTF-8 编码，但第 2 行（字节偏移 77，字节 0xFF）不是有效的 UTF-8（全文共 3 处无效字节）", "--encoding")),
    Case("neither-utf8-nor-gb18030", "neither.csv", write(csv_bytes("1,,2022,6739.45,,SRC,").replace(b"SRC", b"u\x81\x7f")),
         ("无法识别文件编码：第 2 行（字节偏移 ", "字节 0x81）不是有效的 UTF-8，按 GB18030 解读也在第 2 行", "--encoding")),
    Case("gb18030-private-use", "private.csv", write(csv_bytes("1,,2022,6739.45,,SRC,").replace(b"SRC", b"\xaa\xa1\xaa\xa2")),
         ("无法确定文件编码：第 2 行", "按 GB18030 解读得到的文字不像正常中文", "--encoding")),
    Case("utf16-without-bom", "utf16.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,", encoding="utf-16-le")),
         ("第 1 行含有控制字符 NUL", "UTF-16")),
    # 6. formulas without saved results
    Case("formula-without-result", "formula.xlsx", formula_xlsx,
         ("formula.xlsx: 有 3 处问题", "第 4 行，列 value：单元格 Sheet!D4 是公式 =C3*2，但文件中没有保存计算结果",
          "第 5 行，列 value：单元格 Sheet!D5 是公式 =D3+1", "第 5 行，列 note：单元格 Sheet!F5 是公式 =F2")),
    # 7. conflicting duplicate columns
    Case("two-value-columns", "values.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,7000", header="indicator,region,year,value,unit,value")),
         ("第 2 行，列 value、value：列 value（“6739.45”）与列 value（“7000”）不一致",)),
    Case("year-and-nianfen", "years.csv", write(csv_bytes("1,嘉兴市,2022,2023,6739.45,亿元", header="indicator,region,year,年份,value,unit")),
         ("第 2 行，列 year、年份：列 year（“2022”）与列 年份（“2023”）不一致",)),
    Case("wide-same-year-twice", "wide.csv", write(csv_bytes("地区生产总值,嘉兴市,亿元,6388.38,6400", header="指标,地区,单位,2021,2021年")),
         ("第 1 行，列 2021、2021年：列 2021、2021年 是同一年份（2021）",)),
    # 8. nothing to import
    Case("header-only", "header.csv", write(csv_bytes()), ("没有可导入的数据：文件只有表头，没有数据行",)),
    Case("header-and-blank-rows", "blank.csv", write(csv_bytes(",,,,,,", ",,,,,,")),
         ("没有可导入的数据：文件只有表头，没有数据行（另有 2 个空行",)),
    Case("rows-without-values", "novalue.csv", write(csv_bytes("1,嘉兴市,2022,,亿元,u1,", "1,嘉兴市,2023,,亿元,u1,")),
         ("没有可导入的数据：2 个数据行都既没有数值也没有备注",)),
    Case("header-only-xlsx", "header.xlsx", lambda p: write_xlsx(p, good_rows()[:1]), ("没有可导入的数据",)),
    # 10. CSV errors in Chinese with their line
    Case("unclosed-quote", "quote.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,ok", '1,嘉兴市,2023,7062.5,亿元,"u1,', "1,嘉兴市,2024,1,亿元,u1,")),
         ("第 3 行有一个以引号开始的字段，直到文件末尾（第 4 行）都没有结束引号",)),
    Case("stray-quote", "stray-quote.csv", write(csv_bytes('1,嘉兴市,2022,6739.45,亿元,"u1"x,')),
         ("第 2 行：引号字段的结束引号后应紧跟分隔符“,”或换行",)),
    Case("ragged-long-row", "ragged.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,,7000")),
         ("第 2 行，列 （第 8 列，无列名），值 “7000”：该行有 8 列，表头只有 7 列",)),
    Case("data-under-no-header", "unnamed.csv", write(csv_bytes("1,嘉兴市,2022,6739.45,备用,亿元", header="indicator,region,year,value,,unit")),
         ("第 2 行，列 （第 5 列，无列名），值 “备用”：该列没有列名",)),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_file_is_refused_and_the_store_unchanged(db, tmp_path, case):
    path = case.build(tmp_path / case.name)
    refused(db, tmp_path, path, *case.needles, args=case.args)


def test_bomb_files_are_small_on_disk(tmp_path):
    assert last_column_bomb(tmp_path / "a.xlsx").stat().st_size < 10_000
    assert shared_string_bomb(tmp_path / "b.xlsx").stat().st_size < 200_000


@pytest.mark.parametrize("build", [last_column_bomb, shared_string_bomb, lying_dimension], ids=lambda b: b.__name__)
def test_bombs_are_refused_quickly_by_the_console_script(db, tmp_path, build):
    path = build(tmp_path / "bomb.xlsx")
    env = {k: v for k, v in os.environ.items() if k != "PLANWATCH_DEBUG"}
    started = time.monotonic()
    done = subprocess.run([str(CONSOLE_SCRIPT), "import", str(path), "--db", db], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr and "bomb.xlsx" in done.stderr
    assert time.monotonic() - started < 20


# ----------------------------------------------------------------------------- what is read, and how it is said


def test_utf16_with_bom_is_read_and_the_encoding_said(db, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_bytes("1,嘉兴市,2022,6739.45,亿元,u1,", encoding="utf-16"))
    result = cli("import", path, "--db", db)
    assert result.code == 0, result.text
    assert "导入完成" in result.out and "编码 UTF-16（带 BOM）" in result.out


def test_gb18030_is_read_when_it_reads_as_chinese(db, tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes(csv_bytes("地区生产总值,南湖区,2021,729.91,亿元,官网,嘉興市生產總值 初步", header="指标,地区,年份,数值,单位,来源,备注",
                               encoding="gb18030"))
    result = cli("import", path, "--db", db)
    assert result.code == 0, result.text
    assert "编码 GB18030" in result.out


def test_forced_encoding_reads_what_evidence_would_refuse(db, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(csv_bytes("1,嘉兴市,2022,6739.45,亿元,Café,").replace("嘉兴市".encode(), b"").replace(
        "亿元".encode(), "亿元".encode()).decode("utf-8").encode("gb18030"))
    result = cli("import", path, "--encoding", "gb18030", "--db", db)
    assert result.code == 0, result.text
    assert "编码 gb18030（--encoding 指定）" in result.out


def test_agreeing_duplicate_columns_are_accepted(db, tmp_path):
    path = tmp_path / "agree.csv"
    path.write_bytes(csv_bytes("1,地区生产总值,嘉兴市,2022,2022年,6739.45,亿元", header="序号,指标名称,region,year,年份,value,unit"))
    result = cli("import", path, "--db", db)
    assert result.code == 0, result.text


def test_every_problem_is_listed_whole_and_all_written_with_problems_file(db, tmp_path):
    rows = [f"X{n},嘉兴市,2022,1,亿元,u1," + "很长的备注" * 30 for n in range(60)]
    path = tmp_path / "many.csv"
    path.write_bytes(csv_bytes(*rows))
    full = tmp_path / "problems.csv"
    result = refused(db, tmp_path, path, "发现 60 处问题（未写入任何数据）", "……另有 10 处问题未显示（全部问题已写入",
                     args=("--problems", str(full)))
    message = "未知指标：规划中没有此序号/编号/名称，也不是已声明的数据系列（可用 --declare 代码:名称:单位 声明）"
    assert result.err.count(message) == 50 + 3  # fifty listed whole, three quoted in the error line
    with full.open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert written[0] == ["行", "列", "值", "问题"]
    assert [r[:3] for r in written[1:]] == [[str(n + 2), "indicator", f"X{n}"] for n in range(60)]
    assert {r[3] for r in written[1:]} == {message}
    short = refused(db, tmp_path, path, "用 --problems 文件.csv 可写出全部问题")
    assert "另有 57 处问题（见问题列表）" in short.err


def test_problems_file_holds_a_file_level_error(db, tmp_path):
    path = tmp_path / "header.csv"
    path.write_bytes(csv_bytes())
    full = tmp_path / "problems.csv"
    refused(db, tmp_path, path, "没有可导入的数据", args=("--problems", str(full)))
    assert "没有可导入的数据" in full.read_text(encoding="utf-8-sig")


def test_problems_file_writes_hostile_cells_inert(db, tmp_path):
    # An unknown indicator named like a formula is quoted back in the problem list: written with the OWASP quote.
    path = tmp_path / "formula.csv"
    path.write_bytes(csv_bytes('"=HYPERLINK(""http://x.invalid"",""x"")",嘉兴市,2022,1,亿元,u1,'))
    full = tmp_path / "problems.csv"
    refused(db, tmp_path, path, "发现 1 处问题", args=("--problems", str(full)))
    with full.open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert written[1][:3] == ["2", "indicator", "'=HYPERLINK(\"http://x.invalid\",\"x\")"]


def test_long_values_are_shortened_in_messages_but_messages_never_cut(db, tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(csv_bytes("1,嘉兴市,2022," + "多" * 500 + ",亿元,u1,"))
    result = refused(db, tmp_path, path, "…（共 500 个字符）", "不是数值：应为数字（可带 >、<、超、低于 等界限），定性内容请将单位写为“位次”或类型写为 text")
    assert "多" * 61 not in result.err


# ----------------------------------------------------------------------------- JSON is always JSON


def strict_json(text: str):
    def refuse(constant: str):
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_json_output_turns_non_finite_numbers_into_null():
    data = {"a": math.inf, "b": [-math.inf, math.nan, 1.5], "c": ({"d": math.nan},), "e": "inf"}
    assert strict_json(dumps(data)) == {"a": None, "b": [None, None, 1.5], "c": [{"d": None}], "e": "inf"}


def test_evaluate_json_never_prints_infinity(db, monkeypatch):
    real = evaluate_cmd.finding_views

    class Infinite:
        def __init__(self, view):
            self.view = view

        def record(self) -> dict:
            return {**self.view.record(), "completion": math.inf, "required_rate": -math.inf, "gap": math.nan}

    monkeypatch.setattr(evaluate_cmd, "finding_views", lambda findings, final: [Infinite(v) for v in real(findings, final=final)])
    result = cli("evaluate", "--json", "--year", "2021", "--db", db)
    assert result.code == 0, result.text
    records = strict_json(result.out)
    assert records and all(r["completion"] is None and r["gap"] is None for r in records)


# ----------------------------------------------------------------------------- what is accepted


def test_formula_with_its_saved_result_is_read_as_that_result(db, tmp_path):
    rows = [good_rows()[0], '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>嘉兴市</t></is></c>'
            '<c r="C2"><v>2022</v></c><c r="D2"><f>6000+739.45</f><v>6739.45</v></c>'
            '<c r="E2" t="inlineStr"><is><t>亿元</t></is></c></row>']
    path = write_xlsx(tmp_path / "saved.xlsx", rows, dimension="A1:E2")
    result = cli("import", path, "--db", db)
    assert result.code == 0, result.text
    exported = tmp_path / "out.csv"
    assert cli("export", exported, "--db", db).code == 0
    assert "1,嘉兴市,2022,6739.45,亿元" in exported.read_text(encoding="utf-8-sig").replace("T2-1", "1")


def test_limits_can_be_set_by_the_caller(hand_store, tmp_path):
    from planwatch.errors import DataImportError
    from planwatch.observe import import_file
    from planwatch.observe.limits import ReadLimits

    path = tmp_path / "five.csv"
    path.write_bytes(csv_bytes(*(f"1,嘉兴市,{2020 + n},{6000 + n},亿元,u{n}," for n in range(5))))
    # A CSV is streamed: its bounds are the csv_* ones (a table held whole keeps rows, cells, file_bytes).
    with pytest.raises(DataImportError, match="第 5 行：文件超过上限 4 行"):
        import_file(hand_store, path, limits=ReadLimits(csv_rows=4))
    assert import_file(hand_store, path, limits=ReadLimits(rows=4, csv_rows=6)).inserted == 5
