"""The store on SQLite and PostgreSQL: schema, plans and versions, adjustments, regions, series."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from planwatch.errors import InputError, StoreError
from planwatch.model import Observation, Series
from planwatch.store import open_store, resolve_url
from planwatch.store.connection import head_revision


def test_resolve_url(monkeypatch):
    monkeypatch.delenv("PLANWATCH_DB", raising=False)
    assert resolve_url(None) == "sqlite:///planwatch.db"
    assert resolve_url("data/pw.db") == "sqlite:///data/pw.db"
    assert resolve_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    monkeypatch.setenv("PLANWATCH_DB", "/tmp/x.db")
    assert resolve_url(None) == "sqlite:////tmp/x.db"
    assert resolve_url("sqlite:///y.db") == "sqlite:///y.db"


def test_init_creates_schema_and_is_idempotent(store_url):
    store = open_store(store_url)
    store.init()
    store.init()
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert {"plans", "plan_versions", "indicators", "targets", "target_adjustments", "regions", "series", "imports",
            "observations"} <= tables
    assert version == head_revision() == "0009"
    assert store.plans() == []
    store.dispose()


def test_uninitialised_store_says_run_init(store_url):
    store = open_store(store_url)
    with pytest.raises(StoreError, match="尚未初始化，请先运行 planwatch init"):
        store.plans()
    store.dispose()


def test_empty_store_says_run_load(store):
    with pytest.raises(StoreError, match="还没有规划，请先运行 planwatch load"):
        store.plan()


def test_unreachable_database_names_url_without_password():
    store = open_store("postgresql://postgres:secret@127.0.0.1:1/nothing")
    with pytest.raises(StoreError) as info:
        store.init()
    message = str(info.value)
    assert message.startswith("无法连接数据库 postgresql+psycopg://postgres:***@127.0.0.1:1/nothing")
    assert "secret" not in message


def test_load_plan_versions_and_adjustments(store, hand_plan):
    first = store.load_plan(hand_plan, source="plan.yaml", note="初版")
    assert (first.version, first.created, first.adjustments) == (1, True, [])
    assert store.load_plan(hand_plan).created is False  # unchanged: no new version

    edited = hand_plan.model_copy(deep=True)
    gdp = edited.indicator("1")
    gdp.target = gdp.target.model_copy(update={"value": 9500.0, "text": "9500", "adjustment_reason": "中期评估调整",
                                               "adjustment_document": "嘉政发〔2023〕12号",
                                               "adjustment_date": "2023-06-30"})
    gdp.targets[0] = gdp.target
    second = store.load_plan(edited, source="plan.yaml")
    assert second.version == 2
    assert len(second.adjustments) == 1
    adj = second.adjustments[0]
    assert (adj.indicator, adj.no, adj.indicator_name) == ("T2-1", "1", "地区生产总值")
    assert (adj.old_value, adj.new_value, adj.old_text, adj.new_text) == (9000.0, 9500.0, "9000", "9500")
    assert (adj.date, adj.reason, adj.document, adj.version) == ("2023-06-30", "中期评估调整", "嘉政发〔2023〕12号", 2)

    assert store.plan().indicator("1").target.value == 9500.0
    assert store.plan(version=1).indicator("1").target.value == 9000.0
    [summary] = store.plans()
    assert (summary.key, summary.region, summary.versions, summary.latest_version) == (first.key, "嘉兴市", 2, 2)
    assert [a.new_value for a in store.adjustments()] == [9500.0]
    assert store.adjustments(first.key)[0].plan_key == first.key
    # the plan's own region is created on load
    assert [(r.name, r.parent, r.level) for r in store.regions()] == [("嘉兴市", None, "city")]


def test_add_adjustment_creates_a_version(store, hand_plan):
    store.load_plan(hand_plan)
    adj = store.add_adjustment("6", new_value=160, reason="人才统计口径调整", document="市政府批复", date="2024-01-15")
    assert (adj.indicator, adj.old_value, adj.new_value, adj.date, adj.version) == ("T2-6", 170.0, 160.0,
                                                                                    "2024-01-15", 2)
    assert store.plan().indicator("T2-6").target.value == 160.0
    assert store.plan().indicator("T2-6").target.adjustment_reason == "人才统计口径调整"
    assert [(a.indicator, a.reason, a.document) for a in store.adjustments()] == [("T2-6", "人才统计口径调整",
                                                                                   "市政府批复")]
    with pytest.raises(InputError, match="规划中没有指标 99"):
        store.add_adjustment("99", new_value=1, reason="x")
    with pytest.raises(InputError, match="日期 2024/1/1 无效"):
        store.add_adjustment("6", new_value=150, reason="x", date="2024/1/1")


def test_regions_tree_and_missing_parent(store):
    store.add_regions([{"name": "浙江省", "parent": "", "level": "province"},
                       {"name": "嘉兴市", "parent": "浙江省", "level": "city"},
                       {"name": "海宁市", "parent": "嘉兴市", "level": "county"},
                       {"name": "南湖区", "parent": "嘉兴市", "level": "county"}])
    assert [r.name for r in store.regions()] == ["浙江省", "嘉兴市", "南湖区", "海宁市"]
    [root] = store.region_tree()
    assert (root.name, [c.name for c in root.children], [g.name for g in root.children[0].children]) == (
        "浙江省", ["嘉兴市"], ["南湖区", "海宁市"])
    with pytest.raises(StoreError, match="上级地区不存在：湖州市"):
        store.add_regions([("德清县", "湖州市", "county")])
    assert len(store.regions()) == 4  # nothing half-written


def test_series_declared_and_from_plan(store, hand_plan):
    store.declare_series([Series(code="POP", name="常住人口", unit="万人")])
    plan = hand_plan.model_copy(update={"series": [Series(code="GDPg", name="GDP实际增长率", unit="%",
                                                          kind="annual_growth")]})
    store.load_plan(plan)
    assert [(s.code, s.unit, str(s.kind)) for s in store.series()] == [("GDPg", "%", "annual_growth"),
                                                                        ("POP", "万人", "level")]


def _obs(value, *, vintage=None, year=2021, source="s"):
    return Observation(indicator="T2-1", region="嘉兴市", year=year, value=value, unit="亿元", source=source,
                       vintage=vintage)


def test_revisions_final_beats_later_preliminary(hand_store):
    hand_store.add_observations([_obs(6388.38, vintage="final")])
    result = hand_store.add_observations([_obs(6355.28, vintage="preliminary")])
    assert result.statuses == ["revised"]
    [current] = hand_store.observations("T2-1", "嘉兴市", 2021)
    assert current.value == 6388.38
    revs = hand_store.revisions("T2-1", "嘉兴市", 2021)
    assert [(r.value, r.vintage, r.is_current) for r in revs] == [(6388.38, "final", True),
                                                                  (6355.28, "preliminary", False)]
    # a later import without a vintage beats an earlier one without a vintage
    hand_store.add_observations([_obs(6739.45, year=2022)])
    hand_store.add_observations([_obs(6740.0, year=2022, source="t")])
    assert [o.value for o in hand_store.observations("T2-1", year=2022)] == [6740.0]
    assert len(hand_store.observations("T2-1", year=2022, include_revisions=True)) == 2
    assert hand_store.add_observations([_obs(6739.45, year=2022)]).statuses == ["unchanged"]


def test_observation_frame(hand_store):
    hand_store.add_observations([_obs(6388.38), _obs(5563.58, year=2020),
                                 Observation(indicator="T2-6", region="嘉兴市", year=2022, value=129, bound=">",
                                             unit="万人"),
                                 Observation(indicator="T2-9", region="海宁市", year=2024, text="增长9.3%",
                                             kind="text")])
    frame = hand_store.observation_frame()
    assert list(frame.columns) == ["indicator", "region", "year", "value", "bound", "text", "kind", "unit", "source",
                                   "note", "vintage"]
    assert str(frame["year"].dtype) == "int64" and str(frame["value"].dtype) == "float64"
    rows = {(r.indicator, r.year): r for r in frame.itertuples()}
    assert rows[("T2-6", 2022)].bound == ">" and rows[("T2-6", 2022)].value == 129.0
    assert rows[("T2-9", 2024)].text == "增长9.3%" and frame.loc[frame.kind == "text", "value"].isna().all()
    assert sorted(hand_store.observation_frame(max_year=2021)["year"]) == [2020, 2021]
    key = hand_store.plans()[0].key
    assert len(hand_store.observation_frame(key)) == 4
