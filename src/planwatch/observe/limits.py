"""How much an observation file may hold: every bound on input size, in one place.

A file over a bound is refused before it is read whole (a spreadsheet "bomb" — a small zip that
unpacks to gigabytes, or a used range reaching XFD1048576 — must not exhaust memory). The
defaults are generous for statistical tables (the Jiaxing data are 74 rows); a caller that needs
more passes its own :class:`ReadLimits`.

A table held whole in memory (any XLSX, a CSV read by :func:`.tables.read_table`) is bounded by
``file_bytes``, ``rows`` and ``cells``. A CSV that ``planwatch import`` streams holds one batch of
rows at a time, so its bounds (``csv_*``) are those of a national platform (every county, indicator
and year of a plan in one file); the bounds of one line and one cell are the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIB = 1024 * 1024

MAX_FILE_BYTES = 64 * MIB
"""Size of the file on disk (CSV or XLSX)."""
MAX_XLSX_UNCOMPRESSED_BYTES = 128 * MIB
"""Sum of the uncompressed sizes of an XLSX's zip members (a 2-million-cell sheet is about 80 MB of XML)."""
MAX_SHARED_STRINGS_BYTES = 64 * MIB
"""Uncompressed size of an XLSX's shared-string table (read whole by openpyxl when it opens a workbook)."""
MAX_XML_PART_BYTES = 16 * MIB
"""Uncompressed size of any other XML part of an XLSX (styles, workbook, relationships), parsed whole."""
MAX_ZIP_MEMBERS = 10_000
"""Members of an XLSX zip archive."""
MAX_ROWS = 100_000
"""Rows of a table, the header included."""
MAX_CSV_FILE_BYTES = 4 * 1024 * MIB
"""Size of a CSV file that is streamed (read batch by batch, never whole)."""
MAX_CSV_ROWS = 10_000_000
"""Rows of a streamed CSV, the header included (3,000 counties × 100 indicators × 30 years is 9 million)."""
MAX_CSV_CELLS = 200_000_000
"""Cells of a streamed CSV (its rows × a dozen or so columns)."""
MAX_COLUMNS = 256
"""Columns of a table (Excel 2003's bound; a yearbook table has a few dozen)."""
MAX_CELLS = 2_000_000
"""Cells of a table (rows × columns of the used range)."""
MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel's own bound on a cell."""
MAX_LINE_CHARS = 1_000_000
"""Characters on one physical line of a CSV file."""
MAX_ROW_ELEMENTS = 100_000
"""XML elements inside one worksheet <row> (openpyxl builds a row whole before handing it over)."""
MAX_OTHER_SHEET_ELEMENTS = 100_000
"""XML elements of a worksheet outside its rows (merged cells, hyperlinks, formatting rules)."""

EXCEL_ROWS = 1_048_576
"""The last row an XLSX sheet can have: a larger row number is a malformed file, not a policy."""
EXCEL_COLUMNS = 16_384
"""The last column (XFD) an XLSX sheet can have."""


@dataclass(frozen=True)
class ReadLimits:
    """The bounds a file is checked against before and while it is read."""

    file_bytes: int = MAX_FILE_BYTES
    xlsx_uncompressed_bytes: int = MAX_XLSX_UNCOMPRESSED_BYTES
    shared_strings_bytes: int = MAX_SHARED_STRINGS_BYTES
    xml_part_bytes: int = MAX_XML_PART_BYTES
    zip_members: int = MAX_ZIP_MEMBERS
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    cell_chars: int = MAX_CELL_CHARS
    line_chars: int = MAX_LINE_CHARS
    row_elements: int = MAX_ROW_ELEMENTS
    other_sheet_elements: int = MAX_OTHER_SHEET_ELEMENTS
    csv_file_bytes: int = MAX_CSV_FILE_BYTES
    csv_rows: int = MAX_CSV_ROWS
    csv_cells: int = MAX_CSV_CELLS

    def streamed(self) -> ReadLimits:
        """The bounds of a streamed CSV: its own size, rows and cells; the same line and cell bounds."""
        return replace(self, file_bytes=self.csv_file_bytes, rows=self.csv_rows, cells=self.csv_cells)


DEFAULT_LIMITS = ReadLimits()


def megabytes(size: int) -> str:
    """A byte count as MB for a message ('400.0 MB')."""
    return f"{size / MIB:.1f} MB"
