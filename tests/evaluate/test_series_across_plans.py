"""Observations belong to series, not to a plan (issue 10): the GDP figures imported once serve the 14th
plan's final review and the 15th plan's first year, although the 15th names and numbers GDP differently.

The 15th plan is the test_plans copy of the Jiaxing 14th (2026–2030, GDP 12000亿元 from 8200) renumbered as
a new plan would be: a new first row 人均地区生产总值 (T2-1, 元), every 14th row one place down, and GDP written
“GDP” in 万元 (T2-2, no. 2). Its T2-1 is therefore not the 14th's T2-1.
"""

import json

import pytest
from tests.conftest import fifteenth_plan, run

from planwatch.errors import DataImportError
from planwatch.evaluate import assess, read_inputs
from planwatch.model import Baseline, Indicator, Target
from planwatch.observe import import_file
from planwatch.store.plans import plan_key


def renumbered(plan):
    """The 15th plan with a new first row, GDP as “GDP” in 万元 (12000亿元 = 1.2亿万元), the rest one row down."""
    moved = []
    for ind in plan.indicators:
        major, dot, minor = ind.id.rsplit("-", 1)[1].partition(".")  # sub-rows such as T2-8.1 move with row 8
        n = f"{int(major) + 1}{dot}{minor}"
        update = {"id": f"T2-{n}", "no": n}
        if ind.name == "地区生产总值":
            targets = [t.model_copy(update={"value": 120_000_000.0, "text": "120000000"}) for t in ind.targets]
            update |= {"name": "GDP", "unit": "万元", "target": targets[0], "targets": targets,
                       "baseline": ind.baseline.model_copy(update={"value": 82_000_000.0})}
        moved.append(ind.model_copy(update=update))
    target = Target(kind="level", comparator="at_least", value=180_000.0, text="180000", year=2030)
    new = Indicator(id="T2-1", table=moved[0].table, no="1", name="人均地区生产总值", unit="元",
                    baseline=Baseline(value=150_000.0, year=2025), target=target, targets=[target],
                    period_start=2026, period_end=2030, category=moved[0].category, line=moved[0].line)
    return plan.model_copy(update={"indicators": [new, *moved]})


@pytest.fixture
def two_plans(jiaxing_store, jiaxing_plan):
    fifteenth = renumbered(fifteenth_plan(jiaxing_plan))
    jiaxing_store.load_plan(fifteenth, source="test")
    return jiaxing_store, plan_key(jiaxing_plan), plan_key(fifteenth)


def write(tmp_path, name: str, rows: str):
    path = tmp_path / name
    path.write_text("指标,地区,年份,数值,单位\n" + rows, encoding="utf-8")
    return path


def by_id(assessment):
    return {f.indicator_id: f for f in assessment.findings}


def test_gdp_imported_once_serves_both_plans(two_plans, tmp_path):
    store, fourteenth, fifteenth = two_plans
    # Imported once, by name, naming no plan: stored under the series' key, the 14th plan's T2-1.
    report = import_file(store, write(tmp_path, "gdp.csv", "地区生产总值,嘉兴市,2025,8200,亿元\n"
                                                           "地区生产总值,嘉兴市,2026,8800,亿元\n"))
    assert (report.inserted, report.per_indicator) == (2, {"T2-1": 2})
    # The 14th plan's final review reads its 2025 figure: 8200 against 9000 亿元.
    old = by_id(assess(read_inputs(store, fourteenth), year=2025))
    assert old["T2-1"].actual == 8200.0 and old["T2-1"].target == 9000.0
    # The 15th plan's first year reads the same series as its T2-2, in its own unit: 8800亿元 = 88000000万元;
    # completion ln(8800/8200)/ln(12000/8200) = 0.1854 against 1/5 of the time: 基本符合预期.
    new = by_id(assess(read_inputs(store, fifteenth), year=2026))
    assert new["T2-2"].actual == 88_000_000.0 and new["T2-2"].completion == pytest.approx(0.18544, abs=1e-4)
    assert new["T2-2"].status == "on_track"
    # Its own T2-1 (人均地区生产总值) is another series: the 14th's T2-1 figures are not read as its data.
    assert new["T2-1"].status == "no_data" and new["T2-1"].actual is None
    code, out, _ = run("evaluate", "--plan", fifteenth, "--year", "2026", "--json", "--db", store.url)
    gdp = next(r for r in json.loads(out) if r["indicator_id"] == "T2-2")
    assert code == 0 and gdp["actual"] == 88_000_000.0 and gdp["status"] == "on_track"


def test_the_same_figure_named_for_either_plan_is_one_figure(two_plans, tmp_path):
    store, _, fifteenth = two_plans
    import_file(store, write(tmp_path, "gdp.csv", "地区生产总值,嘉兴市,2026,8800,亿元\n"))
    # The 15th plan's number 2 (its GDP, in 万元) and the synonym “GDP” name the same figure: unchanged.
    again = import_file(store, write(tmp_path, "gdp15.csv", "2,嘉兴市,2026,88000000,万元\n"), plan_key=fifteenth)
    assert (again.inserted, again.revised, again.unchanged, again.per_indicator) == (0, 0, 1, {"T2-1": 1})
    synonym = import_file(store, write(tmp_path, "gdp-synonym.csv", "GDP,嘉兴市,2026,8800,亿元\n"))
    assert (synonym.inserted, synonym.unchanged) == (0, 1)
    assert [(o.indicator, o.value) for o in store.observations(year=2026)] == [("T2-1", 8800.0)]


def test_a_number_needs_the_plan_when_several_are_stored(two_plans, tmp_path):
    store, fourteenth, fifteenth = two_plans
    path = write(tmp_path, "by-number.csv", "1,嘉兴市,2026,8800,亿元\n")
    with pytest.raises(DataImportError, match=r"指标“1”是序号：数据库中有 2 个规划.*请用 --plan 指定规划"):
        import_file(store, path)
    code, _, err = run("import", str(path), "--db", store.url)
    assert code == 1 and fourteenth in err and fifteenth in err and "Traceback" not in err
    assert store.observations(year=2026) == []
    # With the plan named, number 1 is the 15th plan's 人均地区生产总值, stored under a key of its own.
    done = import_file(store, write(tmp_path, "per-head.csv", "1,嘉兴市,2026,160000,元\n"), plan_key=fifteenth)
    assert done.per_indicator == {f"{fifteenth}:T2-1": 1}
    assert by_id(assess(read_inputs(store, fifteenth), year=2026))["T2-1"].actual == 160000.0
    assert by_id(assess(read_inputs(store, fourteenth), year=2024))["T2-1"].actual == 7569.53


def test_a_split_takes_the_later_plans_indicator_out_of_the_series(two_plans, tmp_path):
    store, fourteenth, fifteenth = two_plans
    import_file(store, write(tmp_path, "gdp.csv", "地区生产总值,嘉兴市,2026,8800,亿元\n"))
    store.split_series(f"{fourteenth}:T2-1", f"{fifteenth}:T2-2")
    links = store.series_links()
    assert links.series_key_of(fifteenth, "T2-2") == f"{fifteenth}:T2-2"
    assert by_id(assess(read_inputs(store, fifteenth), year=2026))["T2-2"].status == "no_data"
    store.confirm_series(f"{fifteenth}:T2-2", f"{fourteenth}:T2-1")
    assert store.series_links().series_key_of(fifteenth, "T2-2") == "T2-1"
    assert by_id(assess(read_inputs(store, fifteenth), year=2026))["T2-2"].actual == 88_000_000.0


# ---------------------------------------------------------------- the series command


def test_series_lists_each_pair_with_its_reason_and_records_decisions(two_plans):
    store, fourteenth, fifteenth = two_plans
    code, out, _ = run("series", "--json", "--db", store.url)
    data = json.loads(out)
    assert code == 0 and data["plans"] == [fourteenth, fifteenth] and len(data["pairs"]) == 38
    gdp = data["pairs"][0]
    assert (gdp["key"], gdp["home"]["indicator_id"], gdp["other"]["indicator_id"], gdp["other"]["name"]) == (
        "T2-1", "T2-1", "T2-2", "GDP")
    assert (gdp["reason"], gdp["reason_label"], gdp["units"]) == (
        "synonym", "同义名称（GDP→地区生产总值；单位换算：万元→亿元）", ["万元", "亿元"])
    rnd = data["pairs"][4]
    assert (rnd["home"]["name"], rnd["other"]["indicator_id"], rnd["reason_label"]) == (
        "研发经费支出占地区生产总值比重", "T2-6", "名称、单位相同")
    # The new 人均地区生产总值 (15th T2-1) is no other plan's indicator: in no pair.
    assert all(p["other"]["indicator_id"] != "T2-1" for p in data["pairs"])

    code, out, _ = run("series", "split", f"{fourteenth}:T2-1", f"{fifteenth}:T2-2", "--db", store.url)
    assert code == 0 and "确认不是同一序列（命令行）" in out
    # The 14th plan keeps key T2-1 and its figures (2020–2024), none of the 15th plan's years 2025–2030.
    assert out.splitlines()[1:] == [
        f"{fifteenth}:T2-2（GDP）的数据键由 T2-1 改为 {fifteenth}:T2-2",
        f"原键 T2-1 仍是 {fourteenth}:T2-1（地区生产总值）的数据键，其下没有 2025–2030 年的观测值，{fifteenth}:T2-2 无需重新导入"]
    data = json.loads(run("series", "--json", "--db", store.url)[1])
    assert len(data["pairs"]) == 37 and data["pairs"][0]["home"]["indicator_id"] == "T2-2"
    assert [(d["a"], d["b"], d["verdict"], d["verdict_label"], d["actor"]) for d in data["decisions"]] == [
        (f"{fourteenth}:T2-1", f"{fifteenth}:T2-2", "split", "确认不是同一序列", "命令行")]
    # Confirmed again (named in either order): one decision per pair, replaced; both steps audited.
    code, out, _ = run("series", "confirm", f"{fifteenth}:T2-2", f"{fourteenth}:T2-1", "--db", store.url)
    data = json.loads(run("series", "--json", "--db", store.url)[1])
    assert code == 0 and len(data["pairs"]) == 38
    assert (data["pairs"][0]["reason"], data["pairs"][0]["reason_label"], data["pairs"][0]["decided_by"]) == (
        "confirmed", "人工确认", "命令行")
    assert [d["verdict"] for d in data["decisions"]] == ["confirmed"]
    audit = store.audit_entries(subject_contains=f"{fifteenth}:T2-2")
    # Each step changed the 15th GDP's key: the audit row counts the revisions under both keys (8 under T2-1:
    # the 14th plan's GDP with its preliminary and final figures; none under the 15th's own key, so none moved).
    counts = {"T2-1": 8, f"{fifteenth}:T2-2": 0}
    assert [(e.action, e.before, e.after) for e in audit] == [
        ("series.confirmed", {"verdict": "split", "observations": counts},
         {"verdict": "confirmed", "observations": counts,
          "keys": [{"indicator": f"{fifteenth}:T2-2", "from": f"{fifteenth}:T2-2", "to": "T2-1"}],
          "moved": [{"from": f"{fifteenth}:T2-2", "to": "T2-1", "units": ["万元", "亿元"], "revisions": 0,
                     "duplicates": 0, "conflicts": 0}], "kept": []}),
        ("series.split", {"observations": counts},
         {"verdict": "split", "observations": counts,
          "keys": [{"indicator": f"{fifteenth}:T2-2", "from": "T2-1", "to": f"{fifteenth}:T2-2"}], "moved": [],
          "kept": [{"indicator": f"{fifteenth}:T2-2", "key": "T2-1", "figures": 0}]})]


def test_series_decisions_refuse_what_is_no_pair(two_plans):
    store, fourteenth, fifteenth = two_plans
    code, _, err = run("series", "confirm", f"{fourteenth}:T2-1", f"{fourteenth}:T2-2", "--db", store.url)
    assert code == 1 and "属于同一规划：序列只连接不同规划的指标" in err
    code, _, err = run("series", "confirm", f"{fourteenth}:T2-1", "T2-2", "--db", store.url)
    assert code == 1 and "指标 T2-2 的写法无效：应为 规划键:指标编号" in err
    code, _, err = run("series", "split", f"{fourteenth}:T2-99", f"{fifteenth}:T2-2", "--db", store.url)
    assert code == 1 and f"规划 {fourteenth} 中没有现行指标 T2-99" in err
    assert store.series_decisions() == [] and store.audit_entries(action="series.split") == []


def test_an_approved_round_figure_is_the_one_series_figure(two_plans):
    """A figure reported in the 15th plan's round for its T2-2 (GDP in 万元) is recorded, on approval, under the
    series' key in the series' unit, as an import would: the 14th plan reads it as its own T2-1 in 亿元."""
    from planwatch.store import Entry

    store, _fourteenth, fifteenth = two_plans
    rnd = store.open_round(fifteenth, year=2026, actor="planner1")
    (sub,) = store.enter_figures(rnd.id, [Entry(indicator="T2-2", region="嘉兴市", responsible_unit="市统计局",
                                                value=88_000_000.0, unit="万元")], actor="tjj", submit=True)
    store.decide(sub.id, "approve", actor="planner1")
    (obs,) = store.observations("T2-1", "嘉兴市", 2026)
    assert (obs.value, obs.unit) == (8800.0, "亿元")
    new = by_id(assess(read_inputs(store, fifteenth), year=2026))
    assert new["T2-2"].actual == 88_000_000.0
