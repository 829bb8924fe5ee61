"""Integration: the real Jiaxing plan and data from the store, evaluated at 2024."""

import math

import pytest

from planwatch.evaluate import evaluate


@pytest.fixture
def real(jiaxing_store):
    return jiaxing_store.plan(), jiaxing_store.observation_frame()


def test_gdp_2024_from_store(real):
    plan, frame = real
    gdp = plan.indicator("1")
    a = evaluate(plan, frame, 2024)
    f = next(f for f in a.findings if f.indicator_id == gdp.id and f.region == plan.meta.region and f.kind == "level")
    rows = frame[(frame["indicator"] == gdp.id) & (frame["region"] == plan.meta.region) & (frame["year"] == 2024)
                 & (frame["kind"].astype(str).str.endswith("level"))]
    assert f.actual == pytest.approx(float(rows["value"].iloc[-1])) and f.actual_year == 2024
    assert f.actual == 7569.53  # two 2024 rows without vintage: the later row of the file counts
    base, target = gdp.baseline.value, gdp.target.value
    assert (base, target) == (5509.5, 9000)
    assert f.expected == pytest.approx(base * (target / base) ** 0.8)
    assert f.completion == pytest.approx(math.log(f.actual / base) / math.log(target / base))
    assert f.status == "lagging" and f.warning


def test_every_current_indicator_has_a_finding(real):
    plan, frame = real
    a = evaluate(plan, frame, 2024)
    own = {f.indicator_id for f in a.findings if f.region == plan.meta.region}
    current = {i.id for i in plan.current_indicators()}
    assert own == current
    pm = next(f for f in a.findings if "PM2.5" in f.indicator and f.region == plan.meta.region)
    assert pm.status == "achieved"  # 2021: 26 ≤ 27
