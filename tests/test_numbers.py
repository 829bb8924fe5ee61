"""numbers.py: Chinese numerals, quantities, units and qualifiers."""

from __future__ import annotations

import math

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.model import Comparator
from planwatch.numbers import (
    QUALIFIERS,
    UnitError,
    convert,
    normalise_quantity,
    parse_number,
    parse_quantity,
    parse_unit,
    parse_year,
    to_halfwidth,
)

# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5509.5", 5509.5),
        ("1.6万亿", 1.6e12),
        ("一万", 10000.0),
        ("17.8%", 17.8),
        ("二〇三五", 2035.0),
        ("二○二五", 2025.0),
        ("1万", 10000.0),
        ("１２", 12.0),
        ("10,000", 10000.0),
        ("-0.5", -0.5),
        ("十二", 12.0),
        ("两千", 2000.0),
        ("一点五", 1.5),
    ],
)
def test_parse_number_examples(text, expected):
    assert parse_number(text) == expected


def test_parse_number_fraction():
    assert parse_number("三分之二") == pytest.approx(2 / 3)
    assert round(parse_number("三分之二"), 4) == 0.6667
    assert parse_number("四分之一") == 0.25


@pytest.mark.parametrize("text", ["", "abc", "—", "-", "亿元", "万", "分之", "1.2.3", "年均增长"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025年", 2025), ("二〇三五年", 2035), ("二○二五年", 2025), ("2035", 2035), ("２０２５年", 2025)],
)
def test_parse_year_examples(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["", "25年", "20255年", "年", "二〇年", "二〇三五年远景", "abc"])
def test_parse_year_rejects(text):
    assert parse_year(text) is None


def test_to_halfwidth_keeps_length_and_chinese_punctuation():
    text = "（１）ＧＤＰ增长７．５％，达到１０：１；　“好”、。《》—"
    out = to_halfwidth(text)
    assert out == "(1)GDP增长7.5%,达到10:1; “好”、。《》—"
    assert len(out) == len(text)


# (text, value, value_max, unit, comparator, qualifier, cumulative, assigned_by, pp, annual, change, alternate)
QUANTITIES = [
    ("9000亿元以上", 9000, None, "亿元", Comparator.at_least, "以上", False, None, False, False, None, None),
    ("1.6万亿元以上", 1.6, None, "万亿元", Comparator.at_least, "以上", False, None, False, False, None, None),
    ("93以上", 93, None, None, Comparator.at_least, "以上", False, None, False, False, None, None),
    ("27以下", 27, None, None, Comparator.at_most, "以下", False, None, False, False, None, None),
    ("75左右", 75, None, None, Comparator.about, "左右", False, None, False, False, None, None),
    ("7%以上", 7, None, "%", Comparator.at_least, "以上", False, None, False, False, None, None),
    ("4.5以上", 4.5, None, None, Comparator.at_least, "以上", False, None, False, False, None, None),
    ("不少于800张", 800, None, "张", Comparator.at_least, "不少于", False, None, False, False, None, None),
    ("1-2家", 1, 2, "家", Comparator.between, None, False, None, False, False, None, None),
    ("1～2家", 1, 2, "家", Comparator.between, None, False, None, False, False, None, None),
    ("100万千瓦", 100, None, "万千瓦", None, None, False, None, False, False, None, None),
    ("3.75%", 3.75, None, "%", None, None, False, None, False, False, None, None),
    ("[16]", 16, None, None, None, None, True, None, False, False, None, None),
    ("[23]（省下达）", 23, None, None, None, None, True, "省", False, False, None, None),
    ("累计下降18.9%", 18.9, None, "%", None, "累计", True, None, False, False, "decrease", None),
    ("年均增长1.2个百分点", 1.2, None, "个百分点", None, "年均", False, None, True, True, "increase", None),
    ("307.17/298.19（省下达）", 307.17, None, None, None, None, False, "省", False, False, None, 298.19),
    ("[18.5]/\n\n[17.6]（省下达）", 18.5, None, None, None, None, True, "省", False, False, None, 17.6),
    ("不超过5.5%", 5.5, None, "%", Comparator.at_most, "不超过", False, None, False, False, None, None),
    ("突破一万亿元", 1, None, "万亿元", Comparator.at_least, "突破", False, None, False, False, None, None),
    ("力争达到95%以上", 95, None, "%", Comparator.at_least, "以上", False, None, False, False, None, None),
    ("控制在3%以内", 3, None, "%", Comparator.at_most, "控制在", False, None, False, False, None, None),
]


@pytest.mark.parametrize("case", QUANTITIES, ids=[c[0] for c in QUANTITIES])
def test_parse_quantity_examples(case):
    text, value, value_max, unit, comparator, qualifier, cumulative, by, pp, annual, change, alternate = case
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.value_max, q.unit, q.comparator, q.qualifier) == (value, value_max, unit, comparator, qualifier)
    assert (q.cumulative, q.assigned_by, q.percentage_point, q.annual, q.change) == (cumulative, by, pp, annual, change)
    assert q.alternate == alternate
    assert q.raw == text


def test_parse_quantity_aspirational():
    q = parse_quantity("力争达到95%以上")
    assert q.aspirational and q.qualifiers == ["力争", "达到", "以上"]


def test_parse_quantity_assigned_without_value():
    q = parse_quantity("省下达指标")
    assert (q.value, q.assigned, q.assigned_by) == (None, True, "省")


@pytest.mark.parametrize("text", ["—", "-", "", "  ", "高于地区生产总值年均增长", "与经济增长基本同步", "——"])
def test_parse_quantity_without_figure(text):
    assert parse_quantity(text) is None


def test_qualifier_table():
    assert QUALIFIERS["以上"] == QUALIFIERS["不少于"] == QUALIFIERS["突破"] == Comparator.at_least
    assert QUALIFIERS["以下"] == QUALIFIERS["不超过"] == QUALIFIERS["控制在"] == Comparator.at_most
    assert QUALIFIERS["左右"] == QUALIFIERS["约"] == QUALIFIERS["基本"] == Comparator.about
    assert QUALIFIERS["力争"] is None


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "base", "factor"),
    [
        ("万亿元", "亿元", 10000.0),
        ("亿元", "亿元", 1.0),
        ("万元", "万元", 1.0),
        ("千亿元", "亿元", 1000.0),
        ("万千瓦", "万千瓦", 1.0),
        ("千瓦", "千瓦", 1.0),
        ("百万人", "万人", 100.0),
        ("万元/人", "万元/人", 1.0),
        ("微克/立方米", "微克/立方米", 1.0),
        ("%", "%", 1.0),
        ("（亿元）", "亿元", 1.0),
    ],
)
def test_parse_unit(text, base, factor):
    unit = parse_unit(text)
    assert (unit.base, unit.factor, unit.known) == (base, factor, True)


def test_unknown_unit():
    unit = parse_unit("万套(户)")
    assert not unit.known and unit.base == "万套(户)"


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.6, "万亿元", "亿元", 16000.0),
        (2, "万元/人", "元/人", 20000.0),
        (1, "公里", "km", 1.0),
        (3, "万亩", "公顷", 2000.0),
        (5, "万人", "人", 50000.0),
        (100, "万千瓦", "兆瓦", 1000.0),
        (2, "亿美元", "美元", 2e8),
        (1, "人/亿元", "人/万元", 1e-4),
        (30, "‰", "%", 3.0),
        (2, "万吨", "吨", 20000.0),
        (7, "万个", "个", 70000.0),
        (1, "万平方米", "平方米", 10000.0),
        (5, "万立方米", "立方米", 50000.0),
    ],
)
def test_convert_examples(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected)


@pytest.mark.parametrize(("source", "target"), [("%", "亿元"), ("个", "家"), ("元", "美元"), ("亿元", "万人"),
                                                ("个百分点", "%"), ("元/人", "元")])
def test_convert_incompatible(source, target):
    with pytest.raises(UnitError):
        convert(1, source, target)


def test_normalise_quantity():
    assert normalise_quantity(1.6, "万亿元") == (16000.0, "亿元")
    assert normalise_quantity(100, "万千瓦") == (100, "万千瓦")
    assert normalise_quantity(500, "万元") == (500, "万元")
    assert normalise_quantity(3, None) == (3, None)


# ---------------------------------------------------------------- properties

UNITS = ["亿元", "万元", "元", "万人", "人", "%", "个", "家", "张", "万千瓦", "万亩", "万吨", "亿美元", "平方米", ""]
SUFFIXES = ["", "以上", "以下", "左右", "以内"]
PREFIXES = ["", "不少于", "不超过", "超过", "突破", "约", "控制在"]
FAMILY_UNITS = [["元", "万元", "亿元", "万亿元"], ["人", "万人", "亿人"], ["平方米", "万平方米", "平方公里", "公顷", "亩", "万亩"],
                ["千瓦", "万千瓦", "兆瓦"], ["吨", "万吨", "千克"], ["元/人", "万元/人"], ["米", "公里", "千米", "km"]]

values = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)


@given(value=values, unit=st.sampled_from(UNITS), prefix=st.sampled_from(PREFIXES), suffix=st.sampled_from(SUFFIXES))
def test_quantity_round_trip(value, unit, prefix, suffix):
    text = f"{prefix}{value}{unit}{suffix}"
    q = parse_quantity(text)
    assert q is not None
    assert q.value == float(value)
    assert q.unit == (unit or None)
    expected = QUALIFIERS.get(prefix or suffix) if (prefix or suffix) else None
    if prefix and suffix:
        expected = QUALIFIERS[prefix]
    assert q.comparator == expected


@given(low=values, high=values, unit=st.sampled_from(UNITS[:-1]))
def test_range_round_trip(low, high, unit):
    q = parse_quantity(f"{low}-{high}{unit}")
    assert (q.value, q.value_max, q.unit, q.comparator) == (float(low), float(high), unit, Comparator.between)


@given(n=st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_round_trip(n):
    assert parse_number(cn2an.an2cn(n)) == n


@given(year=st.integers(min_value=1900, max_value=2199), circle=st.sampled_from(["〇", "○"]))
def test_chinese_year_round_trip(year, circle):
    digits = "".join("〇一二三四五六七八九"[int(d)] for d in str(year)).replace("〇", circle)
    assert parse_year(digits + "年") == year
    assert parse_year(f"{year}年") == year


@given(family=st.sampled_from(FAMILY_UNITS), data=st.data(),
       value=st.floats(min_value=1e-3, max_value=1e9, allow_nan=False))
def test_convert_inverse_and_transitive(family, data, value):
    a, b, c = (data.draw(st.sampled_from(family)) for _ in range(3))
    there = convert(value, a, b)
    assert math.isclose(convert(there, b, a), value, rel_tol=1e-12)
    assert math.isclose(convert(there, b, c), convert(value, a, c), rel_tol=1e-12)


@settings(max_examples=300)
@given(text=st.text())
def test_parsers_never_raise(text):
    parse_number(text)
    parse_year(text)
    parse_quantity(text)
    parse_unit(text)
    assert len(to_halfwidth(text)) == len(text)


@settings(max_examples=200)
@given(text=st.text(alphabet="0123456789.,%-~[]()（）／/万亿千百十一二三四五六七八九〇○零两点分之以上下左右约累计年均增长下降省下达元人个%", max_size=20))
def test_parsers_never_raise_on_numberish_text(text):
    parse_number(text)
    parse_year(text)
    parse_quantity(text)
