"""The bulk import path: plain rows read from cached column verdicts, revisions merged set-based, progress."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from planwatch.observe import import_file
from planwatch.observe.layout import row_cells, single_columns
from planwatch.observe.rows import Context, check_row, plain_records
from planwatch.observe.subjects import Subjects
from planwatch.observe.tables import read_table
from planwatch.store import schema
from planwatch.store.regions import region_names


def context(store) -> Context:
    plan = store.plan()
    with store.read() as conn:
        regions = region_names(conn)
    return Context(plan=plan, subjects=Subjects(plan, []), regions=regions, region_default=None,
                   first_year=plan.meta.base_year, last_year=plan.meta.period_end)


def test_a_plain_row_gets_the_record_check_row_builds_and_any_other_row_goes_to_check_row(hand_store, write_csv):
    path = write_csv("""
1,嘉兴市,2021,6355.28,亿元,公报,
1,海宁市,2022,1e3,亿元,,初步数
2,嘉兴市,2023,21.43,万元/人,u9,
1,南湖区,2021,8000,万元,u,
6,嘉兴市,2022,>129,万人,u3,
1,嘉兴市,2023,7.6,%,u,
1,嘉兴市,2024,7062.5,亿元,u,
1,未知区,2021,1,亿元,u,
1,嘉兴市,2021,１２,亿元,u,
""")
    table = read_table(path)
    ctx = context(hand_store)
    read = plain_records(single_columns(table.header), ctx)
    numbers, rows = zip(*table.rows, strict=True)
    plain = dict(zip(numbers, read(numbers, list(rows)), strict=True))
    # 万元/人 for an indicator with a growth target: a note; a bound; % for 亿元: a note; an unknown region; full-width
    assert [n for n, rec in plain.items() if rec is None] == [4, 6, 7, 9, 10]
    for n, row in table.rows:
        if plain[n] is not None:
            assert plain[n] == check_row(row_cells(table.header, n, row), ctx).record
    assert plain[3]["vintage"] == "preliminary" and plain[3]["vintage_rank"] == 0 and plain[3]["value"] == 1000.0
    assert (plain[5]["value"], plain[5]["unit"]) == (0.8, "亿元")  # 8000 万元 converted to the indicator's unit


def current_counts(store) -> Counter:
    o = schema.observations
    with store.read() as conn:
        per_key = conn.execute(select(func.count()).where(o.c.is_current.is_(True))
                               .group_by(o.c.indicator, o.c.region, o.c.year, o.c.kind)).scalars().all()
    return Counter(per_key)


def test_revisions_merge_by_the_vintage_rule_and_keep_every_value(hand_store, write_csv):
    first = write_csv("""
1,嘉兴市,2021,6355.28,亿元,u1,
1,嘉兴市,2022,6739.45,亿元,u1,最终核实数
1,海宁市,2021,1200,亿元,u1,
1,南湖区,2021,900,亿元,u1,
""", name="first.csv")
    second = write_csv("""
1,嘉兴市,2021,6355.28,亿元,u1,
1,嘉兴市,2022,6700,亿元,u2,初步数
1,海宁市,2021,1210,亿元,u2,
1,南湖区,2021,901,亿元,u2,初步数
1,南湖区,2021,902,亿元,u2,最终核实数
1,南湖区,2022,950,亿元,u2,
""", name="second.csv")
    report = import_file(hand_store, first)
    assert (report.inserted, report.revised, report.unchanged) == (4, 0, 0)
    report = import_file(hand_store, second)
    assert (report.inserted, report.revised, report.unchanged) == (1, 4, 1)
    assert current_counts(hand_store) == Counter({1: 5})
    shown = {(o.region, o.year): (o.value, o.vintage) for o in hand_store.observations("T2-1")}
    assert shown == {("嘉兴市", 2021): (6355.28, None), ("嘉兴市", 2022): (6739.45, "final"),
                     ("海宁市", 2021): (1210.0, None), ("南湖区", 2021): (902.0, "final"),
                     ("南湖区", 2022): (950.0, None)}
    revisions = hand_store.revisions("T2-1", "南湖区", 2021)
    assert [(r.value, r.is_current, r.import_file, r.row) for r in revisions] == [
        (900.0, False, "first.csv", 5), (901.0, False, "second.csv", 5), (902.0, True, "second.csv", 6)]
    assert [(r.value, r.is_current) for r in hand_store.revisions("T2-1", "嘉兴市", 2022)] == [
        (6739.45, True), (6700.0, False)]


def test_a_dry_run_of_revisions_reports_them_and_writes_nothing(hand_store, write_csv):
    import_file(hand_store, write_csv("1,嘉兴市,2021,6355.28,亿元,u1,\n", name="a.csv"))
    dry = import_file(hand_store, write_csv("1,嘉兴市,2021,6388.38,亿元,u2,\n1,嘉兴市,2022,1,亿元,u2,\n",
                                            name="b.csv"), dry_run=True)
    assert (dry.inserted, dry.revised, dry.unchanged) == (1, 1, 0)
    assert [(o.value, o.source) for o in hand_store.observations(include_revisions=True)] == [(6355.28, "u1")]


def test_progress_is_told_each_stage_in_order(hand_store, write_csv):
    told = []
    path = write_csv("1,嘉兴市,2021,6355.28,亿元,u1,\n1,嘉兴市,2022,6739.45,亿元,u1,\n")
    import_file(hand_store, path, progress=lambda stage, done, total: told.append((stage, done, total)))
    size = path.stat().st_size  # a CSV's check is told in bytes read: one batch here
    assert told == [("读取", 0, 1), ("读取", 1, 1), ("检查", size, size), ("写入", 0, 1), ("写入", 1, 1)]
