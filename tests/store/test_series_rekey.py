"""A person's decision on a series takes the stored figures along (issue 10), on each backend: a key no
indicator uses afterwards has its figures moved under the series' key, converted into its unit, in the same
transaction as the decision; a key still in use keeps them, and the command says how many.

The 15th plan is the test_series_across_plans copy of the Jiaxing 14th (2026–2030, base 2025), renumbered:
a new T2-1 人均地区生产总值 (元), GDP one row down as T2-2 in 万元. In ``apart`` its GDP is named 经济总量,
beyond the synonyms, so it does not match the 14th's 地区生产总值 (T2-1, 亿元) until a person confirms it.
"""

from __future__ import annotations

import pytest
from tests.conftest import fifteenth_plan, run
from tests.evaluate.test_series_across_plans import renumbered

from planwatch.errors import InputError
from planwatch.evaluate import assess, read_inputs
from planwatch.observe import import_file
from planwatch.store.observations import Conflict, Figure
from planwatch.store.plans import plan_key

CITY = "嘉兴市"


def apart_plan(plan):
    """The renumbered 15th plan with its GDP (T2-2, 万元) named 经济总量: no automatic match."""
    later = renumbered(fifteenth_plan(plan))
    rows = [i.model_copy(update={"name": "经济总量"}) if i.id == "T2-2" else i for i in later.indicators]
    return later.model_copy(update={"indicators": rows})


@pytest.fixture
def apart(jiaxing_store_any, jiaxing_plan):
    """The Jiaxing store (each backend) with the 15th plan whose GDP did not match: (store, 14th, 15th)."""
    later = apart_plan(jiaxing_plan)
    jiaxing_store_any.load_plan(later, source="test")
    return jiaxing_store_any, plan_key(jiaxing_plan), plan_key(later)


@pytest.fixture
def paired(jiaxing_store_any, jiaxing_plan):
    """The Jiaxing store (each backend) with the renumbered 15th plan, its “GDP” matched automatically."""
    later = renumbered(fifteenth_plan(jiaxing_plan))
    jiaxing_store_any.load_plan(later, source="test")
    return jiaxing_store_any, plan_key(jiaxing_plan), plan_key(later)


def write(tmp_path, name: str, rows: str):
    path = tmp_path / name
    path.write_text("指标,地区,年份,数值,单位,口径版本\n" + rows, encoding="utf-8")
    return path


def history(store, key: str, year: int) -> list[tuple]:
    return [(r.value, r.unit, r.vintage, r.is_current, r.import_file) for r in store.revisions(key, CITY, year)]


def by_id(assessment):
    return {f.indicator_id: f for f in assessment.findings if f.region == CITY}


# ---------------------------------------------------------------- (a) a confirmed pair's figures move


def test_confirming_moves_the_figures_under_the_series_key_in_its_unit(apart, tmp_path):
    store, fourteenth, fifteenth = apart
    own = f"{fifteenth}:T2-2"
    assert store.series_links().series_key_of(fifteenth, "T2-2") == own
    # Imported for the 15th plan under its own key, in 万元: a preliminary 2026 figure, then the figure itself.
    import_file(store, write(tmp_path, "first.csv", "经济总量,嘉兴市,2026,87000000,万元,初步数\n"
                                                    "经济总量,嘉兴市,2025,82000000,万元,\n"), plan_key=fifteenth)
    import_file(store, write(tmp_path, "second.csv", "经济总量,嘉兴市,2026,88000000,万元,\n"), plan_key=fifteenth)
    assert [(o.indicator, o.year, o.value) for o in store.observations(indicator=own)] == [
        (own, 2025, 82_000_000.0), (own, 2026, 88_000_000.0)]
    version = store.data_version()

    outcome = store.confirm_series(f"{fourteenth}:T2-1", f"{fifteenth}:T2-2", actor="张三")

    assert [(c.member.ref, c.before, c.after) for c in outcome.changes] == [(own, own, "T2-1")]
    (moved,) = outcome.moved
    assert (moved.before, moved.after, moved.home.ref, moved.units, moved.converted) == (
        own, "T2-1", own, ("万元", "亿元"), True)
    assert (moved.moved.revisions, moved.moved.figures, moved.moved.duplicates, moved.moved.conflicts) == (3, 2, 0, [])
    assert outcome.kept == []
    # Under the series' key in 亿元 (88000000万元 = 8800亿元), the preliminary figure kept as a revision.
    assert history(store, "T2-1", 2026) == [(8700.0, "亿元", "初步数", False, "first.csv"),
                                            (8800.0, "亿元", None, True, "second.csv")]
    assert history(store, "T2-1", 2025) == [(8200.0, "亿元", None, True, "first.csv")]
    assert store.observations(indicator=own, include_revisions=True) == []
    # Both plans read them: the 15th in its own unit, the 14th's final review its 2025 figure.
    assert by_id(assess(read_inputs(store, fifteenth), year=2026))["T2-2"].actual == 88_000_000.0
    assert by_id(assess(read_inputs(store, fourteenth), year=2025))["T2-1"].actual == 8200.0
    # Audited with the revisions under both keys before and after; the pages see a new data version.
    (entry,) = store.audit_entries(action="series.confirmed")
    assert (entry.actor, entry.before["observations"], entry.after["observations"]) == (
        "张三", {"T2-1": 8, own: 3}, {"T2-1": 11, own: 0})
    assert entry.after["moved"] == [{"from": own, "to": "T2-1", "units": ["万元", "亿元"], "revisions": 3,
                                     "duplicates": 0, "conflicts": 0}]
    assert store.data_version() != version


# ---------------------------------------------------------------- (b) a figure held under both keys


def test_a_figure_under_both_keys_keeps_both_and_one_current_by_the_vintage_rule(apart, tmp_path):
    store, fourteenth, fifteenth = apart
    import_file(store, write(tmp_path, "series.csv", "地区生产总值,嘉兴市,2025,8200,亿元,最终核实数\n"
                                                     "地区生产总值,嘉兴市,2026,8800,亿元,\n"
                                                     "地区生产总值,嘉兴市,2027,9400,亿元,\n"))
    import_file(store, write(tmp_path, "own.csv", "经济总量,嘉兴市,2025,82500000,万元,\n"
                                                  "经济总量,嘉兴市,2026,89000000,万元,\n"
                                                  "经济总量,嘉兴市,2027,94000000,万元,\n"), plan_key=fifteenth)

    (moved,) = store.confirm_series(f"{fifteenth}:T2-2", f"{fourteenth}:T2-1").moved

    # 2027 is one value (9400亿元) after conversion: not stored twice. 2025: the final figure stays current
    # although the other was imported later; 2026: neither is final, the later import counts.
    assert (moved.moved.revisions, moved.moved.figures, moved.moved.duplicates) == (2, 3, 1)
    assert moved.moved.conflicts == [
        Conflict(CITY, 2025, "level", Figure(8200.0, None, None, "亿元", "最终核实数"),
                 Figure(8250.0, None, None, "亿元", None), moved_won=False),
        Conflict(CITY, 2026, "level", Figure(8900.0, None, None, "亿元", None),
                 Figure(8800.0, None, None, "亿元", None), moved_won=True)]
    assert history(store, "T2-1", 2025) == [(8200.0, "亿元", "最终核实数", True, "series.csv"),
                                            (8250.0, "亿元", None, False, "own.csv")]
    assert history(store, "T2-1", 2026) == [(8800.0, "亿元", None, False, "series.csv"),
                                            (8900.0, "亿元", None, True, "own.csv")]
    assert history(store, "T2-1", 2027) == [(9400.0, "亿元", None, True, "series.csv")]
    # The export with revisions lists both values of 2025 and 2026.
    path = tmp_path / "all.csv"
    code, _, _ = run("export", str(path), "--revisions", "--db", store.url)
    exported = [line.split(",")[:4] for line in path.read_text(encoding="utf-8-sig").splitlines()
                if line.startswith("T2-1,嘉兴市,202") and int(line.split(",")[2]) >= 2025]
    assert code == 0 and sorted(exported) == [["T2-1", CITY, "2025", "8200"], ["T2-1", CITY, "2025", "8250"],
                                              ["T2-1", CITY, "2026", "8800"], ["T2-1", CITY, "2026", "8900"],
                                              ["T2-1", CITY, "2027", "9400"]]
    assert by_id(assess(read_inputs(store, fifteenth), year=2026))["T2-2"].actual == 89_000_000.0


# ---------------------------------------------------------------- (c) a split moves nothing


def test_a_split_leaves_the_figures_with_the_key_still_in_use(paired, tmp_path):
    store, fourteenth, fifteenth = paired
    import_file(store, write(tmp_path, "gdp.csv", "地区生产总值,嘉兴市,2025,8200,亿元,\n地区生产总值,嘉兴市,2026,8800,亿元,\n"))
    before = store.observations(indicator="T2-1", include_revisions=True)
    version = store.data_version()

    outcome = store.split_series(f"{fourteenth}:T2-1", f"{fifteenth}:T2-2")

    assert [(c.member.ref, c.before, c.after) for c in outcome.changes] == [
        (f"{fifteenth}:T2-2", "T2-1", f"{fifteenth}:T2-2")]
    assert outcome.moved == []
    (kept,) = outcome.kept
    # The 15th plan's years are 2025 (its base) to 2030: two figures there, the 14th's 2020–2024 not counted.
    assert (kept.member.ref, kept.before, kept.after, kept.owner.ref, kept.figures, kept.years) == (
        f"{fifteenth}:T2-2", "T2-1", f"{fifteenth}:T2-2", f"{fourteenth}:T2-1", 2, (2025, 2030))
    assert store.observations(indicator="T2-1", include_revisions=True) == before and len(before) == 10
    assert store.observations(indicator=f"{fifteenth}:T2-2") == []
    assert store.data_version() != version  # nothing moved, but the 15th plan now reads another key
    (entry,) = store.audit_entries(action="series.split")
    assert entry.after["kept"] == [{"indicator": f"{fifteenth}:T2-2", "key": "T2-1", "figures": 2}]


# ---------------------------------------------------------------- (d) all or nothing


def test_a_figure_that_cannot_be_converted_refuses_the_decision(apart, tmp_path):
    store, fourteenth, fifteenth = apart
    own = f"{fifteenth}:T2-1"
    import_file(store, write(tmp_path, "per-head.csv", "人均地区生产总值,嘉兴市,2026,160000,元,\n"), plan_key=fifteenth)
    before = store.observations(include_revisions=True)
    version = store.data_version()
    # 常住人口城镇化率 is in %: 160000元 has no value there.
    with pytest.raises(InputError) as refused:
        store.confirm_series(f"{fourteenth}:T2-3", own)
    assert str(refused.value) == (
        f"指标 {own}（人均地区生产总值）已存的观测值单位为 元，不能换算为 {fourteenth}:T2-3（常住人口城镇化率）的单位 %，"
        f"无法移到数据键 T2-3 下：此决定未记录，数据未改动")
    assert store.series_decisions() == [] and store.audit_entries(action="series.confirmed") == []
    assert store.observations(include_revisions=True) == before and store.data_version() == version
    code, _, err = run("series", "confirm", f"{fourteenth}:T2-3", own, "--db", store.url)
    assert code == 1 and "不能换算为" in err and "Traceback" not in err


def test_two_indicators_of_one_plan_are_never_made_one_series(apart):
    store, fourteenth, fifteenth = apart
    # The 15th plan's T2-3 (全员劳动生产率年均增长) already is the 14th's T2-2's: confirming it with the 14th's
    # T2-3 would put two 14th indicators, and their figures, into one series.
    with pytest.raises(InputError, match=rf"此决定会把规划 {fourteenth} 的两个指标 T2-3（常住人口城镇化率）与 "
                                         r"T2-2（全员劳动生产率年均增长）并为一个序列"):
        store.confirm_series(f"{fourteenth}:T2-3", f"{fifteenth}:T2-3")
    assert store.series_decisions() == []


# ---------------------------------------------------------------- (e) what the command says


def test_the_command_says_what_moved_and_what_stays(apart, tmp_path):
    store, fourteenth, fifteenth = apart
    own = f"{fifteenth}:T2-2"
    import_file(store, write(tmp_path, "series.csv", "地区生产总值,嘉兴市,2026,8800,亿元,\n"))
    import_file(store, write(tmp_path, "own.csv", "经济总量,嘉兴市,2025,82000000,万元,\n"
                                                  "经济总量,嘉兴市,2026,89000000,万元,\n"), plan_key=fifteenth)
    code, out, _ = run("series", "confirm", f"{fourteenth}:T2-1", own, "--db", store.url)
    assert code == 0 and out.splitlines() == [
        f"已记录：{fourteenth}:T2-1 与 {own} 确认为同一序列（命令行）",
        f"{own}（经济总量）的数据键由 {own} 改为 T2-1",
        f"原键 {own} 下的 2 项数据（2 个数值，含修订记录）已移至 T2-1，由 万元 换算为 亿元；1 项在两键下数值不同，"
        "按导入的同一规则（最终核实数优先，其次较晚导入）取当前值，另一值保留为修订记录",
        f"  嘉兴市 2026年水平值：当前值 8900亿元（原在 {own}），另一值 8800亿元 为修订记录"]

    # Split again: the figures stay under T2-1 (the 14th's key); the command counts those of the 15th's years
    # and says how to import them for the 15th plan alone, which then works.
    code, out, _ = run("series", "split", f"{fourteenth}:T2-1", own, "--db", store.url)
    assert code == 0 and out.splitlines()[1:] == [
        f"{own}（经济总量）的数据键由 T2-1 改为 {own}",
        f"原键 T2-1 仍是 {fourteenth}:T2-1（地区生产总值）的数据键，其下 2025–2030 年的 2 个观测值留在原键下：拆分无法判断"
        f"其中哪些属于 {own}；如需计入此指标，请按新键重新导入：planwatch import 文件 --plan {fifteenth}"]
    path = write(tmp_path, "again.csv", "经济总量,嘉兴市,2026,89000000,万元,\n")
    code, _, err = run("import", str(path), "--plan", fifteenth, "--db", store.url)
    assert code == 0, err
    assert [(o.indicator, o.value, o.unit) for o in store.observations(year=2026, indicator=own)] == [
        (own, 89_000_000.0, "万元")]
