"""Judging like an evaluator (issue 8): what a bracketed five-year figure counts — percentage points, a relative
change or an amount (class 10) — and the price basis of rates compared with GDP growth (class 6).

Every expected value is worked out by hand in the comment beside its case (base year 2020, target year 2025,
N = 5; ln 0.84 = −0.174353, ln 1.07 = 0.067659, 5 × ln 1.07 = 0.338293; elapsed-time margins ±0.05).
"""

import pytest

from planwatch.evaluate import evaluate
from planwatch.evaluate.comparative import find_reference, name_basis
from planwatch.evaluate.cumulative import AMOUNT, POINTS, RELATIVE, change_basis
from planwatch.evaluate.growth import COMPARABLE, CURRENT, price_basis
from planwatch.evaluate.settings import resolve_settings
from planwatch.model import Series

# ---------------------------------------------------------------------------------------------------
# Class 10 — the basis of a cumulative figure, from the unit and the name (cumulative.change_basis).
# ---------------------------------------------------------------------------------------------------

BASIS_CASES = [
    # (name, indicator unit, target unit, basis)
    ("儿童青少年总体近视率降低", "%", None, POINTS),  # 近视率 is itself a %: [5] = 5 points
    ("万元地区生产总值用水量降低", "%", None, RELATIVE),  # 用水量 (立方米/万元) is an intensity: [16] = 16 % of it
    ("单位地区生产总值能源消耗降低", "%", None, RELATIVE),
    ("单位地区生产总值二氧化碳排放降低", "%", None, RELATIVE),
    ("地表水达到或好于Ⅲ类水体比例（省控断面）提高", "%", None, POINTS),  # trailing note ignored; 比例 is a share
    ("服务业增加值占地区生产总值比重提高", "%", None, POINTS),
    ("常住人口城镇化率", "%", "个百分点", POINTS),  # stated in points
    ("新增城镇就业人数", "万人", None, AMOUNT),  # [30] 万人: an amount, added up
    ("人均期望寿命", "岁", None, AMOUNT),
]


@pytest.mark.parametrize(("name", "unit", "target_unit", "basis"), BASIS_CASES)
def test_change_basis(kit, name, unit, target_unit, basis):
    target = kit.Target(kind="cumulative_change", comparator="at_least", value=5, text="[5]", cumulative=True,
                        unit=target_unit)
    assert change_basis(kit.indicator("B-1", name, unit, None, target), target) == basis


def test_real_plan_bases():
    # 表2 of the Jiaxing outline as read: [5] 近视率 in points, [16] 用水量 relative; footnotes give the price basis.
    from planwatch.demo import JIAXING_OUTLINE, declared_series
    from planwatch.ingest import read_plan

    plan = read_plan(JIAXING_OUTLINE)
    plan.series = declared_series()
    ind = {i.id: i for i in plan.indicators}
    assert change_basis(ind["T2-32"], ind["T2-32"].target) == POINTS
    assert change_basis(ind["T2-16"], ind["T2-16"].target) == RELATIVE
    assert change_basis(ind["T2-14"]) == RELATIVE and change_basis(ind["T2-15"]) == RELATIVE
    assert price_basis(ind["T2-27"]) == COMPARABLE and price_basis(ind["T2-4"]) == CURRENT
    assert price_basis(ind["T2-2"]) == CURRENT and price_basis(ind["T2-3"]) is None
    # the demo declares real growth only (GDPg, 可比价): both rates are compared with it
    settings = resolve_settings(None)
    assert find_reference(plan, ind["T2-27"], settings) == ("GDPg", "GDP实际增长率")
    assert find_reference(plan, ind["T2-4"], settings) == ("GDPg", "GDP实际增长率")
    assert name_basis("GDP实际增长率") == COMPARABLE and name_basis("GDP名义增长率") == CURRENT


MYOPIA = dict(kind="cumulative_change", comparator="at_least", value=5, text="[5]", cumulative=True)
JOBS = dict(kind="cumulative_change", comparator="at_least", value=30, text="[30]", cumulative=True)

# (name, unit, target, rows (year, value, kind), status, actual, actual year, time, expected, completion,
#  required per year, projection, warning, note in gap_note or None, words in the reason or None)
# Evaluated 2024.
CUMULATIVE_CASES = [
    # A. points, yearly changes added: 近视率 down 1.0, 1.2, 0.8 points (2021–2023) → 3.0 points, t = 3, time 0.6;
    # due 5 × 0.6 = 3.0; completion 3/5 = 0.6 → on_track (0.55 ≤ 0.6 < 0.65); required (5 − 3)/2 = 1.0 /yr;
    # projection 3 × 5/3 = 5.0 ≥ 5 → no warning. (Compounded as relative % it was 1 − 0.99 × 0.988 × 0.992 = 2.97
    # against a compounded due.)
    ("儿童青少年总体近视率降低", "%", MYOPIA, [(2021, 1.0, "annual_growth"), (2022, 1.2, "annual_growth"),
                                   (2023, 0.8, "annual_growth")],
     "on_track", 3.0, 2023, 0.6, 3.0, 0.6, 1.0, 5.0, False, None, None),
    # B. points from the rate's levels: 2020 60.0 %, 2024 57.0 % → 60 − 57 = 3.0 points, t = 4, time 0.8; due 4.0;
    # completion 0.6 → lagging (< 0.75); required (5 − 3)/1 = 2.0; projection 3 × 5/4 = 3.75 < 5 → warning.
    ("儿童青少年总体近视率降低", "%", MYOPIA, [(2020, 60.0, "level"), (2024, 57.0, "level")],
     "lagging", 3.0, 2024, 0.8, 4.0, 0.6, 2.0, 3.75, True, None, None),
    # C. points, a stated cumulative 2.4 points in 2023: t = 3, due 3.0, completion 0.48 → lagging (< 0.55);
    # required (5 − 2.4)/2 = 1.3; projection 2.4 × 5/3 = 4.0 < 5 → warning.
    ("儿童青少年总体近视率降低", "%", MYOPIA, [(2023, 2.4, "cumulative")],
     "lagging", 2.4, 2023, 0.6, 3.0, 0.48, 1.3, 4.0, True, None, None),
    # D. a bare % imported as a level (3.1 in 2023, no 2020 level): not the cumulative change → not assessable.
    ("儿童青少年总体近视率降低", "%", MYOPIA, [(2023, 3.1, "level")],
     "not_assessable", None, None, None, None, None, None, None, False, None,
     "2023年的观测值3.1是水平值，不当作自2020年以来的累计降低幅度；由水平值推算需要2020年基期的水平值"),
    # E. relative, dated chain with a gap: 用水量 down 3 % (2021), 4 % (2023), 2022 missing. k = 2, t = 3:
    # Σ ln = ln 0.97 + ln 0.96 = −0.071281, × t/k = 3/2 → −0.106922; change 1 − e^−0.106922 = 10.1404 %;
    # time 0.6; due 1 − 0.84^0.6 = 9.9326 %; completion −0.106922/−0.174353 = 0.6132 → on_track;
    # required 1 − e^((−0.174353 + 0.106922)/2) = 3.3154 %/yr; projection 1 − e^(−0.106922 × 5/3) = 16.3227 %
    # ≥ 16 → no warning; the gap is said. (Counted, not dated, it was 1 − 0.97 × 0.96 = 6.88 % at time 0.4.)
    ("万元地区生产总值用水量降低", "%", "WATER", [(2021, 3.0, "annual_growth"), (2023, 4.0, "annual_growth")],
     "on_track", 10.140406, 2023, 0.6, 9.932611, 0.613248, 3.315375, 16.322746, False,
     "缺2022年数据，按2021、2023两年计算", None),
    # F. relative from intensity levels: 2020 10.0, 2023 8.8 (立方米/万元) → (1 − 8.8/10) × 100 = 12.0 %, t = 3;
    # due 9.9326 %; completion ln 0.88/ln 0.84 = −0.127833/−0.174353 = 0.7332 → ahead (≥ 0.65); required
    # 1 − e^((−0.174353 + 0.127833)/2) = 2.2992 %; projection 1 − 0.88^(5/3) = 19.1889 % → no warning.
    ("万元地区生产总值用水量降低", "%", "WATER", [(2020, 10.0, "level"), (2023, 8.8, "level")],
     "ahead", 12.0, 2023, 0.6, 9.932611, 0.733185, 2.299158, 19.188881, False, None, None),
    # G. relative, a bare % level (12 in 2023, no 2020 level): not taken as the 12 % reduction.
    ("万元地区生产总值用水量降低", "%", "WATER", [(2023, 12.0, "level")],
     "not_assessable", None, None, None, None, None, None, None, False, None,
     "2023年的观测值12是水平值，不当作自2020年以来的累计降低幅度；由水平值推算需要2020年基期的强度水平值"),
    # H. an amount, added: 新增城镇就业人数 7, 6, 5 万人 (2021–2023) → 18 万人, t = 3; due 30 × 0.6 = 18;
    # completion 18/30 = 0.6 → on_track; required (30 − 18)/2 = 6 /yr; projection 18 × 5/3 = 30 → no warning.
    # (Compounded as %: 1.07 × 1.06 × 1.05 − 1 = 19.09 "%".)
    ("新增城镇就业人数", "万人", JOBS, [(2021, 7.0, "annual_growth"), (2022, 6.0, "annual_growth"),
                             (2023, 5.0, "annual_growth")],
     "on_track", 18.0, 2023, 0.6, 18.0, 0.6, 6.0, 30.0, False, None, None),
    # I. amount, only levels: never derived (a level of 新增就业 is a year's flow) → not assessable.
    ("新增城镇就业人数", "万人", JOBS, [(2020, 10.0, "level"), (2023, 12.0, "level")],
     "not_assessable", None, None, None, None, None, None, None, False, None, "该目标为累计数量，水平值不能换算"),
]


@pytest.mark.parametrize(("name", "unit", "target", "rows", "status", "actual", "year", "time", "expected",
                          "completion", "required", "projection", "warning", "note", "reason"), CUMULATIVE_CASES)
def test_cumulative_basis(kit, name, unit, target, rows, status, actual, year, time, expected, completion, required,
                          projection, warning, note, reason):
    tgt = kit.WATER if target == "WATER" else kit.Target(**target)
    plan = kit.plan_of(kit.indicator("K-1", name, unit, None, tgt, attribute="binding"))
    frame = kit.frame_of(*[("K-1", kit.CITY, y, v, k) for y, v, k in rows])
    a = evaluate(plan, frame, 2024)
    f = kit.by_id(a)["K-1"]
    assert f.status == status
    assert f.warning is warning
    if actual is None:
        assert f.actual is None and reason in f.explanation
        return
    assert f.actual == pytest.approx(actual, abs=1e-5) and f.actual_year == year
    assert f.time_elapsed == pytest.approx(time)
    assert f.expected == pytest.approx(expected, abs=1e-5)
    assert f.completion == pytest.approx(completion, abs=1e-5)
    assert f.required_rate == pytest.approx(required, abs=1e-5)
    assert f.projection == pytest.approx(projection, abs=1e-5)
    if reason:
        assert reason in f.explanation


def test_cumulative_gap_note_and_rule(kit):
    # The gap note of case E sits in the measures' gap_note column; the rule says how the figure was spread.
    from planwatch.evaluate import cumulative
    from planwatch.evaluate.assessment import judge

    plan = kit.plan_of(kit.indicator("K-1", "万元地区生产总值用水量降低", "%", None, kit.WATER),
                       kit.indicator("K-2", "儿童青少年总体近视率降低", "%", None, kit.Target(**MYOPIA)))
    frame = kit.frame_of(("K-1", kit.CITY, 2021, 3.0, "annual_growth"), ("K-1", kit.CITY, 2023, 4.0, "annual_growth"),
                         ("K-2", kit.CITY, 2020, 60.0), ("K-2", kit.CITY, 2024, 57.0))
    blocks = {b.indicator.id: b for b in judge(plan, frame, 2024, method="elapsed_time", regions=None,
                                                settings=resolve_settings(None))}
    water, myopia = blocks["K-1"].measures, blocks["K-2"].measures
    assert water["rate_note"].tolist() == ["缺2022年数据，按2021、2023两年计算"]
    assert water.rule_note == "累计目标按逐年降幅复合分摊" and not water.linear_rate
    assert myopia["rate_note"].tolist() == [None]
    assert myopia.linear_rate and myopia.rate_unit == "个百分点/年"
    assert myopia.rule_note.startswith("累计目标为百分点") and "水平值之差" in myopia.rule_note
    assert cumulative.change_basis(plan.indicators[1]) == POINTS


# ---------------------------------------------------------------------------------------------------
# Class 6 — price basis: 现价 against nominal growth, 可比价 against real growth; else said to differ.
# ---------------------------------------------------------------------------------------------------

GDP_NOMINAL = Series(code="GDPn", name="GDP名义增长率", unit="%", kind="annual_growth")
DIFFERS = "居民人均可支配收入按现价、经济增长按可比价，口径不同，仅供参考"

# (income notes, declared series, income rows (year, value, kind), reference chosen, own rate, reference rate,
#  status, sentence said or None)
# 居民人均可支配收入年均增长 与经济增长基本同步 (about, higher is better, tolerance 1 point); evaluated 2024;
# GDPg (real) 2021 8.5; GDPn (nominal) 2021 11.9.
PRICE_CASES = [
    # 可比价 income against real growth: 9.8 − 8.5 = +1.3 (faster counts) → on_track; bases agree, nothing said.
    (["comparable_prices"], ["GDPg"], [(2021, 9.8, "annual_growth")], "GDP实际增长率", 9.8, 8.5, "on_track", None),
    # 现价 income, only real growth declared: still compared (+1.3 → on_track), the bases are said to differ.
    (["current_prices"], ["GDPg"], [(2021, 9.8, "annual_growth")], "GDP实际增长率", 9.8, 8.5, "on_track", DIFFERS),
    # 现价 income with nominal growth declared too: nominal chosen; 9.8 − 11.9 = −2.1, |−2.1| > 1 → lagging.
    (["current_prices"], ["GDPg", "GDPn"], [(2021, 9.8, "annual_growth")], "GDP名义增长率", 9.8, 11.9, "lagging",
     None),
    # 可比价 income with both declared: real chosen (8.5) → on_track, nothing said.
    (["comparable_prices"], ["GDPn", "GDPg"], [(2021, 9.8, "annual_growth")], "GDP实际增长率", 9.8, 8.5, "on_track",
     None),
    # no footnote: as before — the first growth series matching (GDPg), nothing said.
    ([], ["GDPg", "GDPn"], [(2021, 9.8, "annual_growth")], "GDP实际增长率", 9.8, 8.5, "on_track", None),
    # 可比价 income observed only as levels: 2020 50000, 2021 54000 元 → 54000/50000 − 1 = 8.0 % is a current-price
    # rate; against real 8.5: |−0.5| ≤ 1 → on_track, and the bases are said to differ.
    (["comparable_prices"], ["GDPg"], [(2020, 50000, "level"), (2021, 54000, "level")], "GDP实际增长率", 8.0, 8.5,
     "on_track", DIFFERS),
]


@pytest.mark.parametrize(("notes", "series", "rows", "reference", "own", "ref", "status", "said"), PRICE_CASES)
def test_price_basis_of_comparisons(kit, notes, series, rows, reference, own, ref, status, said):
    declared = {"GDPg": kit.GDP_SERIES, "GDPn": GDP_NOMINAL}
    plan = kit.plan_of(kit.indicator("P-27", "居民人均可支配收入年均增长", "%", None, kit.INCOME, notes=notes),
                       series=[declared[c] for c in series])
    frame = kit.frame_of(*[("P-27", kit.CITY, y, v, k) for y, v, k in rows],
                         ("GDPg", kit.CITY, 2021, 8.5, "annual_growth"), ("GDPn", kit.CITY, 2021, 11.9, "annual_growth"))
    f = kit.by_id(evaluate(plan, frame, 2024))["P-27"]
    assert f"与“{reference}”比较" in f.explanation
    assert f.actual == pytest.approx(own) and f.target == pytest.approx(ref)
    assert f.status == status
    if said:
        assert said in f.explanation
    else:
        assert "口径" not in f.explanation


# 全员劳动生产率年均增长 7以上 (表2 第2项, 现价): from levels the rate is nominal, said beside the average.
GROWTH_CASES = [
    # levels 2020 15.0, 2023 18.5 万元/人: (18.5/15)^(1/3) − 1 = 7.2408 %; completion ln(18.5/15)/(5 ln 1.07)
    # = 0.209721/0.338293 = 0.6199 → on_track; 现价 → "按现价水平值计算，为名义增速".
    (["current_prices"], [(2020, 15.0, "level"), (2023, 18.5, "level")], 7.240827, 0.619937, "on_track",
     "年均增长7.24%（按现价水平值计算，为名义增速）"),
    # same levels, 可比价 footnote: the target is real, the rate nominal → said to differ.
    (["comparable_prices"], [(2020, 15.0, "level"), (2023, 18.5, "level")], 7.240827, 0.619937, "on_track",
     "按现价水平值计算，为名义增速，目标按可比价，口径不同，仅供参考"),
    # yearly growth observed (2021 7.0, 2022 7.5, 2023 7.2): chained, nothing about the basis; (1.07 × 1.075 × 1.072)
    # ^(1/3) − 1 = 7.2331 %; completion 3 × ln 1.072331/0.338293 = 0.6193 → on_track.
    (["current_prices"], [(2021, 7.0, "annual_growth"), (2022, 7.5, "annual_growth"), (2023, 7.2, "annual_growth")],
     7.233137, 0.619301, "on_track", None),
]


@pytest.mark.parametrize(("notes", "rows", "rate", "completion", "status", "said"), GROWTH_CASES)
def test_growth_from_current_price_levels(kit, notes, rows, rate, completion, status, said):
    plan = kit.plan_of(kit.indicator("G-2", "全员劳动生产率年均增长", "%", None, kit.LABOUR, notes=notes))
    frame = kit.frame_of(*[("G-2", kit.CITY, y, v, k) for y, v, k in rows])
    f = kit.by_id(evaluate(plan, frame, 2024))["G-2"]
    assert f.actual == pytest.approx(rate, abs=1e-5)
    assert f.completion == pytest.approx(completion, abs=1e-5)
    assert f.status == status
    if said:
        assert said in f.explanation
    else:
        assert "名义" not in f.explanation and "口径" not in f.explanation
