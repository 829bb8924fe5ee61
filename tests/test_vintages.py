"""One vintage rule: which revision of a figure counts, the same in the store, the import and the report."""

from __future__ import annotations

import csv

import pytest

from planwatch.model import Observation
from planwatch.report.evidence import latest_observations
from planwatch.report.evidence import vintage_rank as report_vintage_rank
from planwatch.samples import JIAXING_ACTUALS
from planwatch.store.observations import order_key, record_of
from planwatch.vintages import (
    FINAL,
    PRELIMINARY,
    UNSPECIFIED,
    revision_order,
    vintage_label,
    vintage_named_in,
    vintage_rank,
)

# The real 2020 GDP of 嘉兴市 (亿元): the preliminary figure, then the final verified one.
GDP_2020_PRELIMINARY = 5509.52
GDP_2020_FINAL = 5563.58


@pytest.mark.parametrize(("vintage", "rank"), [
    (None, UNSPECIFIED), ("", UNSPECIFIED), ("   ", UNSPECIFIED),
    ("preliminary", PRELIMINARY), (" Preliminary ", PRELIMINARY), ("PRELIM", PRELIMINARY),
    ("初步", PRELIMINARY), ("初步数", PRELIMINARY), ("初步核算", PRELIMINARY), ("快报", PRELIMINARY),
    ("初值", PRELIMINARY),
    ("final", FINAL), ("Final\n", FINAL), ("最终核实", FINAL), ("最终核实数", FINAL), ("核实", FINAL),
    ("最终", FINAL), ("最终数", FINAL), ("终值", FINAL),
    ("2021-03", UNSPECIFIED), ("revised", UNSPECIFIED),
    # The whole cell names the vintage, not a word inside it: a label with more is a dated/other vintage.
    ("2021年快报", UNSPECIFIED), ("preliminary 2021", UNSPECIFIED),
])
def test_vintage_rank(vintage, rank):
    assert vintage_rank(vintage) == rank


def test_revision_order_final_then_unspecified_then_preliminary():
    ranked = sorted(["final", None, "preliminary", "2021-03", "2020-12", "快报", "核实"],
                    key=lambda v: revision_order(v))
    assert ranked[:2] == ["preliminary", "快报"]  # equal ranks keep their order (sort is stable)
    assert ranked[2:5] == [None, "2020-12", "2021-03"]  # among unspecified vintages the later date
    assert ranked[5:] == ["final", "核实"]


def test_revision_order_breaks_ties_by_import_then_row():
    assert revision_order("final", 2, 1) > revision_order("final", 1, 9) > revision_order("final", 1, 8)
    assert revision_order("preliminary", 9, 9) < revision_order(None, 1, 1)
    # A stored rank is used as given (the store's vintage_rank column).
    assert revision_order("final", rank=UNSPECIFIED) == (UNSPECIFIED, "final", 0, 0)


def test_store_order_key_is_the_rule():
    rec = {"vintage": "2021-03", "vintage_rank": vintage_rank("2021-03"), "import_id": None, "row_no": 4}
    assert order_key(rec) == revision_order("2021-03", 0, 4) == (UNSPECIFIED, "2021-03", 0, 4)
    gdp = Observation(indicator="T2-1", region="嘉兴市", year=2020, value=GDP_2020_FINAL, vintage="最终核实")
    assert record_of(gdp, 1)["vintage_rank"] == FINAL


def test_report_vintage_rank_orders_as_the_store():
    vintages = [None, "preliminary", "final", "2021-03", "快报", "终值", "2021年快报"]
    assert sorted(vintages, key=report_vintage_rank) == sorted(vintages, key=lambda v: revision_order(v)[:2])


def test_vintage_labels():
    assert [vintage_label(v) for v in ("preliminary", "final", "2021-03", "快报", None)] == [
        "初步数", "最终核实数", "2021-03", "快报", ""]


@pytest.mark.parametrize(("note", "vintage"), [
    ("2020 preliminary figure; real growth 3.5%", "preliminary"),
    ("2020 final verified figure (最终核实), reported in 2021 bulletin", "final"),
    ("经核实，全市生产总值为5563.58亿元", "final"),
    ("2021年快报数", "preliminary"),
    ("初步核算，比上年增长8.5%", "preliminary"),
    ("FINAL", "final"),
    # Negated or prose uses name no vintage.
    ("未经核实", None), ("有待核实", None), ("数据尚未核实", None), ("非最终核实数", None),
    ("not final", None), ("non-final figure", None), ("finally published", None),
    ("按最终消费支出口径", None), ("third-party article (2025-07), unverified against bulletin", None),
    ("growth 6.3% (2024 government work report)", None),
])
def test_vintage_named_in_a_note(note, vintage):
    assert vintage_named_in(note) == vintage


def _gdp_2020(value: float, vintage: str | None) -> Observation:
    return Observation(indicator="T2-1", region="嘉兴市", year=2020, value=value, unit="亿元", vintage=vintage)


def test_real_2020_gdp_final_counts_in_the_report():
    preliminary = _gdp_2020(GDP_2020_PRELIMINARY, "preliminary")
    final = _gdp_2020(GDP_2020_FINAL, "final")
    assert latest_observations([preliminary, final]) == [final] == latest_observations([final, preliminary])


@pytest.mark.parametrize("final_first", [False, True])
def test_real_2020_gdp_final_counts_in_the_store(store, final_first):
    revisions = [_gdp_2020(GDP_2020_PRELIMINARY, "preliminary"), _gdp_2020(GDP_2020_FINAL, "final")]
    for obs in reversed(revisions) if final_first else revisions:
        store.add_observations([obs])
    assert [o.value for o in store.observations("T2-1", "嘉兴市", 2020)] == [GDP_2020_FINAL]
    everything = store.observations("T2-1", "嘉兴市", 2020, include_revisions=True)
    assert [o.value for o in latest_observations(everything)] == [GDP_2020_FINAL]


def test_real_2020_gdp_vintages_are_read_from_the_notes():
    with JIAXING_ACTUALS.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["indicator_no"], r["region"], r["year"]) == ("1", "嘉兴市", "2020")]
    read = [(float(r["value"]), vintage_named_in(r["note"])) for r in rows]
    assert read == [(GDP_2020_PRELIMINARY, "preliminary"), (GDP_2020_FINAL, "final")]


def test_real_import_keeps_the_final_2020_gdp(jiaxing_store_shared):
    store = jiaxing_store_shared
    gdp = store.plan().indicator("1").id
    [current] = store.observations(gdp, "嘉兴市", 2020)
    assert (current.value, current.vintage) == (GDP_2020_FINAL, "final")
    everything = store.observations(gdp, "嘉兴市", 2020, include_revisions=True)
    assert latest_observations(everything) == [current]


# (first revision's vintage, second's, which counts): the store and the report must agree on each,
# whichever of the two arrives first; 'later' means a tie that the later import decides.
PAIRS = [
    ("preliminary", "final", "final"),
    ("初步", None, None),
    (None, "final", "final"),
    ("快报", "终值", "终值"),
    ("初值", "最终核实", "最终核实"),
    ("2021-03", "2022-01", "2022-01"),
    ("2022-01", "preliminary", "2022-01"),
    ("final", "2023-05", "final"),
    ("2021年快报", "preliminary", "2021年快报"),
    ("final", "核实", "later"),
    ("preliminary", "快报", "later"),
    (None, None, "later"),
    ("2021-03", "2021-03", "later"),
]


def _revisions(year: int, side: int, value: float) -> list[Observation]:
    """One revision per pair (its first vintage when side is 0, else its second), each pair its own indicator."""
    return [Observation(indicator=f"P{n}", region="嘉兴市", year=year, value=value, vintage=pair[side])
            for n, pair in enumerate(PAIRS)]


def _value_that_counts(a, b, winner, later: str) -> float:
    """1.0 when a's revision counts, 2.0 when b's; a tie goes to the later one."""
    side = later if winner == "later" else ("a" if winner == a else "b")
    return {"a": 1.0, "b": 2.0}[side]


def test_store_and_report_agree_on_vintage_pairs(store):
    # 2021: a is imported first, b second; 2022: b first, a second. a's value is 1.0, b's 2.0.
    store.add_observations(_revisions(2021, 0, 1.0) + _revisions(2022, 1, 2.0))
    store.add_observations(_revisions(2021, 1, 2.0) + _revisions(2022, 0, 1.0))
    stored = {(o.indicator, o.year): o.value for o in store.observations()}
    # Revisions come back in import order, as the report receives them.
    everything = store.observations(include_revisions=True)
    assert len(everything) == 4 * len(PAIRS)
    assert {(o.indicator, o.year): o.value for o in latest_observations(everything)} == stored
    for n, (a, b, winner) in enumerate(PAIRS):
        assert stored[(f"P{n}", 2021)] == _value_that_counts(a, b, winner, later="b"), (a, b)
        assert stored[(f"P{n}", 2022)] == _value_that_counts(a, b, winner, later="a"), (a, b)
