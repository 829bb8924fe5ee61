"""``planwatch families`` and ``planwatch families compare`` (issue 10) on the real Jiaxing store, and the family
keys of ``planwatch plans --json``; the 15th plan is the conftest copy (``two_plans``)."""

import csv
import io
import json

from openpyxl import load_workbook
from tests.conftest import run

from planwatch.inert_cells import text_from_csv

HEADERS = ["规划", "来源", "规划期", "指标编号", "指标名称", "单位", "属性", "基期值", "基期年份", "规划目标", "目标值",
           "目标年份", "目标年实际值", "最新值", "最新值年份", "实际值单位", "评估结论", "评估依据", "评估年份",
           "下一规划目标", "下一规划目标年份"]


def test_families_lists_the_three_plans_with_the_13th_from_table_1(two_plans):
    store, fourteenth, fifteenth = two_plans
    code, out, _ = run("families", "--json", "--db", store.url)
    [family] = json.loads(out)
    assert code == 0 and (family["id"], family["label"]) == ("嘉兴市/city", "嘉兴市 十三五 → 十四五 → 十五五")
    assert [(m["label"], m["key"], m["recorded_in"], m["period_start"], m["period_end"], m["source"])
            for m in family["members"]] == [("十三五", None, fourteenth, 2016, 2020, "table1"),
                                            ("十四五", fourteenth, None, 2021, 2025, "stored"),
                                            ("十五五", fifteenth, None, 2026, 2030, "stored")]
    code, out, _ = run("families", "--plan", fifteenth, "--db", store.url)
    assert code == 0 and "规划系列：嘉兴市 十三五 → 十四五 → 十五五" in out and "据下一规划表1" in out
    code, _, err = run("families", "--plan", "nowhere", "--db", store.url)
    assert code == 1 and "没有键为 nowhere 的规划" in err and "Traceback" not in err


def test_plans_json_names_each_plans_family_and_neighbours(two_plans):
    store, fourteenth, fifteenth = two_plans
    code, out, _ = run("plans", "--json", "--db", store.url)
    rows = json.loads(out)
    assert code == 0
    assert [(r["key"], r["family"], r["previous"], r["next"]) for r in rows] == [
        (fourteenth, "嘉兴市/city", {"key": None, "label": "十三五", "source": "table1"},
         {"key": fifteenth, "label": "十五五", "source": "stored"}),
        (fifteenth, "嘉兴市/city", {"key": fourteenth, "label": "十四五", "source": "stored"}, None)]


def test_compare_gdp_shown_as_json_and_exported(two_plans, tmp_path):
    store, fourteenth, fifteenth = two_plans
    code, out, _ = run("families", "compare", f"{fourteenth}:T2-1", "--json", "--db", store.url)
    data = json.loads(out)
    assert code == 0 and data["name"] == "地区生产总值"
    assert [(r["plan"], r["indicator_id"], r["base_display"], r["target_text"], r["outcome_display"],
             r["status_label"], r["next_target_text"]) for r in data["rows"]] == [
        ("十三五", "T1-1", "3517.1", "5000", "5509.5", "已实现", "9000"),
        ("十四五", "T2-1", "5509.5", "9000", "7569.53（2024年，最新）", "滞后", "12000"),
        ("十五五", "T2-1", "8200", "12000", "8800（2026年，最新）", "基本符合预期", None)]
    csv_path, xlsx_path = tmp_path / "gdp.csv", tmp_path / "gdp.xlsx"
    code, out, _ = run("families", "compare", f"{fifteenth}:T2-1", "--csv", str(csv_path), "--xlsx",
                       str(xlsx_path), "--db", store.url)
    assert code == 0 and f"已导出到 {csv_path}" in out and f"已导出到 {xlsx_path}" in out
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert rows == [HEADERS,
                    ["十三五", "据下一规划表1", "2016—2020", "T1-1", "地区生产总值", "亿元", "", "3517.1", "2015", "5000",
                     "5000.0", "2020", "5509.5", "", "", "亿元", "已实现", "表1完成情况", "2020", "9000", "2025"],
                    ["十四五", "已载入规划", "2021—2025", "T2-1", "地区生产总值", "亿元", "预期性", "5509.5", "2020", "9000",
                     "9000.0", "2025", "", "7569.53", "2024", "亿元", "滞后", "进度评估", "2024", "12000", "2030"],
                    ["十五五", "已载入规划", "2026—2030", "T2-1", "地区生产总值", "亿元", "预期性", "8200.0", "2025", "12000",
                     "12000.0", "2030", "", "8800.0", "2026", "亿元", "基本符合预期", "进度评估", "2026", "", ""]]
    assert all(text_from_csv(cell) == cell for row in rows for cell in row)
    sheet = load_workbook(xlsx_path).worksheets[0]
    assert sheet.title == "历次规划对比"
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == HEADERS
    assert cells[1] == ["十三五", "据下一规划表1", "2016—2020", "T1-1", "地区生产总值", "亿元", None, 3517.1, 2015, "5000",
                        5000, 2020, 5509.5, None, None, "亿元", "已实现", "表1完成情况", 2020, "9000", 2025]


def test_compare_an_unknown_indicator_names_it(two_plans):
    store, fourteenth, _ = two_plans
    code, _, err = run("families", "compare", f"{fourteenth}:T9", "--db", store.url)
    assert code == 1 and f"规划 {fourteenth} 中没有指标 T9（表1、表2均未列出）" in err and "Traceback" not in err
