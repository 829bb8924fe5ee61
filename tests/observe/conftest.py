"""Observe-stage fixtures: the hand plan of tests/store in a store on each backend, and a CSV writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.model import Plan

HAND_PLAN = Path(__file__).parent.parent / "store" / "hand_plan.json"
REGIONS = [("嘉兴市", None, "city"), ("南湖区", "嘉兴市", "county"), ("海宁市", "嘉兴市", "county")]
HEADER = "indicator,region,year,value,unit,source,note"


@pytest.fixture
def hand_store(store):
    """A store on each backend with the hand plan (rows of the Jiaxing 表2) and three regions."""
    store.load_plan(Plan.model_validate_json(HAND_PLAN.read_text(encoding="utf-8")), source="hand")
    store.add_regions(REGIONS)
    return store


@pytest.fixture
def write_csv(tmp_path):
    """Write CSV text (header defaults to the long form) to a tmp file; return its path."""
    def write(body: str, *, header: str | None = HEADER, name: str = "data.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        text = (header + "\n" if header else "") + body.strip("\n") + "\n"
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def jiaxing_declared_series_list():
    """The series the real actuals use beyond the plan's table (the demo's declaration)."""
    from planwatch.demo import declared_series

    return declared_series()
