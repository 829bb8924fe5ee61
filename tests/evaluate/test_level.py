"""Level targets: planned path, completion, projection, direction, ≈ band, bounds."""

import pytest

from planwatch.evaluate import evaluate
from planwatch.presentation import FindingView


def test_gdp_geometric_path_2024(city_plan, kit):
    # Base 5509.5 (2020) → 9000 (2025), geometric (亿元). 2024: t = 4 of 5 years.
    # expected = 5509.5 × (9000/5509.5)^0.8 = 8158.615
    # completion = ln(7569.5/5509.5) / ln(9000/5509.5) = 0.31764/0.49075 = 0.64728
    # observed rate = (7569.5/5509.5)^(1/4) − 1 = 8.2652 %/yr; required = 9000/7569.5 − 1 = 18.898 %
    # The recent window (recent_window_years 3: 2022–2024, earliest observed 2023) grew slower:
    # 7569.5/7062.5 − 1 = 7.1788 % < 8.2652 %, so the projection carries the slower pace (issue 8 class 9):
    # projection 2025 = 7569.5 × 1.071788 = 8112.90 < 9000 → warning; reached after
    # ln(9000/7569.5)/ln(1.071788) = 0.17311/0.06933 = 2.50 years → 2027.
    frame = kit.frame_of(("T2-1", kit.CITY, 2020, 5563.58), ("T2-1", kit.CITY, 2023, 7062.5),
                         ("T2-1", kit.CITY, 2024, 7569.5))
    f = kit.by_id(evaluate(city_plan, frame, 2024))["T2-1"]
    assert f.actual == 7569.5 and f.actual_year == 2024 and f.baseline == 5509.5
    assert f.expected == pytest.approx(8158.6151, abs=1e-3)
    assert f.completion == pytest.approx(0.647280, abs=1e-6)
    assert f.time_elapsed == pytest.approx(0.8)
    assert f.observed_rate == pytest.approx(8.265167, abs=1e-5)
    assert f.required_rate == pytest.approx(18.898210, abs=1e-5)
    assert f.projection == pytest.approx(8112.8963, abs=1e-3)
    assert f.projection_year == 2027
    assert f.gap == pytest.approx(9000 - 7569.5)
    # 0.6473 < 0.8 − 0.05 → lagging
    assert f.status == "lagging" and FindingView(f, final=False).status_label == "滞后" and f.warning
    assert f.sources == ["src:T2-1:嘉兴市:2024"]
    assert f.explanation.startswith("2024年实际7569.5亿元，按计划路径应达8158.62亿元，完成进度64.7%，时间进度80.0%")
    assert f.explanation.endswith("滞后。")


def test_on_path_value_is_on_track(city_plan, kit):
    # A value exactly on the geometric path at 2022: 5509.5 × (9000/5509.5)^0.4 = 7041.4 → completion = 0.4.
    on_path = 5509.5 * (9000 / 5509.5) ** 0.4
    frame = kit.frame_of(("T2-1", kit.CITY, 2022, on_path))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-1"]
    assert f.completion == pytest.approx(0.4) and f.status == "on_track" and not f.warning
    # +6 % above the path: completion = 0.4 + ln(1.06)/ln(9000/5509.5) = 0.4 + 0.1187 → ahead
    frame = kit.frame_of(("T2-1", kit.CITY, 2022, on_path * 1.06))
    assert kit.by_id(evaluate(city_plan, frame, 2022))["T2-1"].status == "ahead"


def test_pm25_lower_is_better_achieved_early(city_plan, kit):
    # 28 → 27以下; 2021 actual 26 ≤ 27 → achieved (提前实现), completion (26−28)/(27−28) = 2.
    frame = kit.frame_of(("T2-18", kit.CITY, 2021, 26), ("T2-18", kit.CITY, 2020, 28))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-18"]
    assert f.status == "achieved" and FindingView(f, final=False).status_label == "提前实现"
    assert f.completion == pytest.approx(2.0) and f.actual_year == 2021 and not f.warning
    assert f.gap == pytest.approx(-1.0)  # 1 unit better than needed


def test_pm25_rising_is_lagging_with_warning(city_plan, kit):
    # 2022 actual 29 (worse than base 28): completion (29−28)/(27−28) = −1 → lagging; linear
    # projection 29 + (1/2)×3 = 30.5 > 27 → warning; never reached → projection_year None.
    frame = kit.frame_of(("T2-18", kit.CITY, 2022, 29))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-18"]
    assert f.completion == pytest.approx(-1.0) and f.status == "lagging"
    assert f.projection == pytest.approx(30.5) and f.warning and f.projection_year is None
    assert f.observed_rate == pytest.approx(0.5) and f.required_rate == pytest.approx(-2 / 3)


def test_about_band(city_plan, kit):
    # 75左右 on a % indicator: band ±0.5 pp (about_tolerance_pp) → 74.5 meets it, 74.4 does not.
    frame = kit.frame_of(("T2-3", kit.CITY, 2024, 74.5))
    assert kit.by_id(evaluate(city_plan, frame, 2024))["T2-3"].status == "achieved"
    frame = kit.frame_of(("T2-3", kit.CITY, 2024, 74.4))
    f = kit.by_id(evaluate(city_plan, frame, 2024))["T2-3"]
    # linear completion (74.4−69)/(75−69) = 0.9 ≥ 0.8 + 0.05 → ahead
    assert f.completion == pytest.approx(0.9) and f.status == "ahead"
    # a wider band as a setting
    f = kit.by_id(evaluate(city_plan, frame, 2024, settings={"about_tolerance_pp": 1.0}))["T2-3"]
    assert f.status == "achieved"


def test_bound_beyond_target_proves_met(city_plan, kit):
    # 人才资源总量 >171 万人 (target 170以上): every value consistent with the bound meets it.
    frame = kit.frame_of(("T2-6", kit.CITY, 2023, 171, "level", ">"))
    f = kit.by_id(evaluate(city_plan, frame, 2023))["T2-6"]
    assert f.status == "achieved" and f.actual_bound == ">"


def test_bound_short_of_path_is_inconclusive(city_plan, kit):
    # Real row: 人才资源总量 2022 ">129" 万人. Path at 2022: 127 × (170/127)^0.4 = 142.7; 129 < 142.7 would
    # lag, but the truth is only known to exceed 129 → not assessable, no warning.
    frame = kit.frame_of(("T2-6", kit.CITY, 2022, 129, "level", ">"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-6"]
    assert f.expected == pytest.approx(127 * (170 / 127) ** 0.4)
    assert f.status == "not_assessable" and not f.warning
    assert "界限" in f.explanation


def test_no_data_and_text_only(city_plan, kit):
    frame = kit.frame_of(("T2-6", kit.CITY, 2022, "全省第一"))
    found = kit.by_id(evaluate(city_plan, frame, 2022))
    assert found["T2-6"].status == "not_assessable" and "全省第一" in found["T2-6"].explanation
    assert found["T2-1"].status == "no_data" and FindingView(found["T2-1"], final=False).status_label == "无数据"
    assert found["T2-1"].time_elapsed == pytest.approx(0.4)


def test_regions_judged_each_with_own_base(city_plan, kit):
    # A county has no plan baseline: its own 2020 observation is its base.
    frame = kit.frame_of(("T2-1", "海宁市", 2020, 1000.0), ("T2-1", "海宁市", 2024, 1700.0),
                         ("T2-1", kit.CITY, 2024, 7569.5))
    a = evaluate(city_plan, frame, 2024)
    assert sorted({f.region for f in a.findings}) == ["嘉兴市", "海宁市"]
    county = kit.by_id(a, "海宁市")["T2-1"]
    # Its own 2020 value is its base; the city's total (9000亿元) is not its target (tests/evaluate/test_counties.py):
    # no completion against it, 无法评估.
    assert county.baseline == 1000.0 and county.actual == 1700.0
    assert county.status == "not_assessable" and county.completion is None and not county.warning
    only = evaluate(city_plan, frame, 2024, regions=["海宁市"])
    assert {f.region for f in only.findings} == {"海宁市"}
