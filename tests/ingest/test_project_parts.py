"""Projects of 专栏3 with the parts their descriptions name, their sums, and the “551” programme's totals.

Expected figures read off lines 836–851 and 1297 of the plan by hand.
"""

from __future__ import annotations

import pytest

from planwatch.ingest.projects import total_investment_yi_yuan, total_length_km
from planwatch.model import Comparator

# (no, line, main-line length km, total investment 亿元) as printed in 专栏3
RAILWAYS = [
    ("1", 836, 93.0, 382.8),
    ("2", 837, 100.0, 338.0),
    ("3", 839, 23.0, 57.4),
    ("4", 841, 35.0, 170.2),
    ("5", 843, 20.0, 105.0),
    ("6", 845, 52.0, 171.2),
    ("7", 847, 21.0, 120.0),
    ("8", 849, 44.8, 123.7),
    ("9", 851, 30.0, 120.0),
]


def test_railways_with_exact_lengths_and_investments(jiaxing_plan):
    got = [(p.no, p.line, p.length_km, p.investment_yi_yuan) for p in jiaxing_plan.projects]
    assert got == RAILWAYS


def test_freight_line_is_a_part_of_project_2(jiaxing_plan):
    project = jiaxing_plan.projects[1]
    assert project.name == "沪乍杭铁路（嘉兴段）"
    [part] = project.parts
    assert (part.name, part.length_km, part.line) == ("货运线", 57.6, 837)
    assert part.text.startswith("货运线自浦东铁路漕泾站引出，经平湖、嘉兴港区、海盐引入既有沪昆铁路，嘉兴段全长约57.6公里")
    assert project.length_km == 100.0  # the main line keeps its own length
    assert [p.no for p in jiaxing_plan.projects if p.parts] == ["2"]


def test_sums(jiaxing_plan):
    projects = jiaxing_plan.projects
    main_lines = 93 + 100 + 23 + 35 + 20 + 52 + 21 + 44.8 + 30
    assert main_lines == pytest.approx(418.8)
    assert total_length_km(projects) == pytest.approx(418.8 + 57.6) == pytest.approx(476.4)
    investment = 382.8 + 338 + 57.4 + 170.2 + 105 + 171.2 + 120 + 123.7 + 120
    assert total_investment_yi_yuan(projects) == pytest.approx(investment) == pytest.approx(1588.3)


def test_551_programme_totals(jiaxing_plan):
    [programme] = jiaxing_plan.programmes
    assert (programme.name, programme.title, programme.line, programme.section) == (
        "551", "嘉兴市扩大有效投资“551”重大项目计划", 1297, "4.8.3")
    assert (programme.project_count, programme.project_count_comparator) == (500, Comparator.about)
    assert (programme.investment_yi_yuan, programme.investment_comparator) == (10000, Comparator.at_least)
    assert programme.cumulative
    assert programme.text.endswith("重点实施500个左右代表性重大项目、累计带动投资1万亿元以上。")


def test_parts_and_programmes_in_a_small_plan():
    from planwatch.ingest import read_plan_text

    text = ("某市国民经济和社会发展第十四个五年规划纲要\n专栏1 重大项目\n"
            "\t1.某某快速路：主线全长约12.5公里；支线由东站引出，全长约3公里，总投资约8000万元。\n\n\n"
            "实施“百项千亿”工程，建设100个以上重大项目，总投资1200亿元。\n"
            "开展“三服务”活动，走访企业。\n")
    plan = read_plan_text(text, "t.txt")
    [project] = plan.projects
    assert (project.length_km, [(p.name, p.length_km) for p in project.parts]) == (12.5, [("支线", 3.0)])
    [programme] = plan.programmes
    assert (programme.name, programme.title, programme.project_count, programme.project_count_comparator,
            programme.investment_yi_yuan, programme.cumulative) == (
        "百项千亿", "“百项千亿”工程", 100, Comparator.at_least, 1200, False)
