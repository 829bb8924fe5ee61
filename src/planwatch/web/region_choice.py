"""How the pages offer the regions: a <select> of them all, or, for many (a province, the nation), a search
box whose text the server resolves, and links to the chosen region's parent and children.

Pure functions of region names and records; the pages (web/pages.py) and their contexts (web/context.py)
call them with a snapshot's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from planwatch.store import Region

# Up to this many regions the pages offer a <select> of them all; beyond it a search box: 3,000 <option>s
# made every page ~100 KiB and its rendering the largest part of a request.
REGION_SELECT_MAX = 50
REGION_SUGGESTIONS = 8  # names a search box offers before anything is typed (the datalist, no JS needed)
# Links listed at most for a search's matches or a region's children: more are found by a longer name.
REGION_LINKS_MAX = 60


def many_regions(count: int) -> bool:
    """Whether ``count`` regions are too many for a <select> of them all."""
    return count > REGION_SELECT_MAX


def region_matches(names: list[str], q: str | None, own: str | None = None) -> list[str]:
    """The names containing ``q`` (case-insensitive): the plan's own region first, then names starting
    with ``q``, then the others, each in the given order; every name for a blank ``q``."""
    needle = (q or "").strip().casefold()
    if needle:
        folded = [(n, n.casefold()) for n in names]
        starting = [n for n, f in folded if f.startswith(needle)]
        inside = [n for n, f in folded if needle in f and not f.startswith(needle)]
        names = starting + inside
    if own is not None and own in names:
        names = [own, *(n for n in names if n != own)]
    return list(names)


def region_picker(names: list[str], own: str | None, region: str) -> dict[str, object]:
    """``region_picker``: "select" (few regions) or "search" (many), and ``region_suggestions``: the few
    names a search box's list offers before anything is typed (the plan's own, the chosen one, the first)."""
    if not many_regions(len(names)):
        return {"region_picker": "select", "region_suggestions": []}
    first = [n for n in (own, region) if n]
    return {"region_picker": "search", "region_suggestions": list(dict.fromkeys([*first, *names]))[:REGION_SUGGESTIONS]}


@dataclass(frozen=True)
class RegionTree:
    """The region table's hierarchy: each region's parent, and its children in the tree's order."""

    parents: dict[str, str]
    children: dict[str, list[str]]

    @classmethod
    def of(cls, regions: list[Region]) -> RegionTree:
        """The hierarchy of ``regions`` (parents before children, as Store.regions lists them)."""
        names = {r.name for r in regions}
        parents = {r.name: r.parent for r in regions if r.parent and r.parent in names}
        children: dict[str, list[str]] = {}
        for name, parent in parents.items():
            children.setdefault(parent, []).append(name)
        return cls(parents, children)

    def parent(self, name: str) -> str | None:
        """The region directly above ``name``, or None."""
        return self.parents.get(name)

    def below(self, name: str) -> list[str]:
        """The regions directly below ``name``."""
        return self.children.get(name, [])


@dataclass(frozen=True)
class RegionSearch:
    """What a search for ``text`` found among the regions: every match's name, the plan's own region first."""

    text: str
    matches: list[str]

    @property
    def only(self) -> str | None:
        """The one region the text names: its exact name, or the only name containing it."""
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def shown(self) -> list[str]:
        """The matches listed as links."""
        return self.matches[:REGION_LINKS_MAX]

    def message(self, quoted: str) -> str:
        """What the search page says of the result, the text quoted as ``quoted`` (shortened)."""
        count = len(self.matches)
        if count == 0:
            return f"没有名称包含“{quoted}”的地区。请检查输入的名称，或从下列地区中选择："
        if count > REGION_LINKS_MAX:
            return (f"名称包含“{quoted}”的地区共 {count} 个，下面列出前 {REGION_LINKS_MAX} 个；"
                    "请输入更完整的名称缩小范围，或从下列地区中选择：")
        return f"名称包含“{quoted}”的地区共 {count} 个，请选择："


def region_search(names: list[str], text: str, own: str | None) -> RegionSearch:
    """The regions ``text`` names: its exact name (surrounding spaces aside), else every name containing it."""
    text = text.strip()
    if text in names:
        return RegionSearch(text, [text])
    return RegionSearch(text, region_matches(names, text, own) if text else [])
