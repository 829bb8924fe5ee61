"""What an observation can be about: a plan indicator or a declared series, and its expected kind."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from planwatch.errors import DataImportError
from planwatch.model import Indicator, ObservationKind, Plan, Series, TargetKind
from planwatch.store.plans import plan_key
from planwatch.store.series_matches import SeriesLinks

GROWTH_TARGETS = {TargetKind.annual_growth, TargetKind.comparative}


def unit_key(unit: str | None) -> str:
    """A unit normalised for comparison ('％' → '%', spaces dropped)."""
    return unicodedata.normalize("NFKC", unit or "").replace(" ", "").strip()


@dataclass(frozen=True)
class Subject:
    """An indicator or series an observation is recorded against."""

    id: str
    name: str
    unit: str | None
    percent_kind: ObservationKind  # the kind of a value given in the subject's own '%' unit
    growth_target: bool  # the target is a rate (growth, comparative, cumulative): levels keep their unit
    series: bool = False


def percent_kind_of(ind: Indicator) -> ObservationKind:
    """What a '%' value of an indicator measures, from its target kind."""
    kinds = {t.kind for t in (ind.targets or [ind.target])}
    kinds |= {t.assigned_kind for t in (ind.targets or [ind.target]) if t.assigned_kind}
    if TargetKind.cumulative_change in kinds or ind.target.cumulative:
        return ObservationKind.cumulative
    if kinds & GROWTH_TARGETS:
        return ObservationKind.annual_growth
    return ObservationKind.level


def indicator_subject(ind: Indicator) -> Subject:
    """The subject for a plan indicator."""
    kind = percent_kind_of(ind)
    growth = kind != ObservationKind.level or ind.target.kind == TargetKind.assigned
    return Subject(ind.id, ind.name, ind.unit, kind, growth and unit_key(ind.unit) == "%")


def series_subject(s: Series) -> Subject:
    """The subject for a declared series."""
    return Subject(s.code, s.name, s.unit, s.kind, s.kind != ObservationKind.level, series=True)


class Subjects:
    """Looks up an indicator cell: id, series code, table number ('1', '8.1') or exact name.

    With several plans stored (``links``), a found indicator is recorded under its series' key (see
    :mod:`planwatch.store.series_matches`), and a name no plan of the import names exactly is matched across
    the plans by the series rule. A number ('1') or a plan's own id means something else in each plan: without
    ``chosen`` (the import names no plan) it stops the import and asks for ``--plan``.
    """

    def __init__(self, plan: Plan, series: list[Series], *, links: SeriesLinks | None = None, chosen: bool = True):
        self.plan = plan
        self.links = links if links is not None and links.several else None
        self.chosen = chosen or self.links is None
        self.own_key = plan_key(plan)
        self.by_key: dict[str, Subject] = {}
        current = plan.current_indicators()
        # Later entries must not shadow earlier ones: ids first, then numbers, then names.
        for ind in plan.indicators:
            self.by_key.setdefault(ind.id, indicator_subject(ind))
        for s in series:
            self.by_key.setdefault(s.code, series_subject(s))
        for ind in current:
            if ind.no:
                self.by_key.setdefault(ind.no, indicator_subject(ind))
            suffix = ind.id.rsplit("-", 1)[-1]
            self.by_key.setdefault(suffix, indicator_subject(ind))
        for ind in current:
            self.by_key.setdefault(ind.name, indicator_subject(ind))
        for s in series:
            self.by_key.setdefault(s.name, series_subject(s))

    def find(self, key: str) -> Subject | None:
        """The subject for a cell's text, or None; DataImportError when only ``--plan`` can tell which."""
        key = key.strip()
        if self.links is None:
            return self._own(key)
        found = self._own(key) if self.chosen else self._declared(key)
        if found is not None:
            return found if found.series else self._in_series(self.own_key, found)
        return self._across(key) or self._across(unicodedata.normalize("NFKC", key))

    def year_range(self, first: int | None, last: int | None) -> tuple[int | None, int | None]:
        """The years an import may hold: the plan's (``first``–``last``), or every stored plan's when the import
        names no plan and resolves names across them."""
        if self.links is None or self.chosen:
            return first, last
        return self.links.year_range()

    def _own(self, key: str) -> Subject | None:
        return self.by_key.get(key) or self.by_key.get(unicodedata.normalize("NFKC", key))

    def _declared(self, key: str) -> Subject | None:
        found = self._own(key)
        return found if found is not None and found.series else None

    def _in_series(self, plan: str, found: Subject) -> Subject:
        """The subject recorded under its series' key, in the unit of the series' first plan (so one figure
        imported for either plan is one figure, revised rather than doubled)."""
        assert self.links is not None
        key = self.links.series_key_of(plan, found.id)
        member = self.links.by_ref.get(f"{plan}:{found.id}")
        unit = self.links.home(member).indicator.unit if member is not None else found.unit
        return replace(found, id=key, unit=unit)

    def _across(self, key: str) -> Subject | None:
        """A name (or, with no plan named, an id or stored key) resolved across every stored plan."""
        assert self.links is not None
        homes = self.links.by_name(key)
        if not homes and not self.chosen:
            homes = self.links.by_id(key)
            if not homes and self._is_number(key):
                raise DataImportError(f"指标“{key}”是序号：数据库中有 {len(self.links.plans)} 个规划，序号在各规划中所指不同，"
                                      f"请用 --plan 指定规划（{self._keys()}），或改用指标名称")
        if len(homes) > 1:
            named = "、".join(f"{m.ref}（{m.indicator.name}）" for m in homes)
            raise DataImportError(f"指标“{key}”在数据库的 {len(self.links.plans)} 个规划中指不同的指标：{named}；"
                                  f"请用 --plan 指定规划（{self._keys()}）")
        if not homes:
            return None
        home = homes[0]
        return self._in_series(home.plan_key, indicator_subject(home.indicator))

    def _is_number(self, key: str) -> bool:
        """Whether a cell is a table number or id suffix in some stored plan ('1', '8.1')."""
        assert self.links is not None
        return any(key in (m.indicator.no, m.indicator.id.rsplit("-", 1)[-1]) for m in self.links.members)

    def _keys(self) -> str:
        assert self.links is not None
        return "；".join(f"{key}（{plan.meta.title}）" for key, plan in self.links.plans)
