"""The counties' plans against the city's (issue 10): totals summed, rates ranged, indicators missing.

Three county plans are transformed copies of the Jiaxing 14th plan (表2, 38 rows): region renamed, every total
(亿元, 万人, 亿美元, 万吨 …) scaled by the county's share, a few targets changed by hand, and each county's table
moved down the page (line + 100 / 200 / 300) so both plans' lines can be told apart:

- 南湖区, share 1/2: 货物贸易进出口额 487.5 (1/8 of 3900), R&D 3.5 (< 3.75), PM2.5 28 (> 27, a lower-is-better target);
- 海宁市, share 1/4: R&D 4.0, 失业率 5.0; no 综合行政执法事项占比 (T2-22) and no 煤炭石油天然气储存能力 (T2-36);
- 桐乡市, share 3/8: GDP written in 万元 (33750000万元 = 3375亿元), R&D named 研究与试验发展经费支出占GDP比重 3.3,
  全员劳动生产率年均增长 6.5 (< 7).

The shares are binary fractions, so every sum below is exact.
"""

from __future__ import annotations

import json

import pytest
from tests.conftest import run

from planwatch.errors import EvaluationError
from planwatch.evaluate.comparability import is_total
from planwatch.evaluate.counties_vs_city import check, counties_of, read_county_check
from planwatch.store.plans import plan_key

RD = "研发经费支出占地区生产总值比重"
RD_OTHER = "研究与试验发展经费支出占GDP比重"


def county_plan(plan, region, share, offset, values=None, drop=(), renamed=None):
    """The city's plan as a county's: totals × share, ``values`` by id, rows in ``drop`` left out,
    ``renamed`` id → (name, unit, value), lines moved by ``offset``."""
    meta = plan.meta.model_copy(update={"title": f"嘉兴市{region}国民经济和社会发展第十四个五年规划纲要",
                                        "region": region, "level": "county"})
    indicators = []
    for ind in plan.current_indicators():
        if ind.id in drop:
            continue
        update = {"line": ind.line + offset}
        value = ind.target.value
        if value is not None and is_total(ind.unit, ind.name):
            value = value * share
        value = (values or {}).get(ind.id, value)
        if renamed and ind.id in renamed:
            name, unit, value = renamed[ind.id]
            update |= {"name": name, "unit": unit}
        target = ind.target.model_copy(update={"value": value, "text": f"{value:g}" if value is not None else ""})
        indicators.append(ind.model_copy(update=update | {"target": target, "targets": [target]}))
    return plan.model_copy(update={"meta": meta, "indicators": indicators, "flags": [], "targets": []})


@pytest.fixture(scope="module")
def counties(jiaxing_plan):
    return [
        county_plan(jiaxing_plan, "南湖区", 0.5, 100, {"T2-9": 487.5, "T2-5": 3.5, "T2-18": 28.0}),
        county_plan(jiaxing_plan, "海宁市", 0.25, 200, {"T2-5": 4.0, "T2-26": 5.0}, drop={"T2-22", "T2-36"}),
        county_plan(jiaxing_plan, "桐乡市", 0.375, 300, {"T2-2": 6.5},
                    renamed={"T2-1": ("地区生产总值", "万元", 33750000.0), "T2-5": (RD_OTHER, "%", 3.3)}),
    ]


@pytest.fixture(scope="module")
def result(jiaxing_plan, counties):
    return check(jiaxing_plan, counties, ["秀洲区", "嘉善县", "平湖市", "海盐县"])


def test_totals_are_summed_against_the_city(result):
    # id, Σ counties, Σ − city, consistent, counties without it. Shares 1/2 + 1/4 + 3/8 = 9/8 of the city:
    # GDP 4500 + 2250 + 3375 (33750000万元) = 10125 ≥ 9000; 货物贸易 487.5 + 975 + 1462.5 = 2925 < 3900;
    # 储存能力 (not in 海宁市) 226.5 + 169.875 = 396.375 < 453.
    got = [(t.city.indicator_id, t.county_sum, t.difference, t.consistent, t.lacking) for t in result.totals]
    assert got == [
        ("T2-1", 10125.0, 1125.0, True, ()),
        ("T2-6", 191.25, 21.25, True, ()),
        ("T2-9", 2925.0, -975.0, False, ()),
        ("T2-10", 213.75, 23.75, True, ()),
        ("T2-11", 39.375, 4.375, True, ()),
        ("T2-12", 562.5, 62.5, True, ()),
        ("T2-30", 393.75, 43.75, True, ()),
        ("T2-36", 396.375, -56.625, False, ("海宁市",)),
        ("T2-37", 187.875, 20.875, True, ()),
    ]
    assert [t.verdict for t in result.totals if not t.consistent] == ["县级目标合计低于全市目标"] * 2


def test_every_total_names_both_plans_lines(result, jiaxing_plan, counties):
    gdp = result.totals[0]
    assert (gdp.city.plan_key, gdp.city.line, gdp.city.place, gdp.city.text) == (
        plan_key(jiaxing_plan), 455, "第455行", "9000")
    assert [(c.item.region, c.item.plan_key, c.item.line, c.item.value, c.item.unit, c.value, c.match)
            for c in gdp.counties] == [
        ("南湖区", plan_key(counties[0]), 555, 4500.0, "亿元", 4500.0, "名称、单位相同"),
        ("海宁市", plan_key(counties[1]), 655, 2250.0, "亿元", 2250.0, "名称、单位相同"),
        ("桐乡市", plan_key(counties[2]), 755, 33750000.0, "万元", 3375.0, "名称相同（单位换算：万元→亿元）"),
    ]


def test_rates_are_ranged_and_weaker_counties_named(result):
    ranges = {r.city.indicator_id: (r.low, r.high) for r in result.rates}
    assert ranges["T2-5"] == (3.3, 4.0) and ranges["T2-2"] == (6.5, 7.0) and ranges["T2-26"] == (5.0, 5.5)
    assert ranges["T2-18"] == (27.0, 28.0) and ranges["T2-3"] == (75.0, 75.0)
    weaker = [(r.city.indicator_id, r.city.value, [(c.item.region, c.value, c.item.line) for c in r.weaker], r.verdict)
              for r in result.rates if r.weaker]
    assert weaker == [
        ("T2-2", 7.0, [("桐乡市", 6.5, 763)], "低于全市目标"),
        ("T2-5", 3.75, [("南湖区", 3.5, 587), ("桐乡市", 3.3, 787)], "低于全市目标"),
        ("T2-18", 27.0, [("南湖区", 28.0, 701)], "高于全市目标"),
    ]
    rd = next(r for r in result.rates if r.city.indicator_id == "T2-5")
    assert [(c.item.name, c.match) for c in rd.counties] == [
        (RD, "名称、单位相同"), (RD, "名称、单位相同"),
        (RD_OTHER, "同义名称（研究与试验发展经费→研发经费；GDP→地区生产总值）")]
    # 38 rows − 9 totals − 4 without a value = 25 rates; 综合行政执法事项占比 is ranged over the two counties that have it.
    assert len(result.rates) == 25
    assert [c.item.region for c in next(r for r in result.rates if r.city.indicator_id == "T2-22").counties] == [
        "南湖区", "桐乡市"]


def test_missing_indicators_and_counties_without_a_plan(result, counties):
    assert [(m.county, m.county_plan_key, m.city.indicator_id, m.city.name, m.city.place) for m in result.missing] == [
        ("海宁市", plan_key(counties[1]), "T2-22", "综合行政执法事项占比", "第633行"),
        ("海宁市", plan_key(counties[1]), "T2-36", "煤炭石油天然气储存能力", "第745行"),
    ]
    assert result.without_plan == ("秀洲区", "嘉善县", "平湖市", "海盐县")
    assert [i.indicator_id for i in result.not_compared] == ["T2-4", "T2-14", "T2-15", "T2-27"]


def test_county_plans_are_chosen_by_region_and_period(jiaxing_plan, counties):
    fifteenth = counties[0].model_copy(update={"meta": counties[0].meta.model_copy(update={"period_end": 2030})})
    chosen, without = counties_of(jiaxing_plan, [fifteenth, *counties], ["南湖区", "秀洲区", "海宁市", "桐乡市"])
    assert [p.meta.region for p in chosen] == ["南湖区", "海宁市", "桐乡市"] and without == ["秀洲区"]
    assert chosen[0] is counties[0]


# ------------------------------------------------------------------ from a store, and at the command line

@pytest.fixture
def county_store(jiaxing_store, counties):
    for plan in counties:
        jiaxing_store.load_plan(plan, source="test")
    return jiaxing_store


def test_the_store_check_finds_the_counties_in_the_region_tree(county_store, result):
    # The store lists a parent's regions by name: 南湖区 嘉善县 平湖市 桐乡市 海宁市 海盐县 秀洲区.
    got = read_county_check(county_store)
    assert [r for r, _ in got.counties] == ["南湖区", "桐乡市", "海宁市"]
    assert got.without_plan == ("嘉善县", "平湖市", "海盐县", "秀洲区")
    assert [(t.city, t.county_sum, t.difference, t.lacking) for t in got.totals] == [
        (t.city, t.county_sum, t.difference, t.lacking) for t in result.totals]
    assert [(r.city, r.low, r.high, {c.item for c in r.weaker}) for r in got.rates] == [
        (r.city, r.low, r.high, {c.item for c in r.weaker}) for r in result.rates]
    assert got.missing == result.missing and got.not_compared == result.not_compared


def test_counties_command(county_store, jiaxing_plan):
    code, out, _ = run("counties", "--json", "--db", county_store.url)
    data = json.loads(out)
    assert code == 0 and data["city_key"] == plan_key(jiaxing_plan)
    assert [c["region"] for c in data["counties"]] == ["南湖区", "桐乡市", "海宁市"]
    gdp = data["totals"][0]
    assert (gdp["city"]["name"], gdp["county_sum"], gdp["difference"], gdp["verdict"]) == (
        "地区生产总值", 10125.0, 1125.0, "县级目标合计不低于全市目标")
    assert [(c["region"], c["line"], c["place"]) for c in gdp["counties"]] == [
        ("南湖区", 555, "第555行"), ("桐乡市", 755, "第755行"), ("海宁市", 655, "第655行")]
    assert [(m["county"], m["city"]["line"]) for m in data["missing"]] == [("海宁市", 633), ("海宁市", 745)]
    code, out, _ = run("counties", "--plan", plan_key(jiaxing_plan), "--db", county_store.url)
    assert code == 0
    assert "货物贸易进出口额" in out and "2925亿元" in out and "-975亿元" in out and "县级目标合计低于全市目标" in out
    assert "南湖区 28（第701行）" in out and "未载入规划：嘉善县、平湖市、海盐县、秀洲区" in out


def test_with_two_city_plans_the_command_asks_which(county_store, jiaxing_plan):
    from tests.conftest import fifteenth_plan, run

    county_store.load_plan(fifteenth_plan(jiaxing_plan), source="test")
    with pytest.raises(EvaluationError, match="有 2 个市级规划下辖县级规划，请用 --plan 指定其中一个"):
        read_county_check(county_store)
    code, _, err = run("counties", "--db", county_store.url)
    assert code == 1 and plan_key(jiaxing_plan) in err and "Traceback" not in err
