"""Web fixtures: a real SQLite store holding real Jiaxing rows and real reported numbers.

``web_store`` is an initialised store (a tmp file) with the sample plan below, the county
南湖区 and the sample observations, judged by the real evaluator behind ``create_app``: what
the pages show is what the store and the evaluator really return. Tests over the full Jiaxing
plan go through ``real_store`` (the shared ``jiaxing_store``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from planwatch.model import (
    Attribute,
    Baseline,
    Bound,
    Comparator,
    Indicator,
    Observation,
    ObservationKind,
    PathShape,
    Plan,
    PlanMeta,
    Target,
    TargetKind,
)
from planwatch.store import Store, open_store
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


NANHU = "南湖区"
SUB_REGIONS = [{"name": NANHU, "parent": REGION, "level": "county"}]


def fill_store(store: Store, *, public: bool = True) -> Store:
    """Load the sample plan, its county and the real reported numbers into an initialised store; in
    public mode (as the dashboard tests read it) unless asked otherwise."""
    store.load_plan(sample_plan(), source="sample", note="tests/web")
    store.add_regions(SUB_REGIONS)
    store.add_observations(sample_observations())
    store.change_settings({"public": public})
    return store


@pytest.fixture
def web_url(tmp_path) -> str:
    """The URL of a SQLite database in this test's tmp dir."""
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def empty_store(web_url):
    """An initialised store with no plan yet, in public mode."""
    s = open_store(web_url)
    s.init()
    s.change_settings({"public": True})
    yield s
    s.dispose()


@pytest.fixture
def web_store(empty_store) -> Store:
    """A real SQLite store holding the sample plan, 南湖区 and the sample observations."""
    return fill_store(empty_store)


@pytest.fixture
def client(web_store) -> TestClient:
    app = create_app(WebSettings(db=web_store.url, cache_seconds=60), store=web_store)
    return TestClient(app)


@pytest.fixture
def real_store(jiaxing_store):
    """The store with the real Jiaxing plan and data (from tests/conftest.py), in public mode."""
    jiaxing_store.change_settings({"public": True})
    return jiaxing_store


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app: Any, **options: Any) -> Iterator[str]:
    """The app under a real uvicorn in a thread (``options`` as uvicorn.Config takes them); yields its base URL."""
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{options['port']}"
    finally:
        srv.should_exit = True
        thread.join(10)
