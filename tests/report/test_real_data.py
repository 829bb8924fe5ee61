"""Reports from the real Jiaxing plan and data, through the store and the evaluator.

These run once the store (``jiaxing_store``) and evaluate stages are present; they check the
documents against what the store holds and what the evaluator decided.
"""

from __future__ import annotations

from collections import Counter

import pytest
from docx import Document
from openpyxl import load_workbook

from planwatch.errors import PlanwatchError
from planwatch.vocabulary import status_label

GDP_2021_FINAL = 6388.38
GDP_2024 = 7569.53
GDP_2021_FINAL_SOURCE = "https://nextlevelartsconsulting.com/thuadong/5531.html"


@pytest.fixture(scope="module")
def jiaxing(real_store_module, tmp_path_factory):
    from planwatch.report import build_reports
    from planwatch.report.context import context_from_store

    store = real_store_module
    ctx = context_from_store(store, "annual", 2024)
    out = tmp_path_factory.mktemp("jiaxing")
    paths = {p.suffix: p for p in build_reports(ctx, "annual", 2024, out)}
    return store, ctx, paths


@pytest.fixture(scope="module")
def real_store_module(jiaxing_store_shared):
    return jiaxing_store_shared


def test_counts_match_the_evaluation(jiaxing):
    from planwatch.evaluate import evaluate

    store, ctx, paths = jiaxing
    plan = store.plan()
    assessment = evaluate(plan, store.observation_frame(), 2024)
    findings = {}
    for f in assessment.findings:
        if f.region == ctx.region:
            findings.setdefault(f.indicator_id, f)
    expected = Counter(str(f.status) for f in findings.values())
    assert ctx.total == len(findings) > 20
    assert {s: n for s, _, n in ctx.status_counts if n} == dict(expected)
    doc = Document(paths[".docx"])
    counts = doc.tables[0]
    header = [c.text for c in counts.rows[0].cells]
    values = [c.text for c in counts.rows[1].cells]
    for status, n in expected.items():
        assert values[header.index(status_label(status))] == str(n)
    assert values[-1] == str(len(findings))


def test_gdp_row_uses_the_latest_real_figures(jiaxing):
    _store, ctx, paths = jiaxing
    gdp = next(r for r in ctx.rows if r.finding.indicator == "地区生产总值")
    assert gdp.finding.actual == GDP_2024 and gdp.finding.actual_year == 2024
    assert (2021, GDP_2021_FINAL) in [(p.year, p.value) for p in gdp.chart.actual]
    wb = load_workbook(paths[".xlsx"])
    sheet = wb[gdp.category[:28]]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "地区生产总值")
    assert row[header.index("最新实际")] == GDP_2024
    assert row[header.index("状态")] == status_label(gdp.finding.status)
    obs = [r for r in wb["观测数据"].iter_rows(min_row=2, values_only=True) if r[1] == "地区生产总值" and r[2] == 2021]
    used = [r for r in obs if r[7] == "是"]
    assert [r[3] for r in used] == ["6388.38"] and used[0][9] == GDP_2021_FINAL_SOURCE


def test_html_cites_real_sources(jiaxing):
    _, ctx, paths = jiaxing
    html = paths[".html"].read_text(encoding="utf-8")
    assert GDP_2021_FINAL_SOURCE in html
    assert "<td class=\"num\">7569.53</td>" in html
    assert html.count('class="indicators"') == len(ctx.sections)


def test_year_outside_plan_is_a_clear_error(real_store_module, tmp_path):
    from planwatch.report import build_reports

    with pytest.raises(PlanwatchError, match="2030 不在规划期 2021–2025"):
        build_reports(real_store_module, "annual", 2030, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_region_without_data(real_store_module, tmp_path):
    from planwatch.report import build_reports

    try:
        paths = build_reports(real_store_module, "annual", 2024, tmp_path, formats=("html",), region="不存在县")
    except PlanwatchError as exc:
        assert "不存在县" in str(exc)
    else:
        assert "不存在县尚无任何实际观测数据" in paths[0].read_text(encoding="utf-8")


def test_midterm_and_final_from_store(real_store_module, tmp_path):
    from planwatch.report import build_reports

    (mid,) = build_reports(real_store_module, "midterm", None, tmp_path, formats=("xlsx",))
    assert mid.name == "嘉兴市_2023_中期评估报告.xlsx"
    (final,) = build_reports(real_store_module, "final", None, tmp_path, formats=("xlsx",))
    wb = load_workbook(final)
    assert {"其他目标", "重大项目"} <= set(wb.sheetnames)
    assert wb["其他目标"].max_row > 1
