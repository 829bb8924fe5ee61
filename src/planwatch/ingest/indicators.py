"""Rows of indicator tables → :class:`~planwatch.model.Indicator` with typed targets.

Columns are recognised from the rebuilt header labels, never from positions: 类别 (category),
序号 (number), 指标/名称 (name), 计量单位 (unit), 属性 (attribute), 责任单位 (responsible), and
year columns. A year column is the baseline when it is labelled 现值/基期 or is the earliest
bare year; it is a target when labelled 目标/规划目标 or is a later bare year; it is an outcome
when labelled 完成情况/实际. A label with 增长 or 累计 is a growth column.

Row shapes:

* A row with an empty 类别 cell carries the category down from the row above.
* ``# name`` (or any row without a number that is not a group row) is a child of the
  previous numbered row: ``parent`` is its id, ``no`` is None, id ``T2-8.1``.
* A row with one cell more than the header has a **group label** in the name column
  (表1 ``城镇化率`` over ``常住人口城镇化率（%）``). Group labels carry no values, so they
  make no indicator of their own: each row of the group becomes an indicator with
  ``group`` set to the label, ids ``T1-4.1``, ``T1-4.2`` …; the first keeps the printed
  number, the others have ``no`` None; no ``parent``. A unit in the group label
  (``居民人均可支配收入（元）``) is the unit of rows that print none.

Ids are unique in a plan. A row whose id is already taken (the same table pasted twice, a number
printed twice, two tables with one number) gets its line id instead (``T2-L803``; its sub-rows
follow, ``T2-L803.1``) and a ``duplicate_id`` review flag naming both lines.

Direction: a level is lower-is-better when the name measures a burden (能耗, 排放, 浓度, 死亡率,
失业率, 耗地量, 用水量, …) or the target says 以下/不超过; otherwise higher-is-better; ≈ targets
(左右, 基本同步) keep the name's direction too: a planner reads 城镇化率75左右 as met above 75 and
失业率5.5左右 as met below it, so only the bad side of the band counts against them. An indicator named as a reduction (…降低, …减少) measures the reduction, so
it is higher-is-better. Cumulative (``[16]``, 累计下降18.9%) figures are magnitudes in the
sense the text states (a reduction of 18.9) and are at-least targets.

The planned-path shape (``Indicator.path``) is left unset: a plan table never states it, and
guessing it here would override the evaluator's documented ``geometric_units`` setting. A reviewer
who knows better writes it into plan.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.model import (
    Attribute,
    Baseline,
    Comparator,
    Direction,
    Indicator,
    Outcome,
    ReviewFlag,
    Target,
    TargetKind,
)
from planwatch.numbers import Quantity, UnitError, convert, parse_quantity, parse_unit

from .tables import Row, Table, TableNote

__all__ = ["DUPLICATE_ID", "direction_of_name", "indicators_from_tables", "target_from_text"]

# The review flag of a row whose printed id an earlier row already has.
DUPLICATE_ID = "duplicate_id"

LOWER_IS_BETTER = ("能耗", "能源消耗", "排放", "浓度", "死亡率", "失业率", "耗地量", "用水量", "发病率", "近视率",
                   "事故", "倍差", "碳强度")
REDUCTION_SUFFIX = ("降低", "减少", "下降", "削减", "压减")
RATE_SUFFIX = ("率", "比重", "比例", "占比", "覆盖率")
INTENSITY_MARKERS = ("单位", "万元", "亿元", "每")
GROWTH_NAME = re.compile(r"(年均增长|年均增速|增长率|增速)$")
ATTRIBUTES = {"预期性": Attribute.anticipatory, "约束性": Attribute.binding}
DASHES = {"", "-", "—", "——", "–", "/", "－"}
COMPARATIVE = re.compile(r"^(高于|快于|不低于|低于|慢于|不高于|与|同)(.+?)(基本同步|同步|相当|持平|一致)?$")
COMPARATIVE_WORDS = {"高于": Comparator.at_least, "快于": Comparator.at_least, "不低于": Comparator.at_least,
                     "低于": Comparator.at_most, "慢于": Comparator.at_most, "不高于": Comparator.at_most}


# ---------------------------------------------------------------- columns


@dataclass
class Column:
    """What a header column holds."""

    role: str  # category/no/name/unit/attribute/responsible/baseline/target/outcome/other
    year: int | None = None
    growth: bool = False
    label: str = ""


YEAR_IN_LABEL = re.compile(r"(\d{4})\s*年")


def column_of(label: str) -> Column:
    """The role of a column from its header label."""
    parent, _, child = label.rpartition("·")
    year_match = YEAR_IN_LABEL.search(child) or YEAR_IN_LABEL.search(parent)
    year = int(year_match.group(1)) if year_match else None
    growth = "增长" in child or "累计" in child
    if "类别" in label or label in ("领域", "类型", "分类"):
        return Column("category", label=label)
    if "序号" in label or label == "编号":
        return Column("no", label=label)
    if "责任" in label or "牵头" in label:
        return Column("responsible", label=label)
    if "属性" in label:
        return Column("attribute", label=label)
    if "单位" in label:
        return Column("unit", label=label)
    if any(w in label for w in ("完成", "实际", "实现")):
        return Column("outcome", year, growth, label)
    if any(w in label for w in ("现值", "基期", "现状", "基数", "基准")):
        return Column("baseline", year, growth, label)
    if "目标" in label or "规划" in parent:
        return Column("target", year, growth, label)
    if any(w in label for w in ("指标", "名称", "任务", "项目")):
        return Column("name", label=label)
    if year is not None:
        return Column("year", year, growth, label)
    return Column("other", label=label)


def columns_of(header: list[str]) -> list[Column]:
    """Roles of all columns; bare years become baseline (earliest) and targets (later)."""
    columns = [column_of(label) for label in header]
    names = [c for c in columns if c.role == "name"]
    for extra in names[1:]:
        extra.role = "other"
    bare = [c for c in columns if c.role == "year"]
    has_baseline = any(c.role == "baseline" for c in columns)
    for k, column in enumerate(sorted(bare, key=lambda c: c.year or 0)):
        column.role = "baseline" if k == 0 and not has_baseline and len(bare) + has_target(columns) > 1 else "target"
    return columns


def has_target(columns: list[Column]) -> int:
    """1 when some column is already a target column."""
    return int(any(c.role == "target" for c in columns))


# ---------------------------------------------------------------- names and units

TRAILING_PARENS = re.compile(r"^(.*?)\(([^()]*(?:\([^()]*\)[^()]*)*)\)$")


def split_unit(name: str) -> tuple[str, str | None]:
    """(name, unit) with a unit in trailing parentheses split off ('地区生产总值(亿元)')."""
    text = name.strip()
    match = TRAILING_PARENS.match(text)
    if match and _looks_like_unit(match.group(2)):
        return match.group(1).strip(), match.group(2).strip()
    return text, None


def _looks_like_unit(text: str) -> bool:
    return parse_unit(text).known or parse_unit(re.sub(r"\([^()]*\)", "", text)).known


def direction_of_name(name: str) -> Direction:
    """Which way is good for an indicator level, from its name."""
    if name.endswith(REDUCTION_SUFFIX):
        return Direction.higher_is_better
    if any(word in name for word in LOWER_IS_BETTER):
        return Direction.lower_is_better
    return Direction.higher_is_better


def is_reduction_name(name: str) -> bool:
    """Whether an indicator measures a reduction (…降低, …减少)."""
    return name.endswith(REDUCTION_SUFFIX)


def is_rate_change_name(name: str) -> bool:
    """A change of a rate (近视率降低), where a bracketed figure may mean points or percent."""
    if not name.endswith((*REDUCTION_SUFFIX, "提高", "提升")):
        return False
    stem = re.sub(r"(降低|减少|下降|削减|压减|提高|提升)$", "", name)
    return stem.endswith(RATE_SUFFIX) and not stem.startswith(INTENSITY_MARKERS)


# ---------------------------------------------------------------- targets


@dataclass
class Context:
    """What a target cell is read against."""

    name: str
    unit: str | None
    year: int | None
    base_year: int | None
    baseline: float | None
    growth_column: bool = False
    group: str | None = None

    @property
    def reduction(self) -> bool:
        """Whether the row measures a reduction, by its own name or its group's (主要污染物排放总量减少)."""
        return is_reduction_name(self.name) or bool(self.group and is_reduction_name(self.group))


def target_from_text(text: str, ctx: Context) -> tuple[list[Target], list[tuple[str, str]]]:
    """Targets a cell states (usually one; two for 'a/b（省下达）') and (code, message) flags."""
    raw = re.sub(r"\s+", "", text or "")
    if raw in DASHES:
        return [], []
    quantity = parse_quantity(raw)
    if quantity is None:
        return [_comparative_or_text(raw, ctx)], _text_flags(raw, ctx)
    if quantity.value is None:  # 省下达指标
        kind = TargetKind.cumulative_change if ctx.reduction else TargetKind.level
        target = _target(ctx, TargetKind.assigned, raw, assigned_by=quantity.assigned_by, assigned_kind=kind,
                         cumulative=kind == TargetKind.cumulative_change)
        return [target], [("assigned_pending", f"“{ctx.name}”的目标为“{raw}”，尚无数值，待上级下达后补录")]
    flags: list[tuple[str, str]] = []
    primary = _numeric_target(quantity, quantity.value, quantity.cumulative, raw, ctx)
    targets = [primary]
    if quantity.alternate is not None:
        alternate = _numeric_target(quantity, quantity.alternate, quantity.alternate_cumulative, raw, ctx)
        alternate.assigned_by, primary.assigned_by = quantity.assigned_by, None
        targets.append(alternate)
        flags.append(("ambiguous_alternate",
                      (f"“{ctx.name}”的目标“{raw}”列有两个数值，按前者为本级目标、后者为"
                      f"{quantity.assigned_by or '上级'}下达目标读取，请确认")))
    if primary.cumulative and is_rate_change_name(ctx.name):
        flags.append(("unclear_bracket",
                      (f"“{ctx.name}”的目标{raw}可能指五年累计下降{_plain(primary.value)}个百分点，"
                      f"也可能指下降{_plain(primary.value)}%，请确认")))
    return targets, flags


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _numeric_target(q: Quantity, value: float, cumulative: bool, raw: str, ctx: Context) -> Target:
    """A typed target for a figure of a cell."""
    unit = q.unit or ctx.unit
    if cumulative:
        kind = TargetKind.cumulative_change
    elif q.annual or ctx.growth_column or GROWTH_NAME.search(ctx.name):
        kind = TargetKind.annual_growth
    elif ctx.baseline is not None and value == ctx.baseline and q.comparator is None:
        kind = TargetKind.maintain
    else:
        kind = TargetKind.level
    if kind == TargetKind.level and q.unit and ctx.unit and q.unit != ctx.unit:
        try:
            value, unit = convert(value, q.unit, ctx.unit), ctx.unit
        except UnitError:
            pass
    if kind in (TargetKind.cumulative_change, TargetKind.annual_growth) and not q.unit:
        rate = ctx.unit == "%" and not ctx.reduction and kind == TargetKind.cumulative_change
        unit = "个百分点" if rate else "%" if kind == TargetKind.annual_growth or ctx.unit == "%" else ctx.unit
    if kind in (TargetKind.level, TargetKind.maintain):
        direction = direction_of_name(ctx.name)
        if q.comparator == Comparator.at_most:
            direction = Direction.lower_is_better
        elif q.comparator == Comparator.at_least:
            direction = Direction.higher_is_better
        comparator = q.comparator or (
            Comparator.at_most if direction == Direction.lower_is_better else Comparator.at_least)
    else:
        comparator = q.comparator if q.comparator in (Comparator.about, Comparator.between, Comparator.at_most) \
            else Comparator.at_least
        direction = {Comparator.about: direction_of_name(ctx.name), Comparator.at_most: Direction.lower_is_better}.get(
            comparator, Direction.higher_is_better)
    qualifier = q.qualifier
    if cumulative and ctx.reduction and not is_reduction_name(ctx.name) and not q.change:
        # The reduction is stated by the group label only; keep the word with the target.
        stated = re.search(r"(降低|减少|下降|削减|压减)$", ctx.group or "")
        qualifier = stated.group(1) if stated else qualifier
    return _target(ctx, kind, raw, value=value, value_max=q.value_max, comparator=comparator, direction=direction,
                   qualifier=qualifier, cumulative=cumulative, assigned_by=q.assigned_by,
                   aspirational=q.aspirational, unit=unit)


def _comparative_or_text(raw: str, ctx: Context) -> Target:
    match = COMPARATIVE.match(raw)
    if match:
        word, reference, tail = match.groups()
        comparator = Comparator.about if tail else COMPARATIVE_WORDS.get(word, Comparator.about)
        return _target(ctx, TargetKind.comparative, raw, comparator=comparator, reference=reference,
                       qualifier=word + (tail or ""), direction=direction_of_name(ctx.name))
    return _target(ctx, TargetKind.text, raw)


def _text_flags(raw: str, ctx: Context) -> list[tuple[str, str]]:
    if COMPARATIVE.match(raw):
        return []
    return [("target_text", f"“{ctx.name}”的目标“{raw}”未能识别为可核验的数值目标，请人工确认")]


def _target(ctx: Context, kind: TargetKind, text: str, **fields) -> Target:
    fields.setdefault("unit", ctx.unit)
    return Target(kind=kind, text=text, year=ctx.year, base_year=ctx.base_year, **fields)


# ---------------------------------------------------------------- outcomes


def outcome_from(level_text: str | None, growth_text: str | None, year: int | None) -> tuple[Outcome | None, Outcome | None]:
    """(outcome, growth outcome) of a finished plan from its 完成情况 cells."""
    level_q = parse_quantity(level_text or "")
    growth_q = parse_quantity(growth_text or "")
    if level_q is None and growth_q is None:
        return None, None
    level = level_q.value if level_q else None
    growth = growth_q.value if growth_q else None
    cumulative = bool(growth_q and growth_q.cumulative)
    outcome = Outcome(value=level, text=_clean(level_text), growth=growth, growth_text=_clean(growth_text),
                      cumulative=cumulative, year=year)
    growth_outcome = None
    if growth_q is not None:
        growth_outcome = Outcome(value=growth, text=_clean(growth_text), growth=growth,
                                 growth_text=_clean(growth_text), cumulative=cumulative, year=year)
    return outcome, growth_outcome


def _clean(text: str | None) -> str:
    text = re.sub(r"\s+", "", text or "")
    return "" if text in DASHES else text


# ---------------------------------------------------------------- rows


@dataclass
class TableFrame:
    """A table's columns and years."""

    prefix: str
    label: str
    columns: list[Column]
    base_year: int | None
    target_year: int | None
    period_start: int | None
    period_end: int | None

    def index(self, role: str) -> int | None:
        """Position of the first column with this role."""
        return next((k for k, c in enumerate(self.columns) if c.role == role), None)


def frame_of(table: Table, ordinal: int, period: tuple[int | None, int | None] | None) -> TableFrame:
    """Columns, years and id prefix of a table."""
    columns = columns_of(table.header)
    digits = re.search(r"\d+", table.label or "")
    number = digits.group() if digits else str(ordinal)
    base_year = next((c.year for c in columns if c.role == "baseline" and c.year), None)
    target_years = [c.year for c in columns if c.role == "target" and c.year]
    target_year = max(target_years) if target_years else (period[1] if period else None)
    for column in columns:
        if column.role in ("target", "outcome") and column.year is None:
            column.year = target_year
    start = base_year + 1 if base_year else (period[0] if period else None)
    label = table.label or table.title or "指标表"
    return TableFrame(f"T{number}", label, columns, base_year, target_year, start, target_year)


@dataclass
class RowState:
    """What carries from row to row: category, last numbered row, current group."""

    category: str | None = None
    numbered: str | None = None
    children: int = 0
    group: str | None = None
    group_unit: str | None = None
    group_no: str | None = None
    members: int = 0


def indicators_from_tables(
    tables: list[Table], *, period: tuple[int | None, int | None] | None = None
) -> tuple[list[Indicator], list[ReviewFlag], list[str]]:
    """Indicators of all tables with a name column, the review flags they raise, and warnings."""
    indicators: list[Indicator] = []
    flags: list[ReviewFlag] = []
    warnings: list[str] = []
    taken: dict[str, int] = {}  # id → line of the row that has it
    for ordinal, table in enumerate(tables, 1):
        warnings.extend(table.warnings)
        frame = frame_of(table, ordinal, period)
        name_at = frame.index("name")
        if name_at is None:
            warnings.append(f"{table.label or '表格'}（第{table.line}行）没有“指标名称”列，未作为指标表读取")
            continue
        found = _table_indicators(table, frame, name_at, flags, warnings, taken)
        _apply_notes(found, table.notes, frame, flags, warnings)
        indicators.extend(found)
    return indicators, flags, warnings


def _table_indicators(table: Table, frame: TableFrame, name_at: int, flags: list[ReviewFlag],
                      warnings: list[str], taken: dict[str, int]) -> list[Indicator]:
    state = RowState()
    found: list[Indicator] = []
    width = len(frame.columns)
    for row in table.rows:
        texts = row.texts
        if len(texts) == width:
            group_cell = None
        elif len(texts) == width + 1:
            group_cell = texts[name_at]
            texts = texts[:name_at] + texts[name_at + 1 :]
        else:
            warnings.append(f"{frame.label}第{row.line}行：有{len(texts)}个单元格，表头为{width}列，无法对应，已跳过")
            continue
        parts = _split_compound(texts, frame, name_at, row, flags)
        for part, values in enumerate(parts, 1):
            # One row stating several indicators (项目(个)、投资额(亿元)) gives ids T1-1.1, T1-1.2.
            indicator = _indicator(values, group_cell, row, frame, state, flags, taken,
                                   part if len(parts) > 1 else None)
            if indicator is not None:
                taken[indicator.id] = indicator.line
                found.append(indicator)
    return found


def _split_compound(texts: list[str], frame: TableFrame, name_at: int, row: Row,
                    flags: list[ReviewFlag]) -> list[list[str]]:
    """One list of cell texts per indicator of a row ('项目(个)、投资额(亿元)' with '15、37' → two)."""
    names = [n for n in texts[name_at].split("、") if n]
    value_at = [k for k, c in enumerate(frame.columns) if c.role in ("baseline", "target", "outcome")]
    counts = {len(texts[k].split("、")) for k in value_at if texts[k] not in DASHES}
    if len(names) < 2 or not counts or max(counts) < 2:
        return [texts]
    if counts != {len(names)} or not all(split_unit(n)[1] for n in names):
        flags.append(ReviewFlag(code="compound_cell", line=row.line,
                                message=f"第{row.line}行“{texts[name_at]}”含多个数值，无法逐项对应，请人工拆分"))
        return [texts]
    result = []
    for part, name in enumerate(names):
        values = list(texts)
        values[name_at] = name
        for k in value_at:
            if texts[k] not in DASHES:
                values[k] = texts[k].split("、")[part]
        result.append(values)
    return result


def _identity(no: str, name: str, group_cell: str | None, frame: TableFrame, state: RowState, line: int) -> tuple[str, str | None, str | None]:
    """(id, printed number or None, parent id or None) of a row, updating the carried state."""
    p = frame.prefix
    if group_cell:  # first row of a group
        state.group, state.group_unit = split_unit(group_cell)
        state.group_no, state.members = no or state.group_no, 1
        state.numbered, state.children = None, 0
        return f"{p}-{state.group_no}.1", no or None, None
    if group_cell == "" and not no and state.group:
        state.members += 1
        return f"{p}-{state.group_no}.{state.members}", None, None
    state.group = state.group_unit = None
    if no and not name.startswith("#"):
        state.numbered, state.children = f"{p}-{no}", 0
        return state.numbered, no, None
    if state.numbered:
        state.children += 1
        return f"{state.numbered}.{state.children}", no or None, state.numbered
    return line_id(p, line), no or None, None


def line_id(prefix: str, line: int, part: int | None = None) -> str:
    """The id of a row by its line (T2-L803, T2-L803.2 for the second indicator of a compound row)."""
    return f"{prefix}-L{line}" + (f".{part}" if part is not None else "")


def _distinct_id(base: str, part: int | None, name: str, row: Row, frame: TableFrame, state: RowState,
                 taken: dict[str, int], flags: list[ReviewFlag]) -> str:
    """The row's id, or its line id when an earlier row has it (flagged; sub-rows follow the new id)."""
    ident = base if part is None else f"{base}.{part}"
    if ident not in taken:
        return ident
    unique = line_id(frame.prefix, row.line, part)
    if state.numbered == base:
        state.numbered = line_id(frame.prefix, row.line)
    flags.append(ReviewFlag(
        code=DUPLICATE_ID, line=row.line, item=unique,
        message=f"第{row.line}行“{name}”的指标编号 {ident} 已被第{taken[ident]}行的指标使用"
                f"（表格重复出现或序号重复？），已改为 {unique}；请删去重复的表格或核对序号"))
    return unique


def _indicator(texts: list[str], group_cell: str | None, row: Row, frame: TableFrame, state: RowState,
               flags: list[ReviewFlag], taken: dict[str, int], part: int | None = None) -> Indicator | None:
    cell = {c.role: texts[k] for k, c in reversed(list(enumerate(frame.columns)))}
    raw_name = cell.get("name", "").strip()
    if not raw_name:
        return None
    if cell.get("category"):
        state.category = cell["category"]
    if row.section:
        state.category = re.sub(r"^[一二三四五六七八九十]+、", "", row.section)
    no = (cell.get("no") or "").strip()
    base, printed_no, parent = _identity(no, raw_name, group_cell, frame, state, row.line)
    name, name_unit = split_unit(raw_name.lstrip("#").strip())
    ident = _distinct_id(base, part, name, row, frame, state, taken, flags)
    unit = (cell.get("unit") or "").strip() or name_unit or state.group_unit
    baseline = _baseline(texts, frame)
    group = state.group if group_cell is not None else None
    targets, raised = _targets(texts, frame, name, unit, baseline.value, group)
    attribute = ATTRIBUTES.get((cell.get("attribute") or "").strip())
    notes = []
    if parent and attribute is None and "attribute" in cell:
        notes.append("attribute_unspecified")
    if not targets:
        targets = [Target(kind=TargetKind.text, text="", year=frame.target_year, base_year=frame.base_year, unit=unit)]
        raised.append(("no_target", f"“{name}”在{frame.label}中没有列出目标值"))
    primary = targets[0]
    if primary.kind in (TargetKind.level, TargetKind.maintain) and baseline.value is None:
        raised.append(("missing_baseline", f"“{name}”没有基期值（表中为“{baseline.text or '空'}”），无法按进度评估"))
    if unit and not parse_unit(unit).known:
        raised.append(("ambiguous_unit", f"“{name}”的计量单位“{unit}”无法识别，请确认"))
    outcome, growth_outcome = _outcomes(texts, frame)
    for code, message in raised:
        flags.append(ReviewFlag(code=code, message=message, line=row.line, item=ident))
    extra = {c.label: texts[k] for k, c in enumerate(frame.columns) if c.role == "other" and texts[k]}
    return Indicator(
        id=ident, table=frame.label, category=state.category, no=printed_no, name=name, unit=unit or None,
        baseline=baseline, target=primary, targets=targets, outcome=outcome, growth_outcome=growth_outcome,
        attribute=attribute, parent=parent, notes=notes,
        period_start=frame.period_start, period_end=frame.period_end, line=row.line, line_end=row.line_end,
        cells=list(row.texts), group=group,
        responsible=(cell.get("responsible") or None), extra=extra,
    )


def _baseline(texts: list[str], frame: TableFrame) -> Baseline:
    at = frame.index("baseline")
    if at is None:
        return Baseline(year=frame.base_year)
    text = re.sub(r"\s+", "", texts[at])
    quantity = parse_quantity(text)
    value = quantity.value if quantity and not quantity.cumulative else None
    return Baseline(value=value, year=frame.columns[at].year, text=text)


def _targets(texts: list[str], frame: TableFrame, name: str, unit: str | None,
             baseline: float | None, group: str | None) -> tuple[list[Target], list[tuple[str, str]]]:
    """All targets of a row, the one for the period's end year first, and the flags raised."""
    targets: list[Target] = []
    raised: list[tuple[str, str]] = []
    for k, column in enumerate(frame.columns):
        if column.role != "target":
            continue
        ctx = Context(name, unit, column.year, frame.base_year, baseline, growth_column=column.growth, group=group)
        found, flags = target_from_text(texts[k], ctx)
        targets.extend(found)
        raised.extend(flags)
    final = [t for t in targets if t.year == frame.target_year]
    ordered = final + [t for t in targets if t not in final]
    return ordered, raised


def _outcomes(texts: list[str], frame: TableFrame) -> tuple[Outcome | None, Outcome | None]:
    level = next((texts[k] for k, c in enumerate(frame.columns) if c.role == "outcome" and not c.growth), None)
    growth = next((texts[k] for k, c in enumerate(frame.columns) if c.role == "outcome" and c.growth), None)
    year = next((c.year for c in frame.columns if c.role == "outcome"), None)
    if level is None and growth is None:
        return None, None
    return outcome_from(level, growth, year)


# ---------------------------------------------------------------- footnotes


def _apply_notes(found: list[Indicator], notes: list[TableNote], frame: TableFrame, flags: list[ReviewFlag],
                 warnings: list[str]) -> None:
    """Footnote flags onto the indicators they name (price basis) or concern ([] = cumulative)."""
    for note in notes:
        if note.kind == "five_year_cumulative":
            for ind in found:
                if any(t.cumulative for t in ind.targets) or (ind.growth_outcome and ind.growth_outcome.cumulative):
                    _add_note(ind, note.kind)
            continue
        for name in note.names:
            matched = [i for i in found if name in (i.name, i.group)]
            if not matched:
                matched = [i for i in found if sorted(name) == sorted(i.name)]
                for ind in matched:
                    flags.append(ReviewFlag(code="note_name_mismatch", line=note.line, item=ind.id,
                                            message=f"{frame.label}注释中的“{name}”与指标“{ind.name}”字序不同，"
                                                    f"已按同一指标处理，请确认"))
            if not matched:
                warnings.append(f"{frame.label}注释（第{note.line}行）提到的“{name}”在表中找不到对应指标")
            for ind in matched:
                _add_note(ind, note.kind)


def _add_note(indicator: Indicator, note: str) -> None:
    if note not in indicator.notes:
        indicator.notes.append(note)
