"""Files the workspace hands out: tables as CSV (UTF-8 with a BOM, so Excel reads the Chinese) and XLSX
(text as string cells, never formulas; bytes fixed by the data), and the Content-Disposition that keeps
a Chinese file name. Every download of the dashboard, projects, tasks, the round board and the audit
log is written here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from planwatch.errors import NotFoundError
from planwatch.inert_cells import csv_text, inert

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Table:
    """A table as downloaded: a title (the sheet's name), its column headers and rows."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def csv_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one CSV (UTF-8 with BOM); several tables each under a line with its title."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, table in enumerate(tables):
        if len(tables) > 1:
            if n:
                writer.writerow([])
            writer.writerow([csv_text(table.title)])
        writer.writerow([csv_text(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([csv_text(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(tables: Sequence[Table], when: datetime) -> bytes:
    """The tables as a workbook, one sheet each; text cells are string cells (never formulas), and the
    bytes depend on the data only (document dates set to ``when``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from planwatch.report.archive import stable_ooxml

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the blank default sheet: each table gets its own
    for table in tables:
        ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", table.title)[:31])
        for col, header in enumerate(table.headers, start=1):
            inert(ws.cell(row=1, column=col, value=header)).font = Font(bold=True)
            longest = max([len(str(header)), *(len(str(r[col - 1])) for r in table.rows)])
            ws.column_dimensions[get_column_letter(col)].width = min(60, 4 + 2 * longest)
        for r, row in enumerate(table.rows, start=2):
            for col, value in enumerate(row, start=1):
                inert(ws.cell(row=r, column=col, value=value))
        ws.freeze_panes = "A2"
    wb.properties.creator = "planwatch"
    buffer = io.BytesIO()
    wb.save(buffer)
    return stable_ooxml(buffer.getvalue(), when)


def safe_name(text: str) -> str:
    """A file name part: no path separators, quotes, control characters or spaces."""
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("_.") or "table"


def attachment(name: str, fallback: str) -> str:
    """Content-Disposition for a download named ``name`` (RFC 6266): an ASCII ``filename`` for old
    clients and the UTF-8 name as ``filename*`` (RFC 5987) for every current browser."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def table_response(tables: Sequence[Table], fmt: str, name: str, fallback: str, when: datetime) -> Response:
    """The tables as a CSV or XLSX download named ``name`` (``fallback`` for old clients); ``when`` dates
    the workbook, so the same data gives the same bytes."""
    if fmt == "csv":
        data = csv_bytes(tables)
    elif fmt == "xlsx":
        data = xlsx_bytes(tables, when)
    else:
        raise NotFoundError(f"不支持的表格格式“{fmt[:20]}”：可选 csv、xlsx")
    return download(data, fmt, f"{name}.{fmt}", f"{fallback}.{fmt}")


def download(data: bytes, fmt: str, name: str, fallback: str) -> Response:
    """A file answer whose Chinese name survives every browser."""
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": attachment(name, fallback)})
