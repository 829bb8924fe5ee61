"""Values of one file that repeat an earlier one: the same indicator, region, year, value, bound, text and source.

A national file holds millions of values, so each is kept as four numbers (24 bytes) rather than as
its cells: its indicator, region and year packed into one integer, its value, a code for its bound,
text and source (one per distinct combination), and its row. The repeats are found once the whole
file has been read, by sorting; a repeat names the first row that holds the value.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from operator import itemgetter

import numpy as np

# The packed key: indicator code << 42 | region code << 14 | year (a four-digit year fits 14 bits).
REGION_SHIFT, INDICATOR_SHIFT = 14, 42
YEAR_MASK = (1 << REGION_SHIFT) - 1


class _Codes(dict):
    """An integer per distinct key, given in the order keys are first met, below ``bound``."""

    def __init__(self, bound: int):
        super().__init__()
        self.bound = bound

    def __missing__(self, key: object) -> int:
        code = self[key] = len(self)
        assert code < self.bound, "more distinct texts than a packed key holds"
        return code


class Repeats:
    """The values of a file as they are read, batch by batch; :meth:`found` lists the repeats."""

    def __init__(self) -> None:
        self.indicators = _Codes(1 << (63 - INDICATOR_SHIFT))
        self.regions = _Codes(1 << (INDICATOR_SHIFT - REGION_SHIFT))
        self.rests = _Codes(1 << 31)
        # keys, values, rests, rows: arrays that grow in place (no list of pieces to join at the end)
        self.parts: tuple[array[int], array[float], array[int], array[int]] = (
            array("q"), array("d"), array("i"), array("i"))

    def add(self, records: Sequence[dict]) -> None:
        """The records of a batch (a record's row and year say which value of the file it is)."""
        if not records:
            return
        size = len(records)

        def column(name: str) -> list:  # a field at a time: no tuple per record for the collector to trace
            return list(map(itemgetter(name), records))

        def coded(codes: _Codes, keys: list) -> np.ndarray:
            return np.fromiter(map(codes.__getitem__, keys), np.int64, size)

        key = (coded(self.indicators, column("indicator")) << INDICATOR_SHIFT) \
            | (coded(self.regions, column("region")) << REGION_SHIFT) | np.array(column("year"), np.int64)
        values, bounds, texts, sources = column("value"), column("bound"), column("text"), column("source")
        # A number's code is its source's (the common case, no tuple made); a bound or a text joins it.
        rests = sources if not (any(bounds) or any(texts)) else [
            source if bound is None and text is None else (bound, text, source)
            for bound, text, source in zip(bounds, texts, sources, strict=True)]
        # None (a text value) as 0: a text value and a number never agree on the text anyway;
        # + 0.0 makes -0.0 the 0.0 it equals.
        numbers = np.array(values if None not in values else [0.0 if v is None else v for v in values], np.float64)
        keys, numbers_held, rests_held, rows_held = self.parts
        keys.frombytes(key.tobytes())
        numbers_held.frombytes((numbers + 0.0).tobytes())
        rests_held.frombytes(np.fromiter(map(self.rests.__getitem__, rests), np.int32, size).tobytes())
        rows_held.frombytes(np.array(column("row_no"), np.int32).tobytes())

    def found(self) -> list[tuple[int, int, int]]:
        """(row, year, first row holding the same value) of each value that repeats an earlier one, by row.

        Only values whose indicator, region and year come again can repeat: those are found by sorting
        the packed keys alone (most files have none), and only they are compared on value, text and source.
        """
        if not self.parts[0]:
            return []
        key = self._field(0)
        ordered = np.sort(key)
        if not (ordered[1:] == ordered[:-1]).any():  # the common case, settled holding the keys twice
            return []
        del ordered
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        again = ordered[1:] == ordered[:-1]
        del ordered
        # Every value of a key met more than once: the ones after the first and the first of each.
        some = np.unique(np.concatenate((order[1:][again], order[:-1][again])))
        del order, again
        key = key[some]
        value, rest, rows = (self._field(n)[some] for n in (1, 2, 3))
        order = np.lexsort((rows, rest, value, key))
        same = np.ones(len(order) - 1, bool)
        for column in (key, value, rest):
            ordered = column[order]
            same &= ordered[1:] == ordered[:-1]
        at = np.flatnonzero(same) + 1  # positions in ``order`` that repeat the one before
        # The first of each run of equal values: the last position not repeating, at or before each repeat.
        starts = np.flatnonzero(np.concatenate(([True], ~same)))
        first = starts[np.searchsorted(starts, at, side="right") - 1]
        return sorted(zip(rows[order[at]].tolist(), (key[order[at]] & YEAR_MASK).tolist(),
                          rows[order[first]].tolist(), strict=True))

    def _field(self, n: int) -> np.ndarray:
        """The values of one field, read in place."""
        return np.frombuffer(self.parts[n], dtype={0: np.int64, 1: np.float64, 2: np.int32, 3: np.int32}[n])
