"""Plan metadata from the title: region and its level, plan number, period, base and vision years."""

from __future__ import annotations

import re

from planwatch.model import PlanMeta
from planwatch.numbers import parse_year

from .document import Document
from .outline import chinese_number

CN_NUMERAL = "一二三四五六七八九十"
YEAR_DIGITS = "〇○零一二三四五六七八九0-9"
REGION_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "省", "市", "州", "盟", "县", "区", "旗")
# 直辖市 are cities by name but provinces by level.
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
LEVELS = {"自治区": "province", "特别行政区": "province", "省": "province", "市": "city", "州": "city",
          "自治州": "city", "盟": "city", "县": "county", "自治县": "county", "区": "county", "旗": "county"}
PLAN_NAME = re.compile(
    rf"(?P<before>[^，,。；;《》“”\s]*?)(?P<economy>国民经济和社会发展)?"
    rf"第(?P<number>[{CN_NUMERAL}]{{1,3}})个五年(?:规划|计划)"
    rf"(?P<vision>和[{YEAR_DIGITS}]{{4}}年远景目标)?(?P<kind>纲要|建议|的建议|草案)?"
)
SHORT_NAME = re.compile(rf"[“\"]?(?P<number>[{CN_NUMERAL}]{{2,3}})五[”\"]?(?:规划|时期)")
VISION = re.compile(rf"(?P<year>[{YEAR_DIGITS}]{{4}})年远景目标")
REGION_AT_END = re.compile(r"^(?P<region>[\u4e00-\u9fff]{1,12}?(?:" + "|".join(REGION_SUFFIXES) + r"))$")
# What precedes the region in titles of proposals (中共宁波市委关于制定宁波市…的建议).
REGION_PREFIX = re.compile(r"^.*(?:关于制定|关于|制定|编制)")
REGION_AT_START = re.compile(r"^(?P<region>[\u4e00-\u9fff]{1,8}?(?:" + "|".join(REGION_SUFFIXES) + r"))")
PARENTHETICAL = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")
TITLE_SEARCH_LINES = 40
MAX_PLAN_NUMBER = 30  # the 30th plan would run to 2100
SPACES = re.compile(r"\s+")


def year_of(text: str) -> int | None:
    """A year written in Arabic or Chinese digits (2035, 二〇三五, 二○三五年)."""
    return parse_year(text.strip())


def plan_period(number: int) -> tuple[int, int]:
    """First and last year of the Nth national five-year plan (1st 1953–57, 2nd 1958–62, 3rd from 1966)."""
    if number == 1:
        return 1953, 1957
    if number == 2:
        return 1958, 1962
    start = 1966 + 5 * (number - 3)  # 1963–65 was an adjustment period between the 2nd and 3rd plans
    return start, start + 4


def region_level(region: str) -> str | None:
    """province / city / county from a region name's suffix."""
    if region in MUNICIPALITIES:
        return "province"
    for suffix in REGION_SUFFIXES:
        if region.endswith(suffix):
            return LEVELS[suffix]
    return None


def title_match(text: str) -> re.Match | None:
    """The plan-name match in a line (…第十四个五年规划和二〇三五年远景目标纲要)."""
    return PLAN_NAME.search(text)


def region_from(before: str) -> str | None:
    """The region in the text before 国民经济和社会发展 (嘉兴市, or 宁波市 of 中共宁波市委关于制定宁波市)."""
    before = REGION_PREFIX.sub("", before.strip("《》“” "))
    if not before:
        return None
    match = REGION_AT_END.match(before)
    return match.group("region") if match else None


def read_meta(doc: Document) -> tuple[PlanMeta, list[str]]:
    """The plan's metadata and warnings about what could not be read."""
    warnings: list[str] = []
    found_line, title, match = find_title(doc)
    header_title = doc.headers.get("title")
    if match is None and header_title:
        title = PARENTHETICAL.sub("", header_title).strip() or header_title
        match = title_match(title)
        found_line = 1
    if not title:
        warnings.append("未找到规划标题（如“××市国民经济和社会发展第十四个五年规划…纲要”），元数据留空")
        return PlanMeta(title="", source_file=doc.name, encoding=doc.encoding, sha256=doc.sha256), warnings
    region, number, vision = None, None, None
    if match is not None:
        region = region_from(match.group("before"))
        number = chinese_number(match.group("number"))
        if match.group("vision"):
            vision = year_of(match.group("vision"))
    if region is None:
        at_start = REGION_AT_START.match(title)
        region = at_start.group("region") if at_start else None
    if number is None:
        short = SHORT_NAME.search(title) or first_match(doc, SHORT_NAME)
        number = chinese_number(short.group("number")) if short else None
    if vision is None:
        vision_match = VISION.search(title) or first_match(doc, VISION)
        vision = year_of(vision_match.group("year")) if vision_match else None
    if number is not None and not 1 <= number <= MAX_PLAN_NUMBER:
        warnings.append(f"标题中的五年规划序号 {number} 不合理，已忽略")
        number = None
    start, end = plan_period(number) if number else (None, None)
    if region is None:
        warnings.append(f"未能从标题“{title}”识别地区名称")
    if number is None:
        warnings.append(f"未能从标题“{title}”识别第几个五年规划，规划期起止年份留空")
    meta = PlanMeta(title=title, region=region, level=region_level(region) if region else None,
                    period_start=start, period_end=end, base_year=start - 1 if start else None,
                    vision_year=vision, plan_number=number, source_file=doc.name, encoding=doc.encoding,
                    sha256=doc.sha256, line=found_line)
    return meta, warnings


def find_title(doc: Document) -> tuple[int | None, str, re.Match | None]:
    """(line, title, match) of the first line naming a five-year plan near the top, else (None, '', None)."""
    seen = 0
    for number in range(doc.header_lines + 1, len(doc.lines) + 1):
        text = SPACES.sub("", doc.lines[number - 1]).lstrip("《")
        if not text:
            continue
        seen += 1
        if seen > TITLE_SEARCH_LINES:
            break
        match = title_match(text)
        if match and match.start() == 0:  # a title begins its line; a plan named mid-sentence is a reference
            printed = SPACES.sub("", doc.raw[number - 1]).lstrip("《")
            title = text[match.start(): match.end()]
            if len(printed) == len(text):
                title = printed[match.start(): match.end()]
            return number, title, match
    return None, "", None


def first_match(doc: Document, pattern: re.Pattern) -> re.Match | None:
    """The first match of a pattern in the opening lines (a 十四五 or 远景目标 mention)."""
    for text in doc.lines[: doc.header_lines + TITLE_SEARCH_LINES]:
        match = pattern.search(text)
        if match:
            return match
    return None
