"""Shared fixtures: the real Jiaxing plan is read once per session."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from planwatch.cli import main
from planwatch.samples import JIAXING_ACTUALS, JIAXING_OUTLINE

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def outline_path() -> Path:
    return JIAXING_OUTLINE


@pytest.fixture(scope="session")
def actuals_path() -> Path:
    return JIAXING_ACTUALS


@pytest.fixture(scope="session")
def jiaxing_plan(outline_path):
    """The Jiaxing 14th plan, ingested once (read-only: copy before mutating)."""
    from planwatch.ingest import read_plan

    return read_plan(outline_path)


# ---------------------------------------------------------------- store backends (store stage)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh, uniquely named PostgreSQL database for this session (dropped at the end)."""
    import uuid

    import psycopg

    name = f"pw_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # fail loudly: PostgreSQL runs here and in CI
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty database URL, on SQLite (a tmp file) and on PostgreSQL (clean schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = request.getfixturevalue("pg_database_url")
    _reset_pg(url)
    return url


@pytest.fixture
def store(store_url):
    """An initialised, empty store on each backend."""
    from planwatch.store import open_store

    s = open_store(store_url)
    s.init()
    yield s
    s.dispose()


def jiaxing_declared_series():
    """The series the real Jiaxing actuals use beyond the plan's table."""
    from planwatch.demo import declared_series

    return declared_series()


def fill_jiaxing(s, plan) -> None:
    """Load the Jiaxing plan, its regions and the real actuals into an initialised store."""
    import csv

    from planwatch.observe import import_file
    from planwatch.samples import SAMPLES

    s.load_plan(plan, source="jiaxing", note="test")
    with (SAMPLES / "regions" / "jiaxing-regions.csv").open(encoding="utf-8", newline="") as fh:
        s.add_regions(list(csv.DictReader(fh)))
    import_file(s, JIAXING_ACTUALS, declare=jiaxing_declared_series())


@pytest.fixture(scope="session")
def _jiaxing_template(tmp_path_factory, jiaxing_plan):
    from planwatch.store import open_store

    path = tmp_path_factory.mktemp("jiaxing-store") / "template.db"
    s = open_store(f"sqlite:///{path}")
    s.init()
    fill_jiaxing(s, jiaxing_plan)
    s.dispose()
    return path


@pytest.fixture
def jiaxing_store(_jiaxing_template, tmp_path):
    """A SQLite store with the Jiaxing plan, its regions and the real actuals (a fresh copy per test)."""
    import shutil

    from planwatch.store import open_store

    path = tmp_path / "jiaxing.db"
    shutil.copyfile(_jiaxing_template, path)
    s = open_store(f"sqlite:///{path}")
    yield s
    s.dispose()


@pytest.fixture
def jiaxing_store_any(store, jiaxing_plan):
    """The Jiaxing store built on each backend."""
    fill_jiaxing(store, jiaxing_plan)
    return store


@pytest.fixture(scope="session")
def jiaxing_store_shared(_jiaxing_template, tmp_path_factory):
    """One Jiaxing store for a whole session, for tests that only read it."""
    import shutil

    from planwatch.store import open_store

    path = tmp_path_factory.mktemp("jiaxing-shared") / "jiaxing.db"
    shutil.copyfile(_jiaxing_template, path)
    s = open_store(f"sqlite:///{path}")
    yield s
    s.dispose()


# ---------------------------------------------------------------- two plans in one store (issue 10)

FIFTEENTH = "嘉兴市国民经济和社会发展第十五个五年规划纲要"


def fifteenth_plan(plan):
    """The 14th plan moved on five years: 2025 base, 2030 targets, GDP 12000亿元 (its GDP keeps the id
    T2-1, so the GDP figures imported once serve both plans)."""
    meta = plan.meta.model_copy(update={"title": FIFTEENTH, "period_start": 2026, "period_end": 2030,
                                        "base_year": 2025, "plan_number": 15})
    indicators = []
    for ind in plan.current_indicators():
        moved = {"year": 2030, "base_year": 2025}
        if ind.id == "T2-1":
            moved |= {"value": 12000.0, "text": "12000"}
        targets = [t.model_copy(update=moved) for t in ind.targets or [ind.target]]
        base = ind.baseline.model_copy(update={"year": 2025} | ({"value": 8200.0} if ind.id == "T2-1" else {}))
        indicators.append(ind.model_copy(update={"period_start": 2026, "period_end": 2030, "baseline": base,
                                                 "target": targets[0], "targets": targets}))
    return plan.model_copy(update={"meta": meta, "indicators": indicators, "flags": []})


@pytest.fixture
def two_plans(jiaxing_store, jiaxing_plan):
    """The Jiaxing store with the 15th plan loaded beside the 14th and a 2026 GDP of 8800亿元:
    (store, key of the 14th, key of the 15th)."""
    from planwatch.model import Observation
    from planwatch.store.plans import plan_key

    fifteenth = fifteenth_plan(jiaxing_plan)
    jiaxing_store.load_plan(fifteenth, source="test")
    jiaxing_store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=2026, value=8800.0, unit="亿元")])
    return jiaxing_store, plan_key(jiaxing_plan), plan_key(fifteenth)


def run(*args: str) -> tuple[int, str, str]:
    """``planwatch ARGS`` in this process: its exit code, what it printed and what it wrote to stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
