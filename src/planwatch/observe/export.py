"""export_observations: the stored observations as a long-form CSV or XLSX that imports back.

No text from the data is written as a live formula (:mod:`planwatch.inert_cells`): in CSV a text
starting with = + - @ (or a tab, a carriage return) gets a leading quote, in XLSX every text is a
string cell; numbers stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from planwatch.errors import InputError
from planwatch.inert_cells import csv_text, inert
from planwatch.model import Observation
from planwatch.store import Store

COLUMNS = ["indicator", "region", "year", "value", "unit", "kind", "source", "note", "vintage"]

# A cell as exported: a number (year, a plain value, a numeric extra) or a text.
ExportCell = str | int | float


def cell_value(obs: Observation) -> str | float:
    """The value cell: the number itself, a bound as printed ('>129'), a text, or '' for a note-only row."""
    if obs.value is None:
        return "" if obs.text == obs.note else (obs.text or "")
    if obs.bound is None:
        return obs.value
    return f"{obs.bound}{figure_text(obs.value)}"


def figure_text(value: float) -> str:
    """A value printed losslessly enough to import back: 5563.58, 129."""
    return f"{value:.12g}"


def extra_value(value: object) -> ExportCell:
    """An extra column's cell: a number kept as a number, anything else as its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def rows_of(observations: list[Observation]) -> tuple[list[str], list[list[ExportCell]]]:
    """Header and rows: the fixed columns, then every extra column met, in order."""
    extras: list[str] = []
    for o in observations:
        extras += [k for k in o.extra if k not in extras and k not in COLUMNS]
    rows = []
    for o in observations:
        fixed: list[ExportCell] = [o.indicator, o.region, o.year, cell_value(o), o.unit or "", str(o.kind),
                                   o.source or "", o.note or "", o.vintage or ""]
        rows.append(fixed + [extra_value(o.extra.get(k)) for k in extras])
    return COLUMNS + extras, rows


def csv_cell(value: ExportCell) -> str:
    """A cell as CSV text: a number printed as it is, a text neutralised against formula injection."""
    if isinstance(value, str):
        return csv_text(value)
    return figure_text(value) if isinstance(value, float) else str(value)


def _write_csv(path: Path, header: list[str], rows: list[list[ExportCell]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([csv_cell(v) for v in row] for row in rows)


def _write_xlsx(path: Path, header: list[str], rows: list[list[ExportCell]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("observations")
    table: list[list[ExportCell]] = [list(header), *rows]
    for row in table:
        sheet.append([inert(WriteOnlyCell(sheet, value=v)) for v in row])
    book.save(path)


def export_observations(store: Store, path: str | Path, *, include_revisions: bool = False) -> int:
    """Write observations (current, or every revision oldest first) to CSV/XLSX; return the row count."""
    path = Path(path)
    header, rows = rows_of(store.observations(include_revisions=include_revisions))
    suffix = path.suffix.lower()
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        _write_csv(tmp, header, rows)
    elif suffix == ".xlsx":
        _write_xlsx(tmp, header, rows)
    else:
        raise InputError(f"不支持的导出格式 {path.suffix or '（无扩展名）'}：应为 .csv 或 .xlsx", file=str(path))
    tmp.replace(path)  # never leave a half-written file under the requested name
    return len(rows)
