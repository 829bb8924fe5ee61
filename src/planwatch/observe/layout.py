"""Column layouts: long form (one value a row) and wide form (indicators × year columns).

Both become :class:`Cells`: the text of each known field of one value, the file's column name
for each field (to name it in problems), and the extra columns kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, field

from .tables import Table

FIELDS = ("indicator", "region", "year", "value", "unit", "source", "note", "vintage", "kind")

ALIASES: dict[str, str] = {
    "indicator": "indicator", "indicator_no": "indicator", "indicator_id": "indicator", "no": "indicator",
    "code": "indicator", "指标": "indicator", "指标序号": "indicator", "序号": "indicator", "指标名称": "indicator",
    "region": "region", "area": "region", "地区": "region", "区域": "region", "行政区": "region",
    "year": "year", "年份": "year", "年度": "year", "年": "year",
    "value": "value", "数值": "value", "值": "value", "实际值": "value", "数据": "value",
    "unit": "unit", "单位": "unit", "计量单位": "unit",
    "source": "source", "source_url": "source", "来源": "source", "数据来源": "source", "出处": "source",
    "note": "note", "notes": "note", "备注": "note", "说明": "note",
    "vintage": "vintage", "版本": "vintage", "口径版本": "vintage",
    "kind": "kind", "类型": "kind", "数据类型": "kind",
}
# In the wide form the first column names the indicator whatever its header says.
WIDE_FIRST = "indicator"
YEAR_HEADER = re.compile(r"^(\d{4})\s*年?$")


def canonical(header: str) -> str | None:
    """The field a column header stands for, or None for an extra column."""
    key = unicodedata.normalize("NFKC", header).strip().lower().replace(" ", "_")
    return ALIASES.get(key)


def year_of_header(header: str) -> int | None:
    """The year a wide-form column header names ('2021', '2021年'), or None."""
    m = YEAR_HEADER.match(unicodedata.normalize("NFKC", header).strip())
    return int(m.group(1)) if m else None


@dataclass
class Cells:
    """One value's cells by field, with the file's column names and the extra columns."""

    row: int
    text: dict[str, str]
    columns: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.text.get(name, "")

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def is_wide(header: list[str]) -> bool:
    """Whether the header has year columns and no value column (the yearbook layout)."""
    fields = {canonical(h) for h in header}
    return "value" not in fields and any(year_of_header(h) for h in header)


def classify_columns(header: list[str], *, known: dict[str, int] | None = None, skip: Set[int] = frozenset(),
                     reserved: tuple[str, ...] = ()) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Canonical column name → index for the first column of each name; the rest kept as extras."""
    mapping = dict(known or {})
    extras: list[tuple[int, str]] = []
    for i, h in enumerate(header):
        if i in skip:
            continue
        name = canonical(h)
        if name and name not in mapping and name not in reserved:
            mapping[name] = i
        elif h:
            extras.append((i, h))
    return mapping, extras


def long_cells(table: Table) -> list[Cells]:
    """Cells of a long-form table, one per row."""
    mapping, extras = classify_columns(table.header)
    columns = {name: table.header[i] for name, i in mapping.items()}
    out = []
    for n, cells in table.rows:
        text = {name: cells[i] for name, i in mapping.items()}
        extra = {h: cells[i] for i, h in extras if cells[i]}
        out.append(Cells(n, text, columns, extra))
    return out


def wide_cells(table: Table) -> list[Cells]:
    """Cells of a wide-form table: one per non-empty year cell."""
    years = [(i, h, year_of_header(h)) for i, h in enumerate(table.header) if year_of_header(h)]
    year_idx = {i for i, _h, _y in years}
    mapping, extras = classify_columns(table.header, known={WIDE_FIRST: 0}, skip=year_idx | {0},
                                       reserved=("year", "value"))
    base_columns = {name: table.header[i] for name, i in mapping.items()}
    out = []
    for n, cells in table.rows:
        text = {name: cells[i] for name, i in mapping.items()}
        extra = {h: cells[i] for i, h in extras if cells[i]}
        for i, h, y in years:
            if not cells[i]:
                continue
            out.append(Cells(n, dict(text, year=str(y), value=cells[i]), dict(base_columns, year=h, value=h),
                             dict(extra)))
    return out
