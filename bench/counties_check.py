"""County-vs-city check bench: the Jiaxing 14th plan against 100 synthetic county plans.

Each county is a transformed copy of the city's plan (as in tests/evaluate/test_counties_vs_city.py): region
renamed, totals scaled by a random share, rates moved by a random step, one indicator in ten left out, a few
indicators renamed to a synonym (研究与试验发展经费支出占GDP比重) or written in 万元 instead of 亿元. Times

- the check: evaluate.counties_vs_city.check (series matching, unit conversion, sums, ranges, missing rows,
  with every item's provenance);
- the baseline, in the same run: a plain dict keyed by the exact indicator name, summing and ranging the values
  as written — no normalisation, no synonyms, no unit conversion, no provenance (so it misses what the check
  finds; its counts are printed beside the check's).

    .venv/bin/python bench/counties_check.py [--counties 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from planwatch.evaluate.comparability import is_total
from planwatch.evaluate.counties_vs_city import check
from planwatch.ingest import read_plan
from planwatch.model import Plan
from planwatch.samples import JIAXING_OUTLINE

SYNONYM = {"T2-5": "研究与试验发展经费支出占GDP比重"}


def synthetic_county(city: Plan, n: int, rng: random.Random) -> Plan:
    """County n: totals × a share around 1/n_counties, rates ± a step, some rows dropped or renamed."""
    region = f"县{n:03d}"
    meta = city.meta.model_copy(update={"title": f"{region}国民经济和社会发展第十四个五年规划纲要",
                                        "region": region, "level": "county"})
    indicators = []
    for ind in city.current_indicators():
        if rng.random() < 0.1:
            continue
        value, name, unit = ind.target.value, ind.name, ind.unit
        if value is not None and is_total(ind.unit, ind.name):
            value = value * rng.uniform(0.005, 0.015)
            if unit == "亿元" and rng.random() < 0.2:
                value, unit = value * 10000, "万元"
        elif value is not None:
            value = round(value * rng.uniform(0.9, 1.1), 2)
        if ind.id in SYNONYM and rng.random() < 0.5:
            name = SYNONYM[ind.id]
        target = ind.target.model_copy(update={"value": value})
        indicators.append(ind.model_copy(update={"name": name, "unit": unit, "target": target, "targets": [target]}))
    return city.model_copy(update={"meta": meta, "indicators": indicators, "targets": [], "flags": []})


def baseline(city: Plan, counties: list[Plan]) -> tuple[int, int]:
    """Sums and ranges by exact name in a dict: (rows summed, county rows missing)."""
    by_name: dict[str, list[float | None]] = {}
    for county in counties:
        for ind in county.current_indicators():
            by_name.setdefault(ind.name, []).append(ind.target.value)
    summed = missing = 0
    for ind in city.current_indicators():
        found = by_name.get(ind.name, [])
        missing += len(counties) - len(found)
        values = [v for v in found if v is not None]
        if values and ind.target.value is not None and is_total(ind.unit, ind.name):
            sum(values)
            summed += 1
        elif values and ind.target.value is not None:
            min(values), max(values)
    return summed, missing


def best(fn, repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    city = read_plan(JIAXING_OUTLINE)
    rng = random.Random(10)
    counties = [synthetic_county(city, n, rng) for n in range(1, args.counties + 1)]
    rows = sum(len(c.current_indicators()) for c in counties)

    check_s, result = best(lambda: check(city, counties), args.repeat)
    base_s, (summed, base_missing) = best(lambda: baseline(city, counties), args.repeat)
    tracemalloc.start()
    check(city, counties)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert result is not None
    print(f"city plan: {len(city.current_indicators())} indicators; {args.counties} county plans, {rows} rows")
    print(f"check     {check_s * 1000:8.1f} ms  (best of {args.repeat}), peak {peak / 2**20:.1f} MiB traced: "
          f"{len(result.totals)} totals, {len(result.rates)} rates, {len(result.missing)} missing county rows")
    print(f"baseline  {base_s * 1000:8.1f} ms  (plain dict by exact name): {summed} totals, "
          f"{base_missing} county rows not found (synonyms and 万元 rows count as missing)")
    print(f"ratio     {check_s / base_s:8.1f} ×")


if __name__ == "__main__":
    main()
