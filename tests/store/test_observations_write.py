"""The bulk write of observations read from an iterable chunk by chunk: the same revisions whatever the chunk."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from planwatch.model import Observation
from planwatch.store import observations as obs_db
from planwatch.store import schema

# Gross regional product (亿元) of 表2's figures: 2020 actual, 2021 preliminary and final.
FIGURES = [("嘉兴市", 2020, 5509.52), ("南湖区", 2020, 712.0), ("嘉兴市", 2021, 6355.28), ("海宁市", 2020, 1103.2),
           ("嘉兴市", 2021, 6388.38)]


def _records(figures) -> Iterator[dict]:
    """Records as an import makes them, handed over as a generator (read once)."""
    for n, (region, year, value) in enumerate(figures, start=1):
        yield obs_db.record_of(Observation(indicator="T2-1", region=region, year=year, value=value, unit="亿元",
                                           source="统计公报"), n)


def _write(store, records, name="表2.csv"):
    with store.begin() as conn:
        return store.write_observations(conn, records, file_name=name, sha256="0" * 64)


def _imports(store) -> list[tuple[str, int]]:
    i = schema.imports
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(select(i.c.file_name, i.c.row_count).order_by(i.c.id))]


def test_a_key_met_in_two_chunks_gives_a_revision_and_one_current_value(hand_store, monkeypatch):
    monkeypatch.setattr(obs_db, "CHUNK", 2)  # chunks: rows 1-2, 3-4, 5; 嘉兴市 2021 is in the second and third
    records = _records(FIGURES)
    result = _write(hand_store, records)
    assert next(records, None) is None  # consumed once, to the end
    assert result.statuses == ["inserted", "inserted", "inserted", "inserted", "revised"]
    revs = hand_store.revisions("T2-1", "嘉兴市", 2021)
    assert [(r.value, r.row, r.is_current) for r in revs] == [(6355.28, 3, False), (6388.38, 5, True)]
    assert [(o.region, o.year, o.value) for o in hand_store.observations("T2-1")] == [
        ("南湖区", 2020, 712.0), ("嘉兴市", 2020, 5509.52), ("嘉兴市", 2021, 6388.38), ("海宁市", 2020, 1103.2)]
    assert _imports(hand_store) == [("表2.csv", 5)]  # the row count is known once the records are read


def test_the_same_records_again_are_unchanged_whatever_the_chunk(hand_store, monkeypatch):
    _write(hand_store, _records(FIGURES))
    monkeypatch.setattr(obs_db, "CHUNK", 3)
    again = _write(hand_store, _records(FIGURES), name="表2（再次）.csv")
    assert again.statuses == ["unchanged"] * 5
    assert _imports(hand_store) == [("表2.csv", 5)]  # nothing written: the second import is not kept
    assert len(hand_store.observations("T2-1", include_revisions=True)) == 5


def test_a_chunk_of_new_and_known_keys_writes_only_what_changed(hand_store, monkeypatch):
    _write(hand_store, _records(FIGURES[:2]))
    monkeypatch.setattr(obs_db, "CHUNK", 2)
    figures = [("嘉兴市", 2020, 5509.52), ("南湖区", 2020, 712.5), ("海宁市", 2021, 1227.0)]
    result = _write(hand_store, _records(figures), name="表2（修订）.csv")
    assert result.statuses == ["unchanged", "revised", "inserted"]
    assert result.count("unchanged") == 1
    assert [(r.value, r.is_current) for r in hand_store.revisions("T2-1", "南湖区", 2020)] == [(712.0, False),
                                                                                              (712.5, True)]
    assert [(o.region, o.year, o.value) for o in hand_store.observations("T2-1")] == [
        ("南湖区", 2020, 712.5), ("嘉兴市", 2020, 5509.52), ("海宁市", 2021, 1227.0)]
    assert _imports(hand_store) == [("表2.csv", 2), ("表2（修订）.csv", 3)]
    assert len(hand_store.observations("T2-1", include_revisions=True)) == 4  # the unchanged row is not written again
