"""A responsibility sheet (指标 / 牵头单位 / 配合单位) read into assignments, through the safe table reader."""

from __future__ import annotations

from pathlib import Path

from planwatch.errors import DataImportError, InputError
from planwatch.store import Assignment

from .tables import read_table

SHEET_COLUMNS = ("指标", "牵头单位", "配合单位")


def assignments_from_sheet(path: Path, sheet: str | None = None) -> list[Assignment]:
    """Assignments from a sheet with columns 指标 / 牵头单位 / 配合单位 (other columns ignored)."""
    table = read_table(path, sheet=sheet)
    if table.problems:
        raise DataImportError(f"分工表有 {len(table.problems)} 处问题，未写入任何分工：" + "；".join(
            f"第 {p.row} 行：{p.message}" for p in table.problems), file=str(path), problems=table.problems)
    missing = [c for c in SHEET_COLUMNS[:2] if c not in table.header]
    if missing:
        raise InputError(f"分工表缺少列 {'、'.join(missing)}：表头应为 {' / '.join(SHEET_COLUMNS)}（配合单位可省略）",
                         file=str(path), line=1)
    col = {name: table.header.index(name) for name in SHEET_COLUMNS if name in table.header}
    if not table.rows:
        raise InputError("分工表没有数据行", file=str(path))
    return [Assignment(indicator=cells[col["指标"]], lead_unit=cells[col["牵头单位"]],
                       co_units=[cells[col["配合单位"]]] if "配合单位" in col else [], row=n)
            for n, cells in table.rows]
