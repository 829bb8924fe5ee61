"""Figures written in words inside the prose (issue 10): 百部, 千名, 半小时, 1小时…圈, 清零.

Each expected row is read off the outline by hand (src/planwatch/samples/plans/jiaxing-14th-fyp-outline.txt):
line 1027 构建半小时中心城市至县级城区、1小时市域通达的现代化交通网络体系; 1175 重点创作迎接建党百年“百部”文艺精品;
1191 培养千名农村宣传文化管理员，培训千名基层文艺骨干; 1210 确保零就业家庭动态清零; 1246 加快构建全市1小时三级医院就医网络
(the same travel-time form as 1027, so read the same way). data/jiaxing-prose-targets-arabic.json holds the 52 prose
targets found before figures in words were read, recorded from the parser before this change: none may be lost or changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from planwatch.numbers import parse_numeral_word

BEFORE = Path(__file__).parent / "data" / "jiaxing-prose-targets-arabic.json"

# line, subject, comparator, value, unit, quote (as printed), qualifier
IN_WORDS = [
    (1027, "中心城市至县级城区", "at_most", 0.5, "小时", "构建半小时中心城市至县级城区", None),
    (1027, "市域通达", "at_most", 1.0, "小时", "1小时市域通达的现代化交通网络体系", None),
    (1175, "重点创作迎接建党百年文艺精品", "at_least", 100.0, "部", "重点创作迎接建党百年“百部”文艺精品", None),
    (1191, "培养农村宣传文化管理员", "at_least", 1000.0, "名", "培养千名农村宣传文化管理员", None),
    (1191, "培训基层文艺骨干", "at_least", 1000.0, "名", "培训千名基层文艺骨干", None),
    (1210, "零就业家庭", "at_most", 0.0, "户", "确保零就业家庭动态清零", None),
    (1246, "三级医院就医", "at_most", 1.0, "小时", "加快构建全市1小时三级医院就医网络", None),
]


def test_figures_in_words_are_prose_targets(jiaxing_plan):
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    got = [(t.line, t.subject, t.comparator.value, t.value, t.unit, t.quote, t.qualifier)
           for t in jiaxing_plan.targets if t.model_dump(mode="json") not in before]
    assert got == IN_WORDS


def test_figures_in_words_keep_their_unit_year_and_section(jiaxing_plan):
    by_quote = {t.quote: t for t in jiaxing_plan.targets}
    works = by_quote["重点创作迎接建党百年“百部”文艺精品"]
    assert (works.value_normalised, works.unit_normalised, works.kind.value, works.year, works.year_explicit) == (
        100.0, "部", "level", 2025, False)
    assert (works.section, works.section_title) == ("box12", "禾城文化复兴行动十大工程")
    half = by_quote["构建半小时中心城市至县级城区"]
    assert (half.value_normalised, half.unit_normalised, half.value_max, half.section) == (0.5, "小时", None, "4.3.3")
    zero = by_quote["确保零就业家庭动态清零"]
    assert (zero.value, zero.value_normalised, zero.unit_normalised, zero.indicator) == (0.0, 0.0, "户", None)


def test_no_target_found_before_is_lost_or_changed(jiaxing_plan):
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    now = [t.model_dump(mode="json") for t in jiaxing_plan.targets]
    assert len(before) == 52 and len(now) == 59
    # Same order too: the earlier list is the new one with the seven targets in words taken out.
    assert [t for t in now if t in before] == before


def test_the_review_chapter_reads_cleared_as_an_achievement(jiaxing_plan):
    # line 14 (一、…取得决定性成就): 劣五类水质断面实现清零 is a fact of the 13th plan, not a target.
    cleared = [a for a in jiaxing_plan.achievements if a.quote == "劣五类水质断面实现清零"]
    assert [(a.line, a.subject, a.value, a.unit, a.comparator.value, a.year) for a in cleared] == [
        (14, "劣五类水质断面", 0.0, None, "at_most", 2020)]


def test_names_and_small_counts_in_words_are_not_targets():
    from planwatch.ingest import read_plan_text

    text = ("嘉兴市国民经济和社会发展第十四个五年规划纲要\n三、主要目标\n"
            "着重建设市一医院、市二医院两个区域医疗中心。持续开展“文化进万家”活动。迎接建党百年。"
            "每万人高价值发明专利拥有量持续提高。培训两千名乡村医生。\n")
    plan = read_plan_text(text, "t.txt")
    assert [(t.subject, t.value, t.unit) for t in plan.targets] == [("培训乡村医生", 2000.0, "名")]


def test_numeral_words():
    assert [parse_numeral_word(t) for t in ("百", "千", "万", "十万", "两千", "半", "零", "三十")] == [
        100.0, 1000.0, 10000.0, 100000.0, 2000.0, 0.5, 0.0, 30.0]
    assert parse_numeral_word("批") is None
