"""Growth, cumulative, comparative, assigned, maintain and text targets."""

import math

import pytest

from planwatch.evaluate import evaluate
from planwatch.presentation import FindingView


def test_annual_growth_from_two_levels(kit):
    # 7以上 average growth; base 100 (2020), 2023 level 121 → (1.21)^(1/3) − 1 = 6.56 %/yr.
    # completion = 3·ln(1.0656)/(5·ln(1.07)) = ln(1.21)/(5·ln 1.07) = 0.19062/0.33830 = 0.56348; time 0.6 → on_track (≥ 0.55)
    # required for 2024–25: (1.07^5 / 1.21)^(1/2) − 1 = (1.402552/1.21)^(0.5) − 1 = 7.6634 %
    ind = kit.indicator("T2-9", "某产值年均增长", "%", 100, kit.LABOUR)
    plan = kit.plan_of(ind)
    f = kit.by_id(evaluate(plan, kit.frame_of(("T2-9", kit.CITY, 2023, 121)), 2023))["T2-9"]
    g = (1.21 ** (1 / 3) - 1) * 100
    assert f.actual == pytest.approx(g) and f.target == 7 and f.expected == 7
    assert f.completion == pytest.approx(3 * math.log1p(g / 100) / (5 * math.log(1.07)))
    assert f.completion == pytest.approx(0.563477, abs=1e-6)
    assert f.required_rate == pytest.approx(((1.07 ** 5 / 1.21) ** 0.5 - 1) * 100)
    assert f.status == "on_track" and f.warning  # 6.56 < 7: at this pace the target is missed


def test_annual_growth_chained_and_single_level(city_plan, kit):
    # 表2 row 2 has no base ("-") and the real data give one 2023 level (21.43 万元/人) → not assessable.
    frame = kit.frame_of(("T2-2", kit.CITY, 2023, 21.43))
    f = kit.by_id(evaluate(city_plan, frame, 2024))["T2-2"]
    assert f.status == "not_assessable" and "缺少基期值" in f.explanation
    # Chained yearly growth 8, 9 → (1.08·1.09)^(1/2) − 1 = 8.499 %; completion 2·ln(1.08499)/(5·ln 1.07)
    # = ln(1.1772)/0.33830 = 0.48224 vs time 0.4 → ahead.
    frame = kit.frame_of(("T2-2", kit.CITY, 2021, 8, "annual_growth"), ("T2-2", kit.CITY, 2022, 9, "annual_growth"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-2"]
    assert f.actual == pytest.approx((math.sqrt(1.08 * 1.09) - 1) * 100)
    assert f.completion == pytest.approx(0.482241, abs=1e-6) and f.status == "ahead" and not f.warning
    assert len(f.sources) == 2


def test_cumulative_reduction_compounded(city_plan, kit):
    # [16] 用水量降低: yearly reductions 3 % (2021), 4 % (2022).
    # realised = 1 − 0.97·0.96 = 6.88 %; due by 2022 = 1 − 0.84^(2/5) = 6.7365 %
    # completion = ln(0.9312)/ln(0.84) = 0.40883 vs time 0.4 → on_track
    # projection = 1 − 0.9312^(5/2) = 16.3227 % ≥ 16 → no warning
    frame = kit.frame_of(("T2-16", kit.CITY, 2021, 3, "annual_growth"), ("T2-16", kit.CITY, 2022, 4, "annual_growth"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-16"]
    assert f.actual == pytest.approx(6.88) and f.expected == pytest.approx(6.736499, abs=1e-6)
    assert f.completion == pytest.approx(0.408832, abs=1e-6) and f.status == "on_track"
    assert f.projection == pytest.approx(16.322746, abs=1e-6) and not f.warning
    assert f.required_rate == pytest.approx(3.377388, abs=1e-6)
    # a stated cumulative figure: 20 % by 2023 ≥ 16 → achieved
    frame = kit.frame_of(("T2-16", kit.CITY, 2023, 20, "cumulative"))
    assert kit.by_id(evaluate(city_plan, frame, 2023))["T2-16"].status == "achieved"


def test_cumulative_level_only_is_not_assessable(city_plan, kit):
    frame = kit.frame_of(("T2-16", kit.CITY, 2022, 31.5))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-16"]
    assert f.status == "not_assessable"


def test_comparative_against_declared_gdp_series(city_plan, kit):
    # 收入增长 与经济增长基本同步: real 2021 figures 9.8 vs GDPg 8.5 → faster, on track.
    frame = kit.frame_of(("T2-27", kit.CITY, 2021, 9.8, "annual_growth"), ("GDPg", kit.CITY, 2021, 8.5, "annual_growth"),
                         ("GDPg", kit.CITY, 2022, 2.5, "annual_growth"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-27"]
    assert f.actual == pytest.approx(9.8) and f.target == pytest.approx(8.5)  # only the common year 2021
    assert f.status == "on_track" and "GDP实际增长率" in f.explanation
    # 高于地区生产总值年均增长: 2021–22 own 8, 2 vs GDP 8.5, 2.5 → lower → lagging, warning
    frame = kit.frame_of(("T2-4", kit.CITY, 2021, 8, "annual_growth"), ("T2-4", kit.CITY, 2022, 2, "annual_growth"),
                         ("GDPg", kit.CITY, 2021, 8.5, "annual_growth"), ("GDPg", kit.CITY, 2022, 2.5, "annual_growth"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-4"]
    assert f.actual == pytest.approx((math.sqrt(1.08 * 1.02) - 1) * 100)
    assert f.target == pytest.approx((math.sqrt(1.085 * 1.025) - 1) * 100)
    assert f.status == "lagging" and f.warning


def test_comparative_unknown_reference(kit):
    t = kit.Target(kind="comparative", comparator="at_least", reference="某未知指标增长", text="高于某未知指标增长")
    plan = kit.plan_of(kit.indicator("T2-4", "某增加值年均增长", "%", None, t))
    f = kit.by_id(evaluate(plan, kit.frame_of(("T2-4", kit.CITY, 2021, 8, "annual_growth")), 2021))["T2-4"]
    assert f.status == "not_assessable" and "某未知指标" in f.explanation


def test_assigned_pending_then_entered(city_plan, kit):
    frame = kit.frame_of(("T2-14", kit.CITY, 2021, 3, "annual_growth"), ("T2-14", kit.CITY, 2022, 3, "annual_growth"))
    f = kit.by_id(evaluate(city_plan, frame, 2022))["T2-14"]
    assert f.status == "pending_target" and FindingView(f, final=False).status_label == "待下达"
    # The province assigns [13.5]: realised 1 − 0.97² = 5.91 %; completion ln(0.9409)/ln(0.865) = 0.41870
    # vs time 0.4 → on_track.
    plan = city_plan.model_copy(deep=True)
    ind = plan.indicator("T2-14")
    ind.targets[0] = ind.targets[0].model_copy(update={"value": 13.5})
    f = kit.by_id(evaluate(plan, frame, 2022))["T2-14"]
    assert f.actual == pytest.approx(5.91) and f.completion == pytest.approx(math.log(0.9409) / math.log(0.865))
    assert f.status == "on_track"


def test_maintain_and_text(kit):
    keep = kit.Target(kind="maintain", comparator="at_least", value=167, text="167")
    words = kit.Target(kind="text", text="稳步提高")
    plan = kit.plan_of(kit.indicator("T2-40", "耕地保有量", "万亩", 167, keep),
                       kit.indicator("T2-41", "某定性指标", None, None, words))
    found = kit.by_id(evaluate(plan, kit.frame_of(("T2-40", kit.CITY, 2022, 167.2), ("T2-41", kit.CITY, 2022, 5)), 2022))
    assert found["T2-40"].status == "on_track" and found["T2-41"].status == "not_assessable"
    found = kit.by_id(evaluate(plan, kit.frame_of(("T2-40", kit.CITY, 2022, 166.0)), 2022))
    assert found["T2-40"].status == "lagging" and found["T2-40"].warning
    found = kit.by_id(evaluate(plan, kit.frame_of(("T2-40", kit.CITY, 2025, 167.0)), 2025))
    assert found["T2-40"].status == "achieved" and FindingView(found["T2-40"], final=True).status_label == "已实现"


def test_every_target_kind_has_a_rule_and_a_label():
    from planwatch.evaluate.rules import RULES
    from planwatch.model import TargetKind
    from planwatch.vocabulary import TARGET_KIND_LABELS

    assert set(RULES) == set(TargetKind) == set(TARGET_KIND_LABELS)
