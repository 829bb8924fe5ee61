"""Benchmark of ingest per format against the bare text extraction of that format, in the same run.

Builds the Jiaxing outline as .docx (python-docx), .pdf (LibreOffice's export of the .docx) and
.html (an article page) the way tests/ingest/formats.py does, then prints for each format the
median time of the bare text extraction (python-docx paragraphs and table cells; pdfplumber
extract_text over the pages; lxml's text_content of the page; reading the .txt), the median time
of reading the file into lines (read_document: the format's reader), of the full ingest (read_plan:
reader plus every parsing stage, which costs the same for every format) and the ratios to the
extraction. Aim: ingest within 3× of extraction where extraction is the cost (docx, pdf); the .txt
and .html extractions are a plain decode, so there the parsing stages (~50 ms) dominate the ratio.
Run: .venv/bin/python bench/bench_formats.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import lxml.html
import pdfplumber

from planwatch.ingest import read_document, read_plan
from planwatch.samples import JIAXING_OUTLINE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ingest"))
from formats import blocks_of, build_docx, build_html, pdf_from_docx


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``action``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def docx_text(path: Path) -> str:
    """Bare extraction: every paragraph and every table cell's text."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    """Bare extraction: pdfplumber's extract_text of every page."""
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def html_text(path: Path) -> str:
    """Bare extraction: the text of the whole page."""
    return str(lxml.html.document_fromstring(path.read_bytes()).text_content())


def txt_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    try:
        blocks = blocks_of(JIAXING_OUTLINE.read_text(encoding="utf-8"))
        files: dict[str, tuple[Path, Callable[[Path], str]]] = {
            "txt": (JIAXING_OUTLINE, txt_text),
            "docx": (build_docx(blocks, folder / "jiaxing.docx"), docx_text),
            "html": (build_html(blocks, folder / "jiaxing.html"), html_text),
        }
        if shutil.which("soffice"):
            files["pdf"] = (pdf_from_docx(files["docx"][0], folder), pdf_text)
        else:
            print("pdf: skipped (LibreOffice is not installed)")
        print(f"{'format':<6} {'size':>9} {'extract':>9} {'read':>9} {'ingest':>9} {'read/ex':>8} {'ingest/ex':>9}  表2")
        for kind, (path, extract) in files.items():
            bare = median_seconds(lambda p=path, f=extract: f(p), args.runs)
            reading = median_seconds(lambda p=path: read_document(p), args.runs)
            full = median_seconds(lambda p=path: read_plan(p), args.runs)
            rows = sum(1 for i in read_plan(path).indicators if i.table == "表2")
            print(f"{kind:<6} {path.stat().st_size / 1024:>7.0f}KB {bare:>8.3f}s {reading:>8.3f}s {full:>8.3f}s "
                  f"{reading / bare:>7.1f}× {full / bare:>8.1f}×  {rows}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
