"""The finished 13th plan judged from 表1's own 完成情况 columns."""

import pytest

from planwatch.evaluate import evaluate_previous_plan


def _rows(kit):
    T, O = kit.Target, kit.Outcome
    def row(id, name, unit, base, targets, outcome=None, growth=None):
        return kit.indicator(id, name, unit, base, *targets, table="表1", start=2016, end=2020,
                             outcome=O(value=outcome, year=2020) if outcome is not None else O(),
                             growth_outcome=O(growth=growth, cumulative=True) if growth is not None else O())
    return [
        row("T1-1", "地区生产总值", "亿元", 3517.1,
            [T(kind="level", comparator="at_least", value=5000, text="5000"),
             T(kind="annual_growth", comparator="at_least", value=7, text="7%以上")], 5509.5, 6.59),
        row("T1-2", "服务业增加值占地区生产总值比重", "%", 43.4,
            [T(kind="annual_growth", value=1.2, text="年均增长1.2个百分点")], None, 0.48),
        row("T1-4.1", "常住人口城镇化率", "%", 60.9,
            [T(kind="level", value=68, text="68"), T(kind="cumulative_change", value=7.1, text="[7.1]", cumulative=True)],
            69, 8.1),
        row("T1-6", "发明专利授权量", "项", 1100,
            [T(kind="level", value=2500, text="2500"), T(kind="annual_growth", value=17.8, text="17.8%")], 4733, 33.9),
        row("T1-7", "宽带家庭普及率", "%", 55,
            [T(kind="level", value=85, text="85"), T(kind="cumulative_change", value=30, text="[30]", cumulative=True)]),
        row("T1-17", "亿元地区生产总值生产安全事故死亡率", "人/亿元", 0.104, [T(kind="level", value=0.066, text="0.066")], 0.0156),
        row("T1-21", "单位地区生产总值用水量降低", "%", None,
            [T(kind="assigned", value=23, text="[23]（省下达）", cumulative=True, assigned_by="省")], None, 35.25),
        row("T1-25.1", "细颗粒物（PM2.5）浓度", "微克/立方米", 53,
            [T(kind="level", value=43, text="43", direction="lower_is_better")], 28),
        row("T1-19", "单位地区生产总值能耗降低", "%", None, [T(kind="assigned", text="[18.5]/[17.6]（省下达）")]),
    ]


def test_previous_plan_rows(kit):
    plan = kit.plan_of(*_rows(kit))
    a = evaluate_previous_plan(plan)
    got = [(f.indicator_id, f.target_text, f.status.value) for f in a.findings]
    assert got == [
        ("T1-1", "5000", "achieved"),  # 5509.5 ≥ 5000
        ("T1-1", "7%以上", "not_achieved"),  # 6.59 < 7
        ("T1-2", "年均增长1.2个百分点", "not_achieved"),  # 0.48 < 1.2
        ("T1-4.1", "68", "achieved"),
        ("T1-4.1", "[7.1]", "achieved"),  # [8.1] ≥ [7.1]
        ("T1-6", "2500", "achieved"),
        ("T1-6", "17.8%", "achieved"),  # 33.9 ≥ 17.8
        ("T1-7", "85", "not_assessable"),  # no 完成情况
        ("T1-7", "[30]", "not_assessable"),
        ("T1-17", "0.066", "achieved"),  # lower is better: 0.0156 ≤ 0.066
        ("T1-21", "[23]（省下达）", "achieved"),  # reduction [35.25] ≥ [23]
        ("T1-25.1", "43", "achieved"),  # 28 ≤ 43
        ("T1-19", "[18.5]/[17.6]（省下达）", "not_assessable"),
    ]
    gdp = a.findings[0]
    assert gdp.actual == 5509.5 and gdp.status_label == "已实现" and gdp.year == 2020
    assert gdp.completion == pytest.approx((5509.5 - 3517.1) / (5000 - 3517.1))
    assert a.findings[1].explanation == "2020年完成情况为6.59%（完成情况），未达到目标7%以上，未实现。"
    assert (a.period_start, a.period_end, a.region) == (2016, 2020, "嘉兴市")


def test_previous_plan_from_real_outline(request):
    """Once ingest reads 表1: the real table's rows come out as the table says."""
    ingest = pytest.importorskip("planwatch.ingest")
    if not hasattr(ingest, "read_plan"):
        pytest.skip("planwatch.ingest.read_plan not written yet")
    jiaxing_plan = request.getfixturevalue("jiaxing_plan")
    if not any(i.table == "表1" for i in jiaxing_plan.indicators):
        pytest.skip("ingest does not read 表1 yet")
    a = evaluate_previous_plan(jiaxing_plan)
    status = {}
    for f in a.findings:
        status.setdefault(f.no, []).append(f.status.value)
    assert status["1"] == ["achieved", "not_achieved"]  # 5509.5 ≥ 5000; 6.59 < 7
    assert status["7"] and set(status["7"]) == {"not_assessable"}  # 宽带家庭普及率: no outcome
    assert "achieved" in status["21"]  # 用水量降低 [35.25] ≥ [23]
    pm = [f for f in a.findings if "PM2.5" in f.indicator and f.kind == "level"]
    assert pm and pm[0].status == "achieved" and pm[0].actual == 28
