"""Plan families (issue 10): a region's 13th → 14th → 15th plans in order, and one indicator compared across them.

The real Jiaxing 14th outline alone is a family of two: the 13th plan, read from its 表1, and the 14th (表2). Its
表1 prints GDP (src/planwatch/samples/plans/jiaxing-14th-fyp-outline.txt, lines 42–50) as

    经济发展 | 1 | 地区生产总值（亿元） | 3517.1 | 5000 | 7%以上 | 5509.5 | 6.59%

(2015 value, 2020 target, average growth target, 2020 outcome, realised growth). The 15th plan is the test_plans
copy of tests/conftest.py (2026–2030, 2025 base 8200, 2030 GDP target 12000) with a 2026 figure of 8800
(the ``two_plans`` fixture).
"""

import pytest
from tests.conftest import fifteenth_plan

from planwatch.errors import NotFoundError, StoreError
from planwatch.evaluate import read_inputs
from planwatch.evaluate.families import Readings, compare, families, family_series, series_of
from planwatch.model import Observation
from planwatch.store.plans import plan_key


def compared(store, ref: str):
    links = store.series_links()
    return compare(series_of(families(links.plans), links, ref), Readings(lambda key: read_inputs(store, key)))


def row_values(row):
    ind = row.indicator
    return (row.member.label, row.member.source, ind.id, ind.name, ind.unit, ind.baseline.value, ind.baseline.year,
            ind.target.text, ind.target.value, row.target_year, row.outcome, row.outcome_year, row.latest,
            row.latest_year, str(row.status), row.status_label, row.basis,
            row.next_target.text if row.next_target else None)


@pytest.fixture
def fourteenth(jiaxing_store, jiaxing_plan):
    return jiaxing_store, plan_key(jiaxing_plan)


def test_the_14th_plan_alone_is_a_family_of_two_with_the_13th_read_from_its_table_1(fourteenth):
    store, key = fourteenth
    [family] = families(store.series_links().plans)
    assert (family.id, family.label) == ("嘉兴市/city", "嘉兴市 十三五 → 十四五")
    assert [(m.source, m.key, m.plan_key, m.label, m.period_start, m.period_end) for m in family.members] == [
        ("table1", None, key, "十三五", 2016, 2020), ("stored", key, key, "十四五", 2021, 2025)]
    assert family.members[0].title == "“十三五”规划（据“十四五”规划表1）"


def test_gdp_across_the_13th_and_the_14th(fourteenth):
    store, key = fourteenth
    rows = compared(store, f"{key}:T2-1")
    assert [row_values(r) for r in rows] == [
        # 表1 as printed: 3517.1 (2015) → 5000 (2020), outcome 5509.5: 已实现 on the table's own column.
        ("十三五", "table1", "T1-1", "地区生产总值", "亿元", 3517.1, 2015, "5000", 5000.0, 2020, 5509.5, 2020, None,
         None, "achieved", "已实现", "previous", "9000"),
        # 表2: 5509.5 (2020) → 9000 (2025); no 2025 figure yet, so the latest (2024: 7569.53) and the
        # dashboard's judgement of 2024: 滞后.
        ("十四五", "stored", "T2-1", "地区生产总值", "亿元", 5509.5, 2020, "9000", 9000.0, 2025, None, None,
         7569.53, 2024, "lagging", "滞后", "progress", None),
    ]
    assert [r.judged_year for r in rows] == [2020, 2024]
    # The same series asked by its 表1 row.
    assert [row_values(r) for r in compared(store, f"{key}:T1-1")] == [row_values(r) for r in rows]


def test_a_figure_for_the_target_year_is_the_outcome_and_the_judgement_is_final(fourteenth):
    store, key = fourteenth
    store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=2025, value=8200.0, unit="亿元")])
    row = compared(store, f"{key}:T2-1")[1]
    # 8200 against 9000 at the period's end: 未实现.
    assert (row.outcome, row.outcome_year, row.latest, row.latest_year) == (8200.0, 2025, None, None)
    assert (str(row.status), row.status_label, row.basis, row.judged_year) == ("not_achieved", "未实现", "final", 2025)


def test_the_15th_plan_makes_three_members_with_the_next_targets_chained(two_plans):
    store, fourteenth, fifteenth = two_plans
    [family] = families(store.series_links().plans)
    assert [(m.label, m.key) for m in family.members] == [("十三五", None), ("十四五", fourteenth),
                                                            ("十五五", fifteenth)]
    assert family.label == "嘉兴市 十三五 → 十四五 → 十五五"
    rows = compared(store, f"{fifteenth}:T2-1")
    assert [(r.member.label, r.target.text, r.next_target.text if r.next_target else None) for r in rows] == [
        ("十三五", "5000", "9000"), ("十四五", "9000", "12000"), ("十五五", "12000", None)]
    # The 14th still reads its own period (the 2026 figure is the 15th's): latest 2024.
    assert (rows[1].latest, rows[1].latest_year, rows[1].status_label) == (7569.53, 2024, "滞后")
    # The 15th: 8200 (2025) → 12000 (2030), 8800 in 2026: 基本符合预期 (see test_plans).
    assert (rows[2].indicator.baseline.value, rows[2].indicator.baseline.year, rows[2].latest,
            rows[2].latest_year, str(rows[2].status), rows[2].basis) == (8200.0, 2025, 8800.0, 2026, "on_track",
                                                                         "progress")
    assert [(r.member.label, next_member.label if (next_member := r.next_member) else None) for r in rows] == [
        ("十三五", "十四五"), ("十四五", "十五五"), ("十五五", None)]


def test_an_indicator_of_one_table_without_a_counterpart_in_the_other_is_none(fourteenth):
    store, key = fourteenth
    # 表1 row 3 七大万亿级产业增加值 is not in 表2: the 14th's row is empty, and 表1 prints no outcome.
    only_old = compared(store, f"{key}:T1-3")
    assert [(r.member.label, r.indicator.id if r.indicator else None) for r in only_old] == [
        ("十三五", "T1-3"), ("十四五", None)]
    assert (only_old[0].target.text, only_old[0].outcome, str(only_old[0].status), only_old[0].next_target) == (
        "10%", None, "not_assessable", None)
    # 表2 row 2 全员劳动生产率年均增长 (%) is not 表1's 全员劳动生产率 (万元/人): another unit family.
    only_new = compared(store, f"{key}:T2-2")
    assert [(r.member.label, r.indicator.id if r.indicator else None) for r in only_new] == [
        ("十三五", None), ("十四五", "T2-2")]
    assert (only_new[0].status, only_new[0].next_target.text) == (None, "7以上")


def test_table_1_rows_are_matched_by_the_one_matcher(fourteenth):
    store, _ = fourteenth
    links = store.series_links()
    [family] = families(links.plans)
    pairs = {s.indicators[0].id: s.indicators[1].id for s in family_series(family, links)
             if s.indicators[0] is not None and s.indicators[1] is not None}
    # Same name (地区生产总值, 亿元地区生产总值生产安全事故死亡率, 单位地区生产总值二氧化碳排放降低), a synonym
    # (研究与试验发展经费 → 研发经费, 人均期望寿命 → 人均预期寿命, 每千人口拥有 → 每千人口), a sub-row's own name
    # (常住人口城镇化率 under 城镇化率).
    assert pairs == {"T1-1": "T2-1", "T1-4.1": "T2-3", "T1-5": "T2-5", "T1-23": "T2-15", "T1-17": "T2-35",
                     "T1-14": "T2-34", "T1-15": "T2-28"}
    # Every 表1 row (34) and 表2 row (38, with 8.1) is in exactly one series: 34 + 38 - 7 pairs.
    series = family_series(family, links)
    assert (len(series), sum(1 for s in series if s.indicators[0] is not None),
            sum(1 for s in series if s.indicators[1] is not None)) == (65, 34, 38)


def test_families_order_by_plan_number_and_part_by_region(jiaxing_plan):
    fifteenth = fifteenth_plan(jiaxing_plan)
    other = jiaxing_plan.model_copy(update={"meta": jiaxing_plan.meta.model_copy(update={"region": "海宁市"})})
    # Loaded 15th first: the family still reads 13th (表1 of the 14th) → 14th → 15th.
    found = families([("k15", fifteenth), ("k14", jiaxing_plan), ("hn14", other)])
    assert [(f.region, [(m.label, m.key) for m in f.members]) for f in found] == [
        ("嘉兴市", [("十三五", None), ("十四五", "k14"), ("十五五", "k15")]),
        ("海宁市", [("十三五", None), ("十四五", "hn14")])]


def test_a_stored_plan_for_the_previous_period_replaces_table_1(jiaxing_plan):
    meta = jiaxing_plan.meta.model_copy(update={"title": "嘉兴市国民经济和社会发展第十三个五年规划纲要",
                                                "period_start": 2016, "period_end": 2020, "base_year": 2015,
                                                "plan_number": 13})
    thirteenth = jiaxing_plan.model_copy(update={"meta": meta, "indicators": []})
    [family] = families([("k14", jiaxing_plan), ("k13", thirteenth)])
    assert [(m.source, m.key, m.label) for m in family.members] == [("stored", "k13", "十三五"),
                                                                   ("stored", "k14", "十四五")]


def test_an_unknown_indicator_or_plan_is_named(fourteenth):
    store, key = fourteenth
    with pytest.raises(NotFoundError, match=f"规划 {key} 中没有指标 T9（表1、表2均未列出）"):
        compared(store, f"{key}:T9")
    with pytest.raises(NotFoundError, match=f"没有键为 nowhere 的规划（已有：{key}）"):
        compared(store, "nowhere:T2-1")
    with pytest.raises(StoreError, match="应为 规划键:指标编号"):
        compared(store, "T2-1")
