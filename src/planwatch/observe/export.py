"""export_observations: the stored observations as a long-form CSV or XLSX that imports back."""

from __future__ import annotations

import csv
from pathlib import Path

from planwatch.errors import InputError
from planwatch.model import Observation
from planwatch.store import Store

COLUMNS = ["indicator", "region", "year", "value", "unit", "kind", "source", "note", "vintage"]


def cell_value(obs: Observation) -> str:
    """The value cell as printed: '>129', '5563.58', a text, or '' for a note-only row."""
    if obs.value is None:
        return "" if obs.text == obs.note else (obs.text or "")
    return f"{obs.bound or ''}{obs.value:.12g}"


def rows_of(observations: list[Observation]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: the fixed columns, then every extra column met, in order."""
    extras: list[str] = []
    for o in observations:
        extras += [k for k in o.extra if k not in extras and k not in COLUMNS]
    rows = []
    for o in observations:
        fixed = [o.indicator, o.region, str(o.year), cell_value(o), o.unit or "", str(o.kind), o.source or "",
                 o.note or "", o.vintage or ""]
        rows.append(fixed + [str(o.extra.get(k, "")) for k in extras])
    return COLUMNS + extras, rows


def export_observations(store: Store, path: str | Path, *, include_revisions: bool = False) -> int:
    """Write observations (current, or every revision oldest first) to CSV/XLSX; return the row count."""
    path = Path(path)
    header, rows = rows_of(store.observations(include_revisions=include_revisions))
    suffix = path.suffix.lower()
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("observations")
        sheet.append(header)
        for r in rows:
            sheet.append(r)
        book.save(tmp)
    else:
        raise InputError(f"不支持的导出格式 {path.suffix or '（无扩展名）'}：应为 .csv 或 .xlsx", file=str(path))
    tmp.replace(path)  # never leave a half-written file under the requested name
    return len(rows)
