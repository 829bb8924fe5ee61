"""Turning the cells of one value into a store record, or into problems naming row and column."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from planwatch.model import ObservationKind, Plan
from planwatch.numbers import UnitError
from planwatch.numbers import convert as convert_units
from planwatch.vintages import vintage_named_in, vintage_rank

from .cells import Reading, is_qualitative_unit, normalise, read_cell
from .layout import FIELD_LABELS, Cells
from .subjects import Subject, Subjects, unit_key
from .tables import Problem

KIND_WORDS = {
    "level": ObservationKind.level, "水平": ObservationKind.level, "总量": ObservationKind.level,
    "annual_growth": ObservationKind.annual_growth, "growth": ObservationKind.annual_growth,
    "增速": ObservationKind.annual_growth, "增长率": ObservationKind.annual_growth,
    "cumulative": ObservationKind.cumulative, "累计": ObservationKind.cumulative,
    "text": ObservationKind.text, "定性": ObservationKind.text, "文字": ObservationKind.text,
}


class UnitMismatch(Exception):
    """A value's unit cannot be converted to the subject's."""


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """The value in ``to_unit``; UnitMismatch when the units are not of one quantity."""
    if unit_key(from_unit) == unit_key(to_unit):
        return value
    try:
        return float(convert_units(value, from_unit, to_unit))
    except UnitError as exc:
        raise UnitMismatch(str(exc)) from exc


@dataclass
class Context:
    """What rows are checked against: the plan, subjects, known regions and the year range."""

    plan: Plan
    subjects: Subjects
    regions: set[str]
    region_default: str | None
    first_year: int | None
    last_year: int | None


@dataclass
class RowResult:
    """A record ready for the store, or the problems that stop it; notes are for the report."""

    record: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    no_value: bool = False


def check_row(cells: Cells, ctx: Context) -> RowResult:
    """Validate one value's cells and build its record (value in the subject's unit)."""
    out = RowResult()

    def problem(name: str, message: str, value: str | None = None) -> None:
        out.problems.append(Problem(cells.row, cells.column(name), cells.get(name) if value is None else value,
                                    message))

    _refuse_disagreeing_columns(cells, ctx, out)
    subject = _subject(cells, ctx, problem)
    region = _region(cells, ctx, problem)
    year = _year(cells, ctx, problem)
    kind_cell = normalise(cells.get("kind")).lower()
    explicit = KIND_WORDS.get(kind_cell) if kind_cell else None
    if kind_cell and explicit is None:
        problem("kind", "未知的数据类型：应为 level / annual_growth / cumulative / text（或 水平/增速/累计/定性）")
    note = cells.get("note") or None
    unit = cells.get("unit") or None
    reading = read_cell(cells.get("value"))
    if reading.percent and not unit:
        unit = "%"
    if subject is None:
        # Still check the value so the user sees every problem of the row at once.
        subject = Subject("", "", unit, ObservationKind.level, False)
    value_fields = _value_fields(cells, subject, reading, unit, note, explicit, out, problem)
    if value_fields is None or out.problems:
        return out
    # No vintage cell: the note may say 初步/最终核实; else None and file order decides.
    vintage = cells.get("vintage") or (vintage_named_in(note) if note else None)
    out.record = {
        "indicator": subject.id, "region": region, "year": year, **value_fields, "source": cells.get("source") or None,
        "note": note, "vintage": vintage, "vintage_rank": vintage_rank(vintage),
        "extra": json.dumps(cells.extra, ensure_ascii=False, sort_keys=True) if cells.extra else None,
        "row_no": cells.row,
    }
    return out


def _refuse_disagreeing_columns(cells: Cells, ctx: Context, out: RowResult) -> None:
    """A problem for each field whose columns (year and 年份, two value columns) hold different things in this row."""
    for name, filled in cells.alternates.items():
        (first, text), *others = filled
        for other, other_text in others:
            if _same_meaning(name, text, ctx) != _same_meaning(name, other_text, ctx):
                out.problems.append(Problem(cells.row, f"{first}、{other}", None,
                                            f"列 {first}（“{text}”）与列 {other}（“{other_text}”）不一致：两列都是{FIELD_LABELS[name]}，"
                                            "只能有一个值，请删去其中一列或改正"))
                break


def _same_meaning(name: str, text: str, ctx: Context) -> object:
    """What a cell of a field means, for comparing two columns of one field: '1' and '地区生产总值' agree."""
    if name == "indicator":
        found = ctx.subjects.find(text)
        return found.id if found else normalise(text)
    if name == "year":
        return normalise(text).removesuffix("年")
    if name == "value":
        reading = read_cell(text)
        return (reading.value, reading.bound, reading.percent) if reading.numeric else normalise(text)
    return normalise(text)


def _subject(cells: Cells, ctx: Context, problem) -> Subject | None:
    key = cells.get("indicator")
    if not key:
        problem("indicator", "缺少指标：应为规划指标表中的序号、指标编号或指标名称，或已声明的数据系列代码")
        return None
    found = ctx.subjects.find(key)
    if found is None:
        problem("indicator", "未知指标：规划中没有此序号/编号/名称，也不是已声明的数据系列"
                             "（可用 --declare 代码:名称:单位 声明）")
    return found


def _region(cells: Cells, ctx: Context, problem) -> str | None:
    name = normalise(cells.get("region")) or ctx.region_default or ctx.plan.meta.region
    if not name:
        problem("region", "缺少地区")
        return None
    if name not in ctx.regions:
        problem("region", "未知地区：请先用 planwatch regions 文件 导入地区", name)
        return None
    return name


def _year(cells: Cells, ctx: Context, problem) -> int | None:
    text = normalise(cells.get("year")).removesuffix("年")
    if not text.isdigit() or len(text) != 4:
        problem("year", "年份无效：应为四位数字年份，如 2021")
        return None
    year = int(text)
    if (ctx.first_year and year < ctx.first_year) or (ctx.last_year and year > ctx.last_year):
        problem("year", f"年份超出规划期：应在 {ctx.first_year}–{ctx.last_year} 年之间（基期至规划末年）")
        return None
    return year


def _value_fields(cells: Cells, subject: Subject, reading: Reading, unit: str | None, note: str | None,
                  explicit: ObservationKind | None, out: RowResult, problem) -> dict | None:
    """value/bound/text/unit/kind of the record, converting to the subject's unit."""
    raw = cells.get("value")
    text_fields = {"value": None, "bound": None, "unit": unit}
    if reading.non_finite:
        problem("value", "不是有限的数值（无穷大或 NaN）：应为普通数字，如 7062.5")
        return None
    if not raw:
        if not note:
            return None  # nothing at all: the caller counts the row as skipped
        out.no_value = True
        return {**text_fields, "text": note, "kind": "text"}
    if explicit == ObservationKind.text or (not reading.numeric and unit and is_qualitative_unit(unit)):
        return {**text_fields, "text": normalise(raw), "kind": "text"}
    if reading.value is None:  # i.e. not reading.numeric, spelled so the type narrows
        problem("value", "不是数值：应为数字（可带 >、<、超、低于 等界限），定性内容请将单位写为“位次”或类型写为 text")
        return None
    fields = {"value": reading.value, "bound": str(reading.bound) if reading.bound else None, "text": None}
    target_unit = subject.unit
    if not unit or not target_unit or unit_key(unit) == unit_key(target_unit):
        kind = explicit or (subject.percent_kind if unit_key(unit or target_unit) == "%" else ObservationKind.level)
        return {**fields, "unit": target_unit or unit, "kind": str(kind)}
    if unit_key(unit) == "%":
        # A rate of a quantity indicator (增加值增长 7.6% for an 亿元 series): its growth.
        kind = explicit or ObservationKind.annual_growth
        out.notes.append(Problem(cells.row, cells.column("unit"), unit,
                                 f"{subject.name}（{target_unit}）收到百分比数值，按{_kind_label(kind)}记录"))
        return {**fields, "unit": "%", "kind": str(kind)}
    try:
        converted = convert(reading.value, unit, target_unit)
    except UnitMismatch:
        if subject.growth_target and explicit in (None, ObservationKind.level):
            out.notes.append(Problem(cells.row, cells.column("unit"), unit,
                                     f"{subject.name}的目标为增速类（{target_unit}），该值为总量水平，按原单位 {unit} 记录"))
            return {**fields, "unit": unit, "kind": "level"}
        problem("unit", f"单位无法换算：{unit} 不能换算为指标单位 {target_unit}", unit)
        return None
    if not math.isfinite(converted):
        problem("value", f"按单位 {unit} 换算为指标单位 {target_unit} 后数值溢出：请检查数值与单位")
        return None
    return {**fields, "value": float(f"{converted:.12g}"), "unit": target_unit,
            "kind": str(explicit or ObservationKind.level)}


def _kind_label(kind: ObservationKind) -> str:
    return {"annual_growth": "增速", "cumulative": "累计变化", "level": "水平", "text": "定性"}[str(kind)]
