"""The plan's outline as a reader navigates it: chapters → sections → items, boxes and tables, each
holding the indicators, prose targets and tasks ingest found on its lines; and target phrases
(9500亿元以上) for adjustments and corrections.

Pure shaping of a :class:`~planwatch.model.Plan`; nothing here reads a store or judges.
"""

from __future__ import annotations

import math
import re
from typing import Any

from planwatch.figures import target_phrase, target_with_unit
from planwatch.model import Indicator, OutlineNode, Plan, ProseTarget, TargetAdjustment, Task
from planwatch.vocabulary import OUTLINE_KIND_LABELS, attribute_label, place_in_plan

__all__ = ["adjustment_record", "indicator_entry", "outline_tree", "prose_target_entry", "target_phrase",
           "task_entry"]

# Items before the first heading (the title page) or after the last one's end.
OUTSIDE_ID = "_outside"
OUTSIDE_TITLE = "未归入章节"
FIRST_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def printed_value_is(text: str, value: float | None) -> bool:
    """Whether a printed target (9000, 7以上, [16]) still states ``value``: a target adjusted before keeps
    its old printed text (store/plans.py changes the value only), so the text may no longer say it."""
    found = FIRST_NUMBER.search(text or "")
    return found is not None and value is not None and math.isclose(float(found[0]), value, rel_tol=1e-9)


def indicator_link(indicator_id: str) -> str:
    """The path of an indicator's page (without the site's base)."""
    return f"/indicators/{indicator_id}"


def indicator_entry(ind: Indicator) -> dict[str, Any]:
    """An indicator as the outline lists it: number, name, printed target and the link to its page."""
    target = ind.target
    as_printed = target.text and (target.value is None or printed_value_is(target.text, target.value))
    printed = target_with_unit(target.text, ind.unit) if as_printed else target_phrase(
        target.value, target.comparator, ind.unit, target.value_max)
    return {
        "id": ind.id, "table": ind.table, "no": ind.no, "name": ind.name, "unit": ind.unit,
        "category": ind.category, "attribute_label": attribute_label(ind.attribute),
        "target_display": printed, "target_year": target.year, "line": ind.line,
        "place": place_in_plan(ind.line, ind.location), "url": indicator_link(ind.id),
        "adjusted": target.adjustment_reason is not None,
    }


def prose_target_entry(target: ProseTarget) -> dict[str, Any]:
    """A quantitative target found in the prose: the quote as printed, its value, and its indicator's link."""
    return {
        "subject": target.subject, "quote": target.quote,
        "target_display": target_phrase(target.value, target.comparator, target.unit, target.value_max),
        "year": target.year, "year_explicit": target.year_explicit, "aspirational": target.aspirational,
        "section": target.section, "section_title": target.section_title, "line": target.line,
        "place": place_in_plan(target.line, target.location), "indicator": target.indicator,
        "url": indicator_link(target.indicator) if target.indicator else None,
    }


def task_entry(task: Task) -> dict[str, Any]:
    """A task as the outline lists it: its box and number, its text and place."""
    return {"id": task.id, "kind": str(task.kind), "box": task.box, "no": task.no, "text": task.text,
            "chapter": task.chapter, "line": task.line, "place": place_in_plan(task.line, task.location),
            "confirmed": task.confirmed}


def _node_entry(node: OutlineNode) -> dict[str, Any]:
    return {"id": node.id, "kind": node.kind, "kind_label": OUTLINE_KIND_LABELS.get(node.kind, node.kind),
            "label": node.label, "title": node.title, "level": node.level, "line": node.line,
            "line_end": node.line_end, "anchor": f"node-{node.id}", "indicators": [], "targets": [], "tasks": [],
            "children": [], "target_count": 0}


def _innermost(nodes: list[OutlineNode], line: int) -> str | None:
    """The id of the deepest node whose lines hold ``line`` (a later node wins a tie of depth)."""
    best: OutlineNode | None = None
    for node in nodes:
        if node.line <= line <= node.line_end and (best is None or node.level >= best.level):
            best = node
    return best.id if best is not None else None


def outline_tree(plan: Plan) -> list[dict[str, Any]]:
    """The outline as nested nodes (chapters first), each holding the current indicators, prose targets
    and tasks whose line falls inside it and no deeper node; ``target_count`` counts its whole subtree.
    Items outside every heading form a last node of their own (``_outside``)."""
    entries = {node.id: _node_entry(node) for node in plan.outline}
    outside = {**_node_entry(OutlineNode(id=OUTSIDE_ID, kind="section", label="", title=OUTSIDE_TITLE, level=1,
                                         line=0, line_end=0)), "kind_label": ""}
    items: list[tuple[str, int, dict[str, Any]]] = (
        [("indicators", i.line, indicator_entry(i)) for i in plan.current_indicators()]
        + [("targets", t.line, prose_target_entry(t)) for t in plan.targets]
        + [("tasks", t.line, task_entry(t)) for t in plan.tasks])
    for field, line, entry in sorted(items, key=lambda x: x[1]):
        home = _innermost(plan.outline, line)
        (entries[home] if home else outside)[field].append(entry)
    roots: list[dict[str, Any]] = []
    for node in plan.outline:
        entry = entries[node.id]
        parent = entries.get(node.parent) if node.parent else None
        (parent["children"] if parent is not None else roots).append(entry)
    if outside["indicators"] or outside["targets"] or outside["tasks"]:
        roots.append(outside)
    for root in roots:
        _count(root)
    return roots


def _count(entry: dict[str, Any]) -> int:
    entry["target_count"] = len(entry["indicators"]) + len(entry["targets"]) + sum(
        _count(child) for child in entry["children"])
    return entry["target_count"]


def adjustment_record(adj: TargetAdjustment, unit: str | None = None) -> dict[str, Any]:
    """A target adjustment (规划动态调整) as the pages show it: the original target beside the adjusted one."""
    rec = adj.model_dump(mode="json")
    old = (target_with_unit(adj.old_text, unit) if printed_value_is(adj.old_text, adj.old_value)
           else target_phrase(adj.old_value, adj.old_comparator, unit))
    rec.update(old_display=old, new_display=target_phrase(adj.new_value, adj.new_comparator, unit),
               url=indicator_link(adj.indicator), unit=unit)
    return rec
