"""The finished 13th plan judged from 表1's own 完成情况 columns."""

import pytest

from planwatch.evaluate import evaluate_previous_plan
from planwatch.presentation import FindingView


def _rows(kit):
    T, O = kit.Target, kit.Outcome  # noqa: E741 - O reads as the 表1 outcome column it builds
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
    assert gdp.actual == 5509.5 and FindingView(gdp, final=True).status_label == "已实现" and gdp.year == 2020
    assert gdp.completion == pytest.approx((5509.5 - 3517.1) / (5000 - 3517.1))
    assert a.findings[1].explanation == "表中所列2020年完成情况为6.59%，未达到目标7%以上，未实现。"
    assert (a.period_start, a.period_end, a.region) == (2016, 2020, "嘉兴市")


# Every target of 表1 of the real outline, judged at 2020 from the table's own 完成情况 columns:
# indicator id | kind | target as printed | actual | status.
REAL_TABLE1 = """
T1-1 | level | 5000 | 5509.5 | achieved
T1-1 | annual_growth | 7%以上 | 6.59 | not_achieved
T1-2 | annual_growth | 年均增长1.2个百分点 | 0.48 | not_achieved
T1-3 | annual_growth | 10% |  | not_assessable
T1-4.1 | level | 68 | 69.0 | achieved
T1-4.1 | cumulative_change | [7.1] | 8.1 | achieved
T1-4.2 | level | 59 | 60.2 | achieved
T1-4.2 | cumulative_change | [3.4] | 4.6 | achieved
T1-5 | level | 2.95 | 3.1 | achieved
T1-5 | cumulative_change | [0.25] | 0.4 | achieved
T1-6 | level | 2500 | 4733.0 | achieved
T1-6 | annual_growth | 17.8% | 33.9 | achieved
T1-7 | level | 85 |  | not_assessable
T1-7 | cumulative_change | [30] |  | not_assessable
T1-8 | level | 14.5 | 16.1 | achieved
T1-8 | annual_growth | 6.5% | 8.7 | achieved
T1-9.1 | level | 64000 | 64124.0 | achieved
T1-9.1 | annual_growth | 7%以上 | 7.08 | achieved
T1-9.2 | level | 38000 | 39801.0 | achieved
T1-9.2 | annual_growth | 7%以上 | 8.18 | achieved
T1-10 | level | 14 | 14.0 | achieved
T1-10 | cumulative_change | [0.5] | 0.5 | achieved
T1-11 | level | 62 | 63.0 | achieved
T1-11 | cumulative_change | [4] | 5.0 | achieved
T1-12 | cumulative_change | [30] | 68.65 | achieved
T1-13 | cumulative_change | [6.2] | 7.53 | achieved
T1-14 | level | 82.5 | 82.59 | achieved
T1-14 | cumulative_change | [1] | 1.09 | achieved
T1-15 | level | 2.75 | 2.95 | achieved
T1-15 | cumulative_change | [0.65] | 0.85 | achieved
T1-16 | level | 50 | 58.02 | achieved
T1-16 | cumulative_change | [20] | 28.02 | achieved
T1-17 | level | 0.066 | 0.0156 | achieved
T1-18 | level | 307.17/298.19(省下达) |  | not_assessable
T1-18 | level | 307.17/298.19(省下达) |  | not_assessable
T1-19 | cumulative_change | [18.5]/[17.6](省下达) |  | not_assessable
T1-19 | cumulative_change | [18.5]/[17.6](省下达) |  | not_assessable
T1-20 | level | 13 |  | not_assessable
T1-20 | cumulative_change | [3] |  | not_assessable
T1-21 | cumulative_change | [23](省下达) | 35.25 | achieved
T1-22 | level | 23.4 |  | not_assessable
T1-23 | cumulative_change | [21](省下达) |  | not_assessable
T1-24.1 | cumulative_change | [22.7](省下达) | 27.7 | achieved
T1-24.2 | cumulative_change | [23.3](省下达) | 23.4 | achieved
T1-24.3 | cumulative_change | [21](省下达) | 29.3 | achieved
T1-24.4 | text |  |  | not_assessable
T1-25.1 | level | 43 | 28.0 | achieved
T1-25.1 | cumulative_change | 累计下降18.9% | 47.2 | achieved
T1-25.2 | level | 75以上 | 87.2 | achieved
T1-26 | level | 50以上 | 91.8 | achieved
T1-27.1 | level | 20以上 | 22.05 | achieved
T1-27.2 | level | 262 | 270.0 | achieved
T1-27.2 | cumulative_change | [54.1] | 62.1 | achieved
"""


def test_previous_plan_from_real_outline(jiaxing_plan):
    """The real 表1 comes out as the table says, one finding per target of a row."""
    got = [f"{f.indicator_id} | {f.kind.value} | {f.target_text} | {'' if f.actual is None else f.actual} | "
           f"{f.status.value}" for f in evaluate_previous_plan(jiaxing_plan).findings]
    assert got == REAL_TABLE1.strip().splitlines()


def test_previous_outcomes_are_said_in_their_own_units(jiaxing_plan):
    """Five-year [x] figures in the unit the table gives them: points of a share, 万人, 年 — never a bare %."""
    from planwatch.evaluate import evaluate_previous_plan

    said = {(f.indicator_id, f.target_text): f.explanation for f in evaluate_previous_plan(jiaxing_plan).findings}
    assert said[("T1-4.1", "[7.1]")] == "表中所列2020年完成情况为8.1个百分点，达到目标[7.1]，已实现。"
    assert said[("T1-12", "[30]")] == "表中所列2020年完成情况为68.65万人，达到目标[30]，已实现。"
    assert said[("T1-10", "[0.5]")] == "表中所列2020年完成情况为0.5年，达到目标[0.5]，已实现。"
    assert said[("T1-21", "[23](省下达)")] == "表中所列2020年完成情况为35.25%，达到目标[23](省下达)，已实现。"
