"""Web fixtures: a small in-memory store holding real Jiaxing rows and real reported numbers.

The fake store implements the Store methods the web layer reads; the fake evaluator returns
findings fixed per year, so these tests check what the web layer does with them. Tests that
use the real store and evaluator go through ``real_app`` (the shared ``jiaxing_store``).
"""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from planwatch.model import (
    Attribute,
    Baseline,
    Bound,
    Comparator,
    Finding,
    Indicator,
    Observation,
    ObservationKind,
    PathShape,
    Plan,
    PlanMeta,
    Status,
    Target,
    TargetKind,
)
from planwatch.web import WebSettings, create_app

REGION = "嘉兴市"
GDP_SRC_2021 = "https://nextlevelartsconsulting.com/thuadong/5531.html"


def _indicator(id_, no, category, name, unit, base, target, *, line, end=2025, table="表2") -> Indicator:
    return Indicator(id=id_, table=table, category=category, no=no, name=name, unit=unit,
                     baseline=Baseline(value=base.get("value"), year=end - 5, text=base.get("text", "")),
                     target=target, targets=[target], attribute=Attribute.anticipatory,
                     path=PathShape.geometric if unit == "亿元" else PathShape.linear,
                     period_start=end - 4, period_end=end, line=line)


def sample_plan() -> Plan:
    """Four rows of 表2 and one of 表1 of the Jiaxing 14th plan, as printed."""
    meta = PlanMeta(title="嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", region=REGION,
                    level="city", period_start=2021, period_end=2025, base_year=2020, vision_year=2035,
                    plan_number=14)
    gdp = Target(kind=TargetKind.level, comparator=Comparator.at_least, value=9000, text="9000", year=2025,
                 base_year=2020, unit="亿元")
    labour = Target(kind=TargetKind.annual_growth, comparator=Comparator.at_least, value=7, text="7以上",
                    qualifier="以上", year=2025, base_year=2020, unit="%")
    urban = Target(kind=TargetKind.level, comparator=Comparator.about, value=75, text="75左右", qualifier="左右",
                   year=2025, base_year=2020, unit="%", tolerance=0.5)
    rd = Target(kind=TargetKind.level, comparator=Comparator.at_least, value=3.75, text="3.75", year=2025,
                base_year=2020, unit="%")
    old_gdp = Target(kind=TargetKind.level, comparator=Comparator.at_least, value=5000, text="5000", year=2020,
                     unit="亿元")
    return Plan(meta=meta, indicators=[
        _indicator("T1-1", "1", "经济发展", "地区生产总值", "亿元", {"value": 3517.8}, old_gdp,
                   line=300, end=2020, table="表1"),
        _indicator("T2-1", "1", "经济发展", "地区生产总值", "亿元", {"value": 5509.5}, gdp, line=458),
        _indicator("T2-2", "2", "经济发展", "全员劳动生产率增长", "%", {"text": "-"}, labour, line=466),
        _indicator("T2-3", "3", "经济发展", "常住人口城镇化率", "%", {"value": 69}, urban, line=473),
        _indicator("T2-5", "5", "科技创新", "研发经费支出占地区生产总值比重", "%", {"value": 3.1}, rd, line=490),
    ])


def _obs(ind, year, value, vintage=None, source=None, **kw) -> Observation:
    return Observation(indicator=ind, region=REGION, year=year, value=value, unit=kw.pop("unit", None),
                       vintage=vintage, source=source, **kw)


def sample_observations() -> list[Observation]:
    """Real reported Jiaxing figures, in import order (a later vintage revises an earlier one)."""
    return [
        _obs("T2-1", 2020, 5509.52, "preliminary", "http://hbzqbyyxgs.com/news/514119.html", unit="亿元"),
        _obs("T2-1", 2020, 5563.58, "final", "http://xiaomonv0755.com/tjgb/11zj/36952.html", unit="亿元"),
        _obs("T2-1", 2021, 6355.28, "preliminary", "http://xiaomonv0755.com/tjgb/11zj/36952.html", unit="亿元"),
        _obs("T2-1", 2021, 6388.38, "final", GDP_SRC_2021, unit="亿元"),
        _obs("T2-1", 2022, 6739.45, "preliminary", GDP_SRC_2021, unit="亿元"),
        _obs("T2-1", 2023, 7062.5, None, "http://district.ce.cn/newarea/roll/202402/04/t20240204_38892792.shtml",
             unit="亿元"),
        _obs("T2-1", 2024, 7569.5, None, "https://cezhidao.com/reports/GnEt", unit="亿元"),
        _obs("T2-3", 2021, 71.9, None, "http://xiaomonv0755.com/tjgb/11zj/36952.html", unit="%"),
        _obs("T2-3", 2022, 72.4, None, GDP_SRC_2021, unit="%"),
        _obs("T2-5", 2024, 3.56, None, "https://cezhidao.com/reports/GnEt", unit="%",
             note="probably the 2023 value reported in the 2024 review"),
        _obs("GDPg", 2024, 5.6, None, "https://cezhidao.com/reports/GnEt", unit="%",
             kind=ObservationKind.annual_growth),
        Observation(indicator="T2-1", region="南湖区", year=2024, value=900.0, bound=Bound.above, unit="亿元"),
    ]


class FakeStore:
    """The Store methods the web layer uses, over a list of observations."""

    def __init__(self, plan: Plan | None, observations: list[Observation]):
        self._plan = plan
        self._all = observations

    def plan(self) -> Plan | None:
        return self._plan

    def _current(self) -> list[Observation]:
        latest: dict[tuple, Observation] = {}
        for obs in self._all:
            latest[(obs.indicator, obs.region, obs.year, obs.kind)] = obs
        return list(latest.values())

    def observation_frame(self) -> pd.DataFrame:
        return pd.DataFrame([o.model_dump() for o in self._current()])

    def observations(self, indicator=None, region=None) -> list[Observation]:
        return [o for o in self._current()
                if (indicator is None or o.indicator == indicator) and (region is None or o.region == region)]

    def revisions(self, indicator, region, year) -> list[Observation]:
        return [o for o in self._all if (o.indicator, o.region, o.year) == (indicator, region, year)]

    def regions(self) -> list[dict]:
        return [{"name": REGION, "parent": None, "level": "city"},
                {"name": "南湖区", "parent": REGION, "level": "county"}]

    def adjustments(self) -> list:
        return []


def _finding(ind_id, no, name, category, unit, status, year, **kw) -> Finding:
    return Finding(indicator_id=ind_id, no=no, indicator=name, category=category, unit=unit, region=REGION,
                   year=year, kind=kw.pop("kind", TargetKind.level), status=status, **kw)


def sample_findings(year: int) -> list[Finding]:
    """Findings fixed per year, returned out of plan order to check the web layer's ordering."""
    gdp_expected = {2021: 6092.1, 2022: 6736.3, 2023: 7448.6, 2024: 8236.2, 2025: 9107.2}
    gdp_actual = {2021: 6388.38, 2022: 6739.45, 2023: 7062.5, 2024: 7569.5}
    found = [
        _finding("T2-5", "5", "研发经费支出占地区生产总值比重", "科技创新", "%", Status.no_data, year,
                 target_text="3.75", baseline=3.1, target=3.75, explanation="无数据"),
        _finding("T2-2", "2", "全员劳动生产率增长", "经济发展", "%", Status.not_assessable, year,
                 kind=TargetKind.annual_growth, target_text="7以上"),
        _finding("T2-3", "3", "常住人口城镇化率", "经济发展", "%", Status.on_track, year,
                 target_text="75左右", baseline=69, target=75, actual=72.4, actual_year=2022,
                 completion=0.5667, expected=71.4),
        _finding("T1-1", "1", "地区生产总值", "经济发展", "亿元", Status.achieved, year, target_text="5000"),
    ]
    actual = gdp_actual.get(min(year, 2024))
    found.append(_finding(
        "T2-1", "1", "地区生产总值", "经济发展", "亿元", Status.lagging if year >= 2023 else Status.on_track,
        year, attribute=Attribute.anticipatory, target_text="9000", baseline=5509.5,
        target=9000, actual=actual, actual_year=min(year, 2024), expected=gdp_expected[year],
        completion=round((actual - 5509.5) / (9000 - 5509.5), 4), warning=year >= 2023,
        projection=8610.2 if year == 2024 else None, explanation="年均增长 6.6%，低于所需的 10.4%。"))
    return found


class FakeEvaluate:
    """An evaluator returning sample findings; counts its calls and refuses years outside 2020–2025."""

    def __init__(self):
        self.calls: list[tuple] = []

    def __call__(self, plan, frame, year, *, method="elapsed_time"):
        from planwatch.errors import EvaluationError

        self.calls.append((year, method, sorted(frame["region"].unique())))
        if method not in ("elapsed_time", "open_sdg", "unsd"):
            raise EvaluationError(f"未知评估方法：{method}")
        return type("Assessment", (), {"findings": sample_findings(year) if year > 2020 else []})()


@pytest.fixture
def fake_store() -> FakeStore:
    return FakeStore(sample_plan(), sample_observations())


@pytest.fixture
def fake_evaluate() -> FakeEvaluate:
    return FakeEvaluate()


@pytest.fixture
def client(fake_store, fake_evaluate) -> TestClient:
    app = create_app(WebSettings(db="sqlite://", cache_seconds=60), store=fake_store, evaluate=fake_evaluate)
    return TestClient(app)


@pytest.fixture
def real_store(jiaxing_store):
    """The store with the real Jiaxing plan and data (from tests/conftest.py)."""
    return jiaxing_store
