"""export_observations: CSV and XLSX that import back unchanged."""

from __future__ import annotations

import csv

import pytest

from planwatch.model import Series
from planwatch.observe import export_observations, import_file
from planwatch.store import open_store

ROWS = """
1,嘉兴市,2020,5509.52,亿元,u1,2020 preliminary
1,嘉兴市,2020,5563.58,亿元,u2,最终核实
6,嘉兴市,2022,>129,万人,u3,
9,嘉兴市,2024,,亿元,u5,growth only
2,嘉兴市,2023,21.43,万元/人,u9,
INC_R,嘉兴市,2024,第1位,位次,u4,
GDPg,海宁市,2021,7,%,u6,
"""
SERIES = [Series(code="INC_R", name="农村居民人均可支配收入", unit="元"),
          Series(code="GDPg", name="GDP实际增长率", unit="%", kind="annual_growth")]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip(hand_store, write_csv, tmp_path, suffix):
    import_file(hand_store, write_csv(ROWS), declare=SERIES)
    out = tmp_path / f"export.{suffix}"
    assert export_observations(hand_store, out, include_revisions=True) == 7
    assert export_observations(hand_store, tmp_path / f"current.{suffix}") == 6

    again = import_file(hand_store, out)  # the same store: nothing new
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 7)

    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.init()
    fresh.load_plan(hand_store.plan())
    fresh.add_regions([(r.name, r.parent, r.level) for r in hand_store.regions()])
    fresh.declare_series(SERIES)
    report = import_file(fresh, out)
    assert (report.inserted, report.revised) == (6, 1)
    strip = lambda obs: [o.model_dump() for o in obs]  # noqa: E731
    assert strip(fresh.observations(include_revisions=True)) == strip(hand_store.observations(include_revisions=True))
    assert strip(fresh.observations()) == strip(hand_store.observations())
    fresh.dispose()


def test_csv_layout(hand_store, write_csv, tmp_path):
    import_file(hand_store, write_csv(ROWS), declare=SERIES)
    out = tmp_path / "export.csv"
    export_observations(hand_store, out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["indicator", "region", "year", "value", "unit", "kind", "source", "note", "vintage"]
    assert ["T2-1", "嘉兴市", "2020", "5563.58", "亿元", "level", "u2", "最终核实", "final"] in rows
    assert ["T2-6", "嘉兴市", "2022", ">129", "万人", "level", "u3", "", ""] in rows
    assert ["T2-9", "嘉兴市", "2024", "", "亿元", "text", "u5", "growth only", ""] in rows
    assert ["INC_R", "嘉兴市", "2024", "第1位", "位次", "text", "u4", "", ""] in rows
