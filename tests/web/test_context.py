"""Display helpers of the web context, and the shared ones it now uses."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from planwatch.evaluate import latest_data_year
from planwatch.model import Bound, Finding, Status, TargetKind
from planwatch.presentation import FindingView
from planwatch.web.context import as_record, finite
from planwatch.web.render import groups_in_order

from .conftest import sample_plan


def test_finite():
    assert [finite(v) for v in (5509.52, 0, None, math.nan, math.inf)] == [5509.52, 0, None, None, None]


def test_actual_display_with_bound_and_older_year():
    f = Finding(indicator_id="T2-6", no="6", indicator="人才资源总量", region="嘉兴市", year=2024,
                kind=TargetKind.level, status=Status.on_track, actual=129, actual_bound=Bound.above, actual_year=2022)
    assert FindingView(f, False).actual_text == ">129（2022年）"
    assert FindingView(f.model_copy(update={"actual_year": 2024}), False).actual_text == ">129"
    assert FindingView(f.model_copy(update={"actual": math.nan}), False).actual_text == "—"


def test_as_record_makes_json_ready_values():
    @dataclasses.dataclass
    class Row:
        value: float
        when: pd.Timestamp

    # as_record takes model objects and plain data; numpy floats are floats (numpy ints are no longer
    # unwrapped: the shared records carry Python ints only)
    rec = as_record({"a": 3, "b": [math.nan, np.float64(1.5)], "c": Row(math.inf, pd.Timestamp("2024-05-01"))})
    assert rec == {"a": 3, "b": [None, 1.5], "c": {"value": None, "when": "2024-05-01T00:00:00"}}


def test_latest_data_year_ignores_series_and_years_after_the_period():
    # 2026 lies after the period, GDPg is a series, T2-3 has no value and T1-1 is the previous plan's
    frame = pd.DataFrame({"indicator": ["T2-1", "T2-1", "GDPg", "T2-3", "T1-1"], "region": ["嘉兴市"] * 5,
                          "year": [2023, 2026, 2025, 2022, 2024],
                          "value": [7062.5, 1.0, 5.6, None, 1.0]})
    assert latest_data_year(sample_plan(), frame) == 2023
    # no data at all: the base year (the shared default no longer leaves the year open)
    assert latest_data_year(sample_plan(), frame.iloc[0:0]) == 2021  # nothing yet: the period's first year


def test_groups_in_order_keeps_runs():
    rows = [{"c": "经济发展", "i": 1}, {"c": "经济发展", "i": 2}, {"c": "科技创新", "i": 3}, {"c": "经济发展", "i": 4}]
    assert [(k, [r["i"] for r in g]) for k, g in groups_in_order(rows, "c")] == [
        ("经济发展", [1, 2]), ("科技创新", [3]), ("经济发展", [4])]
