"""Store-stage fixtures: a small hand-built plan (rows of the Jiaxing 表2) in a store on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.model import Plan

HAND_PLAN = Path(__file__).with_name("hand_plan.json")
REGIONS = [("嘉兴市", None, "city"), ("南湖区", "嘉兴市", "county"), ("海宁市", "嘉兴市", "county")]


@pytest.fixture
def hand_plan() -> Plan:
    """Rows 1, 2, 3, 5, 6, 9, 11, 16, 26, 27 of 表2, as ingest types them."""
    return Plan.model_validate_json(HAND_PLAN.read_text(encoding="utf-8"))


@pytest.fixture
def hand_store(store, hand_plan):
    """A store on each backend with the hand plan and three regions."""
    store.load_plan(hand_plan, source="hand")
    store.add_regions(REGIONS)
    return store
