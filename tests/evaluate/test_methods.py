"""Open SDG and UNSD methods on the same GDP case, and a share judged by the same CAGR formulas."""

import math

import pytest

from planwatch.evaluate import evaluate
from planwatch.presentation import FindingView


def _gdp(kit, city_plan, method):
    frame = kit.frame_of(("T2-1", kit.CITY, 2024, 7569.5))
    return kit.by_id(evaluate(city_plan, frame, 2024, method=method))["T2-1"]


def test_open_sdg_ratio_and_category(city_plan, kit):
    # observed (7569.5/5509.5)^(1/4) − 1 = 8.2652 %; required (9000/5509.5)^(1/5) − 1 = 10.3128 %
    # ratio 0.80144 → 0.6 ≤ r < 0.95: moderate progress (acceleration needed) → lagging
    f = _gdp(kit, city_plan, "open_sdg")
    assert f.ratio == pytest.approx(0.801444, abs=1e-6)
    assert f.category_code == "moderate_progress" and f.status == "lagging" and f.method == "open_sdg"
    assert "有进展但需加快" in f.explanation


def test_unsd_projection_ratio(city_plan, kit):
    # UNSD Progress Chart: CAGR_a = (7569.5/5509.5)^(1/4) − 1 = 8.2653 %; v_e = 7569.5 × 1.082653 = 8195.13
    # (base→latest CAGR only, not planwatch's slower recent trend); r = (8195.13 − 5509.5)/(9000 − 5509.5)
    # = 0.769412 (distance in values, not log-distance) → 0.10 ≤ r < 0.95: fair progress → lagging
    f = _gdp(kit, city_plan, "unsd")
    assert f.ratio == pytest.approx(0.769412, abs=1e-6)
    assert f.category_code == "fair_progress" and f.status == "lagging"


def test_rate_indicator_uses_cagr_as_published(city_plan, kit):
    # 城镇化率 (%) 69 → 75: Open SDG takes CAGRs for a share too (no pp/yr variant):
    # observed (72.4/69)^(1/2) − 1 = 2.43414 %, required (75/69)^(1/5) − 1 = 1.68161 % → R = 1.44750
    frame = kit.frame_of(("T2-3", kit.CITY, 2022, 72.4))
    f = kit.by_id(evaluate(city_plan, frame, 2022, method="open_sdg"))["T2-3"]
    assert f.observed_rate == pytest.approx(1.7)  # planwatch's own rate (pp/yr) is still reported
    assert f.ratio == pytest.approx(1.447503, abs=1e-6)
    assert f.category_code == "substantial_progress" and f.status == "on_track"
    # decline: 68 → observed (68/69)^(1/2) − 1 = −0.72728 % → R = −0.432490 → deterioration
    frame = kit.frame_of(("T2-3", kit.CITY, 2022, 68.0))
    f = kit.by_id(evaluate(city_plan, frame, 2022, method="open_sdg"))["T2-3"]
    assert f.ratio == pytest.approx(-0.432490, abs=1e-6) and f.category_code == "deterioration"


def test_final_year_not_achieved(city_plan, kit):
    frame = kit.frame_of(("T2-1", kit.CITY, 2025, 8500.0), ("T2-18", kit.CITY, 2025, 26.95))
    found = kit.by_id(evaluate(city_plan, frame, 2025))
    assert found["T2-1"].status == "not_achieved" and FindingView(found["T2-1"], final=True).status_label == "未实现"
    assert found["T2-18"].status == "achieved" and FindingView(found["T2-18"], final=True).status_label == "已实现"
    assert math.isclose(found["T2-1"].time_elapsed, 1.0)


def test_assessment_metadata_and_counts(city_plan, kit):
    a = evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2024, 7569.5)), 2024)
    assert (a.year, a.base_year, a.period_end, a.region, a.method) == (2024, 2020, 2025, "嘉兴市", "elapsed_time")
    counts = a.counts()
    assert counts["lagging"] == 1 and counts["pending_target"] == 1 and sum(counts.values()) == 9
    assert list(a.by_category()) == ["经济发展", "创新", "生态环境", "社会民生"]
    assert a.settings["ahead_margin"] == 0.05
