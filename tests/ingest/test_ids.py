"""Indicator ids are unique in a plan, and a plan document has a bounded size.

A table pasted twice (or a number printed twice) gave hundreds of indicators the id ``T2-1``
without a word: now the later rows take their line id (``T2-L803``), each is a ``duplicate_id``
review flag naming both lines, and one warning says where.
"""

from __future__ import annotations

from collections import Counter

import pytest

from planwatch.errors import PlanFormatError
from planwatch.ingest import document as document_module
from planwatch.ingest import read_plan, read_plan_text
from planwatch.ingest.document import MAX_PLAN_BYTES
from planwatch.ingest.indicators import DUPLICATE_ID

TABLE2 = (435, 767)  # 表2 of the Jiaxing outline with its notes: header line to the blank after the notes


def _lines(outline_path) -> list[str]:
    return outline_path.read_text(encoding="utf-8").splitlines()


def _with_table2_pasted(outline_path, copies: int) -> str:
    """The Jiaxing outline with 表2 (and its notes) repeated ``copies`` more times right after itself."""
    lines = _lines(outline_path)
    start, end = TABLE2
    block = lines[start - 1:end]
    return "\n".join(lines[:end] + block * copies + lines[end:])


@pytest.fixture(scope="module")
def pasted(outline_path):
    return read_plan_text(_with_table2_pasted(outline_path, 3), "pasted.txt")


def test_every_id_is_unique(pasted, jiaxing_plan):
    table2 = [i for i in jiaxing_plan.indicators if i.table.startswith("表2")]
    assert len(pasted.indicators) == len(jiaxing_plan.indicators) + 3 * len(table2)
    assert [k for k, n in Counter(i.id for i in pasted.indicators).items() if n > 1] == []


def test_the_first_table_keeps_its_ids(pasted, jiaxing_plan):
    first = [(i.id, i.name, i.line) for i in pasted.indicators if i.line <= TABLE2[1]]
    assert first == [(i.id, i.name, i.line) for i in jiaxing_plan.indicators]


def test_a_pasted_row_takes_its_line_id_and_its_sub_rows_follow(pasted, jiaxing_plan):
    span = TABLE2[1] - TABLE2[0] + 1
    by_line = {i.line: i for i in pasted.indicators}
    gdp = next(i for i in jiaxing_plan.indicators if i.id == "T2-1")
    copy = by_line[gdp.line + span]
    assert (copy.id, copy.name, copy.no) == (f"T2-L{gdp.line + span}", gdp.name, "1")
    child = next(i for i in jiaxing_plan.indicators if i.id == "T2-8.1")
    parent = by_line[next(i.line for i in jiaxing_plan.indicators if i.id == "T2-8") + span]
    copied_child = by_line[child.line + span]
    assert copied_child.parent == parent.id == f"T2-L{parent.line}"
    assert copied_child.id == f"{parent.id}.1"


def test_each_duplicate_is_a_review_flag_naming_both_lines(pasted, jiaxing_plan):
    flags = [f for f in pasted.flags if f.code == DUPLICATE_ID]
    renamed = [i for i in pasted.indicators if i.line > TABLE2[1] and i.id.startswith("T2-L")]
    assert {f.item for f in flags} <= {i.id for i in renamed}
    span = TABLE2[1] - TABLE2[0] + 1
    first = next(f for f in flags if f.item == f"T2-L{455 + span}")
    assert first.line == 455 + span
    assert "T2-1" in first.message and "第455行" in first.message and f"T2-L{455 + span}" in first.message
    # A sub-row follows its renamed parent (T2-L….1): it is not a duplicate of its own.
    assert len(flags) == 3 * sum(1 for i in jiaxing_plan.indicators if i.table.startswith("表2") and i.parent is None)


def test_one_warning_says_where(pasted):
    span = TABLE2[1] - TABLE2[0] + 1
    [warning] = [w for w in pasted.warnings if "编号与前文重复" in w]
    assert f"有 {sum(f.code == DUPLICATE_ID for f in pasted.flags)} 个指标" in warning
    assert f"第 {455 + span}、{463 + span}、" in warning and "行等" in warning and "同一张表格重复出现" in warning


def test_a_number_printed_twice_in_one_table(outline_path):
    lines = _lines(outline_path)
    gdp_no = next(n for n in range(455, 470) if lines[n - 1] == "\t2")  # 表2 row 2 printed as a second 1
    lines[gdp_no - 1] = "\t1"
    plan = read_plan_text("\n".join(lines), "twice.txt")
    ids = [i.id for i in plan.indicators]
    assert len(ids) == len(set(ids))
    [flag] = [f for f in plan.flags if f.code == DUPLICATE_ID]
    twice = next(i for i in plan.indicators if i.id == flag.item)
    assert twice.name == "全员劳动生产率年均增长" and twice.id == f"T2-L{twice.line}"
    assert "T2-1" in flag.message and "第455行" in flag.message


def test_shipped_plans_have_no_duplicate_flags(jiaxing_plan):
    assert not [f for f in jiaxing_plan.flags if f.code == DUPLICATE_ID]
    assert not [w for w in jiaxing_plan.warnings if "编号与前文重复" in w]


def test_a_plan_file_over_the_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge-plan.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_PLAN_BYTES + 1)  # sparse: NUL bytes that would be refused as binary if read
    with pytest.raises(PlanFormatError) as caught:
        read_plan(big)
    message = str(caught.value)
    assert str(big) in message and "规划文件过大" in message and "上限 10.0 MB" in message
    assert "空字节" not in message


def test_plan_text_over_the_limit_is_refused(outline_path, monkeypatch):
    text = outline_path.read_text(encoding="utf-8")
    monkeypatch.setattr(document_module, "MAX_PLAN_BYTES", len(text.encode("utf-8")) - 1)
    with pytest.raises(PlanFormatError, match=r"^pasted\.txt: 规划文件过大（0\.1 MB），超过读取上限 0\.1 MB"):
        read_plan_text(text, "pasted.txt")


def test_a_plan_file_at_the_limit_is_read(outline_path, monkeypatch):
    monkeypatch.setattr(document_module, "MAX_PLAN_BYTES", outline_path.stat().st_size)
    assert read_plan(outline_path).meta.title
