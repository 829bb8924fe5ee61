"""Counties (issue 8, class 11): a county is never judged against the city's total.

The plan (嘉兴市 表2) states the city's targets. For another region (南湖区, 秀洲区 …):

- a total — a level, cumulative or hold-the-line target in an amount unit (亿元, 万人, 万吨 …) — is not its
  target: 无法评估, with the reason, no warning, no expected value, completion or required rate;
- a rate, share, per-head or intensity target (%, 微克/立方米, 人均…, 每千人口…) and a growth target are judged
  as for the city, against the city's figure, from the county's OWN base-year observation (never the plan's
  base, which is the city's).

Every expected value is worked out by hand in the comment beside its case.
"""

import pytest

from planwatch.evaluate import evaluate
from planwatch.evaluate.comparability import is_total
from planwatch.presentation import FindingView

NANHU, XIUZHOU = "南湖区", "秀洲区"


@pytest.fixture
def plan(kit):
    """表2 rows 1, 3, 5 (and a growth, a per-head and a hold-the-line row), with the plan's (city's) bases."""
    rd = kit.Target(kind="level", value=3.75, text="3.75")
    doctors = kit.Target(kind="level", value=4.5, text="4.5")
    grain = kit.Target(kind="maintain", value=167, text="167")
    return kit.plan_of(
        kit.indicator("T2-1", "地区生产总值", "亿元", 5509.5, kit.GDP),
        kit.indicator("T2-2", "全员劳动生产率年均增长", "%", None, kit.LABOUR),
        kit.indicator("T2-3", "常住人口城镇化率", "%", 69, kit.URBAN),
        kit.indicator("T2-5", "研发经费支出占地区生产总值比重", "%", 3.2, rd),
        kit.indicator("T2-28", "每千人口拥有执业(助理)医师数", "人", 3.5, doctors),
        kit.indicator("T2-37", "粮食综合生产能力", "万吨", 167, grain),
    )


@pytest.fixture
def nanhu(plan, kit):
    """南湖区 with its own 2020 base for every row; the city with its 2024 GDP."""
    frame = kit.frame_of(
        ("T2-1", kit.CITY, 2024, 7569.5),
        ("T2-1", NANHU, 2020, 700.0), ("T2-1", NANHU, 2024, 1050.0),
        ("T2-3", NANHU, 2020, 80.1), ("T2-3", NANHU, 2024, 82.3),
        ("T2-5", NANHU, 2020, 2.8), ("T2-5", NANHU, 2024, 3.4),
        ("T2-28", NANHU, 2020, 3.0), ("T2-28", NANHU, 2024, 4.0),
        ("T2-37", NANHU, 2020, 12.0), ("T2-37", NANHU, 2024, 12.3),
        *(("T2-2", NANHU, y, 8.0, "annual_growth") for y in (2021, 2022, 2023, 2024)),
    )
    a = evaluate(plan, frame, 2024)
    return {f.indicator_id: f for f in a.findings if f.region == NANHU}, kit.by_id(a)


def test_a_county_total_is_not_judged_against_the_city_total(nanhu):
    # 南湖区 GDP 700 (2020) → 1050 (2024) against the city's 9000亿元. Before: completion
    # ln(1050/700)/ln(9000/700) = 0.4055/2.5539 = 15.9% vs time 80% → 滞后, warning, "还需年均"
    # 9000/1050 − 1 = 757% in 2025. Now: 无法评估, the county's own data kept, nothing measured to 9000.
    f = nanhu[0]["T2-1"]
    assert f.status == "not_assessable" and FindingView(f, final=False).status_label == "无法评估" and not f.warning
    assert (f.actual, f.actual_year, f.baseline) == (1050.0, 2024, 700.0)
    assert f.completion is None and f.expected is None and f.required_rate is None
    assert f.target is None and f.gap is None and f.projection_year is None and f.ratio is None
    assert f.explanation == ("2024年实际1050亿元；南湖区的总量不对照嘉兴市的目标9000亿元（总量指标只与本地区的目标比较；"
                             "如需评估，请使用南湖区自身规划或分解下达的目标），无法评估。")


def test_a_county_hold_the_line_total_is_not_judged(nanhu):
    # 粮食综合生产能力 167万吨 (maintain, the city's): 南湖区 12.3万吨 < 167 was 滞后 with a warning; now 无法评估.
    f = nanhu[0]["T2-37"]
    assert f.status == "not_assessable" and not f.warning and f.target is None
    assert "南湖区的总量不对照嘉兴市的目标167万吨" in f.explanation


def test_a_county_rate_above_the_about_band_on_the_good_side_is_achieved(nanhu):
    # 城镇化率 75左右 (% → band ±0.5: [74.5, 75.5]); the target's direction is higher_is_better (the default), so by
    # the documented rule (methodology §2.1 "越过好的一侧不算偏离") the met interval is [74.5, ∞).
    # 南湖区 2024 82.3 ≥ 74.5 → met → achieved (提前实现), no warning. Its base is its own 80.1, not the plan's 69:
    # expected = 80.1 + (75 − 80.1) × 0.8 = 76.02.
    f = nanhu[0]["T2-3"]
    assert f.status == "achieved" and FindingView(f, final=False).status_label == "提前实现" and not f.warning
    assert f.baseline == 80.1 and f.target == 75.0
    assert f.expected == pytest.approx(76.02)
    assert f.explanation.startswith("2024年实际82.3%，已达到目标75左右")


def test_a_county_share_is_judged_from_its_own_base(nanhu):
    # R&D 占比 3.75 (plan base 3.2 is the city's). 南湖区 own base 2.8 (2020) → 3.4 (2024), linear path:
    # completion (3.4 − 2.8)/(3.75 − 2.8) = 0.6/0.95 = 0.631579; time (2024 − 2020)/5 = 0.8;
    # 0.6316 < 0.8 − 0.05 = 0.75 → lagging. expected = 2.8 + 0.95 × 0.8 = 3.56; required (3.75 − 3.4)/1 = 0.35 pp;
    # trend (3.4 − 2.8)/4 = 0.15 pp/yr → 2025: 3.55 < 3.75 → warning.
    # (From the plan's 3.2 it would have been (3.4 − 3.2)/(3.75 − 3.2) = 0.3636.)
    f = nanhu[0]["T2-5"]
    assert f.baseline == 2.8 and f.actual == 3.4
    assert f.completion == pytest.approx(0.6 / 0.95) and f.time_elapsed == pytest.approx(0.8)
    assert f.expected == pytest.approx(3.56) and f.required_rate == pytest.approx(0.35)
    assert f.observed_rate == pytest.approx(0.15)
    assert f.status == "lagging" and f.warning


def test_a_county_per_head_figure_in_an_amount_unit_is_judged(nanhu):
    # 每千人口拥有执业(助理)医师数 4.5 人: the unit is 人 but the name says 每千人口 — per head, comparable.
    # 人 is a geometric_units unit, so the path is geometric: 南湖区 3.0 → 4.0 (its own base, not 3.5):
    # completion ln(4/3)/ln(4.5/3) = 0.287682/0.405465 = 0.709511 < 0.8 − 0.05 → lagging.
    f = nanhu[0]["T2-28"]
    assert f.baseline == 3.0 and f.completion == pytest.approx(0.709511, abs=1e-6) and f.status == "lagging"


def test_a_county_growth_target_is_judged(nanhu):
    # 年均增长 7以上: 南湖区 8% a year 2021–2024 → g_A = 8% ≥ 7%; completion 4·ln 1.08 / (5·ln 1.07)
    # = (4 × 0.0769610)/(5 × 0.0676586) = 0.307844/0.338293 = 0.909992 — judged as for the city, not 无法评估.
    f = nanhu[0]["T2-2"]
    assert f.status != "not_assessable" and f.actual == pytest.approx(8.0)
    assert f.completion == pytest.approx(0.909992, abs=1e-6)


def test_the_city_itself_is_judged_as_before(nanhu):
    # 嘉兴市 GDP: plan base 5509.5 → 9000, 2024 7569.5: completion ln(7569.5/5509.5)/ln(9000/5509.5)
    # = 0.31764/0.49075 = 64.73% < 80% − 5% → lagging with a warning (test_level.test_gdp_geometric_path_2024).
    f = nanhu[1]["T2-1"]
    assert f.baseline == 5509.5 and f.completion == pytest.approx(0.647280, abs=1e-6)
    assert f.status == "lagging" and f.warning
    # The plan's base value goes to the plan's region only: the city keeps 69 and 3.2 without data.
    assert nanhu[1]["T2-3"].baseline == 69 and nanhu[1]["T2-5"].baseline == 3.2


def test_a_county_without_a_base_observation_never_takes_the_plan_base(plan, kit):
    # 秀洲区 has only 2024 values: its base is missing (not the city's 69 / 3.2 / 5509.5).
    frame = kit.frame_of(("T2-3", XIUZHOU, 2024, 74.0), ("T2-5", XIUZHOU, 2024, 3.4), ("T2-1", XIUZHOU, 2024, 800.0))
    found = kit.by_id(evaluate(plan, frame, 2024), XIUZHOU)
    urban, rd, gdp = found["T2-3"], found["T2-5"], found["T2-1"]
    assert urban.baseline is None and rd.baseline is None and gdp.baseline is None
    # 75左右 is a band (floor 74.5 on the good side): judged by the line. 74.0 < 74.5 → 滞后, completion empty;
    # no warning: expected (预期性) indicator, not the end year, no trend without a base.
    assert urban.status == "lagging" and urban.completion is None and not urban.warning
    assert "低于目标下限74.5%（无基期值，按目标线判断）" in urban.explanation
    # 3.75 (a plain figure, no 以上/以下/左右) has no line to be on a side of: 无法评估, reason given.
    assert rd.status == "not_assessable" and "缺少基期值" in rd.explanation
    # The total: 无法评估 for the total's reason, not for the missing base.
    assert gdp.status == "not_assessable" and "总量不对照" in gdp.explanation


def test_a_county_above_the_floor_without_a_base_is_achieved(plan, kit):
    # 秀洲区 城镇化率 only 2024: 76.0 ≥ 74.5 → met → 提前实现 (no base needed to see it is met).
    frame = kit.frame_of(("T2-3", XIUZHOU, 2024, 76.0))
    f = kit.by_id(evaluate(plan, frame, 2024), XIUZHOU)["T2-3"]
    assert f.status == "achieved" and f.baseline is None


def test_a_county_without_data_stays_no_data(plan, kit):
    # 无数据 says more than 无法评估 to whoever must load the figures: it is kept for a total too.
    frame = kit.frame_of(("T2-3", NANHU, 2024, 82.3))
    f = kit.by_id(evaluate(plan, frame, 2024), NANHU)["T2-1"]
    assert f.status == "no_data" and not f.warning


def test_a_county_bound_on_a_total_is_not_judged(plan, kit):
    # ">900" 亿元 for a county: 无法评估 for the total's reason (the bound question never arises), the bound in words.
    frame = kit.frame_of(("T2-1", NANHU, 2024, 900.0, "level", ">"))
    f = kit.by_id(evaluate(plan, frame, 2024), NANHU)["T2-1"]
    assert f.status == "not_assessable" and not f.warning
    assert f.explanation.startswith("2024年实际超过900亿元；南湖区的总量不对照嘉兴市的目标9000亿元")


def test_at_the_end_year_a_county_total_is_still_not_assessable(plan, kit):
    # 2025 with 2025 data: the end-of-period rule (已实现/未实现) applies to judged findings only.
    frame = kit.frame_of(("T2-1", NANHU, 2020, 700.0), ("T2-1", NANHU, 2025, 1100.0))
    f = kit.by_id(evaluate(plan, frame, 2025), NANHU)["T2-1"]
    assert f.status == "not_assessable" and not f.warning


@pytest.mark.parametrize("method", ["open_sdg", "unsd"])
def test_every_method_leaves_a_county_total_unjudged(plan, kit, method):
    frame = kit.frame_of(("T2-1", NANHU, 2020, 700.0), ("T2-1", NANHU, 2024, 1050.0))
    f = kit.by_id(evaluate(plan, frame, 2024, method=method), NANHU)["T2-1"]
    assert f.status == "not_assessable" and f.ratio is None and f.category_code is None


# The unit rule (evaluate/comparability.py): (unit, indicator name) → is it a total?
UNIT_CASES = [
    ("亿元", "地区生产总值", True),  # money with 亿
    ("万元", "某项收入", True),
    ("亿美元", "实际利用外资", True),
    ("万人", "人才资源总量", True),  # people
    ("件", "专利授权量", True),  # a count
    ("万吨", "粮食综合生产能力", True),
    ("万吨标煤", "煤炭石油天然气储存能力", True),
    ("公里", "高速公路里程", True),  # length
    ("万套(户)", "保障性住房", True),  # a note in brackets does not change the unit
    ("%", "常住人口城镇化率", False),  # rate / share
    ("‰", "人口自然增长率", False),
    ("个百分点", "某比重提高", False),
    ("岁", "人均预期寿命", False),  # a level of a person
    ("年", "劳动年龄人口平均受教育年限", False),
    ("微克/立方米", "设区城市细颗粒物(PM2.5)平均浓度", False),  # a denominator: intensity
    ("万元/人", "全员劳动生产率", False),
    ("吨标准煤/万元", "单位地区生产总值能耗", False),
    ("人/亿元", "亿元地区生产总值生产安全事故死亡率", False),
    ("公里/小时", "中心城区高峰时段行车速率", False),
    ("元", "居民人均可支配收入", False),  # plain 元: per head (totals are in 万元/亿元)
    ("元", "最低工资标准", False),
    ("件", "每万人高价值发明专利拥有量", False),  # an amount unit, but 每万人 in the name: per head
    ("人", "每千人口拥有执业(助理)医师数", False),
    ("平方米", "人均体育场地面积", False),
    ("倍", "某倍数", False),  # unknown unit: not called a total (judged as before)
    (None, "某指标", False),
]


@pytest.mark.parametrize(("unit", "name", "total"), UNIT_CASES)
def test_unit_classification(unit, name, total):
    assert is_total(unit, name) is total


# ---------------------------------------------------------------------------------------------------
# County values summed to the city where the city's own figure is missing (derived, said so).
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def county_store(plan, kit, tmp_path):
    """A real SQLite store: the city with two counties; 2023 GDP reported only by the counties, 2024 by all."""
    from planwatch.model import Observation
    from planwatch.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'counties.db'}")
    store.init()
    store.load_plan(plan)
    store.add_regions([(kit.CITY, None, "city"), (NANHU, kit.CITY, "county"), (XIUZHOU, kit.CITY, "county")])
    rows = [("T2-1", NANHU, 2023, 1000.0), ("T2-1", XIUZHOU, 2023, 900.0),  # city 2023 missing → 1900 derived
            ("T2-1", kit.CITY, 2024, 7569.5), ("T2-1", NANHU, 2024, 1050.0), ("T2-1", XIUZHOU, 2024, 950.0),
            ("T2-1", NANHU, 2022, 950.0),  # 秀洲区 2022 missing → no partial sum for the city
            ("T2-3", NANHU, 2023, 80.0), ("T2-3", XIUZHOU, 2023, 70.0)]  # a share: never summed
    store.add_observations([Observation(indicator=i, region=r, year=y, value=v, unit="亿元" if i == "T2-1" else "%")
                            for i, r, y, v in rows])
    yield store
    store.dispose()


def test_city_total_is_summed_from_all_its_counties(county_store, kit):
    from planwatch.evaluate import assess, read_inputs

    inputs = read_inputs(county_store)
    city = inputs.frame[(inputs.frame["region"] == kit.CITY) & (inputs.frame["indicator"] == "T2-1")]
    by_year = {int(y): (float(v), bool(d)) for y, v, d in zip(city["year"], city["value"], city["derived"], strict=True)}
    # 2023: 1000 + 900 = 1900, derived; 2024: the city's own 7569.5 stands (a derived figure never replaces one);
    # 2022: only 南湖区 reported, so no sum (950 would understate the city).
    assert by_year == {2023: (1900.0, True), 2024: (7569.5, False)}
    urban = inputs.frame[(inputs.frame["region"] == kit.CITY) & (inputs.frame["indicator"] == "T2-3")]
    assert urban.empty  # a share is a weighted mean, not a sum: not derived
    # Judged at 2023 on the derived 1900: completion ln(1900/5509.5)/ln(9000/5509.5) < 0 → 滞后, said to be derived.
    f = kit.by_id(assess(inputs, year=2023))["T2-1"]
    assert f.actual == 1900.0 and f.derived and f.status == "lagging"
    assert "实际值由下辖县（市、区）数据加总得出" in f.explanation
    assert "由下辖2个县（市、区）数据加总（南湖区、秀洲区）" in f.sources
    # At 2024 the reported figure is judged, not derived.
    f = kit.by_id(assess(inputs, year=2024))["T2-1"]
    assert f.actual == 7569.5 and not f.derived
