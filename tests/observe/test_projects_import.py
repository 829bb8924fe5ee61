"""A project tracking sheet matched to the real Jiaxing plan's projects (专栏3, lines 836–851).

The 9 railways and their names are those of 专栏3 as printed; 市域铁路 is in the names of projects 4, 5, 6
and 9 (lines 841, 843, 845, 851), so a row naming only it is ambiguous.
"""

from __future__ import annotations

import pytest

from planwatch.errors import DataImportError, InputError
from planwatch.model import Milestone
from planwatch.observe.projects import SHEET_COLUMNS, match_rows, parse_date, projects_from_sheet
from planwatch.samples import SAMPLES

HEADER = list(SHEET_COLUMNS)
SAMPLE = SAMPLES / "data" / "jiaxing-projects-sample.csv"


def row(**cells: str) -> list[str]:
    return [cells.get(h, "") for h in HEADER]


def rows(*cells: dict) -> list[tuple[int, list[str]]]:
    return [(n, row(**c)) for n, c in enumerate(cells, start=2)]


def test_rows_matched_by_key_number_and_name(jiaxing_plan):
    result = match_rows(jiaxing_plan.projects, HEADER, rows(
        {"项目编号": "box3.1", "年度": "2023", "年度计划投资（亿元）": "80", "年度完成投资（亿元）": "82.4"},
        {"项目编号": "专栏3-2", "年度": "2023"},
        {"项目编号": "3.7", "年度": "2023"},
        {"项目名称": "水乡旅游线", "年度": "2023", "牵头单位": "市交通运输局", "所在地区": "桐乡市"},
        {"项目名称": "铁路杭州萧山机场枢纽及接线工程（嘉兴段）", "年度": "2024", "实际开工": "2020年12月26日",
         "计划投用": "2022-09"}), as_of="2024-12-31", file="进展.csv")
    assert result.issues == []
    assert [(r.project_key, r.name, r.year) for r in result.reports] == [
        ("box3.1", "通苏嘉甬铁路（嘉兴段）", 2023), ("box3.2", "沪乍杭铁路（嘉兴段）", 2023),
        ("box3.7", "杭州下沙至长安城际铁路", 2023), ("box3.8", "水乡旅游线（嘉兴段）", 2023),
        ("box3.3", "铁路杭州萧山机场枢纽及接线工程（嘉兴段）", 2024)]
    assert result.matched_by == {2: "key", 3: "number", 4: "number", 5: "name", 6: "name"}
    first, last = result.reports[0], result.reports[-1]
    assert (first.planned_investment_yi_yuan, first.completed_investment_yi_yuan, first.as_of) == (80, 82.4, "2024-12-31")
    assert last.actual == {Milestone.started: "2020-12-26"} and last.planned == {Milestone.in_service: "2022-09-30"}
    assert (result.reports[3].lead_unit, result.reports[3].region) == ("市交通运输局", "桐乡市")


def test_unmatched_ambiguous_and_malformed_rows_name_file_row_column(jiaxing_plan):
    result = match_rows(jiaxing_plan.projects, HEADER, rows(
        {"项目名称": "市域铁路", "年度": "2023"},
        {"项目名称": "杭州湾跨海铁路", "年度": "2023"},
        {"项目编号": "box3.1", "年度": "二〇二三"},
        {"项目编号": "box3.1", "年度": "2024", "年度完成投资（亿元）": "-3", "实际开工": "2021-02-30"},
        {"项目编号": "box3.2", "年度": "2024", "计划开工": "2022-06-30", "计划立项": "2022-12-31",
         "实际完工": "2026-01-01"},
        {"项目编号": "box3.2", "年度": "2024"},
        {"项目名称": "沪乍杭铁路（嘉兴段）", "规划内": "否", "年度": "2024"},
        {"项目名称": "示例：新项目", "规划内": "也许", "年度": "2024"},
        {"年度": "2024"}), as_of="2025-06-30", file="进展.csv")
    assert result.reports == []
    found = [(i.row, i.column, i.kind) for i in result.issues]
    assert found == [
        (2, "项目名称", "ambiguous"), (3, "项目名称", "unmatched"), (4, "年度", "bad_value"),
        (5, "年度完成投资", "bad_value"), (5, "实际开工", "bad_value"),
        (6, "实际完工", "order"), (6, "计划开工", "order"),
        (7, None, "duplicate"), (8, "规划内", "in_plan"), (9, "规划内", "bad_value"), (10, None, "missing")]
    by_row = {(i.row, i.column): i for i in result.issues}
    assert by_row[2, "项目名称"].candidates == ["box3.4", "box3.5", "box3.6", "box3.9"]
    assert by_row[2, "项目名称"].message == (
        "进展.csv 第 2 行“项目名称”列：“市域铁路”对应多个规划项目（box3.4、box3.5、box3.6、box3.9），"
        "应在项目编号列写明编号，如 box3.4")
    assert "规划未列名的项目请在“规划内”列填“否”" in by_row[3, "项目名称"].message
    assert by_row[4, "年度"].message == "进展.csv 第 4 行“年度”列：年度“二〇二三”无效，应为 1990–2100 之间的四位年份，如 2023"
    assert "应为不小于 0 的数字（单位亿元）" in by_row[5, "年度完成投资"].message
    assert "应为 YYYY-MM-DD" in by_row[5, "实际开工"].message
    assert "晚于填报截至日期 2025-06-30" in by_row[6, "实际完工"].message
    assert by_row[6, "计划开工"].message.endswith("计划开工 2022-06-30 早于计划立项 2022-12-31，应不早于它")
    assert "与第 6 行是同一项目（沪乍杭铁路（嘉兴段））同一年度 2024" in by_row[7, None].message
    assert by_row[8, "规划内"].candidates == ["box3.2"]


def test_not_in_plan_projects_are_added_then_known(jiaxing_plan):
    sheet = rows({"项目名称": "示例：人民医院新院区", "规划内": "否", "年度": "2024", "总投资（亿元）": "25"},
                 {"项目名称": " 示例：人民医院新院区", "规划内": "否", "年度": "2025"})
    first = match_rows(jiaxing_plan.projects, HEADER, sheet, as_of="2025-12-31")
    assert first.issues == [] and first.added == ["示例：人民医院新院区"]
    assert [(r.project_key, r.in_plan) for r in first.reports] == [("示例：人民医院新院区", False)] * 2
    again = match_rows(jiaxing_plan.projects, HEADER, rows({"项目名称": "示例：人民医院新院区", "年度": "2026"}),
                       as_of="2026-12-31", known_extra=["示例：人民医院新院区"])
    assert again.issues == [] and again.added == [] and again.matched_by == {2: "known"}


def test_money_in_wan_yuan_is_converted(jiaxing_plan):
    header = ["项目编号", "年度", "年度计划投资（万元）", "年度完成投资(万元)"]
    result = match_rows(jiaxing_plan.projects, header, [(2, ["box3.9", "2024", "200000", "205000"])], as_of="2024-12-31")
    assert [(r.planned_investment_yi_yuan, r.completed_investment_yi_yuan) for r in result.reports] == [(20.0, 20.5)]


@pytest.mark.parametrize(("cell", "expected"), [
    ("2023-06-30", "2023-06-30"), ("2023/6/3", "2023-06-03"), ("2023.06.30", "2023-06-30"),
    ("2023年6月30日", "2023-06-30"), ("2024-02", "2024-02-29"), ("2023年6月", "2023-06-30"),
    ("2023-06-30 00:00:00", "2023-06-30"), ("2023-02-29", None), ("六月", None), ("2023", None)])
def test_dates(cell, expected):
    assert parse_date(cell) == expected


def test_the_shipped_sample_matches_the_plan(jiaxing_plan):
    result = projects_from_sheet(SAMPLE, jiaxing_plan.projects, as_of="2024-12-31")
    assert result.issues == []
    assert len(result.reports) == 29
    assert {r.project_key for r in result.reports if r.in_plan} == {f"box3.{n}" for n in range(1, 10)}
    assert result.added == ["示例：科创园区配套道路工程", "示例：城市污水处理厂扩建工程", "示例：市第一医院新院区"]
    assert all("SAMPLE" in line for line in SAMPLE.read_text(encoding="utf-8").splitlines()[1:])


def test_a_sheet_without_the_needed_columns_or_rows_is_refused(jiaxing_plan, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("项目名称,完成投资\n通苏嘉甬铁路,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="项目进展表缺少列：须有“年度”"):
        projects_from_sheet(bad, jiaxing_plan.projects, as_of="2024-12-31")
    empty = tmp_path / "empty.csv"
    empty.write_text("项目编号,年度\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有数据行"):
        projects_from_sheet(empty, jiaxing_plan.projects, as_of="2024-12-31")
    short = tmp_path / "short.csv"
    short.write_text("项目编号,项目名称,年度\nbox3.1,x\n", encoding="utf-8")
    with pytest.raises(DataImportError):
        projects_from_sheet(short, jiaxing_plan.projects, as_of="2024-12-31")
