"""Fixtures of the ingest tests: the shipped fragments, read once."""

from __future__ import annotations

import pytest

from planwatch.samples import FRAGMENTS


def fragment_path(stem: str):
    return next(p for p in FRAGMENTS if p.name.startswith(stem))


@pytest.fixture(scope="session")
def fragment_plans():
    """Stem (jiashan / ningbo / zhejiang) → Plan."""
    from planwatch.ingest import read_plan

    return {p.name.split("-")[0]: read_plan(p) for p in FRAGMENTS}


@pytest.fixture(scope="session")
def jiaxing_document(outline_path):
    from planwatch.ingest import read_document

    return read_document(outline_path)
