"""observation_frame: the current rows read by the backend's columnar path (SQLite through Arrow, PostgreSQL
through COPY), the same frame on both, whatever the types SQLite kept."""

from __future__ import annotations

import math
import sqlite3
import subprocess
import sys
import tempfile

import pandas as pd
import pytest

from planwatch.errors import StoreError
from planwatch.model import Observation
from planwatch.store import observations as obs_db
from planwatch.store import open_store


def _fill(store) -> None:
    store.add_observations([Observation(indicator="T2-1", region=region, year=year, value=1000.0 + year, unit="亿元",
                                        source="公报") for region in ("嘉兴市", "南湖区", "海宁市")
                            for year in (2020, 2021, 2022)])
    store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=2021, value=9.5, unit="亿元",
                                        source="年鉴", vintage="final"),
                            Observation(indicator="T2-9", region="海宁市", year=2024, text="增长9.3%", kind="text")])


def _filled_file_store(tmp_path, hand_plan):
    """A SQLite store in a file (``tmp_path``/store.db), holding the hand plan and :func:`_fill`'s figures."""
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    store.load_plan(hand_plan, source="hand")
    _fill(store)
    return store


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
                  for r in frame.itertuples(index=False))


def test_the_frame_is_the_current_rows(hand_store):
    _fill(hand_store)
    frame = hand_store.observation_frame()
    rows = _rows(frame)
    assert len(rows) == 10
    assert ("T2-1", "嘉兴市", 2021, 9.5, None, None, "level", "亿元", "年鉴", None, "final") in rows
    assert ("T2-1", "南湖区", 2022, 3022.0, None, None, "level", "亿元", "公报", None, None) in rows
    assert ("T2-9", "海宁市", 2024, None, None, "增长9.3%", "text", None, None, None, None) in rows
    assert [str(frame[c].dtype) for c in ("year", "value", "region")] == ["int64", "float64", "category"]
    assert frame.loc[frame["kind"] == "text", "value"].isna().all()
    assert _rows(hand_store.observation_frame(max_year=2021)) == [r for r in rows if r[2] <= 2021]
    key = hand_store.plans()[0].key
    assert _rows(hand_store.observation_frame(key)) == rows  # the plan's indicators: T2-1 and T2-9 are its


def test_texts_are_categories_in_sorted_order_not_an_object_per_cell(hand_store):
    _fill(hand_store)
    frame = hand_store.observation_frame()
    assert frame["region"].cat.categories.tolist() == ["南湖区", "嘉兴市", "海宁市"]  # sorted, as the texts sort
    assert frame["region"].cat.codes.dtype == "int8"
    assert frame.sort_values(["region", "year"])["region"].tolist()[:3] == ["南湖区"] * 3
    assert frame["source"].cat.categories.tolist() == ["公报", "年鉴"] and frame["source"].isna().sum() == 1
    assert frame["bound"].cat.categories.tolist() == [] and frame["bound"].isna().all()  # no value at all


def test_a_large_store_is_read_in_parts_into_the_same_frame(tmp_path, hand_plan, monkeypatch):
    store = _filled_file_store(tmp_path, hand_plan)
    whole = _rows(store.observation_frame())
    monkeypatch.setattr(obs_db, "PARTS_FROM_ROWS", 1)
    monkeypatch.setattr(obs_db.os, "cpu_count", lambda: 8)
    read = []
    real = obs_db._read_part
    monkeypatch.setattr(obs_db, "_read_part", lambda path, sql, rows: read.append(rows) or real(path, sql, rows))
    parts = store.observation_frame()
    store.dispose()
    assert read == [3, 3, 3, 2]  # 4 readers over rowids 1..11: nine figures, a revision of one, a text
    assert _rows(parts) == whole and len(whole) == 10


def test_reading_the_frame_leaves_a_writers_lock_in_place(tmp_path, hand_plan):
    """The Arrow driver carries its own SQLite: had it opened the store file, closing it would drop every POSIX
    lock this process holds on the file, and another process could write beside our open write transaction."""
    path = tmp_path / "store.db"
    store = _filled_file_store(tmp_path, hand_plan)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE observations SET note = '未提交' WHERE id = 1")
    probe = [sys.executable, "-c", f"import sqlite3; c = sqlite3.connect({str(path)!r}, timeout=0, isolation_level=None)"
             "; c.execute('BEGIN IMMEDIATE')"]
    assert "database is locked" in subprocess.run(probe, capture_output=True, text=True).stderr
    frame = store.observation_frame()
    assert "database is locked" in subprocess.run(probe, capture_output=True, text=True).stderr  # still ours
    assert "未提交" not in frame["note"].tolist() and len(frame) == 10  # what is committed, nothing else
    writer.execute("COMMIT")
    writer.close()
    assert "未提交" in store.observation_frame()["note"].tolist()
    store.dispose()


def test_batches_agree_on_types_however_the_rows_fall(tmp_path, hand_plan):
    """Each part begins with a typed placeholder row: a note that first appears in a later batch still reads."""
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    store.load_plan(hand_plan, source="hand")
    store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=2000 + n, value=float(n))
                            for n in range(5)] + [Observation(indicator="T2-1", region="海宁市", year=2021, value=1.5,
                                                              note="初步核算", bound=">")])
    with store.read() as conn:
        query = obs_db.select(*(obs_db.schema.observations.c[c] for c in obs_db.FRAME_COLUMNS))
        sql = obs_db._typed_sql(query, conn.dialect)
    store.dispose()
    table = obs_db._read_part(str(tmp_path / "store.db"), sql, 1)  # batches of 2 rows
    assert table.num_rows == 6 and table.column("note").to_pylist()[-1] == "初步核算"
    assert str(table.schema.field("note").type) == "string"


def test_a_text_after_many_empty_rows_is_read(hand_store):
    """The Arrow driver types a column by the rows it has seen: a note after thousands of empty ones still reads."""
    hand_store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=1000 + n, value=float(n))
                                 for n in range(3000)])
    hand_store.add_observations([Observation(indicator="T2-1", region="海宁市", year=2021, value=1.5, note="初步核算",
                                             bound=">")])
    frame = hand_store.observation_frame()
    assert len(frame) == 3001
    last = frame[frame["region"] == "海宁市"].iloc[0]
    assert (last["note"], last["bound"], last["value"]) == ("初步核算", ">", 1.5)
    assert frame["note"].isna().sum() == 3000


def test_a_value_sqlite_kept_as_text_is_no_value(tmp_path, hand_plan):
    store = _filled_file_store(tmp_path, hand_plan)
    with store.begin() as conn:  # a REAL column keeps a text that does not read as a number
        conn.exec_driver_sql("UPDATE observations SET value = '约1000' WHERE region = '南湖区' AND year = 2020")
    frame = store.observation_frame()
    store.dispose()
    values = frame.loc[frame["region"] == "南湖区"].sort_values("year")["value"].tolist()
    assert math.isnan(values[0]) and values[1:] == [3021.0, 3022.0]


def test_an_in_memory_store_gives_the_same_frame(hand_plan, tmp_path):
    frames = []
    for url in ("sqlite://", f"sqlite:///{tmp_path / 'store.db'}"):
        store = open_store(url)
        store.init()
        store.load_plan(hand_plan, source="hand")
        _fill(store)
        frames.append(_rows(store.observation_frame()))
        store.dispose()
    assert frames[0] == frames[1] and len(frames[0]) == 10


def test_an_empty_store_gives_an_empty_frame_of_the_columns(hand_store):
    frame = hand_store.observation_frame()
    assert list(frame.columns) == obs_db.FRAME_COLUMNS and len(frame) == 0
    assert [str(frame[c].dtype) for c in ("year", "value")] == ["int64", "float64"]


def test_no_room_for_the_copy_is_a_clear_error(tmp_path, hand_plan, monkeypatch):
    store = _filled_file_store(tmp_path, hand_plan)
    not_a_directory = tmp_path / "tmp"
    not_a_directory.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_directory))
    with pytest.raises(StoreError, match=r"无法在临时目录 .*tmp 中复制数据库.*TMPDIR"):
        store.observation_frame()
    monkeypatch.undo()
    assert len(store.observation_frame()) == 10
    store.dispose()
