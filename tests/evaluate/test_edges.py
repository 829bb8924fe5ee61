"""Judging like an evaluator at the edges (issue 8): thresholds with a tolerance (class 7), and floor,
ceiling and band targets with no distance to measure — no base value, or base = target (class 1).

Every expected value is worked out by hand in the comment beside its case.
"""

import pytest

from planwatch.evaluate import evaluate
from planwatch.evaluate.tolerance import above, at_least, at_most, below

# ---------------------------------------------------------------------------------------------------
# Class 7 — tolerance: floating error never decides a threshold.
# ---------------------------------------------------------------------------------------------------


def test_tolerance_helpers():
    # 0.85 vs 0.8 + 0.05 (= 0.8500000000000001 in floating point): equal → ≥ holds, > does not.
    assert at_least(0.85, 0.8 + 0.05) and not above(0.8 + 0.05, 0.85)
    # 27.000000000000004 ≤ 27: equal up to 1e-9 × 27.
    assert at_most(27.000000000000004, 27.0) and not below(27.0, 27.000000000000004)
    # A real difference (0.01) still counts; NaN never passes; infinite sides work as open ends.
    assert not at_least(0.84, 0.85) and not at_least(float("nan"), 0.0)
    assert at_least(5.0, float("-inf")) and not at_least(5.0, float("inf")) and at_most(5.0, float("inf"))


# Linear path (a % indicator), base 60 (2020) → 70以上 (2025); data of 2024: time = 4/5 = 0.8.
# completion = (A − 60)/(70 − 60); ahead if ≥ 0.8 + 0.05 = 0.85, on track if ≥ 0.8 − 0.05 = 0.75.
ELAPSED_CASES = [
    (68.5, 0.85, "ahead"),  # (68.5 − 60)/10 = 0.85 = time + 0.05 exactly → ahead (≥), not on_track
    (68.4, 0.84, "on_track"),  # 0.84 < 0.85 → on_track (control)
    (67.5, 0.75, "on_track"),  # (67.5 − 60)/10 = 0.75 = time − 0.05 exactly → on_track (≥), not lagging
    (67.4, 0.74, "lagging"),  # 0.74 < 0.75 → lagging (control)
]


@pytest.mark.parametrize(("actual", "completion", "status"), ELAPSED_CASES)
def test_elapsed_time_margins_are_inclusive(kit, actual, completion, status):
    share = kit.Target(kind="level", comparator="at_least", value=70, text="70以上")
    plan = kit.plan_of(kit.indicator("E-1", "某占比", "%", 60, share))
    frame = kit.frame_of(("E-1", kit.CITY, 2024, actual))
    f = kit.by_id(evaluate(plan, frame, 2024))["E-1"]
    assert f.time_elapsed == pytest.approx(0.8)
    assert f.completion == pytest.approx(completion)
    assert f.status == status


# Geometric path (亿元, 万人): a value at share k of the log-distance has completion k exactly, but
# ln(A/B)/ln(T/B) comes out 0.6499999999999998 / 0.35 − 2e-16 in floating point.
GEOMETRIC_CASES = [
    # 地区生产总值 5509.5 → 9000, 2023: time 3/5 = 0.6; A = 5509.5 × (9000/5509.5)^0.65 ≈ 7579.6,
    # completion 0.65 = 0.6 + 0.05 → ahead (untolerated: 0.6499999999999998 → on_track)
    ("亿元", 5509.5, 9000, 2023, 0.65, "ahead"),
    # same, 2022: time 0.4; A at share 0.35 ≈ 6542.0 → completion 0.35 = 0.4 − 0.05 → on_track (was lagging)
    ("亿元", 5509.5, 9000, 2022, 0.35, "on_track"),
    # 人才资源总量 127 → 170 万人, 2021: time 0.2; A at share 0.15 ≈ 132.68 → 0.15 = 0.2 − 0.05 → on_track
    ("万人", 127, 170, 2021, 0.15, "on_track"),
]


@pytest.mark.parametrize(("unit", "base", "target", "year", "share", "status"), GEOMETRIC_CASES)
def test_geometric_margins_are_inclusive(kit, unit, base, target, year, share, status):
    floor = kit.Target(kind="level", comparator="at_least", value=target, text=f"{target}以上")
    plan = kit.plan_of(kit.indicator("E-2", "某总量", unit, base, floor))
    frame = kit.frame_of(("E-2", kit.CITY, year, base * (target / base) ** share))
    f = kit.by_id(evaluate(plan, frame, year))["E-2"]
    assert f.completion == pytest.approx(share) and f.status == status


# The same share under the named methods (exact-threshold cases: tests/evaluate/test_published_methods.py).
TIER_CASES = [
    # The methods as published (issue 8 class 12) use CAGRs of the values, shares too: share 60 (2020) → 70以上 (2025).
    # Open SDG 67.6 (2024): ((67.6/60)^(1/4) − 1)/((70/60)^(1/5) − 1) = 0.030263/0.031310 = 0.9666 ≥ 0.95 → on_track.
    ("open_sdg", 67.6, 0.9666, "substantial_progress", "on_track"),
    # UNSD 67.6: v_e = 67.6 × 1.030263 = 69.646; (69.646 − 60)/(70 − 60) = 0.9646 ≥ 0.95 → on_track.
    ("unsd", 67.6, 0.9646, "on_track", "on_track"),
    # Open SDG 67.2: ((67.2/60)^(1/4) − 1)/0.031310 = 0.028737/0.031310 = 0.9178 < 0.95, ≥ 0.6 → lagging.
    ("open_sdg", 67.2, 0.9178, "moderate_progress", "lagging"),
    # UNSD 67.2: v_e = 67.2 × 1.028737 = 69.131; (69.131 − 60)/10 = 0.9131 < 0.95, ≥ 0.10 → lagging.
    ("unsd", 67.2, 0.9131, "fair_progress", "lagging"),
]


@pytest.mark.parametrize(("method", "actual", "ratio", "category", "status"), TIER_CASES)
def test_tier_thresholds_are_inclusive(kit, method, actual, ratio, category, status):
    share = kit.Target(kind="level", comparator="at_least", value=70, text="70以上")
    plan = kit.plan_of(kit.indicator("E-1", "某占比", "%", 60, share))
    frame = kit.frame_of(("E-1", kit.CITY, 2024, actual))
    f = kit.by_id(evaluate(plan, frame, 2024, method=method))["E-1"]
    assert f.ratio == pytest.approx(ratio, abs=5e-5)
    assert f.category_code == category and f.status == status


# PM2.5-like, binding, base B (2020) → 27以下 (2025), linear path; a value exactly on the path, then
# (base, year, actual, time, observed rate per year, projection year):
PM25_CASES = [
    # 表2 row 18 base 28: 2022 path 28 + (27 − 28) × 0.4 = 27.6; completion (27.6 − 28)/(27 − 28) = 0.4;
    # rate (27.6 − 28)/2 = −0.2; projection 27.6 − 0.2 × 3 = 27.0 ≤ 27 (27.000000000000004 untolerated);
    # reached after (27 − 27.6)/(−0.2) = 3 years → 2025.
    (28, 2022, 27.6, 0.4, -0.2, 2025),
    # base 28, 2021: path 28 − 0.2 = 27.8; rate −0.2; projection 27.8 − 0.2 × 4 = 27.0 → no warning.
    (28, 2021, 27.8, 0.2, -0.2, 2025),
    # base 30, 2023: path 30 + (27 − 30) × 0.6 = 28.2; rate (28.2 − 30)/3 = −0.6; projection 28.2 − 1.2 = 27.0.
    (30, 2023, 28.2, 0.6, -0.6, 2025),
]


@pytest.mark.parametrize(("base", "year", "actual", "time", "rate", "reached"), PM25_CASES)
def test_pm25_exactly_on_path_has_no_warning(kit, base, year, actual, time, rate, reached):
    plan = kit.plan_of(kit.indicator("E-18", "细颗粒物(PM2.5)平均浓度", "微克/立方米", base, kit.PM25,
                                     attribute="binding"))
    frame = kit.frame_of(("E-18", kit.CITY, year, actual))
    f = kit.by_id(evaluate(plan, frame, year))["E-18"]
    # on the path: completion = time → on_track (within ± 0.05)
    assert f.expected == pytest.approx(actual) and f.completion == pytest.approx(time)
    assert f.observed_rate == pytest.approx(rate)
    assert f.projection == pytest.approx(27.0) and f.projection_year == reached
    assert f.status == "on_track" and not f.warning
    assert "难以实现" not in f.explanation


def test_cumulative_projection_on_target_has_no_warning(kit):
    # [16] cumulative, linear spread (path linear): 2022 cumulative 6.4 → time 0.4, due 16 × 0.4 = 6.4,
    # completion 6.4/16 = 0.4 → on_track; projection 6.4 × 5/2 = 16 ≥ 16 → no warning.
    plan = kit.plan_of(kit.indicator("E-16", "万元地区生产总值用水量降低", "%", None, kit.WATER, path="linear",
                                     attribute="binding"))
    frame = kit.frame_of(("E-16", kit.CITY, 2022, 6.4, "cumulative"))
    f = kit.by_id(evaluate(plan, frame, 2022))["E-16"]
    assert f.completion == pytest.approx(0.4) and f.projection == pytest.approx(16.0)
    assert f.status == "on_track" and not f.warning


# ---------------------------------------------------------------------------------------------------
# Class 1 — a floor, ceiling or band with no distance to measure is judged by its side of the line.
# ---------------------------------------------------------------------------------------------------

FLOOR = dict(kind="level", comparator="at_least", value=12.5, text="12.5以上")  # 森林覆盖率, base “-”
CEILING = dict(kind="level", comparator="at_most", value=5.5, text="5.5以下", direction="lower_is_better")
BAND = dict(kind="level", comparator="about", value=5.5, text="5.5左右", direction="neutral")  # 失业率, base “-”
HELD = dict(kind="level", comparator="at_least", value=93, text="93以上")  # base 93 → 93以上

# (target, base, attribute, data year = evaluation year, actual, status, warning, reason in the explanation)
# Mid-period (< 2025) on the wrong side → lagging; at 2025 with 2025 data → not_achieved (end-of-period rule).
# Warning: binding → always; anticipatory → only when a trend exists and misses the line, or at the end.
LINE_CASES = [
    # 12.1 < 12.5, no base, binding, 2024 → lagging + warning
    (FLOOR, None, "binding", 2024, 12.1, "lagging", True, "2024年实际12.1%，低于目标下限12.5%（无基期值，按目标线判断）"),
    # same, anticipatory: no base → no trend → lagging without a warning
    (FLOOR, None, "anticipatory", 2024, 12.1, "lagging", False, "低于目标下限12.5%（无基期值，按目标线判断）"),
    # 12.1 < 12.5 in 2025 (the target year, its own data) → not_achieved, warned (the period is over)
    (FLOOR, None, "binding", 2025, 12.1, "not_achieved", True, "低于目标下限12.5%"),
    (FLOOR, None, "anticipatory", 2025, 12.1, "not_achieved", True, "低于目标下限12.5%"),
    # 12.6 ≥ 12.5 → achieved (提前实现), no base needed
    (FLOOR, None, "binding", 2024, 12.6, "achieved", False, "已达到目标12.5以上"),
    # exactly on the floor: 12.5 ≥ 12.5 → achieved
    (FLOOR, None, "binding", 2023, 12.5, "achieved", False, "已达到目标"),
    # ceiling 5.5以下, 5.8 > 5.5, no base, 2023 → lagging; binding → warning
    (CEILING, None, "binding", 2023, 5.8, "lagging", True, "高于目标上限5.5%（无基期值，按目标线判断）"),
    # same in 2025 → not_achieved
    (CEILING, None, "anticipatory", 2025, 5.8, "not_achieved", True, "高于目标上限5.5%"),
    # ceiling 5.2 ≤ 5.5 → achieved
    (CEILING, None, "anticipatory", 2024, 5.2, "achieved", False, "已达到目标"),
    # 5.5左右 on a % indicator: band 5.5 ± 0.5 = [5, 6]; 6.2 > 6 → lagging (anticipatory, no trend → no warning)
    (BAND, None, "anticipatory", 2024, 6.2, "lagging", False, "高于目标区间5%～6%（无基期值，按目标线判断）"),
    # 4.8 < 5 → lagging; 2025 → not_achieved
    (BAND, None, "anticipatory", 2025, 4.8, "not_achieved", True, "低于目标区间5%～6%"),
    # 5.8 in [5, 6]: an annual control target (no base in the plan) held in 2024 → 基本符合预期, never 提前实现
    # (issue 8 class 8); the target year's own 5.8 settles it → achieved (已实现)
    (BAND, None, "anticipatory", 2024, 5.8, "on_track", False, "在目标区间5%～6%内（年度控制目标，逐年判断）"),
    (BAND, None, "anticipatory", 2025, 5.8, "achieved", False, "已达到目标"),
    # base 93 = target 93以上: 92 < 93 in 2023 → lagging; trend (92 − 93)/3 = −1/3 per year,
    # projection 92 − 2/3 = 91.33 < 93 → warning even though anticipatory
    (HELD, 93, "anticipatory", 2023, 92, "lagging", True,
     "2023年实际92%，低于目标下限93%（基期值等于目标值，无从计算完成进度，按目标线判断）"),
    # same value in 2025 → not_achieved
    (HELD, 93, "anticipatory", 2025, 92, "not_achieved", True, "低于目标下限93%"),
    # 93.4 ≥ 93 → achieved
    (HELD, 93, "anticipatory", 2023, 93.4, "achieved", False, "已达到目标"),
]


@pytest.mark.parametrize(("target", "base", "attribute", "year", "actual", "status", "warning", "reason"), LINE_CASES)
def test_judged_by_the_line(kit, target, base, attribute, year, actual, status, warning, reason):
    plan = kit.plan_of(kit.indicator("E-9", "森林覆盖率", "%", base, kit.Target(**target), attribute=attribute))
    frame = kit.frame_of(("E-9", kit.CITY, year, actual))
    f = kit.by_id(evaluate(plan, frame, year))["E-9"]
    assert f.status == status
    assert f.warning is warning
    assert reason in f.explanation
    if status != "achieved":
        assert f.completion is None  # no distance to measure a completion against


def test_bound_that_cannot_prove_the_wrong_side_stays_open(kit):
    # ">12" for 12.5以上 with no base: the truth may be above 12.5 → neither lagging nor met → 无法评估.
    plan = kit.plan_of(kit.indicator("E-9", "森林覆盖率", "%", None, kit.Target(**FLOOR), attribute="binding"))
    frame = kit.frame_of(("E-9", kit.CITY, 2024, 12, "level", ">"))
    f = kit.by_id(evaluate(plan, frame, 2024))["E-9"]
    assert f.status == "not_assessable" and not f.warning


def test_plain_target_without_base_stays_not_assessable(kit):
    # A plain figure (no 以上/以下/左右) with no base: no line to judge a side of → 无法评估, as before.
    plain = kit.Target(kind="level", value=11.5, text="11.5")  # 受教育年限, base “-”
    plan = kit.plan_of(kit.indicator("E-10", "劳动年龄人口平均受教育年限", "年", None, plain))
    frame = kit.frame_of(("E-10", kit.CITY, 2024, 11.2))
    f = kit.by_id(evaluate(plan, frame, 2024))["E-10"]
    assert f.status == "not_assessable" and "缺少基期值" in f.explanation


def test_a_neutral_band_passed_on_its_far_side_is_missed_not_ahead(kit):
    # Neutral 70左右 (band 69.5～70.5 on a %), base 60 (2020): 72.0 in 2024 is past the band, away from the base.
    # Completion (72 − 60)/(70 − 60) = 1.2 would read 快于预期; it is a miss: 滞后 with a warning.
    band = kit.Target(kind="level", comparator="about", value=70, text="70左右", direction="neutral")
    plan = kit.plan_of(kit.indicator("E-8", "某比率", "%", 60, band))
    f = kit.by_id(evaluate(plan, kit.frame_of(("E-8", kit.CITY, 2024, 72.0)), 2024))["E-8"]
    assert (f.status, f.warning) == ("lagging", True)
    assert "高于目标区间69.5%～70.5%，越过了目标，偏离预期" in f.explanation
    # Inside the band it is reached (a destination: the plan's base 60 is outside the band) → 提前实现.
    inside = kit.by_id(evaluate(plan, kit.frame_of(("E-8", kit.CITY, 2024, 70.2)), 2024))["E-8"]
    assert inside.status == "achieved"
