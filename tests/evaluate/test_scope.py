"""The one entry every surface calls, the stale-data rule and the fast Finding construction, on the real store."""

from __future__ import annotations

import dataclasses
import sys

import pandas as pd
import pytest

from planwatch.errors import EvaluationError
from planwatch.evaluate import assess, read_inputs
from planwatch.model import Finding, PathShape, Status
from planwatch.presentation import FindingView


@pytest.fixture(scope="module")
def inputs(jiaxing_store_shared):
    return read_inputs(jiaxing_store_shared)


@pytest.fixture(scope="module")
def assessment(inputs):
    return assess(inputs)


def test_defaults_are_the_latest_data_year_and_the_plans_region(inputs, assessment):
    assert inputs.default_year == 2024 and assessment.year == 2024
    assert {f.region for f in assessment.findings} == {"嘉兴市"}
    assert len(assessment.findings) == 38


def test_a_county_of_the_region_tree_is_judged_not_dropped(inputs):
    # 南湖区 has only county GDP (a declared series, not a plan indicator): every indicator is judged, 无数据.
    county = assess(inputs, year=2024, regions=["南湖区"])
    assert len(county.findings) == 38 and {f.region for f in county.findings} == {"南湖区"}
    assert {f.status for f in county.findings} == {Status.no_data, Status.pending_target}


def test_an_unknown_region_is_refused_with_the_known_ones(inputs):
    with pytest.raises(EvaluationError, match=r"地区“火星市”没有任何观测数据；已有数据的地区：.*嘉兴市"):
        assess(inputs, regions=["火星市"])


def test_stale_data_are_said_everywhere(assessment):
    by_no = {f.no: f for f in assessment.findings}
    # PM2.5: the latest value is 26 (2021); 2021 < 2024 − 1 → stale, and it says so.
    pm25 = by_no["18"]
    assert (pm25.actual, pm25.actual_year, pm25.stale, pm25.status) == (26.0, 2021, True, Status.achieved)
    assert pm25.explanation.endswith("提前实现（按2021年数据）。")
    assert FindingView(pm25, final=False).cells["status"] == "提前实现（按2021年数据）"
    assert FindingView(pm25, final=False).cells["actual"] == "26（2021年）"
    # GDP: 2024 data for 2024 → not stale.
    gdp = by_no["1"]
    assert (gdp.actual, gdp.actual_year, gdp.stale) == (7569.53, 2024, False)
    # 8 of the 13 indicators judged on data rest on 2021–22 values (the count).
    judged = [f for f in assessment.findings if f.status not in (Status.no_data, Status.pending_target)]
    assert len(judged) == 13
    assert sorted(f.no for f in judged if f.stale) == sorted(["9", "11", "17", "18", "19", "21", "26", "27"])


def test_path_shape_comes_from_the_one_rule(assessment):
    by_no = {f.no: f for f in assessment.findings}
    assert by_no["1"].path == PathShape.geometric  # 亿元: in geometric_units
    assert by_no["3"].path == PathShape.linear  # %: a share
    assert by_no["6"].path == PathShape.geometric  # 万人


def test_gdp_expected_is_said_once_at_one_precision(assessment):
    gdp = next(f for f in assessment.findings if f.no == "1")
    # 5509.5 → 9000 geometric; at 2024 (share 0.8): 5509.5 × (9000/5509.5)^0.8 = 8158.62
    assert gdp.expected == pytest.approx(8158.62, abs=0.005)
    assert "8158.62亿元" in gdp.explanation and "8158.6亿元" not in gdp.explanation


def test_fast_findings_round_trip_equal_to_validated_ones(inputs):
    """The hot path builds Findings without validation: each must equal the validated model of its dump."""
    for year in (2021, 2024, 2025):
        for f in assess(inputs, year=year, regions=["嘉兴市", "南湖区"]).findings:
            dumped = f.model_dump()
            again = Finding.model_validate(dumped)
            assert again == f and again.model_dump() == dumped
            assert Finding.model_validate_json(f.model_dump_json()) == f


def test_final_year_wording_is_the_findings(inputs):
    final = assess(inputs, year=2025)
    assert final.final
    for f in final.findings:
        assert FindingView(f, final=final.final).status_label in f.explanation  # one wording everywhere
    by_no = {f.no: f for f in final.findings}
    # No 2025 figure yet: never 已实现 / 未实现, but what the trend says.
    assert not {f.status for f in final.findings} & {Status.achieved, Status.not_achieved}
    # GDP 7569.53 (2024) → projected 8195.17 in 2025 < 9000: 预计难以完成, with its warning.
    assert (by_no["1"].status, FindingView(by_no["1"], final=True).status_label, by_no["1"].warning) == (
        Status.likely_missed, "预计难以完成", True)
    # 城镇化率 74.5 (2024) is inside the 75左右 band (±0.5): 预计完成.
    assert (by_no["3"].status, FindingView(by_no["3"], final=True).status_label) == (Status.likely_achieved, "预计完成")
    # PM2.5 26 (2021) under 27以下: 预计完成, and said to rest on 2021 data.
    assert by_no["18"].status == Status.likely_achieved and by_no["18"].explanation.endswith("预计完成（按2021年数据）。")


@pytest.mark.parametrize(("gdp_2025", "status", "label"), [
    (9100.0, Status.achieved, "已实现"),  # 9100 ≥ 9000 on the target year's own figure
    (8500.0, Status.not_achieved, "未实现"),  # 8500 < 9000 on the target year's own figure
])
def test_final_year_data_settle_the_verdict(inputs, gdp_2025, status, label):
    row = pd.DataFrame([{"indicator": "T2-1", "region": "嘉兴市", "year": 2025, "value": gdp_2025, "kind": "level",
                         "unit": "亿元", "source": "test"}])
    with_2025 = dataclasses.replace(inputs, frame=pd.concat([inputs.frame, row], ignore_index=True))
    gdp = next(f for f in assess(with_2025, year=2025).findings if f.no == "1")
    assert (gdp.actual, gdp.actual_year, gdp.status, FindingView(gdp, final=True).status_label) == (gdp_2025, 2025, status, label)


def test_a_finding_keeps_to_the_smaller_dict_table(inputs):
    """A national evaluation holds 10⁵–10⁶ Findings, each a dict of its fields: 42 fit CPython's 64-slot table
    (832 bytes on 3.11); a 43rd doubles it (1,584 bytes). A new field means folding or deriving another."""
    f = assess(inputs, year=2024, regions=["嘉兴市"]).findings[0]
    assert len(Finding.model_fields) == len(f.__dict__) <= 42
    assert sys.getsizeof(f.__dict__) < sys.getsizeof({**f.__dict__, "one_more": None})  # the table doubles
