"""The named methods as published (issue 8, class 12): Open SDG's ratio of CAGRs and the UNSD Progress
Chart's extrapolated distance ratio, for every series; planwatch's pp/yr stays in elapsed_time only.

Every expected value is worked by hand in the comment beside it (docs/methodology.md §3 has the same
Jiaxing examples).
"""

import pytest

from planwatch.evaluate import evaluate

RD = "T9-1"


@pytest.fixture
def jiaxing(kit):
    """表2 GDP 5509.5 (2020) → 9000 (2025) and R&D share 3.1 % → 3.75 %, with their 2024 values."""
    gdp = kit.Target(kind="level", comparator="at_least", value=9000, text="9000", direction="higher_is_better")
    rd = kit.Target(kind="level", comparator="at_least", value=3.75, text="3.75", direction="higher_is_better")
    plan = kit.plan_of(kit.indicator("T2-1", "地区生产总值", "亿元", 5509.5, gdp),
                       kit.indicator(RD, "研究与试验发展经费支出占地区生产总值比重", "%", 3.1, rd))
    frame = kit.frame_of(("T2-1", kit.CITY, 2024, 7569.53), (RD, kit.CITY, 2024, 3.57))
    return plan, frame


def _found(kit, plan, frame, year, method):
    return kit.by_id(evaluate(plan, frame, year, method=method))


# Open SDG, GDP: CAGR_o = (7569.53/5509.5)^(1/4) − 1 = 8.26527 %; CAGR_r = (9000/5509.5)^(1/5) − 1 = 10.31284 %;
# R = 8.26527/10.31284 = 0.801455 → 0.6 ≤ R < 0.95 → moderate_progress → lagging.
# Open SDG, R&D share (CAGR too, not pp/yr): CAGR_o = (3.57/3.1)^(1/4) − 1 = 3.59210 %;
# CAGR_r = (3.75/3.1)^(1/5) − 1 = 3.88047 %; R = 0.925686 → moderate_progress → lagging
# (planwatch's pp/yr ratio would be (0.47/4)/(0.65/5) = 0.903846).
# UNSD, GDP: v_e = 7569.53 × 1.0826527^(2025 − 2024) = 8195.172; r = (8195.172 − 5509.5)/(9000 − 5509.5)
# = 0.769423 → 0.10 ≤ r < 0.95 → fair_progress → lagging.
# UNSD, R&D: v_e = 3.57 × 1.0359210 = 3.698238; r = (3.698238 − 3.1)/(3.75 − 3.1) = 0.920366 → fair_progress.
JIAXING_CASES = [
    ("open_sdg", "T2-1", 0.801455, "moderate_progress", "lagging"),
    ("open_sdg", RD, 0.925686, "moderate_progress", "lagging"),
    ("unsd", "T2-1", 0.769423, "fair_progress", "lagging"),
    ("unsd", RD, 0.920366, "fair_progress", "lagging"),
]


@pytest.mark.parametrize(("method", "ind", "ratio", "category", "status"), JIAXING_CASES)
def test_jiaxing_examples(kit, jiaxing, method, ind, ratio, category, status):
    f = _found(kit, *jiaxing, 2024, method)[ind]
    assert f.ratio == pytest.approx(ratio, abs=1e-6)
    assert f.category_code == category and f.status == status and f.method == method


def test_elapsed_time_keeps_points_per_year_for_a_share(kit, jiaxing):
    # planwatch's own method: linear path for %, completion (3.57 − 3.1)/(3.75 − 3.1) = 0.723077 < 0.8 − 0.05,
    # observed (3.57 − 3.1)/4 = 0.1175 pp/yr; ratio c/s = 0.723077/0.8 = 0.903846 → lagging
    f = _found(kit, *jiaxing, 2024, "elapsed_time")[RD]
    assert f.completion == pytest.approx(0.723077, abs=1e-6) and f.observed_rate == pytest.approx(0.1175)
    assert f.ratio == pytest.approx(0.903846, abs=1e-6) and f.status == "lagging" and f.category_code is None


# PM2.5 (lower is better, d = −1) 28 (2020) → 27以下 (2025), 2022 values:
# 27.6: CAGR_o = (27.6/28)^(1/2) − 1 = −0.716855 %, CAGR_r = (27/28)^(1/5) − 1 = −0.724714 %;
#       R = −1 × −0.716855/0.724714 = 0.989156 → substantial_progress → on_track.
#       v_e = 28 × (27.6/28)^(5/2) = 27.010689; r = (27.010689 − 28)/(27 − 28) = 0.989311 → on_track.
# 29:   CAGR_o = (29/28)^(1/2) − 1 = 1.770049 %; R = −1.770049/0.724714 = −2.442410 → deterioration.
#       v_e = 28 × (29/28)^(5/2) = 30.567361; r = 2.567361/(−1) = −2.567361 → deterioration.
PM25_CASES = [
    ("open_sdg", 27.6, 0.989156, "substantial_progress", "on_track"),
    ("unsd", 27.6, 0.989311, "on_track", "on_track"),
    ("open_sdg", 29.0, -2.442410, "deterioration", "lagging"),
    ("unsd", 29.0, -2.567361, "deterioration", "lagging"),
]


@pytest.mark.parametrize(("method", "actual", "ratio", "category", "status"), PM25_CASES)
def test_lower_is_better(kit, city_plan, method, actual, ratio, category, status):
    f = _found(kit, city_plan, kit.frame_of(("T2-18", kit.CITY, 2022, actual)), 2022, method)["T2-18"]
    assert f.ratio == pytest.approx(ratio, abs=1e-6)
    assert f.category_code == category and f.status == status


def test_open_sdg_direction_when_the_base_already_met_the_target(kit):
    # 93以上 with base 95 (already above), 2022 value 92 (fell below): d = +1 (a rise is wanted), so
    # R = +1 × CAGR_o/|CAGR_r|: CAGR_o = (92/95)^(1/2) − 1 = −1.591614 %, CAGR_r = (93/95)^(1/5) − 1 = −0.424644 %
    # → R = −3.748114 → deterioration (a plain observed/required ratio would read +3.75, "substantial").
    floor = kit.Target(kind="level", comparator="at_least", value=93, text="93以上", direction="higher_is_better")
    plan = kit.plan_of(kit.indicator("E-3", "某达标率", "%", 95, floor))
    f = _found(kit, plan, kit.frame_of(("E-3", kit.CITY, 2022, 92.0)), 2022, "open_sdg")["E-3"]
    assert f.ratio == pytest.approx(-3.748114, abs=1e-6)
    assert f.category_code == "deterioration" and f.status == "lagging"


def test_zero_base(kit):
    # 0 (2020) → 10个 (2025), 2022 value 4. Open SDG replaces the zero base by 0.001:
    # CAGR_o = (4/0.001)^(1/2) − 1 = 62.245553, CAGR_r = (10/0.001)^(1/5) − 1 = 5.309573 → R = 11.723268.
    # UNSD: no CAGR from zero → no ratio → not assessable.
    goal = kit.Target(kind="level", comparator="at_least", value=10, text="10", direction="higher_is_better")
    plan = kit.plan_of(kit.indicator("E-4", "某新建设施", "个", 0, goal))
    frame = kit.frame_of(("E-4", kit.CITY, 2022, 4.0))
    f = _found(kit, plan, frame, 2022, "open_sdg")["E-4"]
    assert f.ratio == pytest.approx(11.723268, abs=1e-6) and f.category_code == "substantial_progress"
    f = _found(kit, plan, frame, 2022, "unsd")["E-4"]
    assert f.ratio is None and f.status == "not_assessable" and f.category_code is None


def test_target_met_overrides_the_ratio(kit, jiaxing):
    # R&D 3.8 ≥ 3.75 in 2024: target_achieved / achieved, the ratio aside.
    # Open SDG: CAGR_o = (3.8/3.1)^(1/4) − 1 = 5.221739 %, R = 5.221739/3.880472 = 1.345645.
    plan, _ = jiaxing
    frame = kit.frame_of((RD, kit.CITY, 2024, 3.8))
    f = _found(kit, plan, frame, 2024, "open_sdg")[RD]
    assert f.ratio == pytest.approx(1.345645, abs=1e-6)
    for method in ("open_sdg", "unsd"):
        f = _found(kit, plan, frame, 2024, method)[RD]
        assert f.category_code == "target_achieved" and f.status == "achieved"


def test_growth_target_compares_the_rates(kit, city_plan):
    # 年均增长 7以上, yearly 8 % in 2021–2024: the target is itself a CAGR.
    # Open SDG R = 8/7 = 1.142857 → substantial_progress; UNSD keeps the rule's projected share
    # ln 1.08/ln 1.07 = 1.137490 (no level series in the measures) → on_track.
    frame = kit.frame_of(*(("T2-2", kit.CITY, y, 8.0, "annual_growth") for y in (2021, 2022, 2023, 2024)))
    f = _found(kit, city_plan, frame, 2024, "open_sdg")["T2-2"]
    assert f.ratio == pytest.approx(8 / 7) and f.category_code == "substantial_progress"
    f = _found(kit, city_plan, frame, 2024, "unsd")["T2-2"]
    assert f.ratio == pytest.approx(1.137490, abs=1e-6) and f.category_code == "on_track"


# The tiers stay inclusive under the published formulas. Share 60 (2020) → 70以上 (2025), 2024 values put
# exactly on a threshold (replacing the pp/yr cases of test_edges.py, where 1.9/2 = 0.95 was planwatch's ratio):
# Open SDG R = 0.95: CAGR_r = (70/60)^(1/5) − 1 = 3.131030 %, A = 60 × (1 + 0.95 × 0.03131030)^4 = 67.463624;
# UNSD r = 0.95: v_e = 60 + 0.95 × 10 = 69.5 = 60 × (A/60)^(5/4) → A = 60 × (69.5/60)^(4/5) = 67.486685.
# Controls: A = 67.2 → R = ((67.2/60)^(1/4) − 1)/0.03131030 = 0.917824 (moderate);
# v_e = 60 × (67.2/60)^(5/4) = 69.131150, r = 0.913115 (fair).
_R_CAGR = (70 / 60) ** 0.2 - 1
TIER_CASES = [
    ("open_sdg", 60 * (1 + 0.95 * _R_CAGR) ** 4, 0.95, "substantial_progress", "on_track"),
    ("unsd", 60 * (69.5 / 60) ** 0.8, 0.95, "on_track", "on_track"),
    ("open_sdg", 67.2, 0.917824, "moderate_progress", "lagging"),
    ("unsd", 67.2, 0.913115, "fair_progress", "lagging"),
]


@pytest.mark.parametrize(("method", "actual", "ratio", "category", "status"), TIER_CASES)
def test_tier_thresholds_are_inclusive(kit, method, actual, ratio, category, status):
    share = kit.Target(kind="level", comparator="at_least", value=70, text="70以上")
    plan = kit.plan_of(kit.indicator("E-1", "某占比", "%", 60, share))
    f = _found(kit, plan, kit.frame_of(("E-1", kit.CITY, 2024, actual)), 2024, method)["E-1"]
    assert f.ratio == pytest.approx(ratio, abs=1e-6)
    assert f.category_code == category and f.status == status
