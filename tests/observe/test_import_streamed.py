"""A CSV is streamed: its encoding decided over chunks, its rows read, checked and written batch by batch.

The chunks and batches are made tiny here (a few bytes, two rows) so that every boundary case of a
real file of gigabytes happens in a file of a few lines: a character cut by a chunk, a problem or a
repeat in a later batch than the row it names, a quoted line break across batches.
"""

from __future__ import annotations

import pytest

from planwatch.errors import DataImportError
from planwatch.model import Bound
from planwatch.observe import import_file, tables
from planwatch.observe.limits import MAX_CSV_ROWS, MAX_ROWS, ReadLimits
from planwatch.observe.tables import read_table

HEADER = "indicator,region,year,value,unit,source,note"


@pytest.fixture
def tiny(monkeypatch):
    """Chunks of 5 bytes and batches of 2 rows."""
    monkeypatch.setattr(tables, "CHUNK_BYTES", 5)
    monkeypatch.setattr(tables, "BATCH_ROWS", 2)


def problems_of(store, path, **kw) -> list[tuple]:
    with pytest.raises(DataImportError) as info:
        import_file(store, path, **kw)
    return [(p.row, p.column, p.value, p.message) for p in info.value.problems]


def test_a_file_in_tiny_chunks_and_batches_imports_as_one_read_whole(hand_store, write_csv, tiny):
    path = write_csv("""
1,嘉兴市,2021,6355.28,亿元,嘉兴统计公报,
1,嘉兴市,2022,6739.45,亿元,u1,最终核实数
,,,,,,
1,海宁市,2021,1200,亿元,u1,
6,嘉兴市,2022,>129,万人,u3,
1,南湖区,2021,8000,万元,u1,
1,南湖区,2022,,亿元,u1,缺数据
""")
    report = import_file(hand_store, path)
    assert (report.rows_read, report.values, report.inserted, report.skipped) == (6, 6, 6, 1)
    assert report.per_indicator == {"T2-1": 5, "T2-6": 1}
    assert [(p.row, p.message) for p in report.no_value] == [(8, "无数值，按备注记为文字：缺数据")]
    shown = {(o.indicator, o.region, o.year): (o.value, o.bound, o.text, o.vintage) for o in hand_store.observations()}
    assert shown == {("T2-1", "嘉兴市", 2021): (6355.28, None, None, None),
                     ("T2-1", "嘉兴市", 2022): (6739.45, None, None, "final"),
                     ("T2-1", "海宁市", 2021): (1200.0, None, None, None),
                     ("T2-6", "嘉兴市", 2022): (129.0, Bound.above, None, None),
                     ("T2-1", "南湖区", 2021): (0.8, None, None, None),
                     ("T2-1", "南湖区", 2022): (None, None, "缺数据", None)}


def test_problems_and_repeats_in_later_batches_are_all_listed_and_nothing_written(hand_store, write_csv, tiny):
    path = write_csv("""
1,嘉兴市,2021,6355.28,亿元,u1,
1,嘉兴市,2022,6739.45,亿元,u1,
1,火星市,2022,1,亿元,u1,
1,嘉兴市,2023,7062.5,亿元,u1,
1,嘉兴市,2021,6355.280,亿元,u1,
1,嘉兴市,2022,6739.45,亿元,u2,
1,嘉兴市,2023,7062.5,亿元,u1,
1,嘉兴市,2021,6355.28,亿元,u1
""")
    assert problems_of(hand_store, path) == [
        (4, "region", "火星市", "未知地区：请先用 planwatch regions 文件 导入地区"),
        (6, None, "6355.280", "与第 2 行重复（同一指标、地区、年份、数值与来源）"),
        (8, None, "7062.5", "与第 5 行重复（同一指标、地区、年份、数值与来源）"),
        (9, "note", None, "该行只有 6 列，表头有 7 列：文件可能被截断"),
    ]
    assert hand_store.observations(include_revisions=True) == []


def test_a_repeated_value_of_a_wide_row_is_named_with_its_cell(hand_store, write_csv, tiny):
    path = write_csv("1,嘉兴市,亿元,6355.28,6739.45\n2,嘉兴市,万元/人,11.3,\n1,嘉兴市,亿元,,6739.450\n",
                     header="指标,地区,单位,2021,2022年")
    assert problems_of(hand_store, path) == [
        (4, None, "6739.450", "与第 2 行重复（同一指标、地区、年份、数值与来源）")]


def test_a_quoted_line_break_and_padded_cells_across_batches(hand_store, write_csv, tiny):
    path = write_csv('1,嘉兴市,2021,6355.28,亿元,u1,\n 1 ,嘉兴市 ,2022,"6739.45",亿元,"u1","第一行\n第二行"\n'
                     '1,海宁市,2021,1200,亿元,u1,\n')
    report = import_file(hand_store, path)
    assert (report.rows_read, report.inserted) == (3, 3)
    notes = {(o.region, o.year): o.note for o in hand_store.observations()}
    assert notes == {("嘉兴市", 2021): None, ("嘉兴市", 2022): "第一行\n第二行", ("海宁市", 2021): None}


def test_a_multibyte_character_cut_by_a_chunk_and_a_bad_byte_after_the_first_chunk(hand_store, tmp_path, tiny):
    good = (HEADER + "\n1,嘉兴市,2021,6355.28,亿元,u1,初步数\n").encode()
    path = tmp_path / "good.csv"
    path.write_bytes(good)
    assert import_file(hand_store, path).encoding == "UTF-8"  # 嘉 and 兴 are cut by 5-byte chunks
    bad = good + "1,嘉兴市,2022,6739.45,亿元,u1,年报".encode() + b"\xb0\n"
    path.write_bytes(bad)
    offset = len(bad) - 2
    with pytest.raises(DataImportError, match=f"第 3 行（字节偏移 {offset}，字节 0xB0）不是有效的 UTF-8"):
        import_file(hand_store, path)


def test_gb18030_decided_over_chunks(hand_store, tmp_path, tiny):
    path = tmp_path / "gb.csv"
    path.write_bytes((HEADER + "\n1,嘉兴市,2021,6355.28,亿元,嘉兴市统计局,初步数\n").encode("gb18030"))
    report = import_file(hand_store, path)
    assert (report.encoding, report.inserted) == ("GB18030", 1)
    assert [o.vintage for o in hand_store.observations()] == ["preliminary"]


def test_a_streamed_csv_has_its_own_bounds_and_a_table_held_whole_keeps_the_others(hand_store, write_csv):
    assert (MAX_ROWS, MAX_CSV_ROWS) == (100_000, 10_000_000)
    limits = ReadLimits(rows=3)
    assert (limits.streamed().rows, limits.streamed().file_bytes, limits.streamed().cell_chars) == (
        10_000_000, 4 * 1024 ** 3, 32_767)
    path = write_csv("1,嘉兴市,2021,6355.28,亿元,u1,\n1,嘉兴市,2022,6739.45,亿元,u1,\n1,嘉兴市,2023,7062.5,亿元,u1,\n")
    with pytest.raises(DataImportError, match="第 4 行：文件超过上限 3 行"):
        read_table(path, limits=limits)
    assert import_file(hand_store, path, limits=limits).inserted == 3


def test_a_parse_error_or_a_bound_in_a_later_batch_names_its_line(hand_store, write_csv, tiny):
    rows = "".join(f"1,嘉兴市,{2020 + n},{6000 + n},亿元,u{n},\n" for n in range(5))
    quote = write_csv(rows + '1,嘉兴市,2025,1,亿元,"u1"x,\n', name="quote.csv")
    with pytest.raises(DataImportError, match="第 7 行：引号字段的结束引号后应紧跟分隔符“,”或换行"):
        import_file(hand_store, quote)
    long_cell = write_csv(rows + "1,嘉兴市,2025,1,亿元,u1," + "长" * 40 + "\n", name="cell.csv")
    with pytest.raises(DataImportError, match="第 7 行第 7 列有 40 个字符，超过上限 39"):
        import_file(hand_store, long_cell, limits=ReadLimits(cell_chars=39))
    assert hand_store.observations(include_revisions=True) == []
