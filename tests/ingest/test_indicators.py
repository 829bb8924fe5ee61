"""ingest/indicators.py: every row of 表1 and 表2 of the real Jiaxing outline, exactly."""

from __future__ import annotations

import pytest

from planwatch.ingest.indicators import (
    direction_of_name,
    indicators_from_tables,
    split_unit,
)
from planwatch.ingest.tables import find_tables
from planwatch.model import (
    Comparator,
    Direction,
    TargetKind,
)
from planwatch.numbers import to_halfwidth
from planwatch.samples import FRAGMENTS, JIAXING_OUTLINE
from planwatch.vocabulary import ATTRIBUTE_LABELS


def load(path) -> list[str]:
    """The document's lines, half-width, as the reader gives them."""
    return [to_halfwidth(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def read():
    return indicators_from_tables(find_tables(load(JIAXING_OUTLINE)), period=(2021, 2025))


@pytest.fixture(scope="module")
def by_id(read):
    return {i.id: i for i in read[0]}


# id | category | no | name | unit | group | parent | baseline | target as printed |
# targets (kind comparator value unit direction [assigned by]; primary first) | attribute | line |
# outcome (完成情况 2020年) | outcome growth (年均增长 / [累计])
EXPECTED = """
T1-1 | 经济发展 | 1 | 地区生产总值 | 亿元 |  |  | 3517.1 | 5000 | level at_least 5000 亿元 higher; annual_growth at_least 7 % higher |  | 44 | 5509.5 | 6.59
T1-2 | 经济发展 | 2 | 服务业增加值占地区生产总值比重 | % |  |  | 43.4 | 年均增长1.2个百分点 | annual_growth at_least 1.2 个百分点 higher |  | 53 |  | 0.48
T1-3 | 经济发展 | 3 | 七大万亿级产业增加值 | 亿元 |  |  |  | 10% | annual_growth at_least 10 % higher |  | 64 |  |
T1-4.1 | 经济发展 | 4 | 常住人口城镇化率 | % | 城镇化率 |  | 60.9 | 68 | level at_least 68 % higher; cumulative_change at_least 7.1 个百分点 higher |  | 73 | 69 | 8.1
T1-4.2 | 经济发展 |  | 户籍人口城镇化率 | % | 城镇化率 |  | 55.6 | 59 | level at_least 59 % higher; cumulative_change at_least 3.4 个百分点 higher |  | 83 | 60.2 | 4.6
T1-5 | 创新驱动 | 5 | 研究与试验发展经费支出占地区生产总值比重 | % |  |  | 2.7 | 2.95 | level at_least 2.95 % higher; cumulative_change at_least 0.25 个百分点 higher |  | 93 | 3.1 | 0.4
T1-6 | 创新驱动 | 6 | 发明专利授权量 | 项 |  |  | 1100 | 2500 | level at_least 2500 项 higher; annual_growth at_least 17.8 % higher |  | 102 | 4733 | 33.9
T1-7 | 创新驱动 | 7 | 宽带家庭普及率 | % |  |  | 55 | 85 | level at_least 85 % higher; cumulative_change at_least 30 个百分点 higher |  | 111 |  |
T1-8 | 创新驱动 | 8 | 全员劳动生产率 | 万元/人 |  |  | 10.6 | 14.5 | level at_least 14.5 万元/人 higher; annual_growth at_least 6.5 % higher |  | 120 | 16.1 | 8.7
T1-9.1 | 民生福祉 | 9 | 城镇居民人均可支配收入 | 元 | 居民人均可支配收入 |  | 45499 | 64000 | level at_least 64000 元 higher; annual_growth at_least 7 % higher |  | 129 | 64124 | 7.08
T1-9.2 | 民生福祉 |  | 农村居民人均可支配收入 | 元 | 居民人均可支配收入 |  | 26838 | 38000 | level at_least 38000 元 higher; annual_growth at_least 7 % higher |  | 139 | 39801 | 8.18
T1-10 | 民生福祉 | 10 | 新增劳动力平均受教育年限 | 年 |  |  | 13.5 | 14 | level at_least 14 年 higher; cumulative_change at_least 0.5 年 higher |  | 149 | 14 | 0.5
T1-11 | 民生福祉 | 11 | 高等教育毛入学率 | % |  |  | 58 | 62 | level at_least 62 % higher; cumulative_change at_least 4 个百分点 higher |  | 158 | 63 | 5
T1-12 | 民生福祉 | 12 | 新增城镇就业人数 | 万人 |  |  | 10 | [30] | cumulative_change at_least 30 万人 higher |  | 167 |  | 68.65
T1-13 | 民生福祉 | 13 | 城镇保障性安居工程 | 万套(户) |  |  | 1.2 | [6.2] | cumulative_change at_least 6.2 万套(户) higher |  | 176 |  | 7.53
T1-14 | 民生福祉 | 14 | 人均期望寿命 | 岁 |  |  | 81.5 | 82.5 | level at_least 82.5 岁 higher; cumulative_change at_least 1 岁 higher |  | 185 | 82.59 | 1.09
T1-15 | 民生福祉 | 15 | 每千人口执业(助理)医师数 | 人 |  |  | 2.1 | 2.75 | level at_least 2.75 人 higher; cumulative_change at_least 0.65 人 higher |  | 194 | 2.95 | 0.85
T1-16 | 民生福祉 | 16 | 每千名老年人口拥有社会养老床位数 | 张 |  |  | 30 | 50 | level at_least 50 张 higher; cumulative_change at_least 20 张 higher |  | 203 | 58.02 | 28.02
T1-17 | 民生福祉 | 17 | 亿元地区生产总值生产安全事故死亡率 | 人/亿元 |  |  | 0.104 | 0.066 | level at_most 0.066 人/亿元 lower |  | 212 | 0.0156 |
T1-18 | 资源环境 | 18 | 耕地保有量 | 万亩 |  |  | 318.54 | 307.17/298.19(省下达) | level at_least 307.17 万亩 higher; level at_least 298.19 万亩 higher 省 |  | 223 |  |
T1-19 | 资源环境 | 19 | 单位地区生产总值能耗降低 | % |  |  |  | [18.5]/[17.6](省下达) | cumulative_change at_least 18.5 % higher; cumulative_change at_least 17.6 % higher 省 |  | 236 |  |
T1-20 | 资源环境 | 20 | 非化石能源占一次能源消费比重 | % |  |  | 10 | 13 | level at_least 13 % higher; cumulative_change at_least 3 个百分点 higher |  | 247 |  |
T1-21 | 资源环境 | 21 | 单位地区生产总值用水量降低 | % |  |  |  | [23](省下达) | cumulative_change at_least 23 % higher 省 |  | 256 |  | 35.25
T1-22 | 资源环境 | 22 | 万元地区生产总值耗地量 | 平方米 |  |  | 32.4 | 23.4 | level at_most 23.4 平方米 lower |  | 265 |  |
T1-23 | 资源环境 | 23 | 单位地区生产总值二氧化碳排放降低 | % |  |  |  | [21](省下达) | cumulative_change at_least 21 % higher 省 |  | 274 |  |
T1-24.1 | 资源环境 | 24 | 化学需氧量 | % | 主要污染物排放总量减少 |  |  | [22.7](省下达) | cumulative_change at_least 22.7 % higher 省 |  | 283 |  | 27.7
T1-24.2 | 资源环境 |  | 氨氮 | % | 主要污染物排放总量减少 |  |  | [23.3](省下达) | cumulative_change at_least 23.3 % higher 省 |  | 293 |  | 23.4
T1-24.3 | 资源环境 |  | 二氧化硫 | % | 主要污染物排放总量减少 |  |  | [21](省下达) | cumulative_change at_least 21 % higher 省 |  | 303 |  | 29.3
T1-24.4 | 资源环境 |  | 氮氧化物 | % | 主要污染物排放总量减少 |  |  |  | text - - % higher |  | 313 |  | 21
T1-25.1 | 资源环境 | 25 | 细颗粒物(PM2.5)浓度 | 微克/立方米 | 空气质量 |  | 53 | 43 | level at_most 43 微克/立方米 lower; cumulative_change at_least 18.9 % higher |  | 323 | 28 | 47.2
T1-25.2 | 资源环境 |  | 空气质量优良天数比率 | % | 空气质量 |  | 64.4 | 75以上 | level at_least 75 % higher |  | 337 | 87.2 |
T1-26 | 资源环境 | 26 | 河流Ⅰ—Ⅲ类水质市控断面比例 | % |  |  | 7.46 | 50以上 | level at_least 50 % higher |  | 347 | 91.8 |
T1-27.1 | 资源环境 | 27 | 林木覆盖率 | % | 森林增长 |  | 20 | 20以上 | level at_least 20 % higher |  | 356 | 22.05 |
T1-27.2 | 资源环境 |  | 林木蓄积量 | 万立方米 | 森林增长 |  | 207.9 | 262 | level at_least 262 万立方米 higher; cumulative_change at_least 54.1 万立方米 higher |  | 368 | 270 | 62.1
T2-1 | 经济发展 | 1 | 地区生产总值 | 亿元 |  |  | 5509.5 | 9000 | level at_least 9000 亿元 higher | 预期性 | 455 |  |
T2-2 | 经济发展 | 2 | 全员劳动生产率年均增长 | % |  |  |  | 7以上 | annual_growth at_least 7 % higher | 预期性 | 463 |  |
T2-3 | 经济发展 | 3 | 常住人口城镇化率 | % |  |  | 69 | 75左右 | level about 75 % higher | 预期性 | 471 |  |
T2-4 | 经济发展 | 4 | 生产性服务业五大行业增加值年均增长 | % |  |  |  | 高于地区生产总值年均增长 | comparative at_least - % higher | 预期性 | 479 |  |
T2-5 | 科技创新 | 5 | 研发经费支出占地区生产总值比重 | % |  |  | 3.1 | 3.75 | level at_least 3.75 % higher | 预期性 | 487 |  |
T2-6 | 科技创新 | 6 | 人才资源总量 | 万人 |  |  | 127 | 170 | level at_least 170 万人 higher | 预期性 | 497 |  |
T2-7 | 科技创新 | 7 | 每万人高价值发明专利拥有量 | 件 |  |  | 8.9 | 18 | level at_least 18 件 higher | 预期性 | 505 |  |
T2-8 | 科技创新 | 8 | 数字经济增加值占地区生产总值比重 | % |  |  | 42 | 60 | level at_least 60 % higher | 预期性 | 513 |  |
T2-8.1 | 科技创新 |  | 数字经济核心产业增加值占地区生产总值比重 | % |  | T2-8 | 9 | 15 | level at_least 15 % higher |  | 521 |  |
T2-9 | 改革开放 | 9 | 货物贸易进出口额 | 亿元 |  |  | 3052.3 | 3900 | level at_least 3900 亿元 higher | 预期性 | 529 |  |
T2-10 | 改革开放 | 10 | 服务贸易进出口额 | 亿元 |  |  | 110 | 190 | level at_least 190 亿元 higher | 预期性 | 537 |  |
T2-11 | 改革开放 | 11 | 实际利用外资 | 亿美元 |  |  | 26.47 | 35 | level at_least 35 亿美元 higher | 预期性 | 545 |  |
T2-12 | 文化发展 | 12 | 文化及相关产业增加值 | 亿元 |  |  | 290 | 500 | level at_least 500 亿元 higher | 预期性 | 553 |  |
T2-13 | 文化发展 | 13 | 居民综合阅读率 | % |  |  | 88.2 | 92.5 | level at_least 92.5 % higher | 预期性 | 561 |  |
T2-14 | 生态环境 | 14 | 单位地区生产总值能源消耗降低 | % |  |  |  | 省下达指标 | assigned - - % higher 省 | 约束性 | 569 |  |
T2-15 | 生态环境 | 15 | 单位地区生产总值二氧化碳排放降低 | % |  |  |  | 省下达指标 | assigned - - % higher 省 | 约束性 | 577 |  |
T2-16 | 生态环境 | 16 | 万元地区生产总值用水量降低 | % |  |  |  | [16] | cumulative_change at_least 16 % higher | 约束性 | 585 |  |
T2-17 | 生态环境 | 17 | 设区城市空气质量优良天数比率 | % |  |  | 87.2 | 93以上 | level at_least 93 % higher | 约束性 | 593 |  |
T2-18 | 生态环境 | 18 | 设区城市细颗粒物(PM2.5)平均浓度 | 微克/立方米 |  |  | 28 | 27以下 | level at_most 27 微克/立方米 lower | 约束性 | 601 |  |
T2-19 | 生态环境 | 19 | 地表水达到或好于Ⅲ类水体比例(省控断面) | % |  |  | 93.8 | 100 | level at_least 100 % higher | 约束性 | 609 |  |
T2-20 | 生态环境 | 20 | 森林覆盖率 | % |  |  |  | 12.5以上 | level at_least 12.5 % higher | 约束性 | 617 |  |
T2-21 | 市域治理 | 21 | 依申请政务服务办件“一网通办”率 | % |  |  | 87.2 | 92 | level at_least 92 % higher | 约束性 | 625 |  |
T2-22 | 市域治理 | 22 | 综合行政执法事项占比 | % |  |  | 13 | 21 | level at_least 21 % higher | 约束性 | 633 |  |
T2-23 | 市域治理 | 23 | 中心城区高峰时段行车速率 | 公里/小时 |  |  | 23.6 | 27 | level at_least 27 公里/小时 higher | 预期性 | 641 |  |
T2-24 | 社会民生 | 24 | 每千人口拥有3岁以下婴幼儿托位数 | 个 |  |  | 0.8 | 4.5以上 | level at_least 4.5 个 higher | 预期性 | 649 |  |
T2-25 | 社会民生 | 25 | 劳动年龄人口平均受教育年限 | 年 |  |  |  | 11.5 | level at_least 11.5 年 higher | 约束性 | 657 |  |
T2-26 | 社会民生 | 26 | 城镇调查失业率 | % |  |  |  | 5.5左右 | level about 5.5 % lower | 预期性 | 665 |  |
T2-27 | 社会民生 | 27 | 居民人均可支配收入年均增长 | % |  |  |  | 与经济增长基本同步 | comparative about - % higher | 预期性 | 673 |  |
T2-28 | 社会民生 | 28 | 每千人口拥有执业(助理)医师数 | 人 |  |  | 2.95 | 4.5 | level at_least 4.5 人 higher | 预期性 | 681 |  |
T2-29 | 社会民生 | 29 | 每千人口拥有医疗机构床位数 | 张 |  |  |  | 7.5以上 | level at_least 7.5 张 higher | 预期性 | 689 |  |
T2-30 | 社会民生 | 30 | 基本养老保险参保人数 | 万人 |  |  | 340.59 | 350 | level at_least 350 万人 higher | 预期性 | 697 |  |
T2-31 | 社会民生 | 31 | 每万老年人口拥有持证养老护理员数(户籍人口) | 人 |  |  |  | 27 | level at_least 27 人 higher | 预期性 | 705 |  |
T2-32 | 社会民生 | 32 | 儿童青少年总体近视率降低 | % |  |  |  | [5] | cumulative_change at_least 5 % higher | 约束性 | 713 |  |
T2-33 | 社会民生 | 33 | 人均体育场地面积 | 平方米 |  |  | 2.4 | 2.9 | level at_least 2.9 平方米 higher | 预期性 | 721 |  |
T2-34 | 社会民生 | 34 | 人均预期寿命 | 岁 |  |  | 82.59 | 83 | level at_least 83 岁 higher | 预期性 | 729 |  |
T2-35 | 安全保障 | 35 | 亿元地区生产总值生产安全事故死亡率 | 人/亿元 |  |  | 0.0156 | 0.009 | level at_most 0.009 人/亿元 lower | 约束性 | 737 |  |
T2-36 | 安全保障 | 36 | 煤炭石油天然气储存能力 | 万吨标煤 |  |  | 436.6 | 453 | level at_least 453 万吨标煤 higher | 预期性 | 745 |  |
T2-37 | 安全保障 | 37 | 粮食综合生产能力 | 万吨 |  |  | 167 | 167 | maintain at_least 167 万吨 higher | 约束性 | 753 |  |
"""


def _num(x) -> str:
    return "" if x is None else f"{x:g}"


def _row(i) -> str:
    targets = "; ".join(
        f"{t.kind.value} {t.comparator.value if t.comparator else '-'} {_num(t.value) or '-'} {t.unit or '-'} "
        f"{t.direction.value.split('_')[0]}{' ' + t.assigned_by if t.assigned_by else ''}"
        for t in i.targets
    )
    o = i.outcome
    return " | ".join([
        i.id, i.category or "", i.no or "", i.name, i.unit or "", i.group or "", i.parent or "",
        _num(i.baseline.value), i.target.text, targets,
        ATTRIBUTE_LABELS[i.attribute.value] if i.attribute else "", str(i.line),
        _num(o.value) if o else "", _num(o.growth) if o else "",
    ])


def test_every_row_of_both_tables(read):
    expected = [line.rstrip() for line in EXPECTED.strip().splitlines()]
    assert [_row(i).rstrip() for i in read[0]] == expected


def test_years_and_periods(by_id):
    t1, t2 = by_id["T1-1"], by_id["T2-1"]
    assert (t1.period_start, t1.period_end, t1.baseline.year, t1.target.year, t1.target.base_year) == (2016, 2020, 2015, 2020, 2015)
    assert (t2.period_start, t2.period_end, t2.baseline.year, t2.target.year, t2.target.base_year) == (2021, 2025, 2020, 2025, 2020)
    assert (t1.table, t2.table) == ("表1", "表2")
    assert t1.outcome.year == 2020 and t1.growth_outcome.value == 6.59 and t1.growth_outcome.text == "6.59%"


def test_outcome_texts(by_id):
    pm = by_id["T1-25.1"]
    assert (pm.outcome.value, pm.outcome.growth, pm.outcome.growth_text, pm.outcome.cumulative) == (28, 47.2, "累计下降47.2%", True)
    water = by_id["T1-21"]
    assert (water.outcome.value, water.outcome.text, water.growth_outcome.value, water.growth_outcome.cumulative) == (None, "", 35.25, True)
    assert by_id["T1-7"].outcome is None and by_id["T2-1"].outcome is None


def test_comparative_targets(by_id):
    t = by_id["T2-4"].target
    assert (t.kind, t.comparator, t.reference, t.reference_indicator, t.direction) == (
        TargetKind.comparative, Comparator.at_least, "地区生产总值年均增长", None, Direction.higher_is_better)
    t = by_id["T2-27"].target
    assert (t.kind, t.comparator, t.reference, t.qualifier, t.direction) == (
        TargetKind.comparative, Comparator.about, "经济增长", "与基本同步", Direction.higher_is_better)


def test_assigned_and_cumulative_targets(by_id):
    energy = by_id["T2-14"].target
    assert (energy.kind, energy.assigned_by, energy.assigned_kind, energy.cumulative, energy.value) == (
        TargetKind.assigned, "省", TargetKind.cumulative_change, True, None)
    water = by_id["T2-16"].target
    assert (water.kind, water.value, water.cumulative, water.text) == (TargetKind.cumulative_change, 16, True, "[16]")
    pm = by_id["T1-25.1"].targets[1]
    assert (pm.kind, pm.value, pm.qualifier, pm.cumulative, pm.text) == (TargetKind.cumulative_change, 18.9, "累计", True, "累计下降18.9%")
    cod = by_id["T1-24.1"].target
    assert (cod.qualifier, cod.unit, cod.assigned_by) == ("减少", "%", "省")
    land = by_id["T1-18"].targets
    assert [(t.value, t.assigned_by, t.text) for t in land] == [(307.17, None, "307.17/298.19(省下达)"), (298.19, "省", "307.17/298.19(省下达)")]
    grain = by_id["T2-37"].target
    assert (grain.kind, grain.value) == (TargetKind.maintain, 167)
    urban = by_id["T2-3"].target
    assert (urban.comparator, urban.tolerance, urban.qualifier) == (Comparator.about, None, "左右")


def test_review_flags(read):
    flags = read[1]
    assert [(f.code, f.item, f.line) for f in flags] == [
        ("ambiguous_unit", "T1-13", 176),
        ("ambiguous_alternate", "T1-18", 223),
        ("ambiguous_alternate", "T1-19", 236),
        ("no_target", "T1-24.4", 313),
        ("assigned_pending", "T2-14", 569),
        ("assigned_pending", "T2-15", 577),
        ("missing_baseline", "T2-20", 617),
        ("missing_baseline", "T2-25", 657),
        ("missing_baseline", "T2-26", 665),
        ("missing_baseline", "T2-29", 689),
        ("missing_baseline", "T2-31", 705),
        ("unclear_bracket", "T2-32", 713),
        ("note_name_mismatch", "T2-9", 762),
    ]
    unclear = flags[11]
    assert unclear.message == "“儿童青少年总体近视率降低”的目标[5]可能指五年累计下降5个百分点，也可能指下降5%，请确认"
    assert read[2] == []


def test_footnote_notes(by_id):
    assert by_id["T1-1"].notes == ["comparable_prices"]
    assert by_id["T1-9.1"].notes == by_id["T1-9.2"].notes == ["comparable_prices"]
    assert by_id["T1-4.1"].notes == ["five_year_cumulative"]
    assert by_id["T2-1"].notes == ["current_prices"]
    assert by_id["T2-9"].notes == ["current_prices"]
    assert by_id["T2-27"].notes == ["comparable_prices"]
    assert by_id["T2-16"].notes == ["five_year_cumulative"]
    assert by_id["T2-8.1"].notes == ["attribute_unspecified"]
    assert by_id["T2-5"].notes == []


def test_path_is_left_to_the_evaluator_and_the_reviewer(by_id):
    # The plan states no path shape: the evaluator's geometric_units decides unless plan.yaml says.
    assert {ind.path for ind in by_id.values()} == {None}


def test_direction_rule():
    assert direction_of_name("单位地区生产总值能源消耗降低") == Direction.higher_is_better
    assert direction_of_name("设区城市细颗粒物(PM2.5)平均浓度") == Direction.lower_is_better
    assert direction_of_name("城镇调查失业率") == Direction.lower_is_better
    assert direction_of_name("万元地区生产总值耗地量") == Direction.lower_is_better
    assert direction_of_name("人才资源总量") == Direction.higher_is_better


def test_split_unit():
    assert split_unit("地区生产总值(亿元)") == ("地区生产总值", "亿元")
    assert split_unit("地表水达到或好于Ⅲ类水体比例(省控断面)") == ("地表水达到或好于Ⅲ类水体比例(省控断面)", None)
    assert split_unit("城镇保障性安居工程(万套(户))") == ("城镇保障性安居工程", "万套(户)")
    assert split_unit("每千人口执业(助理)医师数(人)") == ("每千人口执业(助理)医师数", "人")


def test_jiashan_pipe_table_indicators():
    path = next(p for p in FRAGMENTS if p.name.startswith("jiashan"))
    indicators, flags, warnings = indicators_from_tables(find_tables(path.read_text(encoding="utf-8").splitlines()))
    assert len(indicators) == 19
    first, second = indicators[:2]
    assert (first.id, first.no, first.name, first.unit, first.category) == ("T1-1.1", "1", "滚动推进重大项目", "个", "发展目标")
    assert (second.id, second.name, second.unit) == ("T1-1.2", "完成投资额", "亿元")
    assert [(t.year, t.value) for t in second.targets] == [(2027, 500), (2023, 37)]
    assert first.responsible.startswith("县发改局、县经信局")
    ratio = next(i for i in indicators if i.name == "城乡居民收入倍差")
    assert [(t.year, t.kind.value, t.comparator.value, t.value) for t in ratio.targets] == [
        (2027, "maintain", "at_most", 1.54), (2023, "level", "at_most", 1.58), (2025, "level", "at_most", 1.58)]
    growth = next(i for i in indicators if i.no == "2")
    assert (growth.target.kind, growth.unit, growth.baseline.value, growth.period_end) == (TargetKind.annual_growth, "%", 0.8, 2027)
    last = indicators[-1]
    assert (last.id, last.name, last.unit, last.responsible, last.line) == ("T1-17", "共富工坊累计数", "个", "县委组织部", 42)
    assert [(f.code, f.item) for f in flags] == [("missing_baseline", "T1-1.1"), ("missing_baseline", "T1-1.2")]
    assert warnings == ["第42行：表格在文件末尾结束，最后一行末尾缺少“|”，最后一个单元格可能不完整"]
