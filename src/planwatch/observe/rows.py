"""Turning the cells of one value into a store record, or into problems naming row and column."""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, itemgetter
from typing import cast

from planwatch.model import ObservationKind, Plan
from planwatch.numbers import UnitError
from planwatch.numbers import convert as convert_units
from planwatch.vintages import UNSPECIFIED, vintage_named_in, vintage_rank

from .cells import Reading, is_qualitative_unit, normalise, read_cell
from .layout import FIELD_LABELS, Cells, Columns, is_wide, long_cells, wide_cells
from .subjects import Subject, Subjects, unit_key
from .tables import Problem, Table

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
    """What rows are checked against: the plan, subjects, known regions and the year range.

    A file of 100,000 rows names a few indicators, units, regions and years many times over, so each
    distinct cell text is judged once (``cache``) and the verdict reused for every row holding it.
    """

    plan: Plan
    subjects: Subjects
    regions: set[str]
    region_default: str | None
    first_year: int | None
    last_year: int | None
    cache: dict[tuple, object] = field(default_factory=dict, repr=False)

    def memo(self, kind: str, key: object, compute):
        """The verdict on a cell text, computed once per distinct text."""
        slot = (kind, key)
        try:
            return self.cache[slot]
        except KeyError:
            found = self.cache[slot] = compute(key)
            return found


@dataclass(frozen=True)
class Verdict:
    """A field's value read from its cell, or the problem message (with the value to show) that stops it."""

    value: object = None
    problem: str | None = None
    shown: str | None = None


@dataclass(frozen=True)
class ValueRule:
    """How a number of a subject given in a unit is recorded: the unit and kind it gets, any conversion."""

    unit: str | None
    kind: str
    convert_from: str | None = None  # the value is converted from this unit into ``unit``
    note: str | None = None  # said in the report (at the unit column) for each such row
    problem: str | None = None  # the unit cannot be converted: the row is refused


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


def _report(verdict: Verdict, name: str, problem):
    if verdict.problem:
        problem(name, verdict.problem, verdict.shown)
    return verdict.value


def _subject(cells: Cells, ctx: Context, problem) -> Subject | None:
    return _report(ctx.memo("indicator", cells.get("indicator"), lambda key: subject_verdict(key, ctx)),
                   "indicator", problem)


def _region(cells: Cells, ctx: Context, problem) -> str | None:
    return _report(ctx.memo("region", cells.get("region"), lambda text: region_verdict(text, ctx)), "region", problem)


def _year(cells: Cells, ctx: Context, problem) -> int | None:
    return _report(ctx.memo("year", cells.get("year"), lambda text: year_verdict(text, ctx)), "year", problem)


def subject_verdict(key: str, ctx: Context) -> Verdict:
    """The subject an indicator cell names."""
    if not key:
        return Verdict(problem="缺少指标：应为规划指标表中的序号、指标编号或指标名称，或已声明的数据系列代码")
    found = ctx.subjects.find(key)
    if found is None:
        return Verdict(problem="未知指标：规划中没有此序号/编号/名称，也不是已声明的数据系列"
                               "（可用 --declare 代码:名称:单位 声明）")
    return Verdict(found)


def region_verdict(text: str, ctx: Context) -> Verdict:
    """The known region a region cell names (blank: the default region, else the plan's)."""
    name = normalise(text) or ctx.region_default or ctx.plan.meta.region
    if not name:
        return Verdict(problem="缺少地区")
    if name not in ctx.regions:
        return Verdict(problem="未知地区：请先用 planwatch regions 文件 导入地区", shown=name)
    return Verdict(name)


def year_verdict(cell: str, ctx: Context) -> Verdict:
    """The year of a year cell, within the plan's base year and last year."""
    text = normalise(cell).removesuffix("年")
    if not text.isdigit() or len(text) != 4:
        return Verdict(problem="年份无效：应为四位数字年份，如 2021")
    year = int(text)
    if (ctx.first_year and year < ctx.first_year) or (ctx.last_year and year > ctx.last_year):
        return Verdict(problem=f"年份超出规划期：应在 {ctx.first_year}–{ctx.last_year} 年之间（基期至规划末年）")
    return Verdict(year)


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
    rule = cached_rule(subject, unit, explicit)
    if rule.problem:
        problem("unit", rule.problem, unit)
        return None
    if rule.note:
        out.notes.append(Problem(cells.row, cells.column("unit"), unit, rule.note))
    if rule.convert_from is None:
        return {**fields, "unit": rule.unit, "kind": rule.kind}
    converted = converted_value(reading.value, rule)
    if converted is None:
        problem("value", f"按单位 {unit} 换算为指标单位 {rule.unit} 后数值溢出：请检查数值与单位")
        return None
    return {**fields, "value": converted, "unit": rule.unit, "kind": rule.kind}


def converted_value(value: float, rule: ValueRule) -> float | None:
    """The value in the rule's unit (12 significant digits), or None when it overflows."""
    assert rule.convert_from is not None and rule.unit is not None, "only a converting rule converts"
    converted = convert(value, rule.convert_from, rule.unit)
    return float(f"{converted:.12g}") if math.isfinite(converted) else None


@functools.lru_cache(maxsize=4096)
def cached_rule(subject: Subject, unit: str | None, explicit: ObservationKind | None) -> ValueRule:
    """value_rule, once per distinct subject, unit and kind (a file repeats them on every row)."""
    return value_rule(subject, unit, explicit)


def value_rule(subject: Subject, unit: str | None, explicit: ObservationKind | None) -> ValueRule:
    """How a number of the subject given in ``unit`` (kind cell ``explicit``) is recorded."""
    target_unit = subject.unit
    if not unit or not target_unit or unit_key(unit) == unit_key(target_unit):
        kind = explicit or (subject.percent_kind if unit_key(unit or target_unit) == "%" else ObservationKind.level)
        return ValueRule(target_unit or unit, str(kind))
    if unit_key(unit) == "%":
        # A rate of a quantity indicator (增加值增长 7.6% for an 亿元 series): its growth.
        kind = explicit or ObservationKind.annual_growth
        return ValueRule("%", str(kind), note=f"{subject.name}（{target_unit}）收到百分比数值，按{_kind_label(kind)}记录")
    try:
        convert(1.0, unit, target_unit)  # whether the units are of one quantity does not depend on the value
    except UnitMismatch:
        if subject.growth_target and explicit in (None, ObservationKind.level):
            return ValueRule(unit, "level", note=f"{subject.name}的目标为增速类（{target_unit}），该值为总量水平，按原单位 {unit} 记录")
        return ValueRule(target_unit, "level", problem=f"单位无法换算：{unit} 不能换算为指标单位 {target_unit}")
    return ValueRule(target_unit, str(explicit or ObservationKind.level), convert_from=unit)


def _kind_label(kind: ObservationKind) -> str:
    return {"annual_growth": "增速", "cumulative": "累计变化", "level": "水平", "text": "定性"}[str(kind)]


# ----------------------------------------------------------------------------- many rows at once

# A value cell that is a plain decimal number reads as itself (read_cell would find no bound, unit or
# separator in it): the common case, parsed without normalising.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# One checked value: row, value cell text, value column, the record (None: skipped or refused) and,
# for a row that check_row looked at, its RowResult (problems, notes, no value).
Checked = tuple[int, str, str, dict | None, RowResult | None]


def check_rows(table: Table, ctx: Context) -> Iterator[Checked]:
    """Check every value of a table one by one with check_row: the wide form, or a long form with a field
    in two columns (a long form of single columns goes through plain_records)."""
    for cells in wide_cells(table) if is_wide(table.header) else long_cells(table):
        yield cells.row, cells.get("value"), cells.column("value"), *_checked(check_row(cells, ctx))


def _checked(result: RowResult) -> tuple[dict | None, RowResult]:
    return result.record, result


# The characters of a plain decimal number: a column of such cells that float() all reads is all PLAIN_NUMBER.
PLAIN_CHARACTERS = re.compile(r"[0-9eE.+-]*", re.ASCII)
BLANK_IS_NONE = {"": None}
SEPARATOR = "\x1f"  # between two cell texts in a key (a control character: a CSV holding one is refused)


def plain_records(columns: Columns, ctx: Context) -> Callable[[Sequence[int], list[list[str]]], list[dict | None]]:
    """A function giving, for a batch of rows (and their numbers), the record check_row would build for
    each row of plain cells, and None for a row that needs check_row: a problem, a note, a text value,
    a kind cell, a number that is not a plain decimal.

    It works a column at a time: each distinct indicator, region, year and unit of the batch is judged
    once (and remembered across batches), the value column is read by float() in C, and the records
    are assembled by zip and dict; Python runs per row only for a batch that has such a row.
    """
    at = {name: columns.index.get(name, -1) for name in FIELD_LABELS}
    i_ind, i_reg, i_year, i_val, i_unit, i_src, i_note, i_vint, i_kind = (
        at[f] for f in ("indicator", "region", "year", "value", "unit", "source", "note", "vintage", "kind"))
    extras = columns.extras
    verdicts: dict[str, dict[str, object]] = {"indicator": {}, "region": {}, "year": {}}
    judges = {"indicator": subject_verdict, "region": region_verdict, "year": year_verdict}
    rules: dict[str, ValueRule | None] = {}  # by the indicator cell's text (it names one subject) and the unit
    vintages: dict[tuple[str, str | None], tuple[str | None, int]] = {}

    def judged(name: str, texts: list[str]) -> tuple[list, bool]:
        """The verdict's value of each cell, and whether none of them is a problem (judged per distinct text)."""
        known = verdicts[name]
        distinct = set(texts)
        for text in distinct.difference(known):
            known[text] = ctx.memo(name, text, lambda t: judges[name](t, ctx)).value
        return list(map(known.__getitem__, texts)), all(known[t] is not None for t in distinct)

    def rule_of(indicator: str, unit: str | None) -> ValueRule | None:
        subject = verdicts["indicator"][indicator]
        if subject is None:
            return None
        assert isinstance(subject, Subject)
        found = cached_rule(subject, unit, None)
        return None if found.problem or found.note else found

    def vintage_of(pair: tuple[str, str | None]) -> tuple[str | None, int]:
        cell, note = pair
        vintage = cell or (vintage_named_in(note) if note else None)
        return vintage, vintage_rank(vintage) if vintage else UNSPECIFIED

    def read(numbers: Sequence[int], rows: list[list[str]]) -> list[dict | None]:
        n = len(rows)

        def column(i: int) -> list[str]:
            return list(map(itemgetter(i), rows)) if i >= 0 else [""] * n

        def or_none(i: int) -> list[str | None]:
            cells = column(i)
            return list(map(BLANK_IS_NONE.get, cells, cells))

        indicators = column(i_ind)
        subjects, known_subjects = judged("indicator", indicators)
        regions, known_regions = judged("region", column(i_reg))
        years, known_years = judged("year", column(i_year))
        values = _plain_numbers(column(i_val))
        units = column(i_unit)
        distinct_pairs = set(zip(indicators, units, strict=True))
        if any(SEPARATOR in text for pair in distinct_pairs for text in pair):
            return [None] * n  # such a row is not plain: check_row looks at each
        for indicator, unit in distinct_pairs:
            rules.setdefault(indicator + SEPARATOR + unit, rule_of(indicator, unit or None))
        # A row's rule is found by its indicator and unit texts joined: a string per row, no tuple to trace.
        keys = list(map(add, indicators, map(add, repeat(SEPARATOR), units)))
        row_rules = list(map(rules.__getitem__, keys))
        batch_rules = {key: rules[key] for key in (indicator + SEPARATOR + unit for indicator, unit in distinct_pairs)}
        kinds = column(i_kind) if i_kind >= 0 else None
        keep: list[bool] | None = None  # None: every row is plain
        if not (known_subjects and known_regions and known_years and None not in values
                and all(map(math.isfinite, cast(list[float], values))) and None not in batch_rules.values()
                and not (kinds and any(kinds))):
            keep = [s is not None and r is not None and y is not None and v is not None and math.isfinite(v)
                    and rule is not None and not (kinds and kinds[k])
                    for k, (s, r, y, v, rule) in enumerate(zip(subjects, regions, years, values, row_rules, strict=True))]
        if any(rule is not None and rule.convert_from for rule in batch_rules.values()):
            values = [converted_value(v, rule) if rule is not None and rule.convert_from and v is not None
                      and math.isfinite(v) else v for v, rule in zip(values, row_rules, strict=True)]
            if None in values:  # overflow after conversion: check_row says so
                keep = [(keep is None or keep[k]) and v is not None for k, v in enumerate(values)]
        notes = or_none(i_note)
        found_vintages: Iterable[str | None]
        ranks: Iterable[int]
        if i_vint >= 0 or any(notes):
            vintage_pairs = list(zip(column(i_vint), notes, strict=True))
            for pair in set(vintage_pairs).difference(vintages):
                vintages[pair] = vintage_of(pair)
            found_vintages, ranks = zip(*map(vintages.__getitem__, vintage_pairs), strict=True)
        else:
            found_vintages, ranks = repeat(None), repeat(UNSPECIFIED)
        id_of = {text: _subject_id(verdicts["indicator"][text]) for text in set(indicators)}
        fields = (map(id_of.__getitem__, indicators), regions, years, values,
                  map({key: _unit_of(rule) for key, rule in batch_rules.items()}.__getitem__, keys),
                  map({key: _kind_of(rule) for key, rule in batch_rules.items()}.__getitem__, keys),
                  or_none(i_src), notes, found_vintages, ranks, _extras(rows, extras), numbers)
        # A dict display is the quickest way to build a dict per row (timed against dict(zip(...)) and copies).
        records: list[dict | None] = [
            {"indicator": ind, "region": reg, "year": year, "value": value, "bound": None, "text": None, "unit": unit,
             "kind": kind, "source": source, "note": note, "vintage": vintage, "vintage_rank": rank, "extra": extra,
             "row_no": row}
            for ind, reg, year, value, unit, kind, source, note, vintage, rank, extra, row
            in zip(*fields, strict=False)]  # the vintages and extras may repeat a constant: the row numbers end it
        if keep is not None:
            records = [rec if k else None for rec, k in zip(records, keep, strict=True)]
        return records

    return read


def _subject_id(subject: object) -> str | None:
    return subject.id if isinstance(subject, Subject) else None


def _plain_numbers(cells: list[str]) -> list[float | None]:
    """Each cell's number when it is a plain decimal (PLAIN_NUMBER), else None; the whole column by
    float() in C when its characters are all of such numbers."""
    if PLAIN_CHARACTERS.fullmatch("".join(cells)):
        try:
            return list(map(float, cells))
        except ValueError:  # a blank cell, or '1-2': each is looked at
            pass
    return [float(c) if PLAIN_NUMBER.fullmatch(c) else None for c in cells]


def _unit_of(rule: ValueRule | None) -> str | None:
    return rule.unit if rule is not None else None


def _kind_of(rule: ValueRule | None) -> str | None:
    return rule.kind if rule is not None else None


def _extras(rows: list[list[str]], extras: list[tuple[int, str]]) -> Iterable[str | None]:
    """The JSON of each row's non-empty extra columns (None without)."""
    if not extras:
        return repeat(None)
    return [json.dumps(found, ensure_ascii=False, sort_keys=True) if (found := {h: row[i] for i, h in extras if row[i]})
            else None for row in rows]
