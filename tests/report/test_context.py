"""The report context built from hand-built findings over real Jiaxing rows and numbers."""

from __future__ import annotations

import pytest

from planwatch.errors import EvaluationError
from planwatch.figures import fmt_number, fmt_share, target_with_unit
from planwatch.model import Observation
from planwatch.report.context import build_context, latest_observations, report_year


@pytest.fixture
def ctx(plan, assessment, observations, adjustments):
    return build_context(plan, assessment, observations, adjustments, "annual")


def test_title_and_period(ctx):
    assert ctx.title.endswith("纲要2024年度监测分析报告")
    assert (ctx.region, ctx.year, ctx.period_start, ctx.period_end, ctx.base_year) == ("嘉兴市", 2024, 2021, 2025, 2020)
    assert ctx.data_year == 2024
    assert ctx.generated_on.isoformat() == "2024-12-31"
    assert ctx.method.code == "elapsed_time"
    key, label, value = ctx.method.settings[0]
    assert (key, value) == ("ahead_margin", "0.05") and "快于预期" in label


def test_rows_follow_plan_order_and_categories(ctx):
    assert [r.finding.indicator_id for r in ctx.rows] == ["T2-1", "T2-3", "T2-5", "T2-9", "T2-14", "T2-17"]
    assert [s.name for s in ctx.sections] == ["经济发展", "科技创新", "改革开放", "生态环境"]


def test_counts_by_status_category_attribute(ctx):
    assert ctx.total == 6
    assert {s: n for s, _, n in ctx.status_counts} == {
        "achieved": 1, "ahead": 1, "on_track": 1, "lagging": 2, "no_data": 0, "pending_target": 1}
    by_cat = {name: dict(zip(ctx.by_category.statuses, counts, strict=False)) for name, counts, _ in ctx.by_category.rows}
    assert by_cat["生态环境"]["lagging"] == 1 and by_cat["生态环境"]["pending_target"] == 1
    assert by_cat["经济发展"]["lagging"] == 1 and by_cat["经济发展"]["on_track"] == 1
    by_attr = {name: total for name, _, total in ctx.by_attribute.rows}
    assert by_attr == {"预期性": 4, "约束性": 2}
    assert ctx.by_category.total_row() == ("合计", (1, 1, 1, 2, 0, 1), 6)


def test_cells_and_paragraph_are_written_from_numbers(ctx):
    gdp = ctx.rows[0]
    assert gdp.cells["actual"] == "7569.5"  # the data year is said only when it is not the evaluation year
    assert gdp.cells["completion"] == "59.0%"
    assert gdp.cells["target"] == "9000"
    p = gdp.paragraph
    assert p.startswith("2024年地区生产总值为7569.5亿元（基期值5509.5亿元）；规划目标为2025年9000亿元；")
    assert "完成进度比时间进度慢21.0个百分点" in p
    assert "实际低于应达值666.7亿元" in p
    assert "今后需年均增长18.9%" in p
    assert "2025年将达到8194.8亿元，可能难以实现目标" in p
    # The evaluator's explanation repeats these numbers: a level target's paragraph does not append it.
    assert "低于所需的10.3%" not in p
    assert p.endswith("（数据来源[1][2]；指标见规划纲要第458行）")
    air = ctx.rows[5]  # a share on a linear path: rates in percentage points
    assert "基期以来实际年均提高0.49个百分点，要在2025年实现目标，今后需年均提高2.49个百分点" in air.paragraph
    urban = ctx.rows[1]
    assert "规划目标为2025年75%左右" in urban.paragraph
    assert "实际低于应达值1.4个百分点" in urban.paragraph


def test_sources_are_numbered_and_traceable(ctx, hand):
    refs = {s.number: s.source for s in ctx.sources}
    assert refs[1] == hand.SRC_2024 and refs[2] == hand.SRC_2022
    gdp_2021 = [o for o in ctx.observations if o.indicator_id == "T2-1" and o.year == 2021]
    assert [(o.value_text, o.vintage, o.used) for o in gdp_2021] == [
        ("6355.28", "preliminary", False), ("6388.38", "final", True)]
    assert gdp_2021[1].quote == "经最终核实,2021年全市生产总值为6388.38亿元"
    assert refs[gdp_2021[1].source_number] == hand.SRC_2022
    # Only the report's region: the 南湖区 row is not listed.
    assert all(o.value_text != "900" for o in ctx.observations)
    assert any(o.indicator_name == "地区生产总值" for o in ctx.observations)


def test_series_use_latest_vintage(ctx):
    gdp = ctx.rows[0]
    assert [(p.year, p.value) for p in gdp.chart.actual] == [(2021, 6388.38), (2022, 6739.45), (2023, 7062.5), (2024, 7569.5)]
    assert gdp.chart_key == "ind-T2-1"
    assert ctx.rows[4].chart_key is None  # assigned target without data: nothing to draw


def test_lagging_binding_warnings_adjustments(ctx):
    assert [r.finding.indicator for r in ctx.lagging_binding] == ["设区城市空气质量优良天数比率"]
    assert [r.finding.indicator_id for r in ctx.warnings] == ["T2-1", "T2-17"]
    (adj,) = ctx.adjustments
    assert (adj.indicator_name, adj.old, adj.new, adj.date) == ("货物贸易进出口额", "3900", "4200", "2023-06-30")


def test_final_covers_prose_targets_projects_and_previous_plan(plan, observations, adjustments, hand):
    ctx = build_context(plan, hand.assessment(2025), observations, adjustments, "final")
    assert ctx.title.endswith("纲要总结评估报告")
    assert ctx.generated_on.isoformat() == "2024-12-31"  # data year's end, later than the adjustment
    assert [s for s, _, _ in ctx.status_counts][4:] == ["not_achieved", "no_data", "pending_target"]
    assert ctx.rows[3].cells["status"] == "已实现（按2021年数据）"  # 2021 data in the 2025 review: said
    t = ctx.prose_targets[0]
    assert (t.subject, t.target_text, t.line, t.has_data) == ("规上工业产值", "16000亿元以上", 905, False)
    assert t.evidence == "暂无对应的实际数据"
    assert [(p.name, p.figures, p.has_data) for p in ctx.projects] == [
        ("通苏嘉甬铁路", "长度45公里，总投资250亿元", False), ("沪乍杭铁路", "长度70公里", False)]
    (prev,) = ctx.previous
    assert (prev.name, prev.target, prev.outcome, prev.line) == ("地区生产总值", "5000", "5509.5", 40)


def test_no_observations_is_said_plainly(plan, adjustments, hand):
    findings = [f.model_copy(update={"status": "no_data", "actual": None, "actual_year": None})
                for f in hand.findings()]
    ctx = build_context(plan, hand.assessment(2024, findings), [], adjustments, "annual")
    assert ctx.data_year is None
    assert any("尚未导入任何实际观测数据" in n for n in ctx.notes)
    assert {s: n for s, _, n in ctx.status_counts}["no_data"] == 6


def test_region_without_data_names_regions_with_data(plan, assessment, observations):
    ctx = build_context(plan, assessment, observations, [], "annual", region="海宁市")
    assert ctx.total == 0
    assert any("海宁市尚无任何实际观测数据（已有数据的地区：南湖区、嘉兴市）" in n for n in ctx.notes)


def test_report_year_rules():
    assert report_year("midterm", None, 2021, 2025) == 2023
    assert report_year("final", None, 2021, 2025) == 2025
    assert report_year("annual", None, 2021, 2025, latest=2024) == 2024
    assert report_year("annual", None, 2021, 2025, latest=2030) == 2025
    with pytest.raises(EvaluationError, match="2019 不在规划期 2021–2025"):
        report_year("annual", 2019, 2021, 2025)
    with pytest.raises(EvaluationError, match="总结评估报告对应规划期末 2025"):
        report_year("final", 2023, 2021, 2025)
    with pytest.raises(EvaluationError, match="未知的报告类型"):
        report_year("weekly", 2023, 2021, 2025)


def test_year_outside_plan_is_refused(plan, observations, hand):
    with pytest.raises(EvaluationError, match="2030 不在规划期"):
        build_context(plan, hand.assessment(2030, []), observations, [], "annual")


def test_latest_vintage_wins_regardless_of_order():
    a = Observation(indicator="T2-1", region="嘉兴市", year=2020, value=5563.58, vintage="final")
    b = Observation(indicator="T2-1", region="嘉兴市", year=2020, value=5509.52, vintage="preliminary")
    assert latest_observations([a, b]) == [a] == latest_observations([b, a])


def test_number_wording():
    assert (fmt_number(9000.0), fmt_number(3.5612), fmt_number(-0.00001), fmt_number(None)) == ("9000", "3.56", "0", "—")
    assert fmt_number(0.0156) == "0.0156"  # a small figure keeps four decimals (吨标准煤/万元)
    assert fmt_share(0.5902) == "59.0%"
    assert target_with_unit("93以上", "%") == "93%以上"
    assert target_with_unit("省下达指标", "%") == "省下达指标"
    assert target_with_unit("[16]", "%") == "[16]"


def test_findings_of_the_previous_plan_are_left_out(plan, observations, hand):
    old = hand.findings()[0].model_copy(update={"indicator_id": "T1-1", "indicator": "地区生产总值", "no": "1"})
    ctx = build_context(plan, hand.assessment(2024, [*hand.findings(), old]), observations, [], "annual")
    assert "T1-1" not in [r.finding.indicator_id for r in ctx.rows] and ctx.total == 6
