"""Spreadsheet bombs: time and peak memory to refuse them, against importing a normal 5,000-row XLSX.

Builds the two workbooks of issue 13 — a ~105 KB one whose rows reach the last column, used range
A1:XFD1048576, and a ~410 KB one holding one 400 MB shared string — plus the first again without
its <dimension>, a ~40 KB one holding a row of two million empty cells, and a normal 5,000-row
long-form XLSX as the baseline. Each import runs in its own spawned process, so the peak resident
memory (ru_maxrss) printed is that import's own; "RSS before" is the same process once the
modules are imported, before the file is read.

    .venv/bin/python bench/spreadsheet_bombs.py
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import region_rows, synthetic_plan

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} xmlns:r="{REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
HEADER_ROW = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
              '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>')
HEADER_STRINGS = "".join(f"<si><t>{h}</t></si>" for h in ("indicator", "region", "year", "value", "unit"))


def write_workbook(path: Path, sheet_rows, *, dimension: str | None, shared_bytes: int = 0) -> Path:
    """A minimal XLSX; sheet_rows is an iterable of <row> XML; shared_bytes adds one string of that size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {MAIN}>{HEADER_STRINGS}<si><t>'.encode())
            chunk = b"A" * (1 << 20)
            for start in range(0, shared_bytes, len(chunk)):
                fh.write(chunk[: shared_bytes - start])
            fh.write(b"</t></si></sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            declared = f'<dimension ref="{dimension}"/>' if dimension else ""
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>{declared}<sheetData>'.encode())
            for row in sheet_rows:
                fh.write(row.encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def last_column_bomb(path: Path, dimension: str | None = "A1:XFD1048576") -> Path:
    """Rows whose last cell is in column XFD, down to row 1048576: the used range is the whole sheet."""
    def rows():
        yield HEADER_ROW
        for n in range(2, 14_000):
            yield f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>'
        yield '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'

    return write_workbook(path, rows(), dimension=dimension)


def empty_cell_row_bomb(path: Path) -> Path:
    """One row of two million empty cells: openpyxl builds a row whole (about 700 MB for this one)."""
    def rows():
        yield HEADER_ROW
        yield '<row r="2">'
        for _ in range(2000):
            yield '<c r="A2"/>' * 1000
        yield "</row>"

    return write_workbook(path, rows(), dimension="A1:E2")


def shared_string_bomb(path: Path) -> Path:
    """One 400 MB shared string in an otherwise ordinary two-row sheet."""
    rows = [HEADER_ROW, '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>5</v></c></row>']
    return write_workbook(path, rows, dimension="A1:E2", shared_bytes=400 * 1024 * 1024)


def normal_workbook(path: Path, regions: list[str], indicators: int, years: range) -> Path:
    """A 5,000-row long-form XLSX of the synthetic plan (written by openpyxl, as a statistics office would)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["indicator", "region", "year", "value", "unit", "source", "note"])
    plan = synthetic_plan(indicators)
    count = 0
    for region in regions:
        for ind in plan.indicators:
            for year in years:
                if count == 5000:
                    break
                sheet.append([ind.id, region, year, round(100 + count * 0.37, 2), ind.unit, "统计公报", ""])
                count += 1
    book.save(path)
    return path


def measure(url: str, path: str, queue) -> None:
    """Import one file (in a child process); report seconds, peak RSS, RSS before, and the outcome."""
    from planwatch.errors import DataImportError
    from planwatch.observe import import_file
    from planwatch.store import open_store

    store = open_store(url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    try:
        report = import_file(store, path)
        outcome = f"imported {report.inserted} values"
    except DataImportError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[-1]
    seconds = time.perf_counter() - start
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, before, outcome))


def run(url: str, path: Path) -> tuple[float, float, float, str]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=measure, args=(url, str(path), queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    from planwatch.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.db'}"
        store = open_store(url)
        store.init()
        store.load_plan(synthetic_plan(40), source="bench")
        regions = region_rows(25)
        store.add_regions(regions)
        started = time.perf_counter()
        files = [
            ("bomb: used range to XFD1048576", last_column_bomb(work / "last_column.xlsx")),
            ("same, without <dimension>", last_column_bomb(work / "undeclared.xlsx", dimension=None)),
            ("bomb: one 400 MB shared string", shared_string_bomb(work / "shared_string.xlsx")),
            ("bomb: a row of 2 M empty cells", empty_cell_row_bomb(work / "empty_cells.xlsx")),
            ("baseline: normal 5,000-row XLSX", normal_workbook(work / "normal.xlsx", [r[0] for r in regions], 40,
                                                               range(2020, 2026))),
        ]
        print(f"files built in {time.perf_counter() - started:.1f} s")
        print(f"{'file':34} {'on disk':>9} {'unpacked':>10} {'time':>10} {'peak RSS':>9} {'RSS before':>10}")
        for label, path in files:
            with zipfile.ZipFile(path) as z:
                unpacked = sum(m.file_size for m in z.infolist())
            seconds, peak, before, outcome = run(url, path)
            print(f"{label:34} {path.stat().st_size / 1024:7.0f} KB {unpacked / 2**20:7.1f} MB {seconds * 1000:7.1f} ms "
                  f"{peak:6.0f} MB {before:7.0f} MB\n    → {outcome}")


if __name__ == "__main__":
    main()
