"""Series across the stored plans: which indicators of different plans are one series, and the key their
observations are stored under.

Observations belong to series, not to a plan: the GDP figures imported once serve the 14th plan's final review
and the 15th plan's first year. Indicators of different plans are paired by :mod:`planwatch.series_match`
(normalised name, synonyms, unit family); a person's decision overrides it (``series_matches``): a confirmed
pair always matches, a split pair never does.

The key (``observations.indicator``) of a series is the indicator's id in the first-loaded plan that holds
it (plans in load order), so a store of one plan keeps its ids unchanged and a plan loaded later never moves
the figures already stored. When that bare id is already taken by another indicator of an earlier plan (the
15th plan's T2-1 is not the 14th's T2-1), the key is qualified ``PLANKEY:ID``. Every plan reads its
indicators' series through :meth:`SeriesLinks.frame_for`, relabelled to its own ids.

A decision that changes keys takes the figures along, in the same transaction (:func:`decide`): a key no
indicator uses afterwards has every revision moved under the new key of the indicator whose key it was,
converted into the new series' unit (where both keys hold a figure, one stays current by the vintage rule,
the other is a revision). A key still in use (a split leaves it with the series' first indicator) keeps its
figures: nothing tells which of them were meant for the indicator split off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import InputError, StoreError
from planwatch.model import Indicator, Plan
from planwatch.numbers import UnitError, convert
from planwatch.series_match import NameMatch, canonical_name, name_match, normalised_name, series_key

from . import observations as obs_db
from . import plans as plans_db
from . import schema

CONFIRMED = "confirmed"
SPLIT = "split"
VERDICTS = (CONFIRMED, SPLIT)
# A pair matched because a person confirmed it (the other reasons are planwatch.series_match's).
CONFIRMED_REASON = "confirmed"


class SeriesDecision(BaseModel):
    """A person's decision on two indicators of different plans: one series (confirmed) or not (split)."""

    plan_a: str
    indicator_a: str
    plan_b: str
    indicator_b: str
    verdict: str
    actor: str
    decided_at: datetime


@dataclass(frozen=True)
class Member:
    """One current indicator of one stored plan."""

    plan_key: str
    indicator: Indicator
    order: int  # the plan's place in load order

    @property
    def ref(self) -> str:
        """How a person names it: ``PLANKEY:ID``."""
        return f"{self.plan_key}:{self.indicator.id}"


@dataclass(frozen=True)
class SeriesPair:
    """Two indicators of different plans taken as one series, and why (a match or a person's confirmation)."""

    home: Member  # the series' indicator in the first-loaded plan holding it
    other: Member
    reason: str  # same_name / normalised / synonym / confirmed
    match: NameMatch | None  # the automatic match, when there is one
    decision: SeriesDecision | None = None


def parse_ref(ref: str) -> tuple[str, str]:
    """``PLANKEY:ID`` → (plan key, indicator id); StoreError naming the form expected."""
    key, sep, ind = ref.strip().rpartition(":")
    if not sep or not key or not ind:
        raise StoreError(f"指标 {ref} 的写法无效：应为 规划键:指标编号，如 嘉兴市-1a2b3c4d:T2-1（规划键见 planwatch plans）")
    return key, ind


def first_year(plan: Plan) -> int | None:
    """The first year a plan's data may have: its base year (as the import checks it)."""
    meta = plan.meta
    return meta.base_year or (meta.period_start - 1 if meta.period_start else None)


@dataclass
class SeriesLinks:
    """The stored plans (load order), the series their current indicators form, and each one's stored key."""

    plans: list[tuple[str, Plan]]
    decisions: list[SeriesDecision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.members = [Member(key, ind, n) for n, (key, plan) in enumerate(self.plans)
                        for ind in plan.current_indicators()]
        self.by_ref = {m.ref: m for m in self.members}
        self._group = self._groups()
        self.key_of = self._keys()

    @property
    def several(self) -> bool:
        """Whether more than one plan is stored (with one, every key is the indicator's own id)."""
        return len(self.plans) > 1

    def member(self, plan_key: str, indicator_id: str) -> Member:
        """A current indicator of a stored plan; StoreError when there is none."""
        found = self.by_ref.get(f"{plan_key}:{indicator_id}")
        if found is None:
            if plan_key not in dict(self.plans):
                known = "、".join(k for k, _ in self.plans) or "无"
                raise StoreError(f"没有键为 {plan_key} 的规划（已有：{known}）")
            raise StoreError(f"规划 {plan_key} 中没有现行指标 {indicator_id}")
        return found

    # -------------------------------------------------------- grouping

    def _groups(self) -> dict[str, int]:
        """Each member's group (the ref of its group's first member), by union of automatic and confirmed edges.

        A split pair takes the later plan's indicator out of its automatic series (a confirm may put it
        elsewhere): otherwise a third plan's indicator matching both would join them again."""
        parent = {m.ref: m.ref for m in self.members}

        def root(ref: str) -> str:
            while parent[ref] != ref:
                parent[ref] = parent[parent[ref]]
                ref = parent[ref]
            return ref

        def join(a: str, b: str) -> None:
            ra, rb = root(a), root(b)
            if ra != rb:
                first, second = sorted((ra, rb), key=lambda r: self._position[r])
                parent[second] = first

        detached = set()
        for d in self.decisions:
            a, b = f"{d.plan_a}:{d.indicator_a}", f"{d.plan_b}:{d.indicator_b}"
            if d.verdict == SPLIT and a in self.by_ref and b in self.by_ref:
                detached.add(max(a, b, key=lambda r: self._position[r]))
        buckets: dict[tuple[str, str], list[Member]] = {}
        for m in self.members:
            if m.ref not in detached:
                buckets.setdefault(series_key(m.indicator.name, m.indicator.unit), []).append(m)
        for bucket in buckets.values():
            plans_seen: set[str] = set()
            first = bucket[0]
            for m in bucket:
                # One indicator per plan in a series: a plan listing one name twice keeps the first.
                if m.plan_key not in plans_seen:
                    plans_seen.add(m.plan_key)
                    join(first.ref, m.ref)
        for d in self.decisions:
            a, b = f"{d.plan_a}:{d.indicator_a}", f"{d.plan_b}:{d.indicator_b}"
            if d.verdict == CONFIRMED and a in self.by_ref and b in self.by_ref:
                join(a, b)
        return {m.ref: self._position[root(m.ref)] for m in self.members}

    @cached_property
    def _position(self) -> dict[str, int]:
        return {m.ref: n for n, m in enumerate(self.members)}

    def _keys(self) -> dict[str, str]:
        """Each member's stored key: its series' id in the first-loaded plan, qualified when that id is taken."""
        taken: set[str] = set()
        group_key: dict[int, str] = {}
        keys: dict[str, str] = {}
        for key, plan in self.plans:
            for ind in plan.current_indicators():
                ref = f"{key}:{ind.id}"
                group = self._group[ref]
                if group not in group_key:
                    group_key[group] = ind.id if ind.id not in taken else ref
                keys[ref] = group_key[group]
            taken |= {i.id for i in plan.indicators}  # the previous plan's table (表1) ids are read bare too
        return keys

    def series_key_of(self, plan_key: str, indicator_id: str) -> str:
        """The key a plan's current indicator's observations are stored under (its own id when not current)."""
        return self.key_of.get(f"{plan_key}:{indicator_id}", indicator_id)

    def recorded(self, plan_key: str, indicator_id: str, value: float | None,
                 unit: str | None) -> tuple[str, float | None, str | None]:
        """How a figure of a plan's indicator is stored: under its series' key, in the unit of the series'
        first plan (as an import records it), so an approved figure is the one series figure too."""
        member = self.by_ref.get(f"{plan_key}:{indicator_id}")
        if member is None or not self.several:
            return indicator_id, value, unit
        home_unit = self.home(member).indicator.unit
        if value is not None and _convertible(unit, home_unit):
            value, unit = _converted(value, unit, home_unit), home_unit
        return self.series_key_of(plan_key, indicator_id), value, unit

    def home(self, member: Member) -> Member:
        """The series' indicator in the first-loaded plan holding it."""
        return self.members[self._group[member.ref]]

    def groups(self) -> list[list[Member]]:
        """The series of two or more plans, each in load order, in the order of their first member."""
        found: dict[int, list[Member]] = {}
        for m in self.members:
            found.setdefault(self._group[m.ref], []).append(m)
        return [g for _, g in sorted(found.items()) if len({m.plan_key for m in g}) > 1]

    def pairs(self) -> list[SeriesPair]:
        """Every indicator of a later plan with the series' first indicator it was matched to, and why."""
        decided = {frozenset((f"{d.plan_a}:{d.indicator_a}", f"{d.plan_b}:{d.indicator_b}")): d
                   for d in self.decisions}
        out = []
        for group in self.groups():
            home = group[0]
            for other in group[1:]:
                if other.plan_key == home.plan_key:
                    continue
                why = name_match(other.indicator, home.indicator)
                decision = decided.get(frozenset((home.ref, other.ref)))
                reason = CONFIRMED_REASON if decision is not None or why is None else why.reason
                out.append(SeriesPair(home, other, reason, why, decision))
        return out

    # -------------------------------------------------------- lookups for an import

    def by_name(self, name: str) -> list[Member]:
        """The series (by their first member) whose indicators are named ``name``, exactly or by the matcher's
        rule (normalised, synonyms); a name cell has no unit, so every unit family counts."""
        wanted = canonical_name(name)[0]
        exact = normalised_name(name)
        homes: dict[int, Member] = {}
        for m in self.members:
            if m.indicator.name == name or normalised_name(m.indicator.name) == exact \
                    or canonical_name(m.indicator.name)[0] == wanted:
                homes.setdefault(self._group[m.ref], self.home(m))
        return list(homes.values())

    def by_id(self, indicator_id: str) -> list[Member]:
        """The series (by their first member) a bare id or a stored key names in any plan."""
        homes: dict[int, Member] = {}
        for m in self.members:
            if m.indicator.id == indicator_id or self.key_of[m.ref] == indicator_id or m.ref == indicator_id:
                homes.setdefault(self._group[m.ref], self.home(m))
        return list(homes.values())

    def year_range(self) -> tuple[int | None, int | None]:
        """The first and last year any stored plan's data may have."""
        firsts = [y for _, p in self.plans if (y := first_year(p)) is not None]
        lasts = [p.meta.period_end for _, p in self.plans if p.meta.period_end is not None]
        return (min(firsts) if firsts else None, max(lasts) if lasts else None)

    # -------------------------------------------------------- the evaluation's frame

    def frame_for(self, plan_key: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The observations one plan reads: each current indicator's series, relabelled to the plan's own id
        and converted into its unit; other plans' series are left out, so the 15th plan's T2-1 never reads
        the 14th's T2-1 unless they are one series. Declared series and the previous plan's table (表1) are
        read by their codes as before."""
        if not self.several or frame.empty:
            return frame
        own = {self.key_of[m.ref]: m.indicator for m in self.members if m.plan_key == plan_key}
        others = set(self.key_of.values()) | {m.indicator.id for m in self.members if m.plan_key == plan_key}
        keys = frame["indicator"].astype(str)
        kept = frame[~keys.isin(others | set(own))]
        mine = frame[keys.isin(set(own))].copy()
        if mine.empty:
            return kept
        targets = [own[k] for k in mine["indicator"]]
        mine["value"] = [_converted(v, u, ind.unit) for v, u, ind in zip(mine["value"], mine["unit"], targets, strict=True)]
        mine["unit"] = [ind.unit if _convertible(u, ind.unit) else u for u, ind in zip(mine["unit"], targets, strict=True)]
        mine["indicator"] = [ind.id for ind in targets]
        return pd.concat([kept, mine], ignore_index=True)


def _convertible(unit: object, to: str | None) -> bool:
    return isinstance(unit, str) and bool(unit) and bool(to) and unit != to


def _converted(value: float, unit: object, to: str | None) -> float:
    """A value in the reading plan's unit (万元 → 亿元); as stored when the units are one or do not convert."""
    if not _convertible(unit, to) or value != value:  # NaN: a text observation
        return value
    try:
        return convert(float(value), str(unit), str(to))
    except UnitError:
        return value


# ------------------------------------------------------------ storage


def links(conn: Connection) -> SeriesLinks:
    """The stored plans (latest versions, load order) and the decisions on their series."""
    summaries = plans_db.summaries(conn)
    return SeriesLinks([(s.key, plans_db.read(conn, s.key)) for s in summaries], decisions(conn))


def decisions(conn: Connection) -> list[SeriesDecision]:
    """Every recorded decision, oldest first."""
    t = schema.series_matches
    return [SeriesDecision(plan_a=r.plan_a, indicator_a=r.indicator_a, plan_b=r.plan_b, indicator_b=r.indicator_b,
                           verdict=r.verdict, actor=r.actor, decided_at=r.decided_at)
            for r in conn.execute(select(t).order_by(t.c.id))]


@dataclass(frozen=True)
class KeyChange:
    """An indicator whose stored key a decision changed."""

    member: Member
    before: str
    after: str


@dataclass(frozen=True)
class MovedFigures:
    """The figures of a key no indicator uses after a decision, now under the new key of the indicator whose
    key it was (``home``), converted from the old series' unit into the new one's."""

    before: str
    after: str
    home: Member
    units: tuple[str | None, str | None]
    moved: obs_db.Moved

    @property
    def converted(self) -> bool:
        return _convertible(self.units[0], self.units[1])


@dataclass(frozen=True)
class KeptFigures:
    """An indicator whose key changed while its old key stays another indicator's: the figures stay there.
    ``figures`` counts the current ones of the years its plan's data may have (``years``)."""

    member: Member
    before: str
    after: str
    owner: Member  # the indicator whose key it still is
    figures: int
    years: tuple[int | None, int | None]


@dataclass(frozen=True)
class DecisionOutcome:
    """A recorded decision, the earlier verdict on the pair, and what it did to the stored keys and figures;
    ``counts`` are the revisions under each touched key before and after."""

    decision: SeriesDecision
    previous: str | None
    changes: list[KeyChange]
    moved: list[MovedFigures]
    kept: list[KeptFigures]
    counts: tuple[dict[str, int], dict[str, int]]

    def audited(self) -> tuple[dict | None, dict]:
        """The audit row's before and after: the verdicts and, when keys changed, the revisions under each
        touched key, what moved and what stayed."""
        before: dict | None = {"verdict": self.previous} if self.previous else None
        after: dict = {"verdict": self.decision.verdict}
        if self.changes:
            before = {**(before or {}), "observations": self.counts[0]}
            after |= {"observations": self.counts[1],
                      "keys": [{"indicator": c.member.ref, "from": c.before, "to": c.after} for c in self.changes],
                      "moved": [{"from": m.before, "to": m.after, "units": list(m.units),
                                 "revisions": m.moved.revisions, "duplicates": m.moved.duplicates,
                                 "conflicts": len(m.moved.conflicts)} for m in self.moved],
                      "kept": [{"indicator": k.member.ref, "key": k.before, "figures": k.figures} for k in self.kept]}
        return before, after


def decide(conn: Connection, a: str, b: str, verdict: str, actor: str) -> DecisionOutcome:
    """Record that indicators ``a`` and ``b`` (``PLANKEY:ID``) are one series or not, replacing an earlier
    decision on the pair, and move the figures of every key the decision leaves unused (see the module)."""
    if verdict not in VERDICTS:
        raise StoreError(f"未知的序列决定 {verdict}：应为 {'、'.join(VERDICTS)}")
    current = links(conn)
    first, second = sorted((current.member(*parse_ref(a)), current.member(*parse_ref(b))), key=lambda m: m.order)
    if first.plan_key == second.plan_key:
        raise StoreError(f"{first.ref} 与 {second.ref} 属于同一规划：序列只连接不同规划的指标")
    t = schema.series_matches
    where = ((t.c.plan_a == first.plan_key) & (t.c.indicator_a == first.indicator.id)
             & (t.c.plan_b == second.plan_key) & (t.c.indicator_b == second.indicator.id))
    before = conn.execute(select(t.c.verdict).where(where)).scalar()
    values = {"verdict": verdict, "actor": actor, "decided_at": plans_db.now()}
    if before is None:
        conn.execute(t.insert().values(plan_a=first.plan_key, indicator_a=first.indicator.id,
                                       plan_b=second.plan_key, indicator_b=second.indicator.id, **values))
    else:
        conn.execute(t.update().where(where).values(**values))
    decision = SeriesDecision(plan_a=first.plan_key, indicator_a=first.indicator.id, plan_b=second.plan_key,
                              indicator_b=second.indicator.id, **values)
    return rekeyed(conn, decision, before, current, links(conn))


def rekeyed(conn: Connection, decision: SeriesDecision, previous: str | None, before: SeriesLinks,
            after: SeriesLinks) -> DecisionOutcome:
    """Every member whose key changed from ``before`` to ``after``; the figures of each key no longer used
    moved under its home's new key; those of a key still used left, and counted."""
    changes = [KeyChange(m, before.key_of[m.ref], after.key_of[m.ref]) for m in before.members
               if before.key_of[m.ref] != after.key_of[m.ref]]
    touched = {c.before for c in changes} | {c.after for c in changes}
    counted = obs_db.revision_counts(conn, touched)
    used = set(after.key_of.values())
    moved: list[MovedFigures] = []
    kept: list[KeptFigures] = []
    for old in dict.fromkeys(c.before for c in changes):
        if old in used:
            kept += [_kept(conn, c, before, after) for c in changes if c.before == old]
        else:
            moved.append(_moved(conn, old, before, after))
    return DecisionOutcome(decision, previous, changes, moved, kept,
                           (counted, obs_db.revision_counts(conn, touched)))


def _kept(conn: Connection, change: KeyChange, before: SeriesLinks, after: SeriesLinks) -> KeptFigures:
    plan = dict(before.plans)[change.member.plan_key]
    years = (first_year(plan), plan.meta.period_end)
    owner = next(m for m in after.members if after.key_of[m.ref] == change.before)
    return KeptFigures(change.member, change.before, change.after, owner,
                       obs_db.current_count(conn, change.before, *years), years)


def _moved(conn: Connection, old: str, before: SeriesLinks, after: SeriesLinks) -> MovedFigures:
    """The figures of an unused key moved under the new key of the indicator whose key it was."""
    home = next(m for m in before.members if before.key_of[m.ref] == old and before.home(m) is m)
    new_home = after.home(home)
    if new_home.plan_key == home.plan_key:
        # Two indicators of one plan in one series would read each other's figures as their own.
        raise InputError(f"此决定会把规划 {home.plan_key} 的两个指标 {home.indicator.id}（{home.indicator.name}）与 "
                         f"{new_home.indicator.id}（{new_home.indicator.name}）并为一个序列，二者的观测值将混在一起："
                         "一个序列在每个规划中只有一个指标；请先用 planwatch series split 拆开其中不属于此序列的配对")
    units = (home.indicator.unit, new_home.indicator.unit)
    new = after.key_of[home.ref]
    return MovedFigures(old, new, home, units, obs_db.move(conn, old, new, _recast(home, new_home, new)))


def _recast(home: Member, new_home: Member, new: str) -> Callable[[dict], tuple[float | None, str | None]]:
    """How a figure of ``home``'s series reads in ``new_home``'s: a level recorded in the old series' unit is
    converted (as an import converts it); a rate, a text, or a figure the import kept in its own unit stays."""
    old_unit, new_unit = home.indicator.unit, new_home.indicator.unit

    def recast(rec: dict) -> tuple[float | None, str | None]:
        value, unit = rec["value"], rec["unit"]
        if rec["kind"] != "level" or value is None or unit != old_unit or not _convertible(unit, new_unit):
            return value, unit
        try:
            return convert(float(value), str(unit), str(new_unit)), new_unit
        except UnitError:
            raise InputError(f"指标 {home.ref}（{home.indicator.name}）已存的观测值单位为 {unit}，不能换算为 "
                             f"{new_home.ref}（{new_home.indicator.name}）的单位 {new_unit}，无法移到数据键 {new} 下："
                             "此决定未记录，数据未改动") from None
    return recast
