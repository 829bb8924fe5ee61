"""Observations as evidence: the revision that counts and numbered sources."""

from __future__ import annotations

from collections.abc import Iterable

from planwatch.model import Observation
from planwatch.vintages import revision_order

from .contents import SourceRef


def vintage_rank(vintage: str | None) -> tuple[int, str]:
    """Sort key of a vintage, as the store orders revisions: (rank, dated vintage); see planwatch.vintages."""
    rank, dated, _, _ = revision_order(vintage)
    return (rank, dated)


def latest_observations(observations: Iterable[Observation]) -> list[Observation]:
    """The revision that counts of each (indicator, region, year, kind): the one evaluation uses.

    Observations read from the store are its current ones already (one per key); among several
    revisions of a key this ranks exactly as the store does, the later one in the given order
    standing for the later import or row.
    """
    best: dict[tuple, tuple[tuple, Observation]] = {}
    for position, obs in enumerate(observations):
        key = (obs.indicator, obs.region, obs.year, str(obs.kind))
        order = revision_order(obs.vintage, row_no=position)
        if key not in best or order > best[key][0]:
            best[key] = (order, obs)
    return sorted((obs for _, obs in best.values()), key=lambda o: (o.indicator, o.year, str(o.kind)))


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
