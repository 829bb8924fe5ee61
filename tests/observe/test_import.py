"""import_file on small inline files: values as printed, revisions, every bad-data case, layouts."""

from __future__ import annotations

import pytest

from planwatch.errors import DataImportError, StoreError
from planwatch.model import Series
from planwatch.observe import import_file


def problems_of(store, path, **kw) -> list[tuple]:
    with pytest.raises(DataImportError) as info:
        import_file(store, path, **kw)
    return [(p.row, p.column, p.value, p.message) for p in info.value.problems]


def current(store, indicator, region="嘉兴市", year=None):
    return [(o.year, o.value, o.bound, o.text, o.unit, str(o.kind), o.vintage)
            for o in store.observations(indicator, region, year)]


def test_messy_values_are_kept_as_printed(hand_store, write_csv):
    path = write_csv("""
1,嘉兴市,2020,5509.52,亿元,u1,2020 preliminary figure
1,嘉兴市,2020,5563.58,亿元,u2,2020 final verified figure (最终核实)
6,嘉兴市,2022,>129,万人,u3,
6,嘉兴市,2023,超130,万人,u3,
26,嘉兴市,2022,<5.5,%,u4,below the target
9,嘉兴市,2024,,亿元,u5,growth only: 进出口总额增长9.3%
27,嘉兴市,2021,9.8,%,u6,
16,嘉兴市,2022,6.1,%,u7,
3,嘉兴市,2021,71.9,%,u8,
2,嘉兴市,2023,21.43,万元/人,u9,level
""")
    report = import_file(hand_store, path)
    assert (report.rows_read, report.inserted, report.revised, report.unchanged, report.skipped) == (10, 9, 1, 0, 0)
    assert report.per_indicator == {"T2-1": 2, "T2-6": 2, "T2-26": 1, "T2-9": 1, "T2-27": 1, "T2-16": 1, "T2-3": 1,
                                    "T2-2": 1}
    assert [(p.row, p.message) for p in report.no_value] == [(7, "无数值，按备注记为文字：growth only: 进出口总额增长9.3%")]
    assert [(p.row, p.column, p.value) for p in report.notes] == [(11, "unit", "万元/人")]
    assert current(hand_store, "T2-1") == [(2020, 5563.58, None, None, "亿元", "level", "final")]
    assert current(hand_store, "T2-6") == [(2022, 129.0, ">", None, "万人", "level", None),
                                           (2023, 130.0, ">", None, "万人", "level", None)]
    assert current(hand_store, "T2-26") == [(2022, 5.5, "<", None, "%", "level", None)]
    assert current(hand_store, "T2-9") == [(2024, None, None, "growth only: 进出口总额增长9.3%", "亿元", "text", None)]
    assert current(hand_store, "T2-27") == [(2021, 9.8, None, None, "%", "annual_growth", None)]
    assert current(hand_store, "T2-16") == [(2022, 6.1, None, None, "%", "cumulative", None)]
    assert current(hand_store, "T2-3") == [(2021, 71.9, None, None, "%", "level", None)]
    assert current(hand_store, "T2-2") == [(2023, 21.43, None, None, "万元/人", "level", None)]
    revs = hand_store.revisions("T2-1", "嘉兴市", 2020)
    assert [(r.value, r.vintage, r.is_current, r.import_file, r.row) for r in revs] == [
        (5509.52, "preliminary", False, "data.csv", 2), (5563.58, "final", True, "data.csv", 3)]


def test_reimport_changes_nothing_and_dry_run_writes_nothing(hand_store, write_csv):
    path = write_csv("1,嘉兴市,2021,6355.28,亿元,u1,\n1,嘉兴市,2021,6388.38,亿元,u2,\n")
    dry = import_file(hand_store, path, dry_run=True)
    assert (dry.dry_run, dry.inserted, dry.revised) == (True, 1, 1)
    assert hand_store.observations(include_revisions=True) == []
    import_file(hand_store, path)
    again = import_file(hand_store, path)
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 2)
    assert [r.value for r in hand_store.revisions("T2-1", "嘉兴市", 2021)] == [6355.28, 6388.38]
    assert current(hand_store, "T2-1") == [(2021, 6388.38, None, None, "亿元", "level", None)]


def test_every_problem_is_listed_and_nothing_written(hand_store, write_csv):
    path = write_csv("""
1,嘉兴市,2021,6355.28,亿元,u1,
X9,嘉兴市,2021,1,亿元,u1,
1,火星市,2022,1,亿元,u1,
1,嘉兴市,2019,5000,亿元,u1,
1,嘉兴市,2026,9000,亿元,u1,
1,嘉兴市,二〇二一,9000,亿元,u1,
6,嘉兴市,2022,很多,万人,u1,
1,嘉兴市,2021,6355.28,亿元,u1,
26,嘉兴市,2021,5,%,u1,
""")
    assert problems_of(hand_store, path) == [
        (3, "indicator", "X9", "未知指标：规划中没有此序号/编号/名称，也不是已声明的数据系列（可用 --declare 代码:名称:单位 声明）"),
        (4, "region", "火星市", "未知地区：请先用 planwatch regions 文件 导入地区"),
        (5, "year", "2019", "年份超出规划期：应在 2020–2025 年之间（基期至规划末年）"),
        (6, "year", "2026", "年份超出规划期：应在 2020–2025 年之间（基期至规划末年）"),
        (7, "year", "二〇二一", "年份无效：应为四位数字年份，如 2021"),
        (8, "value", "很多", "不是数值：应为数字（可带 >、<、超、低于 等界限），定性内容请将单位写为“位次”或类型写为 text"),
        (9, None, "6355.28", "与第 2 行重复（同一指标、地区、年份、数值与来源）"),
    ]
    assert hand_store.observations(include_revisions=True) == []


def test_unit_that_cannot_convert_is_an_error(hand_store, write_csv):
    path = write_csv("6,嘉兴市,2022,129,亿元,u1,\n1,嘉兴市,2021,6355.28,万人,u1,\n")
    assert problems_of(hand_store, path) == [
        (2, "unit", "亿元", "单位无法换算：亿元 不能换算为指标单位 万人"),
        (3, "unit", "万人", "单位无法换算：万人 不能换算为指标单位 亿元"),
    ]


def test_units_convert_to_the_indicator_unit(hand_store, write_csv):
    path = write_csv("1,嘉兴市,2021,0.638838,万亿元,u1,\nINC_U,嘉兴市,2021,6.98,万元,u2,\n")
    import_file(hand_store, path, declare=[Series(code="INC_U", name="城镇居民人均可支配收入", unit="元")])
    assert current(hand_store, "T2-1") == [(2021, 6388.38, None, None, "亿元", "level", None)]
    assert current(hand_store, "INC_U") == [(2021, 69800.0, None, None, "元", "level", None)]


def test_truncated_csv_row(hand_store, write_csv):
    path = write_csv("1,嘉兴市,2021,6355.28,亿元,u1,\n1,嘉兴市,2022\n")
    assert problems_of(hand_store, path) == [
        (3, "value", None, "该行只有 3 列，表头有 7 列：文件可能被截断")]
    assert hand_store.observations() == []


def test_broken_xlsx(hand_store, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DataImportError, match="无法打开 XLSX 文件"):
        import_file(hand_store, path)


def test_missing_columns(hand_store, write_csv):
    path = write_csv("1,嘉兴市,6355.28", header="indicator,region,amount")
    assert [(r, c) for r, c, _v, _m in problems_of(hand_store, path)] == [(1, "year"), (1, "value")]


def test_undeclared_series_is_refused_declared_is_kept(hand_store, write_csv):
    path = write_csv("GDPg,嘉兴市,2021,8.5,%,u1,\nPOP,嘉兴市,2021,551.6,万人,u1,\n")
    assert [(r, c, v) for r, c, v, _m in problems_of(hand_store, path)] == [(2, "indicator", "GDPg"),
                                                                             (3, "indicator", "POP")]
    report = import_file(hand_store, path, declare=[Series(code="GDPg", name="GDP实际增长率", unit="%",
                                                           kind="annual_growth"),
                                                    Series(code="POP", name="常住人口", unit="万人")])
    assert report.inserted == 2
    assert {s.code for s in hand_store.series()} == {"GDPg", "POP"}
    assert current(hand_store, "GDPg") == [(2021, 8.5, None, None, "%", "annual_growth", None)]


def test_growth_rate_of_a_level_series_is_its_growth(hand_store, write_csv):
    hand_store.declare_series([Series(code="IND_VA", name="规上工业增加值", unit="亿元")])
    report = import_file(hand_store, write_csv("IND_VA,嘉兴市,2023,7.6,%,u1,\nIND_VA,嘉兴市,2021,2594.48,亿元,u1,\n"))
    assert report.inserted == 2
    assert current(hand_store, "IND_VA") == [(2021, 2594.48, None, None, "亿元", "level", None),
                                             (2023, 7.6, None, None, "%", "annual_growth", None)]


def test_qualitative_row_is_text(hand_store, write_csv):
    hand_store.declare_series([Series(code="INC_R", name="农村居民人均可支配收入", unit="元")])
    import_file(hand_store, write_csv("INC_R,嘉兴市,2024,1st (21 consecutive years),位次,u1,rank\n"))
    assert current(hand_store, "INC_R") == [(2024, None, None, "1st (21 consecutive years)", "位次", "text", None)]


def test_chinese_headers_gb18030_name_and_vintage_column(hand_store, write_csv):
    path = write_csv("地区生产总值,南湖区,2021,729.91,亿元,官网,,final\n地区生产总值,南湖区,2021,700,亿元,快报,,preliminary\n",
                     header="指标,地区,年份,数值,单位,来源,备注,vintage", encoding="gb18030")
    report = import_file(hand_store, path)
    assert (report.inserted, report.revised) == (1, 1)
    assert current(hand_store, "T2-1", "南湖区") == [(2021, 729.91, None, None, "亿元", "level", "final")]


def test_region_default_and_extra_columns(hand_store, write_csv):
    path = write_csv("1,,2021,6355.28,亿元,u1,,地区生产总值,全市GDP 6355.28亿元",
                     header="indicator_no,region,year,value,unit,source_url,note,indicator_name,source_quote")
    import_file(hand_store, path, region_default="海宁市")
    [obs] = hand_store.observations("T2-1")
    assert (obs.region, obs.source, obs.extra) == ("海宁市", "u1", {"indicator_name": "地区生产总值",
                                                                    "source_quote": "全市GDP 6355.28亿元"})


def test_wide_form(hand_store, write_csv):
    path = write_csv("""
地区生产总值,嘉兴市,亿元,5563.58,6388.38,
6,嘉兴市,万人,,>120,129
3,海宁市,%,,71.9,
""", header="指标,地区,单位,2020年,2021年,2022")
    report = import_file(hand_store, path)
    assert (report.layout, report.rows_read, report.values, report.inserted) == ("wide", 3, 5, 5)
    assert current(hand_store, "T2-1") == [(2020, 5563.58, None, None, "亿元", "level", None),
                                           (2021, 6388.38, None, None, "亿元", "level", None)]
    assert current(hand_store, "T2-6") == [(2021, 120.0, ">", None, "万人", "level", None),
                                           (2022, 129.0, None, None, "万人", "level", None)]
    assert current(hand_store, "T2-3", "海宁市") == [(2021, 71.9, None, None, "%", "level", None)]
    bad = write_csv("地区生产总值,嘉兴市,亿元,abc,6388.38", header="指标,地区,单位,2020年,2021年", name="bad.csv")
    assert problems_of(hand_store, bad) == [(2, "2020年", "abc", "不是数值：应为数字（可带 >、<、超、低于 等界限），"
                                                                 "定性内容请将单位写为“位次”或类型写为 text")]


def test_xlsx_long_form_with_sheet(hand_store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("数据")
    sheet.append(["indicator", "region", "year", "value", "unit", "source"])
    sheet.append(["1", "嘉兴市", 2022, 6739.45, "亿元", "bulletin"])
    sheet.append([6, "嘉兴市", 2022, ">129", "万人", "hkcd"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    report = import_file(hand_store, path, sheet="数据")
    assert report.inserted == 2
    assert current(hand_store, "T2-6") == [(2022, 129.0, ">", None, "万人", "level", None)]
    with pytest.raises(DataImportError, match="没有名为 数据2 的工作表"):
        import_file(hand_store, path, sheet="数据2")


def test_import_needs_a_plan(store, write_csv):
    with pytest.raises(StoreError, match="planwatch load"):
        import_file(store, write_csv("1,嘉兴市,2021,1,亿元,u,"))
