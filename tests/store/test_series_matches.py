"""Series across stored plans: the stored key of each indicator, a person's decisions (on each backend), and
the observations each plan reads."""

from __future__ import annotations

import pandas as pd
import pytest

from planwatch.errors import StoreError
from planwatch.store.plans import plan_key
from planwatch.store.series_matches import SeriesLinks


def next_plan(plan):
    """The hand plan as a later plan: a new first row T2-1 (森林覆盖率), R&D written
    研究与试验发展经费支出占GDP比重 as T2-5, GDP in 万元 as T2-2; the other rows keep their ids."""
    meta = plan.meta.model_copy(update={"title": "嘉兴市第十五个五年规划纲要", "period_start": 2026,
                                        "period_end": 2030, "base_year": 2025})
    renamed = {"T2-1": {"id": "T2-2", "no": "2", "unit": "万元"},
               "T2-2": {"id": "T2-4", "no": "4"},
               "T2-5": {"name": "研究与试验发展经费支出占GDP比重"}}
    period = {"period_start": 2026, "period_end": 2030}
    rows = [ind.model_copy(update=period | renamed.get(ind.id, {})) for ind in plan.indicators]
    forest = rows[2].model_copy(update={"id": "T2-1", "no": "1", "name": "森林覆盖率"})
    return plan.model_copy(update={"meta": meta, "indicators": [forest, *rows]})


@pytest.fixture
def two(hand_store, hand_plan):
    later = next_plan(hand_plan)
    hand_store.load_plan(later, source="test")
    return hand_store, plan_key(hand_plan), plan_key(later)


def test_keys_are_the_first_plans_ids_qualified_when_taken(two):
    store, first, later = two
    links = store.series_links()
    assert links.several and [k for k, _ in links.plans] == [first, later]
    assert {i: links.series_key_of(first, i) for i in ("T2-1", "T2-2", "T2-5")} == {
        "T2-1": "T2-1", "T2-2": "T2-2", "T2-5": "T2-5"}
    # GDP (万元) and R&D (synonym) join the first plan's series; the new 森林覆盖率 takes T2-1's place in its
    # own plan only, so its key is qualified.
    assert {i: links.series_key_of(later, i) for i in ("T2-1", "T2-2", "T2-4", "T2-5", "T2-26")} == {
        "T2-1": f"{later}:T2-1", "T2-2": "T2-1", "T2-4": "T2-2", "T2-5": "T2-5", "T2-26": "T2-26"}
    reasons = {(p.home.indicator.id, p.other.indicator.id): p.reason for p in links.pairs()}
    assert len(reasons) == 10 and reasons[("T2-1", "T2-2")] == "same_name"
    assert reasons[("T2-5", "T2-5")] == "synonym" and reasons[("T2-3", "T2-3")] == "same_name"
    assert [m.ref for m in links.by_name("研发经费支出占地区生产总值比重")] == [f"{first}:T2-5"]


def test_decisions_are_stored_replaced_and_audited(two):
    store, first, later = two
    made = store.split_series(f"{later}:T2-3", f"{first}:T2-3", actor="张三").decision
    assert (made.plan_a, made.indicator_a, made.plan_b, made.indicator_b, made.verdict, made.actor) == (
        first, "T2-3", later, "T2-3", "split", "张三")
    links = store.series_links()
    assert links.series_key_of(later, "T2-3") == f"{later}:T2-3" and len(links.pairs()) == 9
    store.confirm_series(f"{first}:T2-3", f"{later}:T2-3")
    assert [(d.verdict, d.actor) for d in store.series_decisions()] == [("confirmed", "命令行")]
    assert store.series_links().series_key_of(later, "T2-3") == "T2-3"
    # A confirmed pair matches whatever the names: the new 森林覆盖率 joins 人才资源总量's series.
    store.confirm_series(f"{first}:T2-6", f"{later}:T2-1")
    assert store.series_links().series_key_of(later, "T2-1") == "T2-6"
    assert [(e.actor, e.action) for e in store.audit_entries(subject_contains=first) if e.action != "plan.load"] == [
        ("命令行", "series.confirmed"), ("命令行", "series.confirmed"), ("张三", "series.split")]
    with pytest.raises(StoreError, match="没有键为 nowhere 的规划"):
        store.confirm_series("nowhere:T2-1", f"{later}:T2-1")


def test_each_plan_reads_its_series_relabelled_and_in_its_unit(two):
    store, first, later = two
    frame = pd.DataFrame({"indicator": ["T2-1", f"{later}:T2-1", "T2-2", "GDPg", "T1-1"],
                          "region": ["嘉兴市"] * 5, "year": [2026] * 5, "value": [8800.0, 60.0, 7.0, 6.5, 1.0],
                          "unit": ["亿元", "%", "%", "%", "亿元"]})
    links = store.series_links()
    mine = links.frame_for(later, frame).sort_values("indicator")
    assert list(zip(mine["indicator"], mine["value"], mine["unit"], strict=True)) == [
        ("GDPg", 6.5, "%"), ("T1-1", 1.0, "亿元"), ("T2-1", 60.0, "%"), ("T2-2", 88_000_000.0, "万元"),
        ("T2-4", 7.0, "%")]
    theirs = links.frame_for(first, frame).sort_values("indicator")
    assert list(zip(theirs["indicator"], theirs["value"], strict=True)) == [
        ("GDPg", 6.5), ("T1-1", 1.0), ("T2-1", 8800.0), ("T2-2", 7.0)]
    # One plan alone reads the frame as it is.
    assert SeriesLinks(links.plans[:1]).frame_for(first, frame) is frame
