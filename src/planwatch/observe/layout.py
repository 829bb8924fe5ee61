"""Column layouts: long form (one value a row) and wide form (indicators × year columns).

Both become :class:`Cells`: the text of each known field of one value, the file's column name
for each field (to name it in problems), and the extra columns kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, field
from operator import itemgetter

from .tables import Problem, Table

FIELDS = ("indicator", "region", "year", "value", "unit", "source", "note", "vintage", "kind")
# What each field is, said to the user (a column name of the file may be either spelling).
FIELD_LABELS = {"indicator": "指标", "region": "地区", "year": "年份", "value": "数值", "unit": "单位", "source": "来源",
                "note": "备注", "vintage": "口径版本", "kind": "数据类型"}

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
    """One value's cells by field, with the file's column names and the extra columns.

    ``alternates`` holds, for a field that several columns stand for (``year`` and ``年份``), each
    such column's name and non-empty text, so the row check can refuse them when they disagree.
    """

    row: int
    text: dict[str, str]
    columns: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    alternates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.text.get(name, "")

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def is_wide(header: list[str]) -> bool:
    """Whether the header has year columns and no value column (the yearbook layout)."""
    fields = {canonical(h) for h in header}
    return "value" not in fields and any(year_of_header(h) for h in header)


def classify_columns(header: list[str], *, known: dict[str, int] | None = None, skip: Set[int] = frozenset(),
                     reserved: tuple[str, ...] = ()) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
    """Canonical column name → the indexes of its columns, in file order; the other named columns are extras."""
    mapping = {name: [i] for name, i in (known or {}).items()}
    extras: list[tuple[int, str]] = []
    for i, h in enumerate(header):
        if i in skip:
            continue
        name = canonical(h)
        if name and name not in reserved:
            mapping.setdefault(name, []).append(i)
        if h and (not name or name in reserved or mapping[name][0] != i):
            extras.append((i, h))  # a second column of a field is kept as it is, too
    return mapping, extras


def header_problems(header: list[str]) -> list[Problem]:
    """Problems of the header alone: two year columns of one year in the wide form."""
    by_year: dict[int, list[str]] = {}
    for h in header:
        year = year_of_header(h)
        if year:
            by_year.setdefault(year, []).append(h)
    return [Problem(1, "、".join(names), None, f"列 {'、'.join(names)} 是同一年份（{year}）：每个年份只能有一列，请合并或删去其一")
            for year, names in by_year.items() if len(names) > 1] if is_wide(header) else []


def stray_cells(table: Table, wide: bool) -> list[Problem]:
    """A problem for each row with text in a column that has no name (or beyond the header): its meaning is unknown."""
    named = {i for i, h in enumerate(table.header) if h} | ({0} if wide else set())
    unnamed = [i for i in range(len(table.header)) if i not in named]
    width = len(table.header)
    out = []
    for n, cells in table.rows:
        if len(cells) <= width and not any(cells[i] for i in unnamed):  # most rows: nothing to look at
            continue
        stray = next((i for i, c in enumerate(cells) if c and i not in named), None)
        if stray is None:
            continue
        if stray >= len(table.header):
            message = (f"该行有 {len(cells)} 列，表头只有 {len(table.header)} 列：多出的单元格没有列名，无法确定含义"
                       "（请补上列名或删去多出的内容）")
        else:
            message = "该列没有列名，但这一行在此列有内容：无法确定其含义（请补上列名或删去该内容）"
        out.append(Problem(n, f"（第 {stray + 1} 列，无列名）", cells[stray], message))
    return out


def may_have_stray_cells(header: list[str], rows: list[list[str]], wide: bool) -> bool:
    """Whether some row of a batch is longer than the header or has text under a column without a name
    (then stray_cells looks row by row); map, max and any run in C."""
    if max(map(len, rows), default=0) > len(header):
        return True
    return any(any(map(itemgetter(i), rows)) for i, h in enumerate(header) if not h and not (wide and i == 0))


def _cells(n: int, cells: list[str], mapping: dict[str, list[int]], header: list[str],
           extras: list[tuple[int, str]]) -> Cells:
    """The cells of one row: each field's first non-empty column, and every non-empty column of a shared field."""
    text: dict[str, str] = {}
    columns: dict[str, str] = {}
    alternates: dict[str, list[tuple[str, str]]] = {}
    for name, indexes in mapping.items():
        filled = [i for i in indexes if cells[i]]
        first = filled[0] if filled else indexes[0]
        text[name], columns[name] = cells[first], header[first]
        if len(filled) > 1:
            alternates[name] = [(header[i], cells[i]) for i in filled]
    extra = {h: cells[i] for i, h in extras if cells[i]}
    return Cells(n, text, columns, extra, alternates)


def long_cells(table: Table) -> list[Cells]:
    """Cells of a long-form table, one per row."""
    mapping, extras = classify_columns(table.header)
    return [_cells(n, cells, mapping, table.header, extras) for n, cells in table.rows]


def row_cells(header: list[str], n: int, cells: list[str]) -> Cells:
    """The Cells of one row of a long-form table (for the few rows checked one by one)."""
    mapping, extras = classify_columns(header)
    return _cells(n, cells, mapping, header, extras)


@dataclass(frozen=True)
class Columns:
    """Where each field of a long-form table is when every field has one column: its index and name."""

    index: dict[str, int]
    names: dict[str, str]
    extras: list[tuple[int, str]]


def single_columns(header: list[str]) -> Columns | None:
    """The fields' columns of a long-form header, or None when a field has two (their cells are compared per row)."""
    mapping, extras = classify_columns(header)
    if any(len(indexes) > 1 for indexes in mapping.values()):
        return None
    return Columns({name: i for name, (i,) in mapping.items()}, {name: header[i] for name, (i,) in mapping.items()},
                   extras)


def wide_cells(table: Table) -> list[Cells]:
    """Cells of a wide-form table: one per non-empty year cell."""
    years = [(i, h, year_of_header(h)) for i, h in enumerate(table.header) if year_of_header(h)]
    year_idx = {i for i, _h, _y in years}
    mapping, extras = classify_columns(table.header, known={WIDE_FIRST: 0}, skip=year_idx | {0},
                                       reserved=("year", "value"))
    out = []
    for n, cells in table.rows:
        base = _cells(n, cells, mapping, table.header, extras)
        for i, h, y in years:
            if not cells[i]:
                continue
            out.append(Cells(n, dict(base.text, year=str(y), value=cells[i]), dict(base.columns, year=h, value=h),
                             dict(base.extra), dict(base.alternates)))
    return out
