"""ingest/tables.py: grids rebuilt from the real Jiaxing outline and the Jiashan fragment."""

from __future__ import annotations

import pytest

from planwatch.ingest.tables import find_tables, join_wrapped, notes_of, rebuild_header
from planwatch.numbers import to_halfwidth
from planwatch.samples import FRAGMENTS, JIAXING_OUTLINE


def load(path) -> list[str]:
    """The document's lines, half-width, as the reader gives them."""
    return [to_halfwidth(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def jiaxing_tables():
    return find_tables(load(JIAXING_OUTLINE))


@pytest.fixture(scope="module")
def jiashan_table():
    path = next(p for p in FRAGMENTS if p.name.startswith("jiashan"))
    (table,) = find_tables(path.read_text(encoding="utf-8").splitlines())
    return table


def test_two_tables_found(jiaxing_tables):
    assert [(t.label, t.title, t.line, t.line_end) for t in jiaxing_tables] == [
        ("表1", "嘉兴市“十三五”时期经济社会发展主要指标完成情况", 23, 383),
        ("表2", "嘉兴市“十四五”时期经济社会发展主要指标", 435, 766),
    ]
    assert [t.warnings for t in jiaxing_tables] == [[], []]


def test_table1_header_rebuilt_from_two_rows(jiaxing_tables):
    t1 = jiaxing_tables[0]
    assert t1.header == ["类别", "序号", "指标名称", "2015年", "规划目标·2020年", "规划目标·年均增长(%)[累计]",
                         "完成情况·2020年", "完成情况·年均增长(%)[累计]"]
    assert [(r.line, len(r.cells)) for r in t1.header_rows] == [(24, 6), (31, 8)]


def test_table2_header_with_wrapped_unit_cell_and_empty_row(jiaxing_tables):
    t2 = jiaxing_tables[1]
    assert t2.header == ["类别", "序号", "指标", "计量单位", "2020年", "2025年", "属性"]
    assert [(r.line, r.line_end, len(r.cells)) for r in t2.header_rows] == [(437, 445, 7), (447, 453, 7)]


def test_grid_shapes(jiaxing_tables):
    t1, t2 = jiaxing_tables
    assert len(t1.rows) == 34 and len(t2.rows) == 38
    # rows with a group-label column have one cell more than the header
    assert [r.line for r in t1.rows if len(r.cells) == 9] == [73, 83, 129, 139, 283, 293, 303, 313, 323, 337, 356, 368]
    assert all(len(r.cells) == 8 for r in t1.rows if len(r.cells) != 9)
    assert all(len(r.cells) == 7 for r in t2.rows)
    assert [r.line for r in t2.rows][:6] == [455, 463, 471, 479, 487, 497]


def test_continuation_cells(jiaxing_tables):
    t1, t2 = jiaxing_tables
    by_line = {r.line: r for r in t1.rows}
    assert by_line[212].texts[2] == "亿元地区生产总值生产安全事故死亡率(人/亿元)"
    assert (by_line[212].cells[2].line, by_line[212].cells[2].line_end) == (214, 216)
    assert by_line[223].texts[:5] == ["资源环境", "18", "耕地保有量(万亩)", "318.54", "307.17/298.19(省下达)"]
    assert (by_line[223].cells[4].line, by_line[223].cells[4].line_end) == (229, 231)
    assert by_line[236].texts[5] == "[18.5]/[17.6](省下达)"
    assert by_line[53].texts[5] == "年均增长1.2个百分点"
    assert by_line[323].texts[2:4] == ["空气质量", "细颗粒物(PM2.5)浓度(微克/立方米)"]
    assert by_line[356].texts[2] == "森林增长"
    assert (by_line[212].line, by_line[212].line_end) == (212, 221)
    t2_rows = {r.line: r for r in t2.rows}
    assert t2_rows[487].texts[:2] == ["科技创新", "5"]
    assert t2_rows[521].texts == ["", "", "# 数字经济核心产业增加值占地区生产总值比重", "%", "9", "15", ""]


def test_table1_rows_exact(jiaxing_tables):
    t1 = jiaxing_tables[0]
    assert [r.texts for r in t1.rows[:4]] == [
        ["经济发展", "1", "地区生产总值(亿元)", "3517.1", "5000", "7%以上", "5509.5", "6.59%"],
        ["", "2", "服务业增加值占地区生产总值比重(%)", "43.4", "—", "年均增长1.2个百分点", "—", "年均增长0.48个百分点"],
        ["", "3", "七大万亿级产业增加值(亿元)", "—", "—", "10%", "—", "—"],
        ["", "4", "城镇化率", "常住人口城镇化率(%)", "60.9", "68", "[7.1]", "69", "[8.1]"],
    ]
    assert t1.rows[-1].texts == ["", "", "", "林木蓄积量(万立方米)", "207.9", "262", "[54.1]", "270", "[62.1]"]
    assert t1.rows[26].texts == ["", "", "", "氨氮", "", "", "[23.3] (省下达)", "—", "[23.4]"]


def test_table_notes(jiaxing_tables):
    t1, t2 = jiaxing_tables
    assert [(n.kind, n.line, n.names) for n in t1.notes] == [
        ("comparable_prices", 379, ["地区生产总值", "七大万亿级产业增加值", "居民人均可支配收入"]),
        ("five_year_cumulative", 381, []),
        ("other", 383, []),
    ]
    assert [(n.kind, n.line, n.names) for n in t2.notes] == [
        ("current_prices", 762, ["地区生产总值", "全员劳动生产率年均增长", "生产性服务业五大行业增加值年均增长",
                                 "货物贸易进口出额", "服务贸易进出口额", "实际利用外资", "文化及相关产业增加值"]),
        ("comparable_prices", 762, ["居民人均可支配收入年均增长"]),
        ("other", 764, []),
        ("five_year_cumulative", 766, []),
    ]


def test_truncated_table_keeps_complete_rows_and_warns():
    lines = load(JIAXING_OUTLINE)[:459]  # 表2 cut after the 5509.5 cell of its first data row (line 459)
    (_t1, t2) = find_tables(lines)
    assert t2.rows == []
    assert t2.warnings == ["表2第455行：该行只有5个单元格（表头有7列），表格可能在此处被截断，已忽略该行"]
    lines = load(JIAXING_OUTLINE)[:475]  # cut in the third row (line 471)
    t2 = find_tables(lines)[1]
    assert [r.line for r in t2.rows] == [455, 463]
    assert t2.warnings == ["表2第471行：该行只有5个单元格（表头有7列），表格可能在此处被截断，已忽略该行"]


def test_pipe_table_of_jiashan_fragment(jiashan_table):
    t = jiashan_table
    assert t.layout == "pipe"
    assert t.header == ["序号", "任务名称", "嘉善现值", "2023年目标", "2025年目标", "2027年目标", "责任单位"]
    assert (t.line, t.line_end, len(t.rows)) == (7, 42, 17)
    first = t.rows[0]
    assert (first.line, first.section) == (10, "一、发展目标")
    assert first.texts[:6] == ["1", "滚动推进重大项目(个)、完成投资额(亿元)", "—", "15、37", "—", "40、500"]
    assert t.rows[9].texts[:6] == ["10", "农业经济开发区累计农业投资(亿元)、引进亿元项目(个)", "13、5", "20、7", "35、11", "50、15"]
    assert t.rows[-1].texts == ["17", "共富工坊累计数(个)", "78", "100", "130", "150", "县委组织部"]
    assert t.warnings == ["第42行：表格在文件末尾结束，最后一行末尾缺少“|”，最后一个单元格可能不完整"]


def test_pipe_table_cut_mid_row(jiashan_table):
    path = next(p for p in FRAGMENTS if p.name.startswith("jiashan"))
    lines = [*path.read_text(encoding="utf-8").splitlines()[:40], "17 | 共富工坊累计数(个) | 78"]
    (t,) = find_tables(lines)
    assert len(t.rows) == 16
    assert t.warnings == ["第41行：该行只有3个单元格（表头有7列），表格可能在此处被截断，已忽略该行"]


def test_fragments_without_tables():
    for path in FRAGMENTS:
        if not path.name.startswith("jiashan"):
            assert find_tables(load(path)) == []


def test_helpers():
    assert join_wrapped(["亿元地区生产总值生产安全事故", "", "死亡率(人/亿元)"]) == "亿元地区生产总值生产安全事故死亡率(人/亿元)"
    assert join_wrapped(["Open", "Data"]) == "Open Data"
    assert rebuild_header([["A", "B(跨两列)", "C"], ["", "x", "y", ""]]) == ["A", "B(跨两列)·x", "B(跨两列)·y", "C"]
    assert rebuild_header([["指 标", "计量单位"], ["", ""]]) == ["指标", "计量单位"]
    assert [(n.kind, n.names) for n in notes_of("GDP按现价计算；人均收入按不变价计算", 1)] == [
        ("current_prices", ["GDP"]), ("comparable_prices", ["人均收入"])]
