"""Plan metadata from the title; the plan period from the plan number."""

from __future__ import annotations

import pytest

from planwatch.ingest import read_plan_text
from planwatch.ingest.meta import plan_period, region_level


def test_jiaxing_meta(jiaxing_plan):
    meta = jiaxing_plan.meta
    assert meta.title == "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    assert (meta.region, meta.level, meta.plan_number) == ("嘉兴市", "city", 14)
    assert (meta.period_start, meta.period_end, meta.base_year, meta.vision_year) == (2021, 2025, 2020, 2035)
    assert meta.line == 1


@pytest.mark.parametrize("number, period", [(1, (1953, 1957)), (2, (1958, 1962)), (3, (1966, 1970)),
                                            (13, (2016, 2020)), (14, (2021, 2025)), (15, (2026, 2030))])
def test_plan_period(number, period):
    assert plan_period(number) == period


@pytest.mark.parametrize("region, level", [("浙江省", "province"), ("广西壮族自治区", "province"),
                                           ("上海市", "province"), ("嘉兴市", "city"), ("嘉善县", "county"),
                                           ("秀洲区", "county"), ("延边朝鲜族自治州", "city")])
def test_region_level(region, level):
    assert region_level(region) == level


def test_other_plan_titles():
    plan = read_plan_text("嘉善县国民经济和社会发展第十五个五年规划纲要\n\n一、总体要求\n", "x.txt")
    assert (plan.meta.region, plan.meta.level, plan.meta.plan_number) == ("嘉善县", "county", 15)
    assert (plan.meta.period_start, plan.meta.period_end, plan.meta.base_year) == (2026, 2030, 2025)
    assert plan.meta.vision_year is None
    plan = read_plan_text("浙江省国民经济和社会发展第十三个五年规划纲要\n一、发展基础\n", "y.txt")
    assert (plan.meta.region, plan.meta.level, plan.meta.period_end) == ("浙江省", "province", 2020)


def test_fragment_meta(fragment_plans):
    ningbo = fragment_plans["ningbo"].meta
    assert ningbo.title == "中共宁波市委关于制定宁波市国民经济和社会发展第十四个五年规划和二○三五年远景目标的建议"
    assert (ningbo.region, ningbo.period_end, ningbo.vision_year, ningbo.line) == ("宁波市", 2025, 2035, 14)
    zhejiang = fragment_plans["zhejiang"].meta
    assert zhejiang.title == "浙江省2021年政府工作报告 第二部分 “十四五”时期的主要目标和任务"
    assert (zhejiang.region, zhejiang.level, zhejiang.plan_number, zhejiang.period_end) == ("浙江省", "province",
                                                                                           14, 2025)
    jiashan = fragment_plans["jiashan"]
    assert (jiashan.meta.region, jiashan.meta.level, jiashan.meta.plan_number) == ("嘉善县", "county", None)
    assert any("第几个五年规划" in w for w in jiashan.warnings)
