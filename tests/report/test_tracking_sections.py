"""The chapters 重大项目建设情况 and 主要任务和重大改革推进情况 of the mid-term and final reviews, on the
real Jiaxing plan with the shipped SAMPLE project sheet and two task updates, in every format."""

from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from planwatch.model import TaskState, TaskUpdate
from planwatch.observe.projects import projects_from_sheet
from planwatch.report import build_reports, context_from_store
from planwatch.samples import SAMPLES
from planwatch.store import open_store

SAMPLE = SAMPLES / "data" / "jiaxing-projects-sample.csv"


@pytest.fixture(scope="module")
def tracked_store(tmp_path_factory, jiaxing_plan):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('tracking') / 'store.db'}")
    store.init()
    store.load_plan(jiaxing_plan)
    sheet = projects_from_sheet(SAMPLE, jiaxing_plan.projects, as_of="2024-12-31")
    store.record_project_reports(None, sheet.reports, file_name=SAMPLE.name)
    store.record_task_progress(None, [
        TaskUpdate(task_id="box5.1", state=TaskState.on_schedule, as_of="2023-06-30", lead_unit="市委人才办"),
        TaskUpdate(task_id="box5.2", state=TaskState.behind, as_of="2023-06-30", lead_unit="市教育局",
                   progress="选址未定")])
    yield store
    store.dispose()


def test_midterm_context(tracked_store):
    ctx = context_from_store(tracked_store, "midterm")
    assert ctx.year == 2023
    projects, tasks = ctx.tracking
    assert projects.title == "重大项目建设情况" and tasks.title == "主要任务和重大改革推进情况"
    assert projects.paragraphs[0] == (
        "规划提出嘉兴市扩大有效投资“551”重大项目计划（第1297行），目标实施500个左右重大项目、累计带动投资1万亿元以上。"
        "截至2023-12-31，已填报进展的项目10个（规划专栏列名8个，规划未列名2个），为目标项目数的2.0%；"
        "2021—2023年累计完成投资406.4亿元，为目标投资的4.1%。")
    # 2023 in the sample: 专栏3 planned 80+50+30+15+30+8+5 = 218, completed 82.4+46+12.5+15.6+29.4+6.9+5.2 = 198;
    # not in the plan: 8+4 planned, 8.3+1.2 completed
    assert projects.paragraphs[1] == (
        "规划专栏列名重大项目9个，项目进展表另列规划未列名项目2个；按项目状态，按计划推进7个，滞后2个，已完成1个，"
        "未填报1个。2023年计划投资230亿元，完成207.5亿元，完成率90.2%；节点逾期1个，停滞0个。")
    table = projects.tables[0]
    assert table.caption == "重大项目进展（投资单位：亿元；年度为2023年）"
    # nine columns a reader compares; the reasons are not a column but the next table
    assert table.headers == ("项目", "牵头单位", "地区", "总投资", "年度计划", "年度完成", "完成率", "累计完成", "状态")
    assert {len(r) for r in table.rows} == {9}
    behind = [r for r in table.rows if r[8] == "滞后"]
    assert [r[0] for r in behind] == ["嘉兴至枫南市域铁路〔上海至嘉兴城际铁路（浙江段）〕", "示例：城市污水处理厂扩建工程（规划未列名）"]
    assert behind[0][1:] == ("市发展改革委", "嘉善县", "170.2", "30", "12.5", "41.7%", "14.6", "滞后")
    # right under it: the projects neither 按计划推进 nor 已完成 (or late, or stalled), with their reasons
    attention = projects.tables[1]
    assert attention.caption == "需关注项目及原因（滞后、未启动、未填报、节点逾期或停滞）"
    assert attention.headers == ("项目", "状态", "情况", "原因")
    assert attention.rows == (
        ("嘉兴至枫南市域铁路〔上海至嘉兴城际铁路（浙江段）〕", "滞后", "",
         "2023年完成投资12.5亿元，年度计划投资30亿元，完成41.7%，低于80.0%"),
        ("金山至平湖市域铁路〔又名沪平城际铁路〕", "未填报", "", "尚无项目进展填报"),
        ("示例：城市污水处理厂扩建工程（规划未列名）", "滞后", "开工逾期",
         "2023年完成投资1.2亿元，年度计划投资4亿元，完成30.0%，低于80.0%；开工计划2023-03-31，实际2023-10-31，"
         "推迟214天（超过90天）"))
    assert [t.caption for t in projects.tables[2:]] == [
        "按专栏汇总（2023年投资，亿元）", "按地区汇总（2023年投资，亿元）", "按牵头单位汇总（2023年投资，亿元）"]
    by_box = {r[0]: r for r in projects.tables[2].rows}
    assert by_box["专栏3"][:2] == ("专栏3", "9") and by_box["专栏3"][-3:] == ("218", "198", "90.8%")
    assert tasks.paragraphs[0] == "规划9个专栏列出主要任务和重大改革49项，截至2023-06-30，按计划推进1项，滞后1项，未填报47项；其中停滞0项。"
    assert tasks.paragraphs[1].endswith("任务进展表的任务取规划原文的首句，全文见规划专栏；滞后和停滞任务列全文。")
    assert [t.caption for t in tasks.tables] == ["按专栏汇总", "按牵头单位汇总", "滞后和停滞任务", "任务进展"]
    late, every = tasks.tables[2:]
    # six columns: the report date goes with the progress it dates
    assert late.headers == every.headers == ("专栏", "序号", "任务", "状态", "牵头单位", "进展情况")
    assert late.rows == (("专栏5", "2", "发展高水平大学和科研院所，加强高技能应用型人才培养。", "滞后", "市教育局",
                          "选址未定（2023-06-30）"),)
    # every task by its lead phrase; a report without text shows its date alone
    assert every.rows[:3] == (
        ("专栏5", "1", "实行更加开放的人才政策", "按计划推进", "市委人才办", "2023-06-30"),
        ("专栏5", "2", "发展高水平大学和科研院所", "滞后", "市教育局", "选址未定（2023-06-30）"),
        ("专栏5", "3", "支持由企业牵头组建创新联合体", "未填报", "", ""))
    assert len(every.rows) == 49


def test_annual_report_has_no_tracking_chapters(tracked_store):
    assert context_from_store(tracked_store, "annual", 2024).tracking == ()


def test_every_format_shows_both_chapters(tracked_store, tmp_path):
    paths = {p.suffix: p for p in build_reports(tracked_store, "final", None, tmp_path)}
    doc = Document(str(paths[".docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[4:8] == ["五、其他目标任务和重大项目", "六、重大项目建设情况", "七、主要任务和重大改革推进情况", "八、数据来源"]
    html = paths[".html"].read_text(encoding="utf-8")
    assert "六、重大项目建设情况" in html and "七、主要任务和重大改革推进情况" in html
    assert "表1　重大项目进展（投资单位：亿元；年度为2024年）" in html
    heads = [tuple(c.text for c in t.rows[0].cells) for t in doc.tables]
    assert ("项目", "牵头单位", "地区", "总投资", "年度计划", "年度完成", "完成率", "累计完成", "状态") in heads
    assert ("项目", "状态", "情况", "原因") in heads and ("专栏", "序号", "任务", "状态", "牵头单位", "进展情况") in heads
    assert not any("原因" in h and "牵头单位" in h for h in heads)
    assert "表2　需关注项目及原因（滞后、未启动、未填报、节点逾期或停滞）" in html
    assert "<th>累计完成</th><th>状态</th></tr>" in html and "<th>状态</th><th>原因</th>" not in html
    wb = load_workbook(paths[".xlsx"])
    sheets = wb.sheetnames
    assert {"重大项目进展（投资单位：亿元；年度为2024年）"[:28], "需关注项目及原因（滞后、未启动、未填报、节点逾期或停滞）",
            "项目按专栏汇总（2024年投资，亿元）", "任务按专栏汇总", "任务进展"} <= set(sheets)
    assert [c.value for c in wb["需关注项目及原因（滞后、未启动、未填报、节点逾期或停滞）"][1]] == ["项目", "状态", "情况", "原因"]
    assert [c.value for c in wb["任务进展"][1]] == ["专栏", "序号", "任务", "状态", "牵头单位", "进展情况"]
