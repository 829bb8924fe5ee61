"""Indicator categories and the headings of a plan's work that carry them: a person's decisions on the
proposals of :mod:`planwatch.ingest.work_sections`.

A decision is ``confirmed`` (the heading's tasks and projects are the work of the category's indicators,
shown on their pages) or ``rejected`` (the rule's proposal was wrong). One row per plan, category and
heading (``category_sections``); a new decision replaces the old one and the audit log keeps both
(Store.confirm_category_section / reject_category_section). A person may confirm a heading the rule did
not propose: any heading of the outline but a table. Decisions belong to the plan, not to a version: a
heading or category a later version no longer has is listed apart (``stale``), never applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import InputError
from planwatch.ingest.work_sections import (
    CATEGORY_SOURCE,
    LINKABLE_KINDS,
    Evidence,
    categories,
    proposals,
    work_chapters,
)
from planwatch.model import OutlineNode, Plan
from planwatch.vocabulary import CATEGORY_SECTION_LABELS, CATEGORY_SECTION_PENDING

from . import plans as plans_db
from . import schema

CONFIRMED = "confirmed"
REJECTED = "rejected"
VERDICTS = (CONFIRMED, REJECTED)


class SectionDecision(BaseModel):
    """A person's decision on a category and a heading of the plan's work."""

    plan_key: str
    category: str
    section_id: str
    verdict: str  # confirmed / rejected
    actor: str
    decided_at: datetime


@dataclass(frozen=True)
class CategorySection:
    """A heading proposed for a category or decided on, with the rule's evidence and the decision."""

    category: str
    node: OutlineNode
    evidence: tuple[Evidence, ...]  # () for a heading a person linked that the rule did not propose
    decision: SectionDecision | None

    @property
    def verdict(self) -> str | None:
        """confirmed / rejected, None while no one has decided (待确认)."""
        return self.decision.verdict if self.decision else None

    @property
    def proposed(self) -> bool:
        """Whether the rule proposed it (else a person linked it by hand)."""
        return bool(self.evidence)


@dataclass(frozen=True)
class CategorySections:
    """Each category of a plan's current indicators with its proposed and decided headings (plan order)."""

    plan_key: str
    rows: dict[str, list[CategorySection]]
    stale: list[SectionDecision] = field(default_factory=list)

    def confirmed(self, category: str | None) -> list[OutlineNode]:
        """The headings confirmed for a category, in plan order."""
        return [r.node for r in self.rows.get(category or "", []) if r.verdict == CONFIRMED]

    def pending(self, category: str | None) -> list[CategorySection]:
        """The proposals no one has decided on yet."""
        return [r for r in self.rows.get(category or "", []) if r.verdict is None]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's --json, /api/plan/sections): each category with its headings, the
        evidence in words, and the decisions."""
        return {"plan_key": self.plan_key,
                "categories": [{"category": c, "confirmed": [n.id for n in self.confirmed(c)],
                                "pending": len(self.pending(c)), "sections": [section_json(r) for r in rows]}
                               for c, rows in self.rows.items()],
                "stale": [decision_json(d) for d in self.stale]}


def evidence_text(e: Evidence) -> str:
    """One piece of evidence in words: 类别“生态环境”：生态 / 指标 T2-12 文化及相关产业增加值：文化."""
    where = f"类别“{e.text}”" if e.source == CATEGORY_SOURCE else f"指标 {e.source} {e.text}"
    return f"{where}：{e.keyword}"


def section_json(r: CategorySection) -> dict[str, Any]:
    """A proposed or decided heading as JSON-ready data."""
    d = r.decision
    return {"id": r.node.id, "label": r.node.label, "title": r.node.title, "kind": r.node.kind, "line": r.node.line,
            "proposed": r.proposed,
            "evidence": [{"source": e.source, "text": e.text, "keyword": e.keyword} for e in r.evidence],
            "reason": ("标题共有关键词：" + "；".join(evidence_text(e) for e in r.evidence)) if r.evidence
            else "人工指定（规则未提出）",
            "verdict": r.verdict, "verdict_label": CATEGORY_SECTION_LABELS[d.verdict] if d else CATEGORY_SECTION_PENDING,
            "actor": d.actor if d else None, "decided_at": d.decided_at.isoformat() if d else None}


def decision_json(d: SectionDecision) -> dict[str, Any]:
    """A decision as JSON-ready data."""
    return {"category": d.category, "section_id": d.section_id, "verdict": d.verdict,
            "verdict_label": CATEGORY_SECTION_LABELS[d.verdict], "actor": d.actor, "decided_at": d.decided_at.isoformat()}


def category_sections(plan_key: str, plan: Plan, decisions: list[SectionDecision]) -> CategorySections:
    """The rule's proposals for a plan joined with the decisions on them, and the headings decided by hand."""
    nodes = {n.id: n for n in plan.outline}
    decided = {(d.category, d.section_id): d for d in decisions}
    order = {n.id: i for i, n in enumerate(plan.outline)}
    rows: dict[str, list[CategorySection]] = {}
    for category, proposed in proposals(plan).items():
        found = [CategorySection(category, p.node, p.evidence, decided.get((category, p.node.id))) for p in proposed]
        shown = {r.node.id for r in found}
        found += [CategorySection(category, nodes[d.section_id], (), d) for d in decisions
                  if d.category == category and d.section_id in nodes and d.section_id not in shown]
        rows[category] = sorted(found, key=lambda r: order[r.node.id])
    stale = [d for d in decisions if d.category not in rows or d.section_id not in nodes]
    return CategorySections(plan_key, rows, stale)


def read(conn: Connection, plan_key: str | None) -> CategorySections:
    """A stored plan's (latest version's) categories with their proposed and decided headings."""
    key = plans_db.plan_key_of(conn, plans_db.plan_id_of(conn, plan_key))
    return category_sections(key, plans_db.read(conn, key), decisions(conn, key))


def decisions(conn: Connection, plan_key: str | None) -> list[SectionDecision]:
    """Every current decision on a plan's categories, oldest first."""
    key = plans_db.plan_key_of(conn, plans_db.plan_id_of(conn, plan_key))
    t = schema.category_sections
    found = conn.execute(select(t).where(t.c.plan_id == plans_db.plan_id_of(conn, key)).order_by(t.c.decided_at, t.c.id))
    return [SectionDecision(plan_key=key, category=r.category, section_id=r.section_id, verdict=r.verdict,
                            actor=r.actor, decided_at=r.decided_at) for r in found]


def decide(conn: Connection, plan_key: str | None, category: str, section_id: str, verdict: str,
           actor: str) -> tuple[SectionDecision, str | None]:
    """Record a decision on a category and a heading, replacing an earlier one; the decision and the earlier
    verdict (None when there was none). InputError names what was expected when either is not the plan's."""
    if verdict not in VERDICTS:
        raise InputError(f"决定“{verdict[:20]}”无效：应为 {' 或 '.join(f'{v}（{CATEGORY_SECTION_LABELS[v]}）' for v in VERDICTS)}")
    key = plans_db.plan_key_of(conn, plans_db.plan_id_of(conn, plan_key))
    plan = plans_db.read(conn, key)
    category, section_id = category.strip(), section_id.strip()
    known = categories(plan)
    if category not in known:
        raise InputError(f"类别“{category[:40]}”不是本规划现行指标的类别：应为 {'、'.join(known) or '（无）'} 之一")
    node = next((n for n in plan.outline if n.id == section_id), None)
    if node is None or node.kind not in LINKABLE_KINDS:
        example = next((n.id for c in work_chapters(plan) for n in plan.outline if n.parent == c.id), "4.4")
        raise InputError(f"章节编号“{section_id[:40]}”不是本规划的篇章、节、条目或专栏：应为规划目录中的编号，如 {example}"
                         "（见 planwatch sections 或规划文本页）")
    plan_id = plans_db.plan_id_of(conn, key)
    t = schema.category_sections
    where = (t.c.plan_id == plan_id) & (t.c.category == category) & (t.c.section_id == section_id)
    before = conn.execute(select(t.c.verdict).where(where)).scalar()
    values = {"verdict": verdict, "actor": actor, "decided_at": plans_db.now()}
    if before is None:
        conn.execute(t.insert().values(plan_id=plan_id, category=category, section_id=section_id, **values))
    else:
        conn.execute(t.update().where(where).values(**values))
    return SectionDecision(plan_key=key, category=category, section_id=section_id, **values), before
