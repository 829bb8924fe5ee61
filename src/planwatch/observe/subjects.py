"""What an observation can be about: a plan indicator or a declared series, and its expected kind."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from planwatch.model import Indicator, ObservationKind, Plan, Series, TargetKind

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
    """Looks up an indicator cell: id, series code, table number ('1', '8.1') or exact name."""

    def __init__(self, plan: Plan, series: list[Series]):
        self.plan = plan
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
        """The subject for a cell's text, or None."""
        key = key.strip()
        return self.by_key.get(key) or self.by_key.get(unicodedata.normalize("NFKC", key))
