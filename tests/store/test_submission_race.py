"""Two people acting on the same figures at the same moment, on PostgreSQL: no lost update.

Each race starts two threads, each with its own Store (its own connection pool, as two server
processes would have), released together by a barrier, both acting on the version they both read.
Exactly one wins; the other gets a ConflictError naming who changed the figure; the figure's history
holds exactly one decision, and an approval wrote exactly one observation revision. Every race is
repeated 20 times on fresh figures, so an interleaving that loses an update has many chances to show.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from planwatch.errors import ConflictError
from planwatch.model import SubmissionState
from planwatch.store import Store, open_store
from planwatch.store.rounds import Entry

pytestmark = pytest.mark.postgres

REPEATS = 20
REGIONS = [("嘉兴市", None, "city"), ("南湖区", "嘉兴市", "county"), ("海宁市", "嘉兴市", "county")]
INDICATORS = ["T2-1", "T2-2", "T2-3", "T2-5", "T2-6", "T2-9", "T2-11", "T2-16", "T2-26", "T2-27"]
UNITS = {"T2-1": "统计局", "T2-2": "统计局", "T2-3": "统计局", "T2-26": "统计局", "T2-27": "统计局",
         "T2-5": "科技局", "T2-6": "科技局", "T2-9": "商务局", "T2-11": "商务局", "T2-16": "水利局"}


@pytest.fixture
def pg_url(pg_database_url) -> str:
    """The session's PostgreSQL database with a clean public schema."""
    import psycopg

    with psycopg.connect(pg_database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return pg_database_url


@pytest.fixture
def pg_stores(pg_url, hand_plan) -> Iterator[tuple[Store, Store, Store]]:
    """The hand plan on a clean PostgreSQL schema, opened three times: a checker and two actors."""
    main = open_store(pg_url)
    main.init()
    main.load_plan(hand_plan, source="hand")
    main.add_regions(REGIONS)
    one, two = open_store(pg_url), open_store(pg_url)
    yield main, one, two
    for s in (main, one, two):
        s.dispose()


def race(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """Run both at once (released by a barrier); each result is its return value or the exception raised."""
    gate = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(i: int, fn: Callable[[], Any]) -> None:
        gate.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # the race's loser is expected to raise; the test judges it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a racer hung (a lock never released?)"
    return results


def figures(count: int) -> Iterator[tuple[int, str, str]]:
    """(year, indicator, region) of fresh figures, one per race."""
    n = 0
    for year in range(2021, 2026):
        for region, _, _ in REGIONS:
            for ind in INDICATORS:
                if n == count:
                    return
                yield year, ind, region
                n += 1


def submitted(store: Store, rounds: dict[int, int], year: int, ind: str, region: str, value: float):
    entry = Entry(indicator=ind, region=region, responsible_unit=UNITS[ind], value=value, unit="亿元",
                  source=f"{year}年统计公报")
    (sub,) = store.enter_figures(rounds[year], [entry], actor="reporter", submit=True)
    return sub


def open_rounds(store: Store) -> dict[int, int]:
    regions = [r[0] for r in REGIONS]
    return {year: store.open_round(year=year, regions=regions, actor="planner0").id for year in range(2021, 2026)}


@pytest.mark.parametrize("actions", [("approve", "return"), ("approve", "approve")],
                         ids=["approve-vs-return", "approve-vs-approve"])
def test_two_planners_deciding_at_once_one_wins_the_other_is_told(pg_stores, actions):
    main, one, two = pg_stores
    rounds = open_rounds(main)
    wins = {"planner_a": 0, "planner_b": 0}
    for n, (year, ind, region) in enumerate(figures(REPEATS)):
        sub = submitted(main, rounds, year, ind, region, 1000.0 + n)
        seen = sub.version  # both planners read the same version

        def act(store: Store, action: str, actor: str, sub_id: int = sub.id, seen: int = seen):
            return lambda: store.decide(sub_id, action, actor=actor, comment="请核对数据来源" if action == "return"
                                        else None, expected_version=seen)

        results = race(act(one, actions[0], "planner_a"), act(two, actions[1], "planner_b"))
        won = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
        assert len(won) == 1, f"race {n}: {results!r}"
        winner, loser = won[0], 1 - won[0]
        winner_name = ("planner_a", "planner_b")[winner]
        wins[winner_name] += 1
        refused = results[loser]
        assert isinstance(refused, ConflictError), f"race {n}: {refused!r}"
        assert f"已被 {winner_name} 于" in str(refused)
        assert f"你看到的是第 {seen} 版" in str(refused)

        decided = results[winner]
        expected_state = SubmissionState.approved if actions[winner] == "approve" else SubmissionState.returned
        after = main.submission(sub.id)
        assert (after.state, after.version, after.updated_by) == (expected_state, seen + 1, winner_name)
        assert decided.version == after.version
        steps = main.submission_events(sub.id)
        assert [(e.action, e.actor) for e in steps] == [("submit", "reporter"), (actions[winner], winner_name)]
        revisions = main.revisions(ind, region, year)
        if actions[winner] == "approve":
            assert [(r.value, r.extra.get("approved_by")) for r in revisions] == [(1000.0 + n, winner_name)]
        else:
            assert revisions == []
        audited = [e.action for e in main.audit_entries(subject=f"submission:{sub.id} {ind} {region} {year}")]
        assert audited == [f"submission.{actions[winner]}", "submission.submit"]
    # Both threads won sometimes or not: only the outcome per race is the rule, but say how it went.
    assert sum(wins.values()) == REPEATS


def test_two_units_submitting_batches_at_once_both_land_whole(pg_stores):
    main, one, two = pg_stores
    rounds = open_rounds(main)
    tj = [i for i in INDICATORS if UNITS[i] == "统计局"]
    others = [i for i in INDICATORS if UNITS[i] != "统计局"]
    regions = [r[0] for r in REGIONS]
    for n in range(REPEATS):
        year = 2021 + n % 5
        value = 100.0 + n

        def batch(store: Store, inds: list[str], actor: str, year: int = year, value: float = value):
            entries = [Entry(indicator=i, region=r, responsible_unit=UNITS[i], value=value, unit="%")
                       for i in inds for r in regions]
            return lambda: store.enter_figures(rounds[year], entries, actor=actor, submit=True)

        a, b = race(batch(one, tj, "tj_reporter"), batch(two, others, "other_reporter"))
        assert not isinstance(a, Exception) and not isinstance(b, Exception), (a, b)
        assert len(a) == len(tj) * 3 and len(b) == len(others) * 3
    for year in range(2021, 2026):
        subs = main.submissions(rounds[year])
        assert len(subs) == len(INDICATORS) * 3
        assert {s.state for s in subs} == {SubmissionState.submitted}
        # each year was raced 4 times: 4 submit events per figure, each by its own unit's reporter
        for s in subs:
            steps = main.submission_events(s.id)
            actor = "tj_reporter" if UNITS[s.indicator] == "统计局" else "other_reporter"
            assert [(e.action, e.actor) for e in steps] == [("submit", actor)] * 4
            assert s.version == 4 and s.value == 100.0 + max(n for n in range(REPEATS) if 2021 + n % 5 == year)


def test_two_people_of_one_unit_submitting_the_same_figures_from_the_same_page_one_batch_wins(pg_stores):
    main, one, two = pg_stores
    rounds = open_rounds(main)
    tj = [i for i in INDICATORS if UNITS[i] == "统计局"]
    for n in range(REPEATS):
        year = 2021 + n % 5
        rid = rounds[year]
        seen = {(s.indicator, s.region): s.version for s in main.submissions(rid, unit="统计局")}
        versions = {(i, "嘉兴市"): seen.get((i, "嘉兴市"), 0) for i in tj}

        def batch(store: Store, value: float, actor: str, rid: int = rid, versions: dict = versions):
            entries = [Entry(indicator=i, region="嘉兴市", responsible_unit="统计局", value=value, unit="%")
                       for i in tj]
            return lambda: store.enter_figures(rid, entries, actor=actor, submit=True, versions=versions)

        a_value, b_value = 10.0 + n, 20.0 + n
        results = race(batch(one, a_value, "tj_a"), batch(two, b_value, "tj_b"))
        won = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
        assert len(won) == 1, f"race {n}: {results!r}"
        winner = won[0]
        assert isinstance(results[1 - winner], ConflictError)
        assert f"已被 {('tj_a', 'tj_b')[winner]} 于" in str(results[1 - winner])
        now = {s.indicator: s for s in main.submissions(rid, unit="统计局")}
        # the whole batch of the winner, nothing of the loser's
        assert {s.value for s in now.values()} == {(a_value, b_value)[winner]}
        assert {s.updated_by for s in now.values()} == {("tj_a", "tj_b")[winner]}
        assert all(s.version == versions[(i, "嘉兴市")] + 1 for i, s in now.items())
    total_events = sum(len(main.submission_events(s.id)) for rid in rounds.values() for s in main.submissions(rid))
    assert total_events == REPEATS * len(tj)
