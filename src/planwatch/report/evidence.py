"""Observations as evidence: the vintage that counts, series for charts, numbered sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planwatch.model import Observation, ObservationKind

from .contents import Point, SourceRef


def vintage_rank(vintage: str | None) -> tuple[int, str]:
    """Sort key of a vintage: unknown < preliminary < dated/other < final."""
    if not vintage:
        return (0, "")
    v = vintage.lower()
    if any(w in v for w in ("prelim", "初步", "快报", "初值")):
        return (1, v)
    if any(w in v for w in ("final", "最终", "核实", "终值")):
        return (3, v)
    return (2, v)


def latest_observations(observations: Iterable[Observation]) -> list[Observation]:
    """The latest vintage of each (indicator, region, year, kind); the ones evaluation counts."""
    best: dict[tuple, Observation] = {}
    for obs in observations:
        key = (obs.indicator, obs.region, obs.year, str(obs.kind))
        if key not in best or vintage_rank(obs.vintage) >= vintage_rank(best[key].vintage):
            best[key] = obs
    return sorted(best.values(), key=lambda o: (o.indicator, o.year, str(o.kind)))


def series_from_observations(observations: Iterable[Observation]) -> dict[str, list[Point]]:
    """Actual values by indicator and year (latest vintage), for charts."""
    series: dict[str, list[Point]] = defaultdict(list)
    for obs in latest_observations(observations):
        if obs.value is None or obs.kind == ObservationKind.text:
            continue
        series[f"{obs.indicator}|{obs.kind}"].append(
            Point(obs.year, obs.value, obs.bound.value if obs.bound else None)
        )
    return dict(series)


def observation_source(obs: Observation) -> str:
    """The source of an observation as cited (URL or document)."""
    return (obs.source or "").strip() or "（未注明来源）"


class SourceBook:
    """Numbers sources in order of first citation."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def cite(self, source: str) -> int:
        """The number of ``source``, assigning the next one on first use."""
        return self._numbers.setdefault(source, len(self._numbers) + 1)

    def refs(self) -> tuple[SourceRef, ...]:
        """All sources cited, by number."""
        return tuple(SourceRef(n, s) for s, n in sorted(self._numbers.items(), key=lambda kv: kv[1]))
