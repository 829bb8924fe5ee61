"""Writers at once: imports of overlapping files in separate processes apply one after the other.

Each round starts 2 or 8 real imports (``import_file`` in worker processes, released together by a
barrier) on one store, then checks the store against a replay of the same files one after the
other in the order the store numbered the imports: exactly one current value per figure, every
distinct revision kept, and each import's report what that import found.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from planwatch.model import ObservationKind, Series
from planwatch.observe import import_file
from planwatch.store import open_store, schema
from planwatch.store.connection import alembic_config
from planwatch.store.plans import now

SERIES = [Series(code=f"S{n:02d}", name=f"并发系列{n}", unit="亿元", kind=ObservationKind.level) for n in range(1, 21)]
REGIONS = ["嘉兴市", "南湖区", "海宁市"]  # the hand store's regions
YEARS = range(2020, 2026)  # the hand plan's base year to its end
KEYS = [(s.code, region, year) for s in SERIES for region in REGIONS for year in YEARS]  # 360 figures
HEADER = "indicator,region,year,value,unit,source,note"
WIDTH, STEP = 100, 12  # rows per file; how far each importer's window is shifted from the previous one
ROUNDS = 10  # per test: two tests give 20 rounds per backend, 6 of them with 8 imports at once


# ---------------------------------------------------------------- files and processes


def window(round_no: int, importer: int) -> list[int]:
    """Indices into KEYS of one importer's file: windows move with the round and overlap each other."""
    start = round_no * 37 + importer * STEP
    return [(start + n) % len(KEYS) for n in range(WIDTH)]


def value(round_no: int, key_no: int, importer: int | None) -> float:
    """A value new in every round; importer-specific (a revision of its own) when an importer is given."""
    return 10_000.0 * (round_no + 1) + 10 * key_no + (0 if importer is None else importer + 1)


def write_file(path: Path, rows: list[tuple[int, float]]) -> Path:
    lines = [HEADER] + [f"{KEYS[k][0]},{KEYS[k][1]},{KEYS[k][2]},{v:.2f},亿元,并发测试," for k, v in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _serve(url: str, tasks, barriers: dict, results) -> None:
    """A worker process: import each file it is sent, once every import of its round is ready."""
    store = open_store(url)
    try:
        for path, parties in iter(tasks.get, None):
            results.put(_import_one(store, path, barriers[parties]))
    finally:
        store.dispose()


def _import_one(store, path: Path, barrier) -> tuple:
    try:
        barrier.wait(timeout=60)
        report = import_file(store, path)
    except Exception as exc:  # reported to the parent, which fails the test with it
        return path.name, 0, 0, 0, f"{type(exc).__name__}: {exc}"
    return path.name, report.inserted, report.revised, report.unchanged, None


class Importers:
    """Eight worker processes on one store; a round sends each of 2 or 8 of them one file at once.

    The workers live for the whole test, so a round costs the imports, not eight process starts.
    """

    def __init__(self, store, size: int = 8):
        ctx = mp.get_context("fork")  # the workers share the parent's loaded modules
        self.barriers = {n: ctx.Barrier(n) for n in (2, size)}
        self.tasks = [ctx.Queue() for _ in range(size)]
        self.results = ctx.Queue()
        store.dispose()  # no pooled connection of the parent is carried into the workers
        self.procs = [ctx.Process(target=_serve, args=(store.url, q, self.barriers, self.results), daemon=True)
                      for q in self.tasks]
        for proc in self.procs:
            proc.start()

    def run(self, paths: list[Path]) -> list[tuple[str, int, int, int]]:
        """Import each path in its own worker at once; (file, inserted, revised, unchanged) each."""
        for tasks, path in zip(self.tasks, paths, strict=False):
            tasks.put((path, len(paths)))
        out = [self.results.get(timeout=120) for _ in paths]
        errors = [f"{name}: {error}" for name, *_counts, error in out if error]
        assert not errors, errors
        return [(name, ins, rev, unch) for name, ins, rev, unch, _ in out]

    def close(self) -> None:
        for tasks in self.tasks:
            tasks.put(None)
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()


# ---------------------------------------------------------------- the replay the store must agree with


@dataclass
class Replay:
    """The store as the same files imported one after the other would leave it."""

    values: dict[tuple, set[float]] = field(default_factory=dict)
    current: dict[tuple, float] = field(default_factory=dict)

    def apply(self, rows: list[tuple[int, float]]) -> tuple[int, int, int]:
        """Import rows; (inserted, revised, unchanged) as the report should say."""
        counts: Counter[str] = Counter()
        for key_no, v in rows:
            key = KEYS[key_no]
            seen = self.values.setdefault(key, set())
            status = "unchanged" if v in seen else "revised" if seen else "inserted"
            counts[status] += 1
            if status != "unchanged":
                seen.add(v)
                self.current[key] = v
        return counts["inserted"], counts["revised"], counts["unchanged"]


def import_order(store, names: set[str]) -> list[str]:
    """The files of a round in the order the store numbered their imports (unchanged ones keep no number)."""
    i = schema.imports
    with store.read() as conn:
        return list(conn.execute(select(i.c.file_name).where(i.c.file_name.in_(names)).order_by(i.c.id)).scalars())


def assert_store_matches(store, replay: Replay) -> None:
    """One current row per figure, every revision kept once, the current one the latest written."""
    o = schema.observations
    with store.read() as conn:
        rows = conn.execute(select(o.c.indicator, o.c.region, o.c.year, o.c.value, o.c.is_current)).all()
    per_figure = Counter((r.indicator, r.region, r.year) for r in rows if r.is_current)
    assert set(per_figure.values()) == {1} and set(per_figure) == set(replay.values)
    kept = Counter((r.indicator, r.region, r.year, r.value) for r in rows)
    assert kept == Counter((*key, v) for key, vs in replay.values.items() for v in vs)
    assert {(r.indicator, r.region, r.year): r.value for r in rows if r.is_current} == replay.current


@pytest.fixture
def series_store(hand_store):
    """The hand store (on each backend) with 20 declared series: 360 figures to import into."""
    hand_store.declare_series(SERIES)
    return hand_store


@pytest.fixture
def importers(series_store):
    workers = Importers(series_store)
    yield workers
    workers.close()


# ---------------------------------------------------------------- tests


def test_the_same_file_imported_at_once_is_written_once(series_store, importers, tmp_path):
    replay = Replay()
    for round_no in range(ROUNDS):
        parties = 8 if round_no % 3 == 1 else 2
        rows = [(k, value(round_no, k, None)) for k in window(round_no, 0)]
        path = write_file(tmp_path / f"same-{round_no}.csv", rows)
        reports = importers.run([path] * parties)
        expected = replay.apply(rows)
        # one import wrote the file; the others found every value stored and say so
        assert sorted(r[1:] for r in reports) == sorted([expected] + [(0, 0, len(rows))] * (parties - 1))
        assert import_order(series_store, {path.name}) == [path.name]
        assert_store_matches(series_store, replay)


def test_overlapping_files_imported_at_once_keep_every_revision(series_store, importers, tmp_path):
    replay = Replay()
    for round_no in range(ROUNDS):
        parties = 8 if round_no % 3 == 0 else 2
        files = {}
        for importer in range(parties):
            # Every third figure gets this importer's own value (a revision only it writes); the
            # rest are shared by all files of the round (written by whichever import comes first).
            rows = [(k, value(round_no, k, importer if k % 3 == 0 else None)) for k in window(round_no, importer)]
            files[write_file(tmp_path / f"overlap-{round_no}-{importer}.csv", rows).name] = rows
        reports = {name: counts for name, *counts in importers.run([tmp_path / n for n in files])}
        order = import_order(series_store, set(files))
        assert sorted(order) == sorted(files)  # every import wrote its own values
        assert {name: tuple(reports[name]) for name in order} == {name: replay.apply(files[name]) for name in order}
        assert_store_matches(series_store, replay)


def test_a_second_current_row_of_a_figure_is_refused(store):
    indexes = {ix["name"]: ix for ix in inspect(store.engine).get_indexes("observations")}
    current = indexes["ux_observations_current"]
    assert current["unique"] and current["column_names"] == ["indicator", "region", "year", "kind"]
    row = {"indicator": "T2-1", "region": "嘉兴市", "year": 2021, "kind": "level", "value": 1.0, "vintage_rank": 1,
           "row_no": 2, "recorded_at": now()}
    o = schema.observations
    with store.engine.begin() as conn:
        conn.execute(o.insert(), [{**row, "is_current": True}, {**row, "is_current": False, "value": 2.0}])
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(o.insert().values(**row, is_current=True))
    with store.engine.connect() as conn:
        assert conn.execute(select(o.c.value, o.c.is_current).order_by(o.c.id)).all() == [(1.0, True), (2.0, False)]


# ---------------------------------------------------------------- the migration repairs older stores

# (key, import, row, vintage, stored as current?) as two racing imports could have left them
DAMAGED = [
    ("T2-1", 1, 2, None, True), ("T2-1", 2, 2, None, True),  # the later import counts
    ("T2-3", 1, 3, "final", True), ("T2-3", 2, 3, "preliminary", True),  # final beats a later preliminary
    ("T2-5", 1, 4, "2024-03", True), ("T2-5", 2, 4, "2023-12", True),  # the later dated vintage counts
    ("T2-6", 1, 5, "preliminary", True), ("T2-6", 2, 5, "preliminary", True),
    ("T2-6", 1, 6, "final", False),  # a non-current final is the greatest revision of its figure
    ("T2-9", 1, 7, None, False), ("T2-9", 2, 7, None, True),  # a sound figure is left alone
]
REPAIRED = [("T2-1", 2, 2), ("T2-3", 1, 3), ("T2-5", 1, 4), ("T2-6", 1, 6), ("T2-9", 2, 7)]  # (key, import, row)


def test_migration_keeps_the_greatest_revision_current(store_url):
    from planwatch.vintages import vintage_rank

    store = open_store(store_url)
    o, i = schema.observations, schema.imports
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(i.insert(), [{"id": n, "file_name": f"{n}.csv", "sha256": "0" * 64, "row_count": 1,
                                   "imported_at": now()} for n in (1, 2)])
        conn.execute(o.insert(), [{"indicator": ind, "region": "嘉兴市", "year": 2021, "kind": "level",
                                   "value": float(row), "vintage": vintage, "vintage_rank": vintage_rank(vintage),
                                   "import_id": imp, "row_no": row, "is_current": cur, "recorded_at": now()}
                                  for ind, imp, row, vintage, cur in DAMAGED])
    store.init()
    with store.engine.connect() as conn:
        current = conn.execute(select(o.c.indicator, o.c.import_id, o.c.row_no).where(o.c.is_current.is_(True))
                               .order_by(o.c.indicator)).all()
        kept = conn.execute(select(o.c.id)).all()
    assert [tuple(r) for r in current] == REPAIRED
    assert len(kept) == len(DAMAGED)  # demoted, not deleted
    assert "ux_observations_current" in {ix["name"] for ix in inspect(store.engine).get_indexes("observations")}
    store.dispose()
