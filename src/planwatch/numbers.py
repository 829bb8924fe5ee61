"""Numbers as Chinese plans print them: numerals, quantities, units and qualifiers.

Pure functions, no I/O. Everything here accepts arbitrary text and answers ``None``
(or a :class:`Unit` of an unknown family) rather than raising, except :func:`convert`,
which raises :class:`UnitError` for units of different families.

Unit normalisation rule (:func:`normalise_quantity`): plans write large magnitudes with
the prefixes 万 (10⁴) and 亿 (10⁸). A compound prefix is reduced to the last of these it
ends with — 万亿元 → 亿元 ×10000, 千亿元 → 亿元 ×1000, 百万人 → 万人 ×100 — while a single
prefix (万元, 亿元, 万千瓦, 万人) and an unprefixed unit are kept as written. So
1.6万亿元 → 16000 亿元, 100万千瓦 → 100 万千瓦, 500万元 → 500 万元.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import cn2an

from planwatch.model import Comparator

__all__ = [
    "QUALIFIERS",
    "Quantity",
    "Unit",
    "UnitError",
    "convert",
    "normalise_quantity",
    "parse_number",
    "parse_numeral_word",
    "parse_quantity",
    "parse_unit",
    "parse_year",
    "to_halfwidth",
]


class UnitError(ValueError):
    """Two units that cannot be converted into each other (% ↔ 亿元)."""


# ---------------------------------------------------------------- full width → half width

# U+3000 ideographic space becomes an ASCII space; every full-width ASCII form (U+FF01–U+FF5E:
# digits, letters, ％．，：；（）［］～) becomes its ASCII twin. One character maps to one
# character, so column offsets and line numbers survive. CJK punctuation (、。“”《》—) stays.
_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """The text with full-width ASCII forms replaced by ASCII, length preserved."""
    return text.translate(_HALFWIDTH)


# ---------------------------------------------------------------- numbers

_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+"
_ARABIC = re.compile(rf"^([+-]?)({_DIGITS})\s*(万亿|亿|万|千|百)?\s*(%?)$")
_CN_NUMERAL = re.compile(r"^[零〇○一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟]+$")
_FRACTION = re.compile(r"^(.+?)分之(.+)$")
_MULTIPLIER = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8}


def _multiplier(prefix: str) -> float:
    """Product of the magnitude characters of a prefix (万亿 → 10¹²)."""
    return math.prod(_MULTIPLIER[c] for c in prefix)


def _chinese_numeral(text: str) -> float | None:
    """Value of a Chinese numeral, through cn2an; None if it is not one."""
    if not _CN_NUMERAL.match(text):
        return None
    try:
        # cn2an knows 〇 (U+3007) but not the look-alike ○ (U+25CB) that Word documents use.
        return float(cn2an.cn2an(text.replace("○", "〇"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):  # cn2an raises these for malformed numerals
        return None


def parse_number(text: str) -> float | None:
    """The plain number a token denotes ('1.6万亿' → 1.6e12, '三分之二' → 0.667, '17.8%' → 17.8)."""
    if not isinstance(text, str):
        return None
    t = to_halfwidth(text).strip().replace(" ", "")
    if not t:
        return None
    m = _ARABIC.match(t)
    if m:
        sign, digits, prefix, _ = m.groups()
        value = float(digits.replace(",", "")) * (_multiplier(prefix) if prefix else 1.0)
        return -value if sign == "-" else value
    t = t.removesuffix("%")
    fraction = _FRACTION.match(t)
    if fraction:
        denominator = parse_number(fraction.group(1))
        numerator = parse_number(fraction.group(2))
        if denominator and numerator is not None:
            return numerator / denominator
        return None
    return _chinese_numeral(t)


def parse_numeral_word(text: str) -> float | None:
    """The value of a number written as a word in running text: '百' (百部) → 100, '千' (千名) → 1000,
    '半' (半小时) → 0.5, '两千' → 2000; otherwise as :func:`parse_number`.

    Prose drops the leading 一 of a round figure (百部 is 一百部), which cn2an does not accept alone.
    """
    t = to_halfwidth(text or "").strip()
    if t == "半":
        return 0.5
    if t[:1] in _MULTIPLIER:
        t = "一" + t
    return parse_number(t)


_YEAR = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年?(度)?$")


def parse_year(text: str) -> int | None:
    """The year a token names ('2025年', '二〇三五年', '二○二五年', '2035'), or None."""
    if not isinstance(text, str):
        return None
    m = _YEAR.match(to_halfwidth(text).strip())
    if not m:
        return None
    digits = m.group(1)
    if digits.isdigit() and digits.isascii():
        return int(digits)
    value = _chinese_numeral(digits.replace("零", "〇"))
    return int(value) if value is not None else None


# ---------------------------------------------------------------- units

# Base units: name → (family, size in the family's reference unit). Counting words are each
# their own family (个 ↔ 家 is not a conversion), as are 岁/年/天.
_BASE_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money_cny", 1.0),
    "美元": ("money_usd", 1.0),
    "欧元": ("money_eur", 1.0),
    "人": ("people", 1.0),
    "人次": ("person_times", 1.0),
    "户": ("households", 1.0),
    "瓦": ("power", 1.0),
    "千瓦": ("power", 1e3),
    "兆瓦": ("power", 1e6),
    "吉瓦": ("power", 1e9),
    "千瓦时": ("electricity", 1.0),
    "度": ("electricity", 1.0),
    "米": ("length", 1.0),
    "千米": ("length", 1e3),
    "公里": ("length", 1e3),
    "km": ("length", 1e3),
    "平方米": ("area", 1.0),
    "平方公里": ("area", 1e6),
    "平方千米": ("area", 1e6),
    "公顷": ("area", 1e4),
    "亩": ("area", 1e4 / 15),
    "立方米": ("volume", 1.0),
    "吨": ("mass", 1e6),
    "千克": ("mass", 1e3),
    "公斤": ("mass", 1e3),
    "克": ("mass", 1.0),
    "毫克": ("mass", 1e-3),
    "微克": ("mass", 1e-6),
    "吨标准煤": ("coal_equivalent", 1.0),
    "吨标煤": ("coal_equivalent", 1.0),
    "吨二氧化碳": ("co2", 1.0),
    "标箱": ("teu", 1.0),
    "%": ("percent", 1.0),
    "‰": ("percent", 0.1),
    "个百分点": ("percentage_point", 1.0),
    "百分点": ("percentage_point", 1.0),
    "岁": ("age", 1.0),
    "年": ("years", 1.0),
    "天": ("days", 1.0),
    "小时": ("hours", 1.0),
    "分钟": ("minutes", 1.0),
}
_COUNT_WORDS = ["个", "家", "张", "件", "所", "项", "座", "辆", "台", "套", "床", "册", "篇", "条", "只", "艘", "架", "处", "幢", "栋", "间", "名", "位", "批", "类", "次", "部", "片", "串", "对", "宗", "笔"]
for _word in _COUNT_WORDS:
    _BASE_UNITS.setdefault(_word, (f"count_{_word}", 1.0))

_BASES_LONGEST_FIRST = sorted(_BASE_UNITS, key=len, reverse=True)
_PREFIX = re.compile(r"^[十百千万亿]*$")


@dataclass(frozen=True)
class Unit:
    """A unit as written, its normalised form and how to get there.

    ``factor`` multiplies a value in ``text`` into ``base`` (万亿元 → 亿元: 10000).
    ``family`` names what is measured; ``scale`` is the size of ``text`` in the
    family's reference unit (万元 → 10000 元). Units of an unknown family have
    ``family == text`` and convert only into themselves.
    """

    text: str
    base: str
    factor: float = 1.0
    family: str = ""
    scale: float = 1.0
    known: bool = True


def _simple_unit(text: str) -> Unit:
    """A unit without '/': optional magnitude prefix + a base unit."""
    for name in _BASES_LONGEST_FIRST:
        if text.endswith(name) and _PREFIX.match(text[: -len(name)]):
            prefix = text[: -len(name)]
            family, size = _BASE_UNITS[name]
            kept = prefix[-1] if prefix and prefix[-1] in "万亿" else ""
            factor = _multiplier(prefix) / _multiplier(kept) if prefix else 1.0
            if prefix and not kept:  # 千元 / 百人: no 万/亿 to keep, stays as written
                kept, factor = prefix, 1.0
            scale = (_multiplier(prefix) if prefix else 1.0) * size
            return Unit(text=text, base=kept + name, factor=factor, family=family, scale=scale)
    return Unit(text=text, base=text, factor=1.0, family=text, scale=1.0, known=False)


def parse_unit(text: str | None) -> Unit:
    """The :class:`Unit` for a unit as written ('万亿元' → base 亿元, factor 10000)."""
    t = to_halfwidth(text or "").strip().replace(" ", "")
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    if "/" in t:
        numerator, _, denominator = t.partition("/")
        top, bottom = _simple_unit(numerator), _simple_unit(denominator)
        return Unit(
            text=t,
            base=f"{top.base}/{bottom.base}",
            factor=top.factor / bottom.factor,
            family=f"{top.family}/{bottom.family}",
            scale=top.scale / bottom.scale,
            known=top.known and bottom.known,
        )
    return _simple_unit(t)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """The value expressed in another unit of the same family; UnitError otherwise."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.family != target.family:
        raise UnitError(f"单位“{from_unit}”与“{to_unit}”不可换算")
    if source.scale == target.scale:
        return value
    return value * source.scale / target.scale


def normalise_quantity(value: float, unit_text: str | None) -> tuple[float, str | None]:
    """(value, unit) with a compound magnitude prefix reduced to 万/亿 (1.6 万亿元 → 16000 亿元)."""
    if not unit_text:
        return value, unit_text
    unit = parse_unit(unit_text)
    if unit.factor == 1.0:
        return value, unit.base
    return value * unit.factor, unit.base


# ---------------------------------------------------------------- qualifiers and quantities

# Qualifier as written → comparator it implies (None: it qualifies without comparing).
QUALIFIERS: dict[str, Comparator | None] = {
    "及以上": Comparator.at_least,
    "以上": Comparator.at_least,
    "不少于": Comparator.at_least,
    "不低于": Comparator.at_least,
    "不小于": Comparator.at_least,
    "超过": Comparator.at_least,
    "突破": Comparator.at_least,
    "高于": Comparator.at_least,
    "多于": Comparator.at_least,
    "大于": Comparator.at_least,
    "以下": Comparator.at_most,
    "及以下": Comparator.at_most,
    "以内": Comparator.at_most,
    "不超过": Comparator.at_most,
    "不高于": Comparator.at_most,
    "不多于": Comparator.at_most,
    "不大于": Comparator.at_most,
    "控制在": Comparator.at_most,
    "低于": Comparator.at_most,
    "少于": Comparator.at_most,
    "小于": Comparator.at_most,
    "左右": Comparator.about,
    "上下": Comparator.about,
    "约": Comparator.about,
    "大约": Comparator.about,
    "基本": Comparator.about,
    "力争": None,
    "达到": None,
    "累计": None,
    "年均": None,
}
_INCREASE = ("增长", "提高", "提升", "增加", "上升")
_DECREASE = ("下降", "降低", "减少", "压减", "削减")
_PREFIX_WORDS = sorted([*QUALIFIERS, *_INCREASE, *_DECREASE], key=len, reverse=True)
_SUFFIX_QUALIFIERS = ("及以上", "及以下", "以上", "以下", "以内", "左右", "上下")

_DASHES = {"", "-", "—", "——", "–", "/", "无", "－", "―"}
_ASSIGNED = re.compile(r"[(（]?(省|市|国家|上级)下达(?:指标)?[)）]?")
_NUMBER_TOKEN = re.compile(rf"([+-]?(?:{_DIGITS}))")
_RANGE_SEPARATOR = re.compile(r"^\s*(?:-|~|～|—|–|至|到)\s*")
_CHINESE_RUN = re.compile(r"[零〇○一二两三四五六七八九十百千万亿点分之]+")


@dataclass
class Quantity:
    """A number as printed in a plan, with what surrounds it."""

    raw: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    qualifier: str | None = None
    qualifiers: list[str] = field(default_factory=list)
    cumulative: bool = False
    assigned: bool = False
    assigned_by: str | None = None
    percentage_point: bool = False
    annual: bool = False
    change: str | None = None  # 'increase' / 'decrease' when the phrase says 增长 / 下降
    aspirational: bool = False
    alternate: float | None = None  # second figure of '307.17/298.19'
    alternate_cumulative: bool = False
    prefix: str = ""  # words before the number not understood as qualifiers


def _strip_brackets(text: str) -> tuple[str, bool]:
    """Text without a surrounding [...] and whether it had one."""
    m = re.match(r"^[\[［【](.*?)[\]］】](.*)$", text)
    if m:
        return m.group(1) + m.group(2), True
    return text, False


def _read_prefix(prefix: str, quantity: Quantity) -> None:
    """Record the qualifiers found in the words before the number."""
    rest = prefix
    for word in _PREFIX_WORDS:
        if word in rest:
            rest = rest.replace(word, " ")
            if word in _INCREASE:
                quantity.change = "increase"
            elif word in _DECREASE:
                quantity.change = "decrease"
            else:
                quantity.qualifiers.append(word)
    quantity.prefix = rest.strip() if rest.strip() else ""


def _first_number(text: str) -> tuple[int, int, float] | None:
    """(start, end, value) of the first Arabic or Chinese number in the text."""
    m = _NUMBER_TOKEN.search(text)
    if m:
        return m.start(), m.end(), float(m.group(1).replace(",", ""))
    for run in _CHINESE_RUN.finditer(text):
        end = run.end()
        magnitude = re.search(r"[万亿]+$", run.group())
        if magnitude and end < len(text) and parse_unit(magnitude.group() + text[end:]).known:
            end -= len(magnitude.group())  # 一万亿元: the 万亿 belongs to the unit, as 1万亿元 would
        for stop in range(end, run.start(), -1):  # the longest numeral
            token = text[run.start() : stop]
            value = parse_number(token)
            if value is not None and token not in ("万", "亿", "千", "百", "十"):
                return run.start(), stop, value
    return None


def parse_quantity(text: str) -> Quantity | None:
    """A :class:`Quantity` for phrases like '9000亿元以上', '[23]（省下达）', '1-2家'; None if no figure."""
    if not isinstance(text, str):
        return None
    t = re.sub(r"\s+", "", to_halfwidth(text))
    if t in _DASHES:
        return None
    quantity = Quantity(raw=text)
    assigned = _ASSIGNED.search(t)
    if assigned:
        quantity.assigned, quantity.assigned_by = True, assigned.group(1)
        t = (t[: assigned.start()] + t[assigned.end() :]).strip()
    main, _, alternate = t.partition("/") if re.search(r"/[\[\d]", t) else (t, "", "")
    main, quantity.cumulative = _strip_brackets(main)
    if alternate:
        alt, quantity.alternate_cumulative = _strip_brackets(alternate)
        alt_number = _first_number(alt)
        quantity.alternate = alt_number[2] if alt_number else None
    found = _first_number(main)
    if found is None:
        return quantity if quantity.assigned else None
    start, end, quantity.value = found
    _read_prefix(main[:start], quantity)
    rest = main[end:]
    second = _RANGE_SEPARATOR.match(rest)
    if second:
        upper = _first_number(rest[second.end() :])
        if upper and upper[0] == 0:
            quantity.value_max = upper[2]
            rest = rest[second.end() + upper[1] :]
    for suffix in _SUFFIX_QUALIFIERS:
        if rest.endswith(suffix):
            quantity.qualifiers.append(suffix)
            rest = rest[: -len(suffix)]
            break
    unit = rest.strip()
    quantity.unit = unit or None
    quantity.percentage_point = "百分点" in unit
    if "累计" in quantity.qualifiers:
        quantity.cumulative = True
    quantity.annual = "年均" in quantity.qualifiers
    quantity.aspirational = "力争" in quantity.qualifiers
    for word in quantity.qualifiers:
        if QUALIFIERS.get(word) is not None:
            quantity.comparator, quantity.qualifier = QUALIFIERS[word], word
            break
    else:
        quantity.qualifier = quantity.qualifiers[0] if quantity.qualifiers else None
    if quantity.value_max is not None:
        quantity.comparator = Comparator.between
    return quantity
