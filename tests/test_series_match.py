"""One rule pairs indicators of different plans into series: normalised name, synonyms, unit family."""

from dataclasses import dataclass

from planwatch.series_match import NameMatch, SeriesIndex, name_match, pairs, series_key


@dataclass(frozen=True)
class Row:
    name: str
    unit: str | None


def test_reasons():
    assert name_match(Row("地区生产总值", "亿元"), Row("地区生产总值", "亿元")) == NameMatch("same_name")
    assert name_match(Row("地区生产总值", "万元"), Row("地区生产总值", "亿元")) == NameMatch(
        "same_name", units=("万元", "亿元"))
    assert name_match(Row("设区城市细颗粒物（PM2.5）平均浓度", "微克/立方米"),
                      Row("设区城市细颗粒物(PM2.5)平均浓度", "微克/立方米")) == NameMatch("normalised")
    assert name_match(Row("研究与试验发展经费支出占GDP比重", "%"), Row("研发经费支出占地区生产总值比重", "%")) == NameMatch(
        "synonym", ("研究与试验发展经费→研发经费", "GDP→地区生产总值"))
    # The Jiaxing 14th outline's own 表1 and 表2 (lines 187/731, 196/683).
    assert name_match(Row("人均期望寿命", "岁"), Row("人均预期寿命", "岁")) == NameMatch(
        "synonym", ("人均期望寿命→人均预期寿命",))
    assert name_match(Row("每千人口执业（助理）医师数", "人"), Row("每千人口拥有执业（助理）医师数", "人")) == NameMatch(
        "synonym", ("每千人口拥有→每千人口",))


def test_units_of_another_family_or_other_names_are_other_series():
    assert name_match(Row("地区生产总值", "亿元"), Row("地区生产总值", "%")) is None
    assert name_match(Row("地区生产总值年均增长", "%"), Row("地区生产总值", "%")) is None
    assert series_key("# 数字经济核心产业增加值占地区生产总值比重", "%") == (
        "数字经济核心产业增加值占地区生产总值比重", "percent")


def test_index_and_pairs():
    fourteenth = [Row("地区生产总值", "亿元"), Row("研发经费支出占地区生产总值比重", "%"), Row("森林覆盖率", "%")]
    fifteenth = [Row("研究与试验发展经费支出占GDP比重", "%"), Row("地区生产总值", "亿元")]
    assert [(a.name, b.name, why.reason) for a, b, why in pairs(fourteenth, fifteenth)] == [
        ("地区生产总值", "地区生产总值", "same_name"),
        ("研发经费支出占地区生产总值比重", "研究与试验发展经费支出占GDP比重", "synonym")]
    assert SeriesIndex(fifteenth).first(Row("森林覆盖率", "%")) is None
