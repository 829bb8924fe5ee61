"""Shared fixtures: the real Jiaxing plan is read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.samples import JIAXING_ACTUALS, JIAXING_OUTLINE

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def outline_path() -> Path:
    return JIAXING_OUTLINE


@pytest.fixture(scope="session")
def actuals_path() -> Path:
    return JIAXING_ACTUALS


@pytest.fixture(scope="session")
def jiaxing_plan(outline_path):
    """The Jiaxing 14th plan, ingested once (read-only: copy before mutating)."""
    from planwatch.ingest import read_plan

    return read_plan(outline_path)
