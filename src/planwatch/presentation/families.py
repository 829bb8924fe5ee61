"""How a plan family and one indicator compared across it are shown: records (JSON, pages), table cells (CSV,
Excel, the terminal) and chart data, one form for ``planwatch families``, the pages and their downloads.

The comparison itself is :mod:`planwatch.evaluate.families`; nothing here judges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planwatch.evaluate.families import (
    TABLE1,
    ComparisonRow,
    Family,
    FamilyMember,
    FamilySeries,
    family_of,
)
from planwatch.figures import fmt_number, fmt_value, target_with_unit
from planwatch.model import Indicator, Target, TargetKind
from planwatch.numbers import UnitError, convert
from planwatch.vocabulary import (
    FAMILY_BASIS_LABELS,
    FAMILY_NOT_LISTED,
    FAMILY_SOURCE_LABELS,
    LATEST_MARK,
    MISSING,
    attribute_label,
)

# Targets whose value is a level in the indicator's unit: the ones a chart can set beside the observed values.
LEVEL_KINDS = (TargetKind.level, TargetKind.maintain)

COMPARISON_HEADERS = ("规划", "来源", "规划期", "指标编号", "指标名称", "单位", "属性", "基期值", "基期年份", "规划目标",
                      "目标值", "目标年份", "目标年实际值", "最新值", "最新值年份", "实际值单位", "评估结论", "评估依据",
                      "评估年份", "下一规划目标", "下一规划目标年份")


def member_record(member: FamilyMember) -> dict[str, Any]:
    """A family member as listed: key (None for a plan known from 表1), where a 表1 plan was read, label, period."""
    return {"key": member.key, "recorded_in": member.plan_key if member.source == TABLE1 else None,
            "label": member.label, "title": member.title, "plan_number": member.plan_number,
            "period_start": member.period_start, "period_end": member.period_end,
            "source": member.source, "source_label": FAMILY_SOURCE_LABELS[member.source]}


def family_record(family: Family) -> dict[str, Any]:
    """A family as listed by ``planwatch families`` and /api/plan/family."""
    return {"id": family.id, "label": family.label, "region": family.region, "level": family.level,
            "members": [member_record(m) for m in family.members]}


def period_text(member: FamilyMember) -> str:
    """2021—2025."""
    return f"{member.period_start or '?'}—{member.period_end or '?'}"


def target_text(target: Target | None, unit: str | None) -> str:
    """A target as the plan prints it (9000, 7以上, [16]); its value when nothing is printed."""
    if target is None:
        return MISSING
    return target.text or fmt_number(target.value, unit)


def base_text(ind: Indicator) -> str:
    """The base value's figure; as printed when it has none (—)."""
    if ind.baseline.value is not None:
        return fmt_number(ind.baseline.value, ind.unit)
    return ind.baseline.text or MISSING


def outcome_text(row: ComparisonRow) -> str:
    """5509.5; the latest value when the target year has none yet: 7569.53（2024年，最新）; '—' without either."""
    if row.outcome is not None:
        return fmt_value(row.outcome, row.outcome_bound, row.outcome_unit)
    if row.latest is not None:
        return f"{fmt_value(row.latest, row.latest_bound, row.outcome_unit)}（{row.latest_year}年，{LATEST_MARK}）"
    return MISSING


def comparison_record(row: ComparisonRow) -> dict[str, Any]:
    """One member's row of the comparison, as JSON and the pages show it; a member not listing the indicator has
    the same keys, empty, and says so in ``status_label``."""
    member, ind, nxt = row.member, row.indicator, row.next_target
    rec: dict[str, Any] = {
        "plan": member.label, **member_record(member), "period": period_text(member),
        "next_plan": row.next_member.label if row.next_member else None,
        "next_target_text": target_text(nxt, None) if nxt else None,
        "next_target_value": nxt.value if nxt else None,
        "next_target_year": (nxt.year or (row.next_member.period_end if row.next_member else None)) if nxt else None,
    }
    if ind is None:
        return rec | dict.fromkeys(LISTED_KEYS) | {"listed": False, "status_label": FAMILY_NOT_LISTED,
                                                   "attribute_label": "", "base_display": MISSING,
                                                   "target_text": MISSING, "outcome_display": MISSING,
                                                   "basis_label": ""}
    target = ind.target
    return rec | {
        "indicator_id": ind.id, "ref": member.ref(ind), "listed": True, "table": ind.table, "no": ind.no,
        "name": ind.name, "unit": ind.unit,
        "attribute": str(ind.attribute) if ind.attribute else None, "attribute_label": attribute_label(ind.attribute),
        "base_value": ind.baseline.value, "base_year": ind.baseline.year, "base_display": base_text(ind),
        "target_kind": str(target.kind), "target_text": target_text(target, ind.unit), "target_value": target.value,
        "target_year": row.target_year,
        "outcome": row.outcome, "outcome_year": row.outcome_year, "latest": row.latest,
        "latest_year": row.latest_year, "outcome_unit": row.outcome_unit, "outcome_display": outcome_text(row),
        "status": str(row.status) if row.status else None, "status_label": row.status_label,
        "judged_year": row.judged_year, "basis": row.basis,
        "basis_label": FAMILY_BASIS_LABELS[row.basis] if row.basis else "",
    }


# The keys a record has from its indicator: empty (None) for a member not listing it.
LISTED_KEYS = ("indicator_id", "ref", "table", "no", "name", "unit", "attribute", "base_value", "base_year",
               "target_kind", "target_value", "target_year", "outcome", "outcome_year", "latest", "latest_year",
               "outcome_unit", "status", "judged_year", "basis")


def comparison_cells(rec: dict[str, Any]) -> tuple[Any, ...]:
    """A comparison record's cells in a download or the terminal (numbers as numbers, labels as shown)."""
    if not rec["listed"]:
        return (rec["plan"], rec["source_label"], rec["period"], "", "", "", "", None, None, "", None, None, None,
                None, None, "", rec["status_label"], "", None, rec["next_target_text"] or "", rec["next_target_year"])
    return (rec["plan"], rec["source_label"], rec["period"], rec["indicator_id"], rec["name"], rec["unit"] or "",
            rec["attribute_label"], rec["base_value"], rec["base_year"], rec["target_text"], rec["target_value"],
            rec["target_year"], rec["outcome"], rec["latest"], rec["latest_year"], rec["outcome_unit"] or "",
            rec["status_label"], rec["basis_label"], rec["judged_year"], rec["next_target_text"] or "",
            rec["next_target_year"])


def comparison_chart(rows: Sequence[ComparisonRow]) -> dict[str, Any]:
    """The rows' level targets and values (base, outcome or latest) on one axis, in the unit of the latest member
    listing the indicator; a row whose unit does not convert into it, or whose target is a rate, is left out."""
    listed = [r for r in rows if r.indicator is not None]
    unit = listed[-1].indicator.unit if listed and listed[-1].indicator else None
    targets: list[list[Any]] = []
    values: dict[int, float] = {}
    for row in listed:
        ind = row.indicator
        if ind is None or ind.target.kind not in LEVEL_KINDS:
            continue
        base = _in_unit(ind.baseline.value, ind.unit, unit)
        if base is not None and ind.baseline.year is not None:
            values.setdefault(ind.baseline.year, base)
        seen = row.outcome if row.outcome is not None else row.latest
        year = row.outcome_year if row.outcome is not None else row.latest_year
        value = _in_unit(seen, ind.unit, unit)
        if value is not None and year is not None:
            values.setdefault(year, value)
        goal = _in_unit(ind.target.value, ind.unit, unit)
        if goal is not None and row.target_year is not None:
            targets.append([row.target_year, goal, f"{row.member.label} {target_text(ind.target, ind.unit)}"])
    years = sorted({*values, *(t[0] for t in targets)})
    return {"unit": unit or "", "years": years, "actual": [[y, values[y]] for y in sorted(values)],
            "targets": targets}


def _in_unit(value: float | None, unit: str | None, to: str | None) -> float | None:
    """The value in the chart's unit; None when it is missing or does not convert."""
    if value is None or unit == to:
        return value
    if not unit or not to:
        return None
    try:
        return convert(value, unit, to)
    except UnitError:
        return None


def matrix_cell(row: ComparisonRow) -> dict[str, Any] | None:
    """A member's cell of the family table (target, outcome, judgement); None where the member lacks the series."""
    if row.indicator is None:
        return None
    rec = comparison_record(row)
    cell = {key: rec[key] for key in ("indicator_id", "ref", "target_text", "target_year", "outcome_display",
                                      "status", "status_label", "basis_label", "unit")}
    return cell | {"target_display": target_with_unit(rec["target_text"], rec["unit"])}


def matrix_row(series: FamilySeries, rows: Sequence[ComparisonRow]) -> dict[str, Any]:
    """A series' row of the family table: its name and one cell per member."""
    return {"name": series.name, "cells": [matrix_cell(r) for r in rows]}


def comparison_content(series: FamilySeries, rows: Sequence[ComparisonRow]) -> dict[str, Any]:
    """The comparison of one indicator across its family, as ``planwatch families compare --json`` and
    /api/plan/family/{key} give it: the family, the series' name, one record per member, the chart data."""
    return {"family": family_record(series.family), "name": series.name,
            "rows": [comparison_record(r) for r in rows], "chart": comparison_chart(rows)}


def plan_family_keys(found: Sequence[Family], plan_key: str) -> dict[str, Any]:
    """What ``planwatch plans --json`` says of a plan's family: its id and label, and the plans before and after."""
    family = family_of(found, plan_key)
    before, after = family.neighbours(plan_key)

    def neighbour(member: FamilyMember | None) -> dict[str, Any] | None:
        return None if member is None else {"key": member.key, "label": member.label, "source": member.source}

    return {"family": family.id, "family_label": family.label, "previous": neighbour(before), "next": neighbour(after)}
