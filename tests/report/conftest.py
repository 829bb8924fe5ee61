"""Report fixtures: real Jiaxing rows and reported numbers, hand-built findings.

The plan rows, baselines, targets and lines are those of 表2 of the Jiaxing 14th plan; the
observations are real reported figures (samples/data/jiaxing-actuals.csv). Findings are
built by hand so these tests check what the report does with them; tests that go through the
real store and evaluator use ``real_store`` (the shared ``jiaxing_store``).
"""

from __future__ import annotations

import pytest

from planwatch.model import (
    Assessment,
    Attribute,
    Baseline,
    Comparator,
    Direction,
    Finding,
    Indicator,
    Observation,
    ObservationKind,
    Outcome,
    PathShape,
    Plan,
    PlanMeta,
    Project,
    ProseTarget,
    Status,
    Target,
    TargetAdjustment,
    TargetKind,
)
from planwatch.report import ReportInputs

REGION = "嘉兴市"
TITLE = "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
SRC_2021 = "http://xiaomonv0755.com/tjgb/11zj/36952.html"
SRC_2022 = "https://nextlevelartsconsulting.com/thuadong/5531.html"
SRC_2024 = "https://cezhidao.com/reports/GnEt"


def _ind(id_, no, category, name, unit, base, target, attribute, line, *, path=PathShape.linear,
         end=2025, table="表2", outcome=None) -> Indicator:
    return Indicator(id=id_, table=table, category=category, no=no, name=name, unit=unit,
                     baseline=Baseline(value=base, year=end - 5, text="-" if base is None else f"{base:g}"),
                     target=target, targets=[target], attribute=attribute, path=path,
                     period_start=end - 4, period_end=end, line=line, outcome=outcome)


def _t(kind, value, text, *, comparator=Comparator.at_least, direction=Direction.higher_is_better, unit="%",
       year=2025):
    return Target(kind=kind, comparator=comparator, value=value, text=text, year=year, base_year=year - 5,
                  unit=unit, direction=direction)


def hand_plan() -> Plan:
    """Six rows of 表2 (four categories), one of 表1, two prose targets and two projects."""
    meta = PlanMeta(title=TITLE, region=REGION, level="city", period_start=2021, period_end=2025, base_year=2020,
                    plan_number=14)
    L = TargetKind.level
    return Plan(
        meta=meta,
        indicators=[
            _ind("T1-1", "1", "经济发展", "地区生产总值", "亿元", 3517.8, _t(L, 5000, "5000", unit="亿元", year=2020),
                 Attribute.anticipatory, 40, end=2020, table="表1", outcome=Outcome(value=5509.5, text="5509.5")),
            _ind("T2-1", "1", "经济发展", "地区生产总值", "亿元", 5509.5, _t(L, 9000, "9000", unit="亿元"),
                 Attribute.anticipatory, 458, path=PathShape.geometric),
            _ind("T2-3", "3", "经济发展", "常住人口城镇化率", "%", 69, _t(L, 75, "75左右", comparator=Comparator.about),
                 Attribute.anticipatory, 473),
            _ind("T2-5", "5", "科技创新", "研发经费支出占地区生产总值比重", "%", 3.1, _t(L, 3.75, "3.75"),
                 Attribute.anticipatory, 490),
            _ind("T2-9", "9", "改革开放", "货物贸易进出口额", "亿元", 3052.3, _t(L, 3900, "3900", unit="亿元"),
                 Attribute.anticipatory, 531, path=PathShape.geometric),
            _ind("T2-14", "14", "生态环境", "单位地区生产总值能源消耗降低", "%", None,
                 Target(kind=TargetKind.assigned, text="省下达指标", year=2025, assigned_by="省"),
                 Attribute.binding, 566),
            _ind("T2-17", "17", "生态环境", "设区城市空气质量优良天数比率", "%", 87.2, _t(L, 93, "93以上"),
                 Attribute.binding, 587),
        ],
        targets=[
            ProseTarget(subject="规上工业产值", comparator=Comparator.at_least, value=1.6, unit="万亿元",
                        unit_normalised="亿元", value_normalised=16000, year=2025, qualifier="以上", line=905,
                        section="6.1", section_title="打造现代产业体系", quote="规上工业产值达到1.6万亿元以上"),
            ProseTarget(subject="累计带动投资", comparator=Comparator.at_least, value=1, unit="万亿元",
                        unit_normalised="亿元", value_normalised=10000, year=2025, qualifier="以上", line=1297,
                        section="13.2", section_title="拓展投资空间", quote="累计带动投资1万亿元以上"),
        ],
        projects=[
            Project(name="通苏嘉甬铁路", length_km=45, investment_yi_yuan=250, section="box5", line=1010),
            Project(name="沪乍杭铁路", length_km=70, section="box5", line=1011),
        ],
    )


def _obs(ind, year, value, source, vintage=None, kind=ObservationKind.level, **kw) -> Observation:
    return Observation(indicator=ind, region=REGION, year=year, value=value, source=source, vintage=vintage,
                       kind=kind, unit=kw.pop("unit", "亿元"), **kw)


def hand_observations() -> list[Observation]:
    """Real reported Jiaxing figures, including a revised year and a region without plan rows."""
    return [
        _obs("T2-1", 2021, 6355.28, SRC_2021, "preliminary", extra={"source_quote": "2021年全市生產總值(GDP)6355.28億元"}),
        _obs("T2-1", 2021, 6388.38, SRC_2022, "final", extra={"source_quote": "经最终核实,2021年全市生产总值为6388.38亿元"}),
        _obs("T2-1", 2022, 6739.45, SRC_2022, "preliminary"),
        _obs("T2-1", 2023, 7062.5, "http://district.ce.cn/newarea/roll/202402/04/t20240204_38892792.shtml"),
        _obs("T2-1", 2024, 7569.5, SRC_2024),
        _obs("T2-3", 2021, 71.9, SRC_2021, unit="%"),
        _obs("T2-3", 2022, 72.4, SRC_2022, unit="%"),
        _obs("T2-5", 2024, 3.56, SRC_2024, unit="%", note="probably the 2023 value reported in the 2024 review"),
        _obs("T2-9", 2021, 3783.8, "https://maigoo.com/news/514119.html"),
        _obs("GDPg", 2024, 5.6, SRC_2024, kind=ObservationKind.annual_growth, unit="%"),
        Observation(indicator="T2-1", region="南湖区", year=2024, value=900.0, unit="亿元", source=SRC_2024),
    ]


def _f(ind_id, no, name, category, unit, status, year=2024, **kw) -> Finding:
    """A finding as the evaluator makes it: with its path, years and staleness (stale_after_years = 1)."""
    actual_year = kw.get("actual_year")
    return Finding(indicator_id=ind_id, no=no, indicator=name, category=category, unit=unit, region=REGION,
                   year=year, kind=kw.pop("kind", TargetKind.level), status=status, base_year=2020, target_year=2025,
                   path=PathShape.geometric if unit == "亿元" else PathShape.linear,
                   stale=actual_year is not None and actual_year < year - 1, **kw)


def hand_findings(year: int = 2024) -> list[Finding]:
    """Findings for the six 表2 rows, out of plan order (the report must restore it)."""
    return [
        _f("T2-17", "17", "设区城市空气质量优良天数比率", "生态环境", "%", Status.lagging, year,
           attribute=Attribute.binding, target_text="93以上", baseline=87.2, target=93, actual=88.5,
           actual_year=2023, expected=91.84, completion=0.2241, time_elapsed=0.8, required_rate=2.49,
           observed_rate=0.49, projection=89.0, warning_level=1, outlook="at_risk", line=587, sources=[SRC_2024]),
        _f("T2-1", "1", "地区生产总值", "经济发展", "亿元", Status.lagging, year, attribute=Attribute.anticipatory,
           target_text="9000", baseline=5509.5, target=9000, actual=7569.5, actual_year=2024, expected=8236.2,
           completion=0.5902, time_elapsed=0.8, required_rate=18.9, observed_rate=8.26, projection=8194.8,
           warning_level=2, outlook="at_risk", line=458, sources=[SRC_2024, SRC_2022], explanation="年均增长8.26%，低于所需的10.3%。"),
        _f("T2-3", "3", "常住人口城镇化率", "经济发展", "%", Status.on_track, year, attribute=Attribute.anticipatory,
           target_text="75左右", baseline=69, target=75, actual=72.4, actual_year=2022, expected=73.8,
           completion=0.5667, time_elapsed=0.8, line=473, sources=[SRC_2022]),
        _f("T2-5", "5", "研发经费支出占地区生产总值比重", "科技创新", "%", Status.ahead, year,
           attribute=Attribute.anticipatory, target_text="3.75", baseline=3.1, target=3.75, actual=3.56,
           actual_year=2024, expected=3.62, completion=0.7077, time_elapsed=0.8, line=490, sources=[SRC_2024]),
        _f("T2-9", "9", "货物贸易进出口额", "改革开放", "亿元", Status.achieved, year,
           attribute=Attribute.anticipatory, target_text="3900", baseline=3052.3, target=3900, actual=3783.8,
           actual_year=2021, completion=0.86, time_elapsed=0.8, line=531, sources=["https://maigoo.com/news/514119.html"]),
        _f("T2-14", "14", "单位地区生产总值能源消耗降低", "生态环境", "%", Status.pending_target, year,
           kind=TargetKind.assigned, attribute=Attribute.binding, target_text="省下达指标", line=566),
    ]


def hand_assessment(year: int = 2024, findings: list[Finding] | None = None) -> Assessment:
    return Assessment(plan_title=TITLE, region=REGION, year=year, method="elapsed_time", period_start=2021,
                      period_end=2025, base_year=2020, findings=hand_findings(year) if findings is None else findings,
                      settings={"ahead_margin": 0.05, "lagging_margin": 0.05})


def hand_adjustments() -> list[TargetAdjustment]:
    return [TargetAdjustment(indicator="T2-9", old_value=3900, new_value=4200, date="2023-06-30",
                             reason="外贸增长快于预期，上调目标", document="嘉兴市规划中期评估调整方案")]


@pytest.fixture
def plan() -> Plan:
    return hand_plan()


@pytest.fixture
def observations() -> list[Observation]:
    return hand_observations()


@pytest.fixture
def assessment() -> Assessment:
    return hand_assessment()


@pytest.fixture
def adjustments() -> list[TargetAdjustment]:
    return hand_adjustments()


@pytest.fixture
def inputs(plan, assessment, observations, adjustments) -> ReportInputs:
    return ReportInputs(plan, assessment, observations, adjustments)


@pytest.fixture
def hand():
    """The builders and constants above, for tests (conftest cannot be imported by tests)."""
    from types import SimpleNamespace

    return SimpleNamespace(REGION=REGION, SRC_2022=SRC_2022, SRC_2024=SRC_2024, plan=hand_plan,
                           findings=hand_findings, assessment=hand_assessment, observations=hand_observations,
                           adjustments=hand_adjustments)


def hand_inputs(year: int = 2024) -> ReportInputs:
    return ReportInputs(hand_plan(), hand_assessment(year), hand_observations(), hand_adjustments())


@pytest.fixture(scope="session")
def annual_reports(tmp_path_factory) -> dict:
    """The 2024 annual report in all three formats, by suffix (built once: charts take time)."""
    from planwatch.report import build_reports

    out = tmp_path_factory.mktemp("annual")
    return {p.suffix: p for p in build_reports(hand_inputs(2024), "annual", 2024, out)}


@pytest.fixture(scope="session")
def final_reports(tmp_path_factory) -> dict:
    """The final report in all three formats, by suffix."""
    from planwatch.report import build_reports

    out = tmp_path_factory.mktemp("final")
    return {p.suffix: p for p in build_reports(hand_inputs(2025), "final", 2025, out)}
