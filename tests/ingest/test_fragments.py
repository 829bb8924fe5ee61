"""The partial documents ingest without a crash and yield exactly what they hold."""

from __future__ import annotations

import pytest

from planwatch.model import Comparator


def rows(plan):
    return [(t.line, t.subject, t.comparator, t.value, t.unit, t.value_normalised, t.unit_normalised, t.year)
            for t in plan.targets]


def test_ningbo_prose_targets(fragment_plans):
    plan = fragment_plans["ningbo"]
    assert rows(plan) == [
        (22, "生产总值", Comparator.at_least, 1.7, "万亿元", 17000, "亿元", 2025),
        (22, "人均生产总值", Comparator.at_least, 17, "万元", 17, "万元", 2025),
        (22, "常住人口城镇化率", Comparator.at_least, 76, "%", 76, "%", 2025),
    ]
    assert all(t.year_explicit for t in plan.targets)  # 到二○二五年
    assert plan.achievements == [] and plan.projects == []
    assert any("指标表" in w for w in plan.warnings)


def test_zhejiang_paired_targets(fragment_plans):
    plan = fragment_plans["zhejiang"]
    assert rows(plan) == [
        (10, "生产总值", Comparator.at_least, 8.5, "万亿元", 85000, "亿元", 2025),
        (10, "人均生产总值", Comparator.at_least, 13, "万元", 13, "万元", 2025),
        (10, "数字经济增加值占生产总值比重", Comparator.about, 60, "%", 60, "%", 2025),
    ]
    assert plan.targets[0].quote == "全省生产总值、人均生产总值分别突破8.5万亿元、13万元"
    assert [n.id for n in plan.outline] == ["2"]
    assert any("指标表" in w for w in plan.warnings)


def test_jiashan_table_is_not_read_as_prose(fragment_plans):
    plan = fragment_plans["jiashan"]
    assert plan.targets == [] and plan.achievements == []
    assert plan.meta.region == "嘉善县"
    assert plan.warnings  # what could not be understood is said


@pytest.mark.parametrize("stem", ["jiashan", "ningbo", "zhejiang"])
def test_fragments_carry_warnings(fragment_plans, stem):
    assert fragment_plans[stem].warnings


def test_unparsed_pipe_rows_are_reported():
    from planwatch.ingest import read_plan_text

    text = "某市国民经济和社会发展第十四个五年规划纲要\n说明 | 2025年 | 备注 |\n到2025年，全市生产总值达到100亿元。\n"
    plan = read_plan_text(text, "t.txt")
    assert any("“|”" in w and "2" in w for w in plan.warnings) or plan.indicators
    assert [(t.subject, t.value) for t in plan.targets] == [("生产总值", 100)]
