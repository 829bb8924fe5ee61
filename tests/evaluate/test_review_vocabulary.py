"""The vocabulary the reviews use (issue 8 class 13), the vintage a finding rests on and a rebased base
(class 5), and the rate still required in its own unit. Every expected value is worked out by hand beside
its case; the rules are in docs/methodology.md and ``planwatch.evaluate.warning``.
"""

import math

import pytest

from planwatch.evaluate import evaluate
from planwatch.presentation import FindingView

# 地区生产总值 5509.5 (2020) → 9000 (2025), geometric: completion = ln(A/5509.5)/ln(9000/5509.5), ln(9000/5509.5)
# = 0.49073. 超额完成 needs completion ≥ 1.1, 基本完成 ≥ 0.9 (anticipatory only).
END_CASES = [
    (9500.0, 1.1102, "exceeded", "超额完成"),  # ln(1.72430) = 0.54484 / 0.49073 = 1.1102 ≥ 1.1
    (9400.0, 1.0886, "achieved", "已实现"),  # ln(1.70614) = 0.53423 / 0.49073 = 1.0886: met, < 1.1
    (8700.0, 0.9309, "nearly_achieved", "基本完成"),  # ln(1.57909) = 0.45685 / 0.49073 = 0.9309 ≥ 0.9
    (8500.0, 0.8835, "not_achieved", "未实现"),  # ln(1.54279) = 0.43363 / 0.49073 = 0.8835 < 0.9
]


@pytest.mark.parametrize(("actual", "completion", "status", "label"), END_CASES)
def test_end_of_period_grades(city_plan, kit, actual, completion, status, label):
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2025, actual)), 2025))["T2-1"]
    assert f.completion == pytest.approx(completion, abs=1e-4)
    assert (f.status, FindingView(f, final=True).status_label) == (status, label)


def test_growth_near_miss_is_nearly_achieved(city_plan, kit):
    # 全员劳动生产率年均增长 7以上 (anticipatory), 6.59% in each of 2021–2025: the ratio of realised to targeted
    # growth is ln(1.0659)/ln(1.07) = 0.063821/0.067659 = 0.9433 ≥ 0.9 → 基本完成 (the 6.59 vs 7以上).
    frame = kit.frame_of(*[("T2-2", kit.CITY, y, 6.59, "annual_growth") for y in range(2021, 2026)])
    f = kit.by_id(evaluate(city_plan, frame, 2025))["T2-2"]
    assert f.status == "nearly_achieved" and FindingView(f, final=True).status_label == "基本完成"
    assert f.actual == pytest.approx(6.59)


def test_binding_near_miss_is_not_achieved(city_plan, kit):
    # PM2.5 28 → 27以下 is binding (约束性): 27.05 in 2025 covers (28 − 27.05)/(28 − 27) = 0.95 of the way, but
    # a binding target missed is 未实现, never 基本完成.
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-18", kit.CITY, 2025, 27.05)), 2025))["T2-18"]
    assert f.completion == pytest.approx(0.95) and f.status == "not_achieved"


def test_binding_ceiling_beaten_is_exceeded(city_plan, kit):
    # PM2.5 26 in 2025: (28 − 26)/(28 − 27) = 2.0 ≥ 1.1 → 超额完成; 26.95: 1.05 → 已实现.
    found = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-18", kit.CITY, 2025, 26.0)), 2025))
    assert found["T2-18"].status == "exceeded"
    found = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-18", kit.CITY, 2025, 26.95)), 2025))
    assert found["T2-18"].status == "achieved"


def test_a_band_is_never_exceeded(city_plan, kit):
    # 城镇化率 75左右 from 69: 80 in 2025 is met (higher is better past the band's floor 74.5) and covers
    # (80 − 69)/(75 − 69) = 1.83 of the way, but going past a 左右 target is no merit: 已实现.
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-3", kit.CITY, 2025, 80.0)), 2025))["T2-3"]
    assert f.completion == pytest.approx(11 / 6) and f.status == "achieved"


# Graded warnings during the period (2023: time 3/5 = 0.6). GDP at completion c has a constant pace, so the
# projected share at 2025 is c × 5/3; 三级 ≥ 0.9, 二级 ≥ 0.7, 一级 below.
GRADE_CASES = [
    # c = 0.57: A = 5509.5 × (9000/5509.5)^0.57 = 7287.80; share 0.95 → 三级; 0.57 ≥ 0.6 − 0.05 → on_track
    (0.57, 0.95, "on_track", 3, "三级预警"),
    # c = 0.48: A = 6972.92; share 0.80 → 二级; lagging
    (0.48, 0.80, "lagging", 2, "二级预警"),
    # c = 0.30: A = 6383.39; share 0.50 → 一级; lagging
    (0.30, 0.50, "lagging", 1, "一级预警"),
]


@pytest.mark.parametrize(("c", "share", "status", "level", "label"), GRADE_CASES)
def test_warning_grades_follow_the_projection(city_plan, kit, c, share, status, level, label):
    actual = 5509.5 * (9000 / 5509.5) ** c
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2023, actual)), 2023))["T2-1"]
    projected = math.log(f.projection / 5509.5) / math.log(9000 / 5509.5)
    assert projected == pytest.approx(share, abs=1e-9)
    assert (f.status, f.warning, f.warning_level, f.outlook) == (status, True, level, "at_risk")
    assert FindingView(f, False).cells["warning"] == label
    assert f"可能难以实现目标（{label}）" in f.explanation


def test_binding_warning_is_one_grade_more_serious(city_plan, kit):
    # PM2.5 (binding, linear) 28 → 27以下, 27.45 in 2023: completion 0.55 (on track, ≥ 0.6 − 0.05); pace
    # (28 − 27.45)/3 = 0.18333/yr → 27.0833 in 2025, share (28 − 27.0833)/1 = 0.9167 → 三级, binding → 二级.
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-18", kit.CITY, 2023, 27.45)), 2023))["T2-18"]
    assert f.status == "on_track" and f.projection == pytest.approx(27.083333)
    assert (f.warning, f.warning_level) == (True, 2)


def test_a_floor_without_base_is_graded_by_its_distance(kit):
    # 森林覆盖率 12.5以上 (binding), no base: 2023 value 12.3 is 0.2/12.5 = 1.6% below the line → 三级 → 二级
    # (binding); 11.5 is 1/12.5 = 8% below → 一级.
    floor = kit.Target(kind="level", comparator="at_least", value=12.5, text="12.5以上")
    plan = kit.plan_of(kit.indicator("F-1", "森林覆盖率", "%", None, floor, attribute="binding"))
    for value, level in ((12.3, 2), (11.5, 1)):
        f = kit.by_id(evaluate(plan, kit.frame_of(("F-1", kit.CITY, 2023, value)), 2023))["F-1"]
        assert (f.status, f.warning, f.warning_level) == ("lagging", True, level)
        assert f"列入{'二级' if level == 2 else '一级'}预警" in f.explanation


def test_ahead_beside_a_trend_that_misses(city_plan, kit):
    # GDP at c = 0.72 in both 2022 and 2023 (A = 7844.51): completion 0.72 ≥ 0.6 + 0.05 → 快于预期, but the recent
    # window's pace is 0, so the projection stays 7844.51, share 0.72 → 二级预警 and the trend judgement 可能难以实现.
    actual = 5509.5 * (9000 / 5509.5) ** 0.72
    frame = kit.frame_of(("T2-1", kit.CITY, 2022, actual), ("T2-1", kit.CITY, 2023, actual))
    f = kit.by_id(evaluate(city_plan, frame, 2023))["T2-1"]
    assert f.status == "ahead" and f.projection == pytest.approx(actual)
    assert (f.warning_level, f.outlook) == (2, "at_risk")
    view = FindingView(f, False)
    assert view.cells["outlook"] == "可能难以实现" and view.record()["outlook_label"] == "可能难以实现"


def test_on_course_outlook(city_plan, kit):
    # GDP at c = 0.7 in 2023 with a constant pace: projected share 0.7 × 5/3 = 1.17 → no warning, 可望实现.
    actual = 5509.5 * (9000 / 5509.5) ** 0.7
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2023, actual)), 2023))["T2-1"]
    assert (f.status, f.warning, f.warning_level, f.outlook) == ("ahead", False, None, "on_course")


def test_finding_records_the_vintage_it_used(city_plan, kit):
    # Two GDP figures stand in the frame: 2023 final and 2024 preliminary (初步). The 2024 judgement rests on
    # the preliminary one, the 2023 judgement on the final one.
    frame = kit.frame_of(("T2-1", kit.CITY, 2023, 7062.45), ("T2-1", kit.CITY, 2024, 7569.5))
    frame["vintage"] = ["final", "初步"]
    assert kit.by_id(evaluate(city_plan, frame, 2024))["T2-1"].vintage == "初步"
    f = kit.by_id(evaluate(city_plan, frame, 2023))["T2-1"]
    assert f.vintage == "final"
    record = FindingView(f, False).record()
    assert (record["vintage"], record["data_year"], record["stale"]) == ("final", 2023, False)


def test_rebased_base_shows_completion_on_both_bases(city_plan, kit):
    # 城镇化率: the plan's base is 69; the census now puts 2020 at 71.3. 2023 value 73: on the plan's base
    # (73 − 69)/(75 − 69) = 0.6667 (快于预期 against time 0.6); on the census base (73 − 71.3)/(75 − 71.3) = 0.4595.
    frame = kit.frame_of(("T2-3", kit.CITY, 2020, 71.3), ("T2-3", kit.CITY, 2023, 73.0))
    f = kit.by_id(evaluate(city_plan, frame, 2023))["T2-3"]
    assert f.baseline == 69 and f.completion == pytest.approx(4 / 6) and f.status == "ahead"
    assert f.rebased_baseline == pytest.approx(71.3) and f.rebased_completion == pytest.approx(1.7 / 3.7)
    assert "基期值现为71.3%，与规划基期值不同，按此计算完成进度45.9%" in f.explanation


REQUIRED_RATE_CASES = [
    # 12.5以上 with no base, 12 in 2023, two years left. A % indicator is linear: (12.5 − 12)/2 = 0.25 个百分点/年.
    ("%", 0.25, "个百分点/年", "0.25个百分点/年"),
    # A 万人 indicator is geometric: (12.5/12)^(1/2) − 1 = 2.0621% a year (it was shown as units/year with a %).
    ("万人", 2.0621, "%", "2.06%"),
]


@pytest.mark.parametrize(("unit", "rate", "rate_unit", "shown"), REQUIRED_RATE_CASES)
def test_required_rate_without_base_in_its_own_unit(kit, unit, rate, rate_unit, shown):
    floor = kit.Target(kind="level", comparator="at_least", value=12.5, text="12.5以上")
    plan = kit.plan_of(kit.indicator("F-2", "某指标", unit, None, floor))
    f = kit.by_id(evaluate(plan, kit.frame_of(("F-2", kit.CITY, 2023, 12.0)), 2023))["F-2"]
    assert f.required_rate == pytest.approx(rate, abs=1e-4) and f.rate_unit == rate_unit
    assert FindingView(f, False).cells["required_rate"] == shown


def test_a_met_target_needs_no_rate(city_plan, kit):
    # PM2.5 26 in 2023 meets 27以下: nothing is still required.
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-18", kit.CITY, 2023, 26.0)), 2023))["T2-18"]
    assert f.status == "achieved" and f.required_rate is None


def test_report_paragraph_says_the_rebased_base_and_a_derived_figure(city_plan, kit):
    from planwatch.presentation.sentences import indicator_paragraph

    frame = kit.frame_of(("T2-3", kit.CITY, 2020, 71.3), ("T2-3", kit.CITY, 2023, 73.0))
    f = kit.by_id(evaluate(city_plan, frame, 2023))["T2-3"]
    text = indicator_paragraph(f, target_year=2025)
    # (73 − 69)/6 = 66.7% on the plan's base; (73 − 71.3)/3.7 = 45.9% on the census base.
    assert "已完成基期至目标距离的66.7%" in text
    assert "基期值现为71.3%，与规划基期值不同，按此计算已完成基期至目标距离的45.9%" in text
    summed = f.model_copy(update={"derived": True})
    assert "该实际值由下辖县（市、区）数据加总得出，非统计部门发布数" in indicator_paragraph(summed, target_year=2025)


def test_the_planned_value_is_said_for_the_data_year(city_plan, kit):
    from planwatch.presentation.sentences import indicator_paragraph

    # A 2025 review on 2024 data: the path value compared is 2024's, 5509.5 × (9000/5509.5)^0.8 = 8158.62 —
    # saying "2025年应达8158.62" would misstate the path (its 2025 value is the target, 9000).
    f = kit.by_id(evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2024, 7569.5)), 2025))["T2-1"]
    assert f.status == "likely_missed" and f.expected == pytest.approx(8158.62, abs=0.01)
    assert "按规划路径2024年应达8158.62亿元" in indicator_paragraph(f, target_year=2025)
