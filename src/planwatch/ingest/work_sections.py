"""Which work sections of a plan carry an indicator category: proposals a person confirms or rejects.

A plan prints its indicators in one chapter and its work in others — the Jiaxing outline's 表2 (categories
经济发展, 科技创新, 生态环境, …) sits in chapter 三, its tasks and projects in chapter 四's sections — and never
says which section carries which category. This module proposes; nothing is applied until a person decides
(``planwatch sections confirm``, the page /plan/sections; stored by store/category_sections.py).

The rule, for each category of the plan's current indicators:

- the candidates are the headings (sections （一） and items 1．) of the chapters that hold work (a confirmed
  task or a project), other than the chapter the category's indicators are printed in;
- a candidate is proposed when its title shares a keyword with the category's name or with the name of one
  of the category's indicators. A keyword is a run of two or more Chinese characters found in both texts
  once the words any plan writes everywhere (:data:`GENERIC_WORDS`: 发展, 建设, 推进, …) and the plan's own
  region name are taken out of each: 生态环境 and “坚定不移走生态优先绿色发展之路，建设美丽嘉兴” share 生态;
  文化发展 and “一体化发展示范区” share nothing (发展 is generic, and 化 alone is one character).

Each proposal lists its evidence — which text (the category, or indicator T2-8 and its name) and which
keyword — so a person sees why it was made. Shared words are evidence, not proof: 社会民生 and
“以社会主义核心价值观引领文化建设” share 社会, and a person rejects that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planwatch.model import Indicator, OutlineNode, Plan

# Words of plan writing that say nothing about the subject: taken out of both texts before comparing.
GENERIC_WORDS: tuple[str, ...] = (
    "地区生产总值", "生产总值", "现代化", "高质量", "增加值", "发展", "建设", "推进", "加快", "全面", "打造", "提升",
    "深化", "完善", "推动", "加强", "强化", "坚持", "实施", "健全", "提高", "城市", "地区", "年均", "增长", "比重",
    "比例", "水平", "体系", "能力", "机制", "人均", "每千", "每万", "拥有", "综合", "总量", "核心", "质量", "中心",
    "单位", "降低", "人口",
)
# The headings a category may be linked to (a confirmed one carries every task and project on its lines).
HEADING_KINDS = ("section", "item")
# What a person may link a category to: any heading of the outline but a table.
LINKABLE_KINDS = ("chapter", "section", "item", "box")
CATEGORY_SOURCE = "category"
MIN_KEYWORD = 2
_NOT_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Evidence:
    """Why a section was proposed: a keyword its title shares with the category's name or an indicator's."""

    source: str  # "category", or the indicator's id (T2-8)
    text: str  # the category's name, or the indicator's name
    keyword: str


@dataclass(frozen=True)
class SectionProposal:
    """A heading proposed for a category, with every piece of evidence (in the category's indicators' order)."""

    category: str
    node: OutlineNode
    evidence: tuple[Evidence, ...]


def categories(plan: Plan) -> list[str]:
    """The categories (类别) of the plan's current indicators, in plan order."""
    return list(dict.fromkeys(i.category for i in plan.current_indicators() if i.category))


def category_indicators(plan: Plan, category: str) -> list[Indicator]:
    """The current indicators of one category, in plan order."""
    return [i for i in plan.current_indicators() if i.category == category]


def covers(node: OutlineNode, line: int) -> bool:
    """Whether a line lies within a heading's lines (the heading itself, its text and every heading under it)."""
    return node.line <= line <= node.line_end


def chapter_of(plan: Plan, line: int) -> OutlineNode | None:
    """The chapter (一、二、…) holding a line."""
    return next((n for n in plan.outline if n.level == 1 and covers(n, line)), None)


def work_chapters(plan: Plan) -> list[OutlineNode]:
    """The chapters holding work: a confirmed task or a project of the plan, in plan order."""
    lines = [t.line for t in plan.tasks if t.confirmed] + [p.line for p in plan.projects]
    return [n for n in plan.outline if n.level == 1 and any(covers(n, line) for line in lines)]


def candidates(plan: Plan, category: str) -> list[OutlineNode]:
    """The headings a category may be proposed for: sections and items of the chapters holding work, other
    than the chapters its indicators are printed in."""
    own = {c.id for i in category_indicators(plan, category) if (c := chapter_of(plan, i.line)) is not None}
    chapters = [c for c in work_chapters(plan) if c.id not in own]
    return [n for n in plan.outline if n.kind in HEADING_KINDS and any(covers(c, n.line) for c in chapters)]


def generic_words(plan: Plan) -> tuple[str, ...]:
    """The words taken out before comparing: :data:`GENERIC_WORDS` and the plan's region (嘉兴市, 嘉兴)."""
    region = plan.meta.region or ""
    own = [region, region[:-1]] if len(region) > 2 and region[-1] in "省市县区" else [region]
    return tuple(sorted({*GENERIC_WORDS, *(w for w in own if len(w) >= MIN_KEYWORD)}, key=len, reverse=True))


def _runs(text: str, generic: Sequence[str]) -> list[str]:
    """The runs of Chinese characters of a text once the generic words are taken out."""
    for word in generic:
        text = text.replace(word, " ")
    return [r for r in _NOT_CJK.split(text) if len(r) >= MIN_KEYWORD]


def shared_keywords(a: str, b: str, generic: Sequence[str] = GENERIC_WORDS) -> list[str]:
    """The keywords two texts share: the longest runs of two or more characters found in both once the
    generic words are taken out, in the order they appear in ``a``; none inside another."""
    found: list[str] = []
    for x in _runs(a, generic):
        for y in _runs(b, generic):
            found.extend(_common_runs(x, y))
    unique = list(dict.fromkeys(found))
    return [k for k in unique if not any(k != other and k in other for other in unique)]


def _common_runs(x: str, y: str) -> Iterable[str]:
    """Every run x and y share that cannot be extended on either side (two characters or more)."""
    for i in range(len(x)):
        for j in range(len(y)):
            if i and j and x[i - 1] == y[j - 1]:
                continue  # the run starting one character earlier holds this one
            n = 0
            while i + n < len(x) and j + n < len(y) and x[i + n] == y[j + n]:
                n += 1
            if n >= MIN_KEYWORD:
                yield x[i:i + n]


def evidence_for(plan: Plan, category: str, node: OutlineNode, generic: Sequence[str]) -> tuple[Evidence, ...]:
    """The keywords a heading's title shares with the category's name and with each of its indicators' names."""
    found = [Evidence(CATEGORY_SOURCE, category, k) for k in shared_keywords(category, node.title, generic)]
    for ind in category_indicators(plan, category):
        found.extend(Evidence(ind.id, ind.name, k) for k in shared_keywords(ind.name, node.title, generic))
    return tuple(found)


def proposals(plan: Plan) -> dict[str, list[SectionProposal]]:
    """Each category of the plan's current indicators → the headings proposed for it, in plan order."""
    generic = generic_words(plan)
    out: dict[str, list[SectionProposal]] = {}
    for category in categories(plan):
        found = [SectionProposal(category, node, evidence) for node in candidates(plan, category)
                 if (evidence := evidence_for(plan, category, node, generic))]
        out[category] = found
    return out
