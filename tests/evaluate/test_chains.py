"""Judging like an evaluator at the edges (issue 8): gaps in chains of yearly changes (class 4), and values that
reached their target and fell back, with a projection that also looks at the recent trend (class 9).

Every expected value is worked out by hand in the comment beside its case (base year 2020, target year 2025,
N = 5; ln 1.07 = 0.067659, 5 × ln 1.07 = 0.338293).
"""

import pytest

from planwatch.evaluate import evaluate

# ---------------------------------------------------------------------------------------------------
# Class 4 — yearly changes are dated, not counted: a missing year inside the chain is a gap.
# ---------------------------------------------------------------------------------------------------

GROWTH = dict(kind="annual_growth", comparator="at_least", value=7, text="7以上")  # 地区生产总值年均增长 7以上

# (yearly growth by year, observed average %, time share, completion, required %, status, warning, gap sentence)
# Evaluated 2024; the data year is the last observed year, t = last − 2020; the missing years count as years
# covered, at the observed average; the required rate spreads what is left over the N − t years after the data.
GAP_CASES = [
    # 2021 8.5, 2023 6.0, no 2022: g = (1.085 × 1.06)^(1/2) − 1 = 7.2427 % over 2 observed years (not 3);
    # t = 2023 − 2020 = 3 → time 3/5 = 0.6 (was 2/5); completion 3 × ln 1.072427 / 0.338293 = 0.20977/0.33829
    # = 0.6201 → on_track (0.55 ≤ 0.62 < 0.65); required ((1.07^5)/(1.072427^3))^(1/2) − 1 = 6.6370 %
    # (was over 3 years: 6.8385 %); 7.24 ≥ 7 → no warning.
    ({2021: 8.5, 2023: 6.0}, 7.242715, 0.6, 0.620093, 6.636957, "on_track", False, "缺2022年数据，按2021、2023两年计算"),
    # complete 2021 8.5, 2022 3.0, 2023 6.0: g = (1.085 × 1.03 × 1.06)^(1/3) − 1 = 5.8094 %; time 0.6;
    # completion 3 × ln 1.058094 / 0.338293 = 0.5008 → lagging (< 0.55); required
    # ((1.07^5)/(1.058094^3))^(1/2) − 1 = 8.8111 %; 5.81 < 7 → warning; no gap sentence.
    ({2021: 8.5, 2022: 3.0, 2023: 6.0}, 5.809406, 0.6, 0.500772, 8.811057, "lagging", True, None),
    # the gap at the start: 2022 7.0, 2023 7.5, no 2021: g = (1.07 × 1.075)^(1/2) − 1 = 7.2497 %; t = 3,
    # completion 3 × ln 1.072497 / 0.338293 = 0.6207 → on_track; required ((1.07^5)/(1.072497^3))^(1/2) − 1 = 6.6265 %.
    ({2022: 7.0, 2023: 7.5}, 7.249709, 0.6, 0.620671, 6.626527, "on_track", False, "缺2021年数据，按2022、2023两年计算"),
    # one year only, 2023 8.0: g = 8 %; t = 3, completion 3 × ln 1.08 / 0.338293 = 0.23088/0.33829 = 0.6825
    # → ahead (≥ 0.65); required ((1.07^5)/(1.08^3))^(1/2) − 1 = 5.5173 %.
    ({2023: 8.0}, 8.0, 0.6, 0.682494, 5.517334, "ahead", False, "缺2021、2022年数据，按2023年一年计算"),
]


@pytest.mark.parametrize(("chain", "rate", "time", "completion", "required", "status", "warning", "gap"), GAP_CASES)
def test_gaps_in_a_growth_chain(kit, chain, rate, time, completion, required, status, warning, gap):
    plan = kit.plan_of(kit.indicator("C-1", "地区生产总值年均增长", "%", None, kit.Target(**GROWTH)))
    frame = kit.frame_of(*[("C-1", kit.CITY, y, g, "annual_growth") for y, g in chain.items()])
    f = kit.by_id(evaluate(plan, frame, 2024))["C-1"]
    assert f.actual_year == 2023
    assert f.observed_rate == pytest.approx(rate, abs=1e-5) and f.actual == pytest.approx(rate, abs=1e-5)
    assert f.time_elapsed == pytest.approx(time)
    assert f.completion == pytest.approx(completion, abs=1e-6)
    assert f.required_rate == pytest.approx(required, abs=1e-5)
    assert f.status == status and f.warning is warning
    if gap:
        # the sentence follows the average it qualifies
        assert f"年均增长{round(rate, 2):g}%（{gap}）" in f.explanation
    else:
        assert "缺" not in f.explanation


def test_gap_in_common_years_of_a_comparison(kit):
    # 居民人均可支配收入年均增长 与经济增长基本同步; own 2021 9.8, 2023 6.0; GDPg 2021 8.5, 2022 3.0, 2023 6.0.
    # Common years 2021 and 2023 only: own (1.098 × 1.06)^(1/2) − 1 = 7.8833 %, GDP (1.085 × 1.06)^(1/2) − 1
    # = 7.2427 %; difference +0.64 → in step (higher is better) → on_track; time share at 2023 = 3/5 = 0.6
    # (was 2/5); the gap is said.
    plan = kit.plan_of(kit.indicator("C-27", "居民人均可支配收入年均增长", "%", None, kit.INCOME),
                       series=[kit.GDP_SERIES])
    frame = kit.frame_of(("C-27", kit.CITY, 2021, 9.8, "annual_growth"), ("C-27", kit.CITY, 2023, 6.0, "annual_growth"),
                         ("GDPg", kit.CITY, 2021, 8.5, "annual_growth"), ("GDPg", kit.CITY, 2022, 3.0, "annual_growth"),
                         ("GDPg", kit.CITY, 2023, 6.0, "annual_growth"))
    f = kit.by_id(evaluate(plan, frame, 2024))["C-27"]
    assert f.actual == pytest.approx(7.883270, abs=1e-5) and f.target == pytest.approx(7.242715, abs=1e-5)
    assert f.time_elapsed == pytest.approx(0.6) and f.actual_year == 2023
    assert f.status == "on_track" and not f.warning
    assert "缺2022年数据，按2021、2023两年计算" in f.explanation


# ---------------------------------------------------------------------------------------------------
# Class 9 — reached, then fell back; the projection takes the slower of base → latest and the recent trend.
# ---------------------------------------------------------------------------------------------------

HELD = dict(kind="level", comparator="at_least", value=93, text="93以上")  # base 93 → 93以上
SHARE = dict(kind="level", comparator="at_least", value=70, text="70以上")  # base 60 → 70以上 (linear, %)

# (target, base, attribute, levels by year, evaluation year, status, warning, projection, sentence or None)
# recent_window_years = 3: the recent trend runs from the earliest level in [data year − 2, data year − 1]
# (after the base year) to the latest value.
FELL_BACK_CASES = [
    # reached then fell back: 93以上 binding, 2021 93.5 (met), 2022 93.8, 2023 92.0 → 92 < 93: by the line
    # (base = target) lagging; long trend (92 − 93)/3 = −0.333, recent 2021 → 2023 (92 − 93.5)/2 = −0.75 is
    # slower → projection 92 − 0.75 × 2 = 90.5; warning, and the fall back is said.
    (HELD, 93, "binding", {2021: 93.5, 2022: 93.8, 2023: 92.0}, 2023, "lagging", True, 90.5,
     "2021年曾达到目标93%以上，2023年回落至92%"),
    # same, anticipatory: the fall back alone warns (by the line the slower trend misses too).
    (HELD, 93, "anticipatory", {2021: 93.5, 2022: 93.8, 2023: 92.0}, 2023, "lagging", True, 90.5,
     "2021年曾达到目标93%以上，2023年回落至92%"),
    # reached and stayed: 93.2 ≥ 93 → achieved, no warning, no sentence; projection = actual once met?
    # no — met values still project: long (93.2 − 93)/3 = 0.0667, recent (93.2 − 93.5)/2 = −0.15 slower →
    # 93.2 − 0.3 = 92.9 (the projection is not used for a target already met).
    (HELD, 93, "binding", {2021: 93.5, 2022: 93.8, 2023: 93.2}, 2023, "achieved", False, 92.9, None),
    # the end year with its own data: 2025 92 after 2021 93.5 → not_achieved (end rule), warned, said.
    (HELD, 93, "anticipatory", {2021: 93.5, 2025: 92.0}, 2025, "not_achieved", True, 92.0,
     "2021年曾达到目标93%以上，2025年回落至92%"),
    # with a real base the path rule still gives the status: 60 → 70以上, 2021 64, 2022 71 (met), 2023 68:
    # completion (68 − 60)/10 = 0.8 ≥ time 0.6 + 0.05 → ahead; long 8/3 = 2.667, recent 2021 → 2023
    # (68 − 64)/2 = 2 slower → projection 68 + 2 × 2 = 72 ≥ 70; the warning comes from the fall back alone,
    # so the note says "…回落至68%，列入预警" rather than "难以实现目标".
    (SHARE, 60, "anticipatory", {2021: 64, 2022: 71, 2023: 68}, 2023, "ahead", True, 72.0,
     "2022年曾达到目标70%以上，2023年回落至68%，列入预警"),
    # PM2.5 28 → 27以下: 2021 26 (met), 2022 27.5 → completion (27.5 − 28)/(27 − 28) = 0.5 ≥ 0.4 + 0.05 → ahead;
    # long (27.5 − 28)/2 = −0.25, recent 2021 → 2022 +1.5 is slower (worse) → projection 27.5 + 4.5 = 32;
    # warned, "反弹" (a ceiling exceeded by rising).
    ("PM25", 28, "binding", {2021: 26, 2022: 27.5}, 2022, "ahead", True, 32.0,
     "2021年曾达到目标27微克/立方米以下，2022年反弹至27.5微克/立方米"),
    # never reached, recent trend slower than the long one: 60 → 70以上, 2021 64, 2022 67, 2023 68, 2024 68.4.
    # completion 8.4/10 = 0.84, time 0.8 → on_track; long (68.4 − 60)/4 = 2.1 → 70.5 (no warning before);
    # recent 2022 → 2024 (68.4 − 67)/2 = 0.7 slower → 68.4 + 0.7 = 69.1 < 70 → warning.
    (SHARE, 60, "anticipatory", {2021: 64, 2022: 67, 2023: 68, 2024: 68.4}, 2024, "on_track", True, 69.1, None),
    # control, recent faster: 62, 63, 66, 69 → long (69 − 60)/4 = 2.25, recent 2022 → 2024 (69 − 63)/2 = 3 faster
    # → the long one: 69 + 2.25 = 71.25 ≥ 70; completion 0.9 ≥ 0.85 → ahead, no warning.
    (SHARE, 60, "anticipatory", {2021: 62, 2022: 63, 2023: 66, 2024: 69}, 2024, "ahead", False, 71.25, None),
    # no level inside the window (2021 64, then 2024 68.4): only the long trend 2.1 → 70.5, no warning.
    (SHARE, 60, "anticipatory", {2021: 64, 2024: 68.4}, 2024, "on_track", False, 70.5, None),
]


@pytest.mark.parametrize(("target", "base", "attribute", "levels", "year", "status", "warning", "projection", "said"),
                         FELL_BACK_CASES)
def test_fell_back_and_recent_trend(kit, target, base, attribute, levels, year, status, warning, projection, said):
    if target == "PM25":
        ind = kit.indicator("C-9", "细颗粒物(PM2.5)平均浓度", "微克/立方米", base, kit.PM25, attribute=attribute)
    else:
        ind = kit.indicator("C-9", "某达标率", "%", base, kit.Target(**target), attribute=attribute)
    frame = kit.frame_of(*[("C-9", kit.CITY, y, v) for y, v in levels.items()])
    f = kit.by_id(evaluate(kit.plan_of(ind), frame, year))["C-9"]
    assert f.status == status
    assert f.warning is warning
    assert f.projection == pytest.approx(projection)
    if said:
        assert said in f.explanation
        # the warning note speaks of the trend only where the trend misses; else the note says 列入预警 itself
        trend_misses = "难以实现目标" in f.explanation
        assert ("列入预警" in f.explanation) == (not trend_misses)
    else:
        assert "曾达到目标" not in f.explanation


def test_recent_window_is_a_setting(kit):
    # recent_window_years = 0 (or 1) turns the recent trend off: 64, 67, 68, 68.4 projects at the long 2.1
    # → 70.5 ≥ 70 → no warning; projection_year: already reached? no — (70 − 68.4)/2.1 = 0.76 → 2025.
    ind = kit.indicator("C-9", "某达标率", "%", 60, kit.Target(**SHARE))
    frame = kit.frame_of(*[("C-9", kit.CITY, y, v) for y, v in {2021: 64, 2022: 67, 2023: 68, 2024: 68.4}.items()])
    off = kit.by_id(evaluate(kit.plan_of(ind), frame, 2024, settings={"recent_window_years": 0}))["C-9"]
    assert off.projection == pytest.approx(70.5) and off.projection_year == 2025 and not off.warning
    # default: the recent 0.7 → (70 − 68.4)/0.7 = 2.29 years → 2027; observed_rate stays base → latest (2.1).
    on = kit.by_id(evaluate(kit.plan_of(ind), frame, 2024))["C-9"]
    assert on.projection == pytest.approx(69.1) and on.projection_year == 2027 and on.warning
    assert on.observed_rate == pytest.approx(2.1)
    assert "按目前趋势期末约为69.1%" in on.explanation
