"""Word, Excel and HTML files: content checked against the inputs, byte-stable, never half-written."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from planwatch.errors import PlanwatchError
from planwatch.report import ReportInputs, build_reports


def _docx_tables(path):
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(path).tables]


def test_file_names(annual_reports):
    assert sorted(p.name for p in annual_reports.values()) == [
        "嘉兴市_2024_年度监测分析报告.docx", "嘉兴市_2024_年度监测分析报告.html", "嘉兴市_2024_年度监测分析报告.xlsx"]
    assert not list(annual_reports[".html"].parent.glob("*.part"))


def test_docx_content(annual_reports, hand):
    doc = Document(annual_reports[".docx"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2024年度监测分析报告" in text and "planwatch 自动生成" in text
    assert "评估方法：时间进度法：实际完成进度与规划期时间进度对比" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、总体情况", "二、分领域指标评估", "（一）经济发展"]
    assert "附录　评估方法与状态定义" in headings
    tables = _docx_tables(annual_reports[".docx"])
    counts = tables[0]
    assert counts[0] == ["提前实现", "快于预期", "基本符合预期", "滞后", "无数据", "待下达", "合计"]
    assert counts[1] == ["1", "1", "1", "2", "0", "1", "6"]
    economy = next(t for t in tables if t[0][0] == "序号" and t[1][1] == "地区生产总值")
    assert economy[1][:9] == ["1", "地区生产总值", "亿元", "5509.5", "9000", "7569.5", "8236.2", "59.0%", "滞后（二级预警）"]
    assert economy[1][9] == "[1][2] 第458行"
    assert f"[1] {hand.SRC_2024}" in text
    assert "2024年地区生产总值为7569.5亿元（基期值5509.5亿元）" in text
    # East-Asian fonts are set on the styles; the header row repeats; charts are embedded.
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert len(doc.inline_shapes) == 2 + 5  # two summary charts, five indicators with data
    with zipfile.ZipFile(annual_reports[".docx"]) as z:
        assert b'w:instr="PAGE"' in b"".join(z.read(n) for n in z.namelist() if n.startswith("word/footer"))
        assert b"<w:tblHeader" in z.read("word/document.xml")


def test_xlsx_content(annual_reports, hand):
    wb = load_workbook(annual_reports[".xlsx"])
    assert wb.sheetnames == ["汇总", "经济发展", "科技创新", "改革开放", "生态环境", "观测数据", "目标调整", "数据来源", "评估方法"]
    summary: dict = {}
    for r in wb["汇总"].iter_rows(values_only=True):
        if r[0]:
            summary.setdefault(r[0], r[1])  # the first 合计 is the status table's
    assert summary["地区"] == "嘉兴市" and summary["评估年份"] == 2024 and summary["滞后"] == 2 and summary["合计"] == 6
    ws = wb["经济发展"]
    header = [c.value for c in ws[1]]
    gdp = dict(zip(header, [c.value for c in ws[2]], strict=False))
    assert (gdp["指标"], gdp["基期值"], gdp["目标值"], gdp["最新实际"], gdp["实际年份"]) == ("地区生产总值", 5509.5, 9000, 7569.5, 2024)
    assert gdp["完成度"] == 0.5902 and gdp["状态"] == "滞后" and gdp["预警"] == "二级预警" and gdp["规划行号"] == 458
    status_cell = ws.cell(row=2, column=header.index("状态") + 1)
    assert status_cell.fill.fgColor.rgb.endswith("F9D7C4")  # lagging: orange, the one palette
    assert wb["改革开放"].cell(row=2, column=header.index("状态") + 1).fill.fgColor.rgb.endswith("C6E9CF")
    obs = list(wb["观测数据"].iter_rows(min_row=2, values_only=True))
    assert ("T2-1", "地区生产总值", 2021, "6388.38", "亿元", "水平值", "final", "是") == obs[1][:8]
    assert obs[1][9] == hand.SRC_2022
    sources = {r[0]: r[1] for r in wb["数据来源"].iter_rows(min_row=2, values_only=True)}
    assert sources[1] == hand.SRC_2024
    adj = list(wb["目标调整"].iter_rows(min_row=2, values_only=True))
    assert adj == [("T2-9", "货物贸易进出口额", "3900", "4200", "2023-06-30", "外贸增长快于预期，上调目标", "嘉兴市规划中期评估调整方案")]
    assert wb.properties.creator == "planwatch" and wb.properties.modified.year == 2024


def test_html_is_self_contained(annual_reports):
    html = annual_reports[".html"].read_text(encoding="utf-8")
    assert "<script" not in html and "http-equiv" not in html
    assert 'src="http' not in html and "<link" not in html and "@import" not in html
    assert html.count("<svg") == 7
    assert "@page { size: A4;" in html and "display: table-header-group" in html
    assert 'data-indicator="T2-1"' in html and "<td class=\"num\">7569.5</td>" in html


def test_final_report_sections(final_reports):
    doc_text = "\n".join(p.text for p in Document(final_reports[".docx"]).paragraphs)
    assert "五、其他目标任务和重大项目" in doc_text
    assert "共2项，其中有实际数据0项，暂无数据2项。" in doc_text
    wb = load_workbook(final_reports[".xlsx"])
    assert {"其他目标", "重大项目", "上期完成情况"} <= set(wb.sheetnames)
    projects = list(wb["重大项目"].iter_rows(min_row=2, values_only=True))
    assert projects[0] == ("通苏嘉甬铁路", "长度45公里，总投资250亿元", "box5", 1010, "暂无项目进展数据")
    html = final_reports[".html"].read_text(encoding="utf-8")
    assert "已实现" in html and "上一个规划期主要指标完成情况" in html


def test_same_inputs_give_identical_bytes(tmp_path, hand):
    inputs = ReportInputs(hand.plan(), hand.assessment(), hand.observations(), hand.adjustments())
    first = build_reports(inputs, "annual", 2024, tmp_path / "a", formats=("html", "xlsx"))
    second = build_reports(inputs, "annual", 2024, tmp_path / "b", formats=("html", "xlsx"))
    for a, b in zip(first, second, strict=False):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(first[1]) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"<dcterms:modified" in z.read("docProps/core.xml")
        assert b"2024-12-31T00:00:00Z" in z.read("docProps/core.xml")


def test_unknown_format_or_kind_writes_nothing(tmp_path, hand):
    inputs = ReportInputs(hand.plan(), hand.assessment())
    with pytest.raises(PlanwatchError, match="不支持的报告格式：pdf"):
        build_reports(inputs, "annual", 2024, tmp_path, formats=("html", "pdf"))
    with pytest.raises(PlanwatchError, match="未知的报告类型"):
        build_reports(inputs, "weekly", 2024, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_files(tmp_path, hand, monkeypatch):
    from planwatch.report import WRITERS

    def broken(ctx, charts, path):
        path.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(WRITERS, "xlsx", broken)
    inputs = ReportInputs(hand.plan(), hand.assessment(), hand.observations())
    with pytest.raises(PlanwatchError, match="写入报告失败"):
        build_reports(inputs, "annual", 2024, tmp_path, formats=("html", "xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_empty_inputs_still_make_a_report_that_says_so(tmp_path, hand):
    inputs = ReportInputs(hand.plan(), hand.assessment(2024, []))
    paths = build_reports(inputs, "annual", 2024, tmp_path, formats=("html", "docx"))
    html = paths[0].read_text(encoding="utf-8")
    assert "尚未导入任何实际观测数据" in html and "没有可列出的指标评估结果" in html
    assert "尚未导入任何实际观测数据" in "\n".join(p.text for p in Document(paths[1]).paragraphs)


def test_worker_processes_give_the_same_html(tmp_path, hand, monkeypatch):
    inputs = ReportInputs(hand.plan(), hand.assessment(), hand.observations())
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "1")
    (serial,) = build_reports(inputs, "annual", 2024, tmp_path / "serial", formats=("html",))
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "2")
    (parallel,) = build_reports(inputs, "annual", 2024, tmp_path / "parallel", formats=("html",))
    assert serial.read_bytes() == parallel.read_bytes()
