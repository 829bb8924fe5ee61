"""A synthetic national-scale store: regions × indicators × years of observations, built in bulk.

``build_synthetic_store`` is shared by the store bench and the evaluate bench.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections.abc import Callable, Iterator
from queue import Empty

import numpy as np

from planwatch.model import Attribute, Baseline, Indicator, Plan, PlanMeta, Target
from planwatch.store import Store, open_store

BASE_YEAR = 2020
PERIOD_END = 2025
ROOT = "样例省"

# (unit, target kind, comparator, direction, observation kind, start level, yearly drift)
SHAPES = [
    ("亿元", "level", "at_least", "higher_is_better", "level", 500.0, 0.06),
    ("%", "level", "about", "higher_is_better", "level", 60.0, 0.01),
    ("微克/立方米", "level", "at_most", "lower_is_better", "level", 35.0, -0.03),
    ("%", "annual_growth", "at_least", "higher_is_better", "annual_growth", 6.0, 0.0),
    ("%", "cumulative_change", "at_least", "higher_is_better", "cumulative", 0.0, 3.0),
]


def region_rows(count: int) -> list[tuple[str, str | None, str]]:
    """A province, about √count cities and counties under them: ``count`` regions in all."""
    cities = max(1, int(count ** 0.5))
    rows: list[tuple[str, str | None, str]] = [(ROOT, None, "province")]
    rows += [(f"市{c:03d}", ROOT, "city") for c in range(1, min(cities, count - 1) + 1)]
    county = 0
    while len(rows) < count:
        county += 1
        rows.append((f"县{county:05d}", f"市{(county - 1) % cities + 1:03d}", "county"))
    return rows[:count]


def synthetic_plan(indicators: int) -> Plan:
    """A plan with ``indicators`` rows cycling through level/≈/≤/growth/cumulative targets."""
    meta = PlanMeta(title=f"{ROOT}国民经济和社会发展第十四个五年规划纲要（合成）", region=ROOT, level="province",
                    period_start=BASE_YEAR + 1, period_end=PERIOD_END, base_year=BASE_YEAR, plan_number=14)
    rows = []
    for n in range(1, indicators + 1):
        unit, kind, comp, direction, _obs, start, drift = SHAPES[(n - 1) % len(SHAPES)]
        value = {"level": start * (1 + drift) ** 5 if drift else start, "annual_growth": 6.5,
                 "cumulative_change": 15.0}[kind]
        target = Target(kind=kind, comparator=comp, value=round(value, 2), text=f"{value:.2f}", direction=direction,
                        year=PERIOD_END, base_year=BASE_YEAR, unit=unit, cumulative=kind == "cumulative_change")
        base = Baseline(value=start, year=BASE_YEAR) if kind == "level" else Baseline()
        rows.append(Indicator(id=f"T2-{n}", table="表2", category="合成", no=str(n), name=f"合成指标{n}", unit=unit,
                              baseline=base, target=target, targets=[target], attribute=Attribute.anticipatory,
                              period_start=BASE_YEAR + 1, period_end=PERIOD_END, line=n))
    return Plan(meta=meta, indicators=rows)


def synthetic_records(plan: Plan, regions: list[str], years: list[int], seed: int) -> Iterator[list[dict]]:
    """Store records, one batch per indicator (keys never repeat across batches)."""
    rng = np.random.default_rng(seed)
    n_regions = len(regions)
    row = 0
    for pos, ind in enumerate(plan.indicators):
        unit, _k, _c, _d, obs_kind, start, drift = SHAPES[pos % len(SHAPES)]
        level = start * rng.uniform(0.5, 1.5, n_regions)
        batch = []
        for y_pos, year in enumerate(years):
            if obs_kind == "level":
                values = level * (1 + drift + rng.normal(0, 0.01, n_regions)) ** y_pos
            elif obs_kind == "annual_growth":
                values = rng.normal(start, 1.0, n_regions)
            else:
                values = drift * max(0, year - BASE_YEAR) + rng.normal(0, 0.5, n_regions)
            for region, value in zip(regions, np.round(values, 4).tolist(), strict=True):
                row += 1
                batch.append({"indicator": ind.id, "region": region, "year": year, "kind": obs_kind, "value": value,
                              "bound": None, "text": None, "unit": unit, "source": "合成数据", "note": None,
                              "vintage": None, "vintage_rank": 1, "extra": None, "row_no": row})
        yield batch


def synthetic_years(years: int) -> list[int]:
    """``years`` consecutive years ending with the plan's last year."""
    return list(range(PERIOD_END - years + 1, PERIOD_END + 1))


def build_synthetic_store(url: str, regions: int = 3000, indicators: int = 40, years: int = 11,
                          seed: int = 0) -> Store:
    """An initialised store with a synthetic plan, region tree and regions × indicators × years observations."""
    store = open_store(url)
    store.init()
    plan = synthetic_plan(indicators)
    store.load_plan(plan, source="synthetic", note=f"seed={seed}")
    rows = region_rows(regions)
    store.add_regions(rows)
    names = [name for name, _parent, _level in rows]
    digest = hashlib.sha256(f"{regions}:{indicators}:{years}:{seed}".encode()).hexdigest()
    with store.begin() as conn:
        for batch in synthetic_records(plan, names, synthetic_years(years), seed):
            store.write_observations(conn, batch, file_name="synthetic.csv", sha256=digest)
    return store


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_database(name: str, create: bool) -> str:
    """Create (or drop) a scratch PostgreSQL database; its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def peak_mb() -> float:
    """Peak resident memory of this process so far, MB: the kernel's high-water mark of this process image
    (VmHWM), which starts afresh in a spawned child. ru_maxrss would not: Linux carries it over fork and
    exec, so a child spawned by a parent that had peaked at 900 MB reports 900 MB whatever it uses."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def in_child(target: Callable[..., None], *args) -> dict:
    """Run ``target(*args, queue)`` in a fresh (spawned) process; what it put on the queue."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    try:
        while True:  # a child that died puts nothing: say so rather than wait for ever
            try:
                return queue.get(timeout=1)
            except Empty:
                if not proc.is_alive():
                    raise SystemExit(f"{target.__name__} failed (exit code {proc.exitcode})") from None
    finally:
        proc.join()
