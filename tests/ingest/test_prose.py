"""Prose targets and achievements of the Jiaxing outline, with exact values and lines."""

from __future__ import annotations

import re

import pytest

from planwatch.ingest.document import halfwidth
from planwatch.model import Comparator, TargetKind

AT_LEAST, AT_MOST, ABOUT, BETWEEN = (Comparator.at_least, Comparator.at_most, Comparator.about,
                                     Comparator.between)

# line, subject, comparator, value, value_max, unit, year, aspirational
EXPECTED = [
    (419, "地区生产总值", AT_LEAST, 9000, None, "亿元", 2025, False),
    (419, "地区生产总值", AT_LEAST, 1, None, "万亿元", 2025, True),
    (419, "人均地区生产总值", AT_LEAST, 15, None, "万元", 2025, False),
    (421, "全员劳动生产率", AT_LEAST, 7, None, "%", 2025, False),
    (423, "研发经费支出占地区生产总值比重", AT_LEAST, 3.75, None, "%", 2025, False),
    (423, "人才资源总量", AT_LEAST, 170, None, "万人", 2025, False),
    (425, "实际利用外资", AT_LEAST, 35, None, "亿美元", 2025, False),
    (426, "文化及相关产业增加值", AT_LEAST, 500, None, "亿元", 2025, False),
    (428, "地表水达到或好于Ⅲ类水体比例(省控断面)", AT_LEAST, 100, None, "%", 2025, False),
    (431, "人均预期寿命", AT_LEAST, 83, None, "岁", 2025, False),
    (433, "地区生产总值", AT_LEAST, 2, None, "倍", 2035, True),
    (868, "“双千双万”人才总量", AT_LEAST, 1200, None, "名", 2025, False),
    (868, "高技能人才总量", AT_LEAST, 35, None, "万人", 2025, False),
    (868, "新增硕博人才", AT_LEAST, 3, None, "万人", 2025, False),
    (870, "布局建设省实验室", BETWEEN, 2, 3, "家", 2025, False),
    (885, "省重点企业研究院", AT_LEAST, 20, None, "家", 2025, False),
    (885, "省级企业研究院", AT_LEAST, 300, None, "家", 2025, False),
    (885, "新认定省重点实验室", AT_LEAST, 2, None, "家", 2025, False),
    (913, "规上工业产值", AT_LEAST, 1.6, None, "万亿元", 2025, False),
    (990, "市本级人口和经济规模占全市比重", AT_LEAST, 60, None, "%", 2025, True),
    (1012, "完成全域土地综合整治与生态修复目标任务", AT_LEAST, 100, None, "万亩", 2025, True),
    (1014, "村庄实现景区化创建任务", AT_LEAST, 70, None, "%", 2025, False),
    (1014, "3A级景区村庄", AT_LEAST, 10, None, "%", 2025, False),
    (1014, "村达到美丽乡村精品村标准", AT_LEAST, 0.6667, None, None, 2025, False),
    (1016, "培育规范化家庭农场", AT_LEAST, 5000, None, "家", 2025, False),
    (1016, "打造现代化农业经营企业", AT_LEAST, 200, None, "家", 2025, False),
    (1027, "中心城市至县级城区", AT_MOST, 0.5, None, "小时", 2025, False),
    (1027, "市域通达", AT_MOST, 1, None, "小时", 2025, False),
    (1048, "风电并网容量", AT_LEAST, 100, None, "万千瓦", 2025, False),
    (1048, "光伏发电并网容量", AT_LEAST, 300, None, "万千瓦", 2025, False),
    (1058, "新能源汽车新车销售量占汽车新车销售总量比重", ABOUT, 20, None, "%", 2025, True),
    (1066, "一般工业固体废物综合利用率", AT_LEAST, 97, None, "%", 2025, False),
    (1066, "城镇和农村生活垃圾回收利用率", AT_LEAST, 60, None, "%", 2025, False),
    (1066, "建筑垃圾资源化利用率", AT_LEAST, 60, None, "%", 2025, False),
    (1066, "秸秆综合利用率", AT_LEAST, 95, None, "%", 2025, False),
    (1081, "城区绿化覆盖率", AT_LEAST, 41, None, "%", 2025, False),
    (1175, "重点创作迎接建党百年文艺精品", AT_LEAST, 100, None, "部", 2025, False),
    (1191, "培养农村宣传文化管理员", AT_LEAST, 1000, None, "名", 2025, False),
    (1191, "培训基层文艺骨干", AT_LEAST, 1000, None, "名", 2025, False),
    (1210, "零就业家庭", AT_MOST, 0, None, "户", 2025, False),
    (1210, "城镇新增就业", AT_LEAST, 50, None, "万人", 2025, False),
    (1242, "普惠性幼儿园比例", ABOUT, 90, None, "%", 2025, False),
    (1242, "公办幼儿园在园幼儿占比", AT_LEAST, 60, None, "%", 2025, False),
    (1242, "义务教育学校标准化创建率", AT_LEAST, 97, None, "%", 2025, False),
    (1242, "建成在全省具有示范引领作用的特色普通高中", AT_LEAST, 5, None, "所", 2025, False),
    (1242, "县(市、区)成为学习型城市", AT_LEAST, 90, None, "%", 2025, False),
    (1246, "传染病总床位数", AT_LEAST, 800, None, "张", 2025, False),
    (1246, "培育三甲医院", BETWEEN, 1, 2, "家", 2025, True),
    (1246, "三级医院就医", AT_MOST, 1, None, "小时", 2025, False),
    (1246, "遴选卫生健康拔尖人才", AT_LEAST, 30, None, "名", 2025, False),
    (1250, "住房保障受益覆盖率", AT_LEAST, 25, None, "%", 2025, False),
    (1250, "城镇居民人均住房面积", AT_LEAST, 50, None, "平方米", 2025, False),
    (1250, "农村居民人均住房面积", AT_LEAST, 73.23, None, "平方米", 2025, False),
    (1254, "城乡居家社区养老服务网络覆盖率", AT_LEAST, 100, None, "%", 2025, False),
    (1254, "基层医疗卫生机构开展安宁疗护服务比", AT_LEAST, 20, None, "%", 2025, False),
    (1254, "培育康养联合体", AT_LEAST, 80, None, "个", 2025, False),
    (1254, "护理型床位占养老机构床位的比率", AT_LEAST, 60, None, "%", 2025, False),
    (1297, "重点实施代表性重大项目", ABOUT, 500, None, "个", 2025, False),
    (1297, "带动投资", AT_LEAST, 1, None, "万亿元", 2025, False),
]


def test_every_prose_target_exactly(jiaxing_plan):
    got = [(t.line, t.subject, t.comparator, t.value, t.value_max, t.unit, t.year, t.aspirational)
           for t in jiaxing_plan.targets]
    assert got == [(line, s, c, pytest.approx(v), v2, u, y, a) for line, s, c, v, v2, u, y, a in EXPECTED]


def target(plan, line, subject):
    return next(t for t in plan.targets if t.line == line and t.subject == subject)


def test_normalised_units_quotes_and_sections(jiaxing_plan):
    gdp = target(jiaxing_plan, 419, "地区生产总值")
    assert (gdp.quote, gdp.qualifier, gdp.section, gdp.year_explicit) == ("地区生产总值达到9000亿元以上", "以上", "3.3", True)
    stretch = [t for t in jiaxing_plan.targets if t.line == 419][1]
    assert (stretch.quote, stretch.value_normalised, stretch.unit_normalised) == ("力争1万亿元", 10000, "亿元")
    industry = target(jiaxing_plan, 913, "规上工业产值")
    assert (industry.value_normalised, industry.unit_normalised, industry.section) == (16000, "亿元", "4.2.2")
    wind = target(jiaxing_plan, 1048, "风电并网容量")
    assert wind.quote == "风电、光伏发电并网容量分别突破100万千瓦、300万千瓦"
    hospitals = target(jiaxing_plan, 1246, "培育三甲医院")
    assert (hospitals.quote, hospitals.qualifier, hospitals.section, hospitals.section_title) == (
        "力争培育三甲医院1-2家", "力争", "box13", "公共服务质量提升及重大改革和政策")
    share = target(jiaxing_plan, 1014, "村达到美丽乡村精品村标准")
    assert (share.qualifier, share.value_normalised, share.unit_normalised) == ("三分之二以上", 66.67, "%")
    institutes = target(jiaxing_plan, 885, "省重点企业研究院")
    assert (institutes.qualifier, institutes.section, institutes.year_explicit) == ("累计、以上", "box4", False)


def test_doubling_by_2035(jiaxing_plan):
    double = target(jiaxing_plan, 433, "地区生产总值")
    assert (double.kind, double.base_year, double.year, double.qualifier) == (TargetKind.level, 2025, 2035,
                                                                            "力争、翻一番")
    assert double.quote == "地区生产总值在2025年的基础上力争再翻一番"


def test_growth_target_kind(jiaxing_plan):
    assert target(jiaxing_plan, 421, "全员劳动生产率").kind == TargetKind.annual_growth


def test_targets_link_to_table_indicators(jiaxing_plan):
    linked = {(t.line, t.subject): t.indicator for t in jiaxing_plan.targets if t.indicator}
    by_name = {halfwidth(i.name): i.id for i in jiaxing_plan.indicators if i.table == "表2"}
    assert linked[(419, "地区生产总值")] == by_name["地区生产总值"]
    assert linked[(421, "全员劳动生产率")] == by_name["全员劳动生产率年均增长"]
    assert linked[(431, "人均预期寿命")] == by_name["人均预期寿命"]
    assert linked[(428, "地表水达到或好于Ⅲ类水体比例(省控断面)")] == by_name["地表水达到或好于Ⅲ类水体比例(省控断面)"]
    assert (419, "人均地区生产总值") not in linked


# ------------------------------------------------------------------ nothing missed

# Every number and every commitment word outside the tables, headings, project lines and the
# review chapters must lie inside a recognised target's quote, or be listed here (reviewed).
EXCLUDED = {
    (423, "实现重大突破"): "qualitative breakthrough, no figure",
    (433, "达到发达经济体水平"): "qualitative level, no figure",
    (433, "达到新高度"): "qualitative level, no figure",
    (775, "G60"): "name of the G60 science corridor",
    (793, "突破性"): "adjective",
    (868, "“550”"): "name of a talent programme",
    (870, "G60"): "name of the G60 science corridor",
    (913, "重点突破"): "noun phrase, no figure",
    (915, "3D打印"): "technology name",
    (915, "科技突破"): "noun phrase, no figure",
    (917, "5G器件"): "technology name",
    (944, "5G应用"): "technology name",
    (980, "G60"): "name of the G60 science corridor",
    (982, "省级及以上"): "administrative level of zones",
    (1004, "重大突破"): "qualitative breakthrough, no figure",
    (1048, "500千伏"): "voltage class of the grid",
    (1048, "1号、2号"): "names of wind farms",
    (1116, "省级以上"): "administrative level of zones",
    (1116, "突破交易品种"): "verb without figure",
    (1123, "500强"): "name of a company ranking",
    (1236, "0-3岁"): "age range of a population group",
    (1275, "实现突破"): "qualitative breakthrough, no figure",
    (1297, "“551”"): "name of a project programme",
}
CANDIDATE = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十]+分之[一二三四五六七八九十]+|翻[一两]番|达到|不少于|不低于|不超过|以上|突破")
TARGET_YEAR = re.compile(r"(?:到|至)\d{4}年")
ITEM_NUMBER = re.compile(r"^\s*\d+[.．]")


def test_no_quantity_is_missed(jiaxing_plan, jiaxing_document):
    plan, doc = jiaxing_plan, jiaxing_document
    review = {"1", "2"}  # 一、…取得决定性成就 and 二、…宏观形势: before the goals chapter
    skipped = {n.line for n in plan.outline} | {p.line for p in plan.projects}
    spans = [(n.line, n.line_end) for n in plan.outline
             if n.kind == "table" or (n.kind == "chapter" and n.id in review)]
    unexplained, used = [], set()
    for number, raw in enumerate(doc.raw, 1):
        if number in skipped or any(a <= number <= b for a, b in spans):
            continue
        covered = []
        for t in plan.targets:
            if t.line == number:
                assert t.quote in raw, (number, t.quote)
                start = raw.index(t.quote)
                covered.append((start, start + len(t.quote)))
        for key in EXCLUDED:
            if key[0] == number:
                assert key[1] in raw, key
                start = raw.index(key[1])
                covered.append((start, start + len(key[1])))
                used.add(key)
        for year in TARGET_YEAR.finditer(raw):
            covered.append(year.span())
        item = ITEM_NUMBER.match(raw)
        if item:
            covered.append(item.span())
        for match in CANDIDATE.finditer(raw):
            if not any(a <= match.start() < b for a, b in covered):
                unexplained.append((number, raw[max(0, match.start() - 8): match.end() + 8]))
    assert unexplained == []
    assert used == set(EXCLUDED)


# ------------------------------------------------------------------ achievements

def test_achievements_of_the_review_chapter(jiaxing_plan):
    got = [(a.line, a.subject, a.value, a.unit, a.comparator, a.year) for a in jiaxing_plan.achievements]
    assert got == [
        (8, "地区生产总值", 5500, "亿元", AT_LEAST, 2020),
        (8, "财政总收入", 1000, "亿元", AT_LEAST, 2020),
        (8, "规上工业总产值", 10000, "亿元", AT_LEAST, 2020),
        (8, "常住人口", 500, "万人", AT_LEAST, 2020),
        (8, "人均地区生产总值", 10, "万元", AT_LEAST, 2020),
        (8, "国家高新技术企业和省科技型中小企业总数", 6000, "家", AT_LEAST, 2020),
        (8, "上市公司", 65, "家", AT_LEAST, 2020),
        (8, "总市值", 6000, "亿元", AT_LEAST, 2020),
        (10, "普通高校(含校区)", 10, "所", AT_LEAST, 2020),
        (10, "在校学生", 7.79, "万人", AT_LEAST, 2020),
        (13, "常住人口城镇化率", 65, "%", AT_LEAST, 2020),
        (14, "河流Ⅲ类及以上水质的市控断面占比", 91.8, "%", AT_LEAST, 2020),
        (14, "劣五类水质断面", 0, None, AT_MOST, 2020),
        (14, "市区PM2.5浓度", 28, "微克/立方米", AT_MOST, 2020),
    ]
    assert jiaxing_plan.achievements[0].quote == "全市地区生产总值突破5500亿元"
    assert jiaxing_plan.achievements[0].section == "1"
    assert not any(t.line < 385 for t in jiaxing_plan.targets)


def test_past_tense_outside_the_review_is_an_achievement():
    from planwatch.ingest import read_plan_text

    text = ("嘉兴市国民经济和社会发展第十四个五年规划纲要\n三、主要目标\n"
            "全市常住人口已经达到540万人，到2025年，常住人口达到560万人。\n")
    plan = read_plan_text(text, "t.txt")
    assert [(a.subject, a.value) for a in plan.achievements] == [("常住人口", 540)]
    assert [(t.subject, t.value, t.year) for t in plan.targets] == [("常住人口", 560, 2025)]
