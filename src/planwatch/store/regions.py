"""Regions and their hierarchy (province → city → county)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import StoreError

from . import schema

LEVEL_SUFFIXES = (("省", "province"), ("自治区", "province"), ("市", "city"), ("州", "city"), ("盟", "city"),
                  ("区", "county"), ("县", "county"), ("旗", "county"))


class Region(BaseModel):
    """A region; ``parent`` is the name of the region above it."""

    name: str
    parent: str | None = None
    level: str | None = None


class RegionNode(BaseModel):
    """A region with the regions below it."""

    name: str
    level: str | None = None
    children: list[RegionNode] = Field(default_factory=list)


def guess_level(name: str) -> str | None:
    """province / city / county from a Chinese region name's suffix, or None."""
    for suffix, level in LEVEL_SUFFIXES:
        if name.endswith(suffix):
            return level
    return None


def as_region(row: Region | Mapping[str, Any] | tuple) -> Region:
    """A Region from a model, a mapping (name/parent/level or 名称/上级/级别) or a tuple."""
    if isinstance(row, Region):
        return row
    if isinstance(row, Mapping):
        get = lambda *keys: next((str(row[k]).strip() for k in keys if row.get(k) not in (None, "")), None)  # noqa: E731
        name = get("name", "名称", "地区")
        if not name:
            raise StoreError(f"地区记录缺少名称：{dict(row)}")
        return Region(name=name, parent=get("parent", "上级"), level=get("level", "级别") or guess_level(name))
    name, *rest = row
    parent = rest[0] if rest else None
    level = rest[1] if len(rest) > 1 else guess_level(name)
    return Region(name=name, parent=parent or None, level=level or None)


def region_names(conn: Connection) -> set[str]:
    """Names of all stored regions."""
    return set(conn.execute(select(schema.regions.c.name)).scalars())


def all_regions(conn: Connection) -> list[Region]:
    """Every stored region, parents before children, then by name."""
    rows = [Region(name=r.name, parent=r.parent, level=r.level)
            for r in conn.execute(select(schema.regions).order_by(schema.regions.c.name))]
    return [node for node, _depth in _walk(rows)]


def add_regions(conn: Connection, rows: Iterable[Region | Mapping[str, Any] | tuple]) -> list[Region]:
    """Insert or update regions; every parent must be stored or among the rows."""
    new = [as_region(r) for r in rows]
    known = region_names(conn) | {r.name for r in new}
    missing = sorted({r.parent for r in new if r.parent and r.parent not in known})
    if missing:
        raise StoreError(f"上级地区不存在：{'、'.join(missing)}（请先添加上级地区，或在同一文件中列出）")
    existing = region_names(conn)
    for r in new:
        values = {"parent": r.parent, "level": r.level}
        if r.name in existing:
            conn.execute(schema.regions.update().where(schema.regions.c.name == r.name).values(**values))
        else:
            conn.execute(schema.regions.insert().values(name=r.name, **values))
            existing.add(r.name)
    return new


def ensure_region(conn: Connection, name: str, level: str | None = None) -> None:
    """Create a top-level region unless it exists."""
    if name not in region_names(conn):
        conn.execute(schema.regions.insert().values(name=name, parent=None, level=level or guess_level(name)))


def tree(regions: list[Region]) -> list[RegionNode]:
    """The regions as a forest of nodes, roots first."""
    nodes = {r.name: RegionNode(name=r.name, level=r.level) for r in regions}
    roots: list[RegionNode] = []
    for r in regions:
        if r.parent and r.parent in nodes:
            nodes[r.parent].children.append(nodes[r.name])
        else:
            roots.append(nodes[r.name])
    return roots


def _walk(regions: list[Region]):
    children: dict[str | None, list[Region]] = {}
    names = {r.name for r in regions}
    for r in regions:
        children.setdefault(r.parent if r.parent in names else None, []).append(r)

    def visit(parent, depth):
        for r in children.get(parent, []):
            yield r, depth
            yield from visit(r.name, depth + 1)

    yield from visit(None, 0)
