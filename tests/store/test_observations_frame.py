"""observation_frame read in chunks into column arrays: the same frame whatever the chunk, shared strings."""

from __future__ import annotations

import math

from planwatch.model import Observation
from planwatch.store import observations as obs_db


def _fill(store) -> None:
    store.add_observations([Observation(indicator="T2-1", region=region, year=year, value=1000.0 + year, unit="亿元",
                                        source="公报") for region in ("嘉兴市", "南湖区", "海宁市")
                            for year in (2020, 2021, 2022)])
    store.add_observations([Observation(indicator="T2-1", region="嘉兴市", year=2021, value=9.5, unit="亿元",
                                        source="年鉴", vintage="final"),
                            Observation(indicator="T2-9", region="海宁市", year=2024, text="增长9.3%", kind="text")])


def test_the_frame_is_the_current_rows_whatever_the_chunk(hand_store, monkeypatch):
    _fill(hand_store)
    whole = hand_store.observation_frame()
    monkeypatch.setattr(obs_db, "FRAME_CHUNK", 2)
    chunked = hand_store.observation_frame()
    rows = sorted(tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
                  for r in chunked.itertuples(index=False))
    assert rows == sorted(tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
                          for r in whole.itertuples(index=False))
    assert len(rows) == 10
    assert ("T2-1", "嘉兴市", 2021, 9.5, None, None, "level", "亿元", "年鉴", None, "final") in rows
    assert ("T2-9", "海宁市", 2024, None, None, "增长9.3%", "text", None, None, None, None) in rows
    assert [str(chunked[c].dtype) for c in ("year", "value", "region")] == ["int64", "float64", "str"]  # pandas infers


def test_each_distinct_text_is_one_shared_object(hand_store, monkeypatch):
    _fill(hand_store)
    monkeypatch.setattr(obs_db, "FRAME_CHUNK", 3)
    frame = hand_store.observation_frame()
    assert len({id(v) for v in frame["indicator"]}) == 2
    assert len({id(v) for v in frame["region"]}) == 3
    assert frame.loc[frame["kind"] == "text", "value"].isna().all()


def test_an_empty_store_gives_an_empty_frame_of_the_columns(hand_store):
    frame = hand_store.observation_frame()
    assert list(frame.columns) == obs_db.FRAME_COLUMNS and len(frame) == 0
    assert [str(frame[c].dtype) for c in ("year", "value")] == ["int64", "float64"]
