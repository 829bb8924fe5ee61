"""Observations with revisions: every value ever imported is kept, the latest counts.

A revision key is (indicator, region, year, kind). Among the revisions of a key the current
one has the greatest :func:`planwatch.vintages.revision_order` (vintage rank, dated vintage,
import, row): an explicit ``final`` beats an unspecified vintage, which beats ``preliminary``;
otherwise the later import, then the later row.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, bindparam, func, select, text
from sqlalchemy.engine import Connection

from planwatch.model import Observation
from planwatch.vintages import revision_order, vintage_rank

from . import schema
from .plans import now

FRAME_COLUMNS = ["indicator", "region", "year", "value", "bound", "text", "kind", "unit", "source", "note", "vintage"]
FINGERPRINT = ("value", "bound", "text", "unit", "source", "note", "vintage")
KEY = ("indicator", "region", "year", "kind")


class ObservationRevision(Observation):
    """One value ever recorded for an indicator, region and year."""

    recorded_at: datetime
    import_file: str | None = None
    row: int | None = None
    is_current: bool = False


def order_key(rec: dict) -> tuple:
    """Sort key of a revision; the greatest is current. The stored rank is the one the row was kept by."""
    return revision_order(rec["vintage"], rec["import_id"] or 0, rec["row_no"], rank=rec["vintage_rank"])


def _num(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.12g}")


def fingerprint(rec: dict) -> tuple:
    """What makes two revisions the same value (FINGERPRINT's fields): equal fingerprints mean 'unchanged'.

    Spelled out field by field: an import that changes nothing computes one per stored and new revision.
    """
    get = rec.get
    return (_num(rec["value"]), get("bound") or None, get("text") or None, get("unit") or None,
            get("source") or None, get("note") or None, get("vintage") or None)


def record_of(obs: Observation, row_no: int) -> dict[str, Any]:
    """A database record (without import id) from an Observation."""
    return {
        "indicator": obs.indicator, "region": obs.region, "year": int(obs.year), "kind": str(obs.kind),
        "value": _num(obs.value), "bound": str(obs.bound) if obs.bound else None, "text": obs.text,
        "unit": obs.unit, "source": obs.source, "note": obs.note, "vintage": obs.vintage,
        "vintage_rank": vintage_rank(obs.vintage),
        "extra": json.dumps(obs.extra, ensure_ascii=False, sort_keys=True) if obs.extra else None,
        "row_no": row_no,
    }


@dataclass
class WriteResult:
    """Per-record outcome of a write: 'inserted', 'revised' or 'unchanged'."""

    statuses: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return self.statuses.count(status)


def classify(records: Sequence[dict], existing: Iterable[dict]) -> tuple[list[str], dict[tuple, list[dict]]]:
    """Status of each record against the stored revisions, and all revisions per touched key."""
    by_key: dict[tuple, list[dict]] = {}
    for rec in existing:
        by_key.setdefault(tuple(rec[k] for k in KEY), []).append(rec)
    prints: dict[tuple, set] = {}  # built only for keys met twice: most keys are new
    statuses = []
    for rec in records:
        key = (rec["indicator"], rec["region"], rec["year"], rec["kind"])
        revs = by_key.get(key)
        if revs is None:
            by_key[key] = [rec]
            statuses.append("inserted")
            continue
        seen = prints.get(key)
        if seen is None:
            seen = prints[key] = {fingerprint(r) for r in revs}
        fp = fingerprint(rec)
        if fp in seen:
            statuses.append("unchanged")
            continue
        seen.add(fp)
        revs.append(rec)
        statuses.append("revised")
    return statuses, by_key


STAGING = "pw_staging"
# The staging table holds the batch (id = position + 1) and the stored revisions are read through it,
# so only the keys the batch touches are read, by the key index, however large the store.
TOUCHED = (f"SELECT o.id, {', '.join('o.' + c for c in (*KEY, *FINGERPRINT))}, o.vintage_rank, o.import_id, "
           f"o.row_no, o.is_current FROM observations o JOIN (SELECT DISTINCT {', '.join(KEY)} FROM {STAGING}) s "
           f"ON {' AND '.join(f'o.{c} = s.{c}' for c in KEY)}")


@dataclass
class Merge:
    """What a batch changes: statuses per record, and the ids (stored revisions, batch positions) to flip."""

    statuses: list[str]
    demote: list[int] = field(default_factory=list)  # stored revisions no longer current
    promote: list[int] = field(default_factory=list)  # stored revisions current again
    unchanged: list[int] = field(default_factory=list)  # staging ids (batch position + 1) not written
    not_current: list[int] = field(default_factory=list)  # staging ids written as older revisions


def write(conn: Connection, records: list[dict], import_id: int) -> WriteResult:
    """Store the records as new revisions where they differ from what is stored; update 'current'.

    The batch goes to a temporary staging table by the backend's bulk path (PostgreSQL COPY, SQLite
    executemany); the stored revisions of the keys it touches are read by one join; which revision
    counts is decided for those keys alone, by the one rule (order_key); then the flags change and the
    new revisions are inserted by set-based statements.
    """
    if not records:
        return WriteResult([])
    stamp = now()
    for rec in records:
        rec.update(import_id=import_id, recorded_at=stamp, is_current=False)
    bulk = _bulk_for(conn)
    bulk.stage(records)
    touched = stored_revisions(conn)
    merge = decide(records, touched)
    # Demote, then promote, then insert: the unique index on current rows (checked row by row on
    # PostgreSQL) never sees two current revisions of a key, not even within this transaction.
    bulk.set_current("observations", merge.demote, False)
    bulk.set_current("observations", merge.promote, True)
    bulk.set_current(STAGING, merge.not_current, False)
    bulk.drop_staged(merge.unchanged)
    bulk.merge(stamp)
    return WriteResult(merge.statuses)


def stored_revisions(conn: Connection) -> list[dict]:
    """The stored revisions of the keys the staged batch touches, as dicts (read on the driver: no Row objects)."""
    result = conn.execute(text(TOUCHED))
    names = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    return [dict(zip(names, row, strict=True)) for row in rows]


def decide(records: list[dict], touched: list[dict]) -> Merge:
    """The statuses and current flags of a batch against the stored revisions of the keys it touches.

    A record of a key met once in the batch and never stored is new and current: most of a large import,
    settled without sorting. The other keys are classified and ordered as revisions (order_key).
    """
    keys = [(r["indicator"], r["region"], r["year"], r["kind"]) for r in records]
    counts = Counter(keys)
    stored = {tuple(r[k] for k in KEY) for r in touched}
    busy = [n for n, key in enumerate(keys) if counts[key] > 1 or key in stored]  # 0-based; staging ids are n + 1
    merge = Merge(["inserted"] * len(records))
    if not busy:
        return merge
    for n, rec in enumerate(records):
        rec["_pos"] = n
    statuses, by_key = classify([records[n] for n in busy], touched)
    for n, status in zip(busy, statuses, strict=True):
        merge.statuses[n] = status
        if status == "unchanged":
            merge.unchanged.append(n + 1)
    for revs in by_key.values():
        best = max(revs, key=order_key)
        for r in revs:
            if "id" in r and r["is_current"] != (r is best):
                (merge.promote if r is best else merge.demote).append(r["id"])
            elif "id" not in r and r is not best:
                merge.not_current.append(r["_pos"] + 1)
    for rec in records:
        del rec["_pos"]
    return merge


def _bulk_for(conn: Connection) -> _Bulk:
    if conn.dialect.name == "postgresql":
        return _PostgresBulk(conn)
    assert conn.dialect.name == "sqlite", "only SQLite and PostgreSQL are supported"
    return _SqliteBulk(conn)


# What the staging table holds of each record, in the order it is loaded (every column but the two
# set for the whole batch: the time, and 'current', true unless the merge says otherwise).
STAGED = [c for c in schema.OBSERVATION_COLUMNS if c not in ("recorded_at", "is_current")]


class _Bulk:
    """The backend's bulk path into the staging table (ids 1, 2 … in batch order) and the set-based changes."""

    def __init__(self, conn: Connection):
        self.conn = conn
        raw = conn.connection.driver_connection
        assert raw is not None, "an open connection has its DBAPI connection"
        self.raw = raw
        self.values = itemgetter(*STAGED)  # a record's staged values as one tuple, built in C

    def merge(self, stamp: datetime) -> None:
        """Insert the staged records as revisions, in batch order, and drop the staging table."""
        cols = ", ".join(STAGED)
        self.conn.execute(text(f"INSERT INTO observations ({cols}, is_current, recorded_at) "
                               f"SELECT {cols}, is_current, :stamp FROM {STAGING} ORDER BY id")
                          .bindparams(bindparam("stamp", type_=schema.observations.c.recorded_at.type)),
                          {"stamp": stamp})
        self.conn.exec_driver_sql(f"DROP TABLE {STAGING}")

    def stage(self, records: list[dict]) -> None:
        raise NotImplementedError

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        raise NotImplementedError

    def drop_staged(self, ids: list[int]) -> None:
        raise NotImplementedError


class _PostgresBulk(_Bulk):
    """COPY into a temporary table; flags changed by joining an array of ids (one statement each)."""

    def stage(self, records: list[dict]) -> None:
        typed = ", ".join(f"{c} {schema.observations.c[c].type.compile(self.conn.dialect)}" for c in STAGED)
        self.conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGING} (id integer GENERATED ALWAYS AS IDENTITY, {typed}, "
                                  "is_current boolean NOT NULL DEFAULT true) ON COMMIT DROP")
        values = self.values
        with self.raw.cursor() as cur, cur.copy(f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN") as copy:
            for r in records:
                copy.write_row(values(r))
        self.conn.exec_driver_sql(f"ANALYZE {STAGING}")  # the planner would guess its size otherwise

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        if ids:
            self.conn.exec_driver_sql(f"UPDATE {table} t SET is_current = %(flag)s FROM unnest(%(ids)s::int[]) AS x(id) "
                                      "WHERE t.id = x.id", {"flag": flag, "ids": ids})

    def drop_staged(self, ids: list[int]) -> None:
        if ids:
            self.conn.exec_driver_sql(f"DELETE FROM {STAGING} t USING unnest(%(ids)s::int[]) AS x(id) WHERE t.id = x.id",
                                      {"ids": ids})


class _SqliteBulk(_Bulk):
    """executemany on the driver into a temporary table; flags changed by id."""

    def stage(self, records: list[dict]) -> None:
        # Typeless columns keep each value as given; the rowid key numbers the rows 1, 2 … as inserted.
        self.conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGING} (id INTEGER PRIMARY KEY, {', '.join(STAGED)}, "
                                  "is_current NOT NULL DEFAULT 1)")
        # The driver is fed directly: SQLAlchemy's per-row parameter processing would dominate.
        sql = f"INSERT INTO {STAGING} ({', '.join(STAGED)}) VALUES ({', '.join('?' for _ in STAGED)})"
        cur = self.raw.cursor()
        try:
            cur.executemany(sql, map(self.values, records))
        finally:
            cur.close()

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        self._each(f"UPDATE {table} SET is_current = {int(flag)} WHERE id = ?", ids)

    def drop_staged(self, ids: list[int]) -> None:
        self._each(f"DELETE FROM {STAGING} WHERE id = ?", ids)

    def _each(self, sql: str, ids: list[int]) -> None:
        if ids:
            cur = self.raw.cursor()
            try:
                cur.executemany(sql, ((i,) for i in ids))
            finally:
                cur.close()


def _filters(indicator, region, year) -> list:
    o = schema.observations
    conds = []
    if indicator is not None:
        conds.append(o.c.indicator == indicator)
    if region is not None:
        conds.append(o.c.region == region)
    if year is not None:
        conds.append(o.c.year == int(year))
    return conds


def _observation(row) -> dict[str, Any]:
    data = {k: row._mapping[k] for k in ("indicator", "region", "year", "value", "bound", "text", "unit", "kind",
                                         "source", "note", "vintage")}
    data["extra"] = json.loads(row.extra) if row.extra else {}
    return data


def select_observations(conn: Connection, indicator=None, region=None, year=None, *,
                        include_revisions: bool = False) -> list[Observation]:
    """Observations matching the filters: current ones, or every revision."""
    o = schema.observations
    conds = _filters(indicator, region, year)
    if not include_revisions:
        conds.append(o.c.is_current.is_(True))
    query = select(o).where(and_(True, *conds)).order_by(o.c.indicator, o.c.region, o.c.year, o.c.kind,
                                                          o.c.import_id, o.c.row_no)
    return [Observation(**_observation(row)) for row in conn.execute(query)]


def select_revisions(conn: Connection, indicator: str, region: str, year: int) -> list[ObservationRevision]:
    """Every value recorded for the key, oldest first."""
    o, i = schema.observations, schema.imports
    query = (select(o, i.c.file_name).outerjoin(i, i.c.id == o.c.import_id)
             .where(and_(*_filters(indicator, region, year))).order_by(o.c.import_id, o.c.row_no, o.c.id))
    return [ObservationRevision(**_observation(row), recorded_at=row.recorded_at, import_file=row.file_name,
                                row=row.row_no, is_current=row.is_current) for row in conn.execute(query)]


# Rows fetched per round trip when the frame is read: its size bounds the memory beyond the result.
FRAME_CHUNK = 100_000
TEXT_COLUMNS = [c for c in FRAME_COLUMNS if c not in ("year", "value")]


def frame(conn: Connection, indicators: Sequence[str] | None = None, *, max_year: int | None = None) -> pd.DataFrame:
    """Current observations as a DataFrame with FRAME_COLUMNS, in one query (the current revision is
    chosen by the database: ``is_current``), read in chunks straight into column arrays."""
    o = schema.observations
    query = select(*(o.c[c] for c in FRAME_COLUMNS)).where(o.c.is_current.is_(True))
    if max_year is not None:
        query = query.where(o.c.year <= int(max_year))
    if indicators is not None:
        query = query.where(o.c.indicator.in_(list(indicators)))
    if conn.dialect.name == "postgresql":
        return _frame_by_copy(conn, query)
    result = conn.execute(query)
    cursor = result.cursor  # plain driver tuples: no per-row Row objects for millions of rows
    columns = FrameColumns()
    while rows := cursor.fetchmany(FRAME_CHUNK):
        columns.add(rows)
    result.close()
    return columns.frame()


class FrameColumns:
    """The frame's columns built chunk by chunk: years and values as numpy numbers, texts as object
    arrays in which each distinct string is one shared object (a national store repeats a few
    thousand regions and units over millions of rows; a string per cell would be most of the memory)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in FRAME_COLUMNS}
        self.shared: dict[str, object] = {}

    def add(self, rows: Sequence[Sequence]) -> None:
        for name, cells in zip(FRAME_COLUMNS, zip(*rows, strict=True), strict=True):
            self.parts[name].append(self._array(name, cells))

    def _array(self, name: str, cells: tuple) -> np.ndarray:
        if name == "year":
            return np.fromiter(cells, dtype=np.int64, count=len(cells))
        if name == "value":
            try:
                return np.array(cells, dtype=np.float64)  # None (a text observation) becomes NaN
            except (TypeError, ValueError):  # a value SQLite kept as text: NaN unless it reads as a number
                return pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").to_numpy(dtype=np.float64)
        return self.interned(np.array(cells, dtype=object))

    def interned(self, texts: np.ndarray) -> np.ndarray:
        """The texts with every distinct string replaced by one shared object; None stays None."""
        codes, distinct = pd.factorize(texts)
        shared = [self.shared.setdefault(t, t) for t in distinct]
        return np.array([*shared, None], dtype=object)[codes]  # code -1 (None) picks the last

    def frame(self) -> pd.DataFrame:
        data = {}
        for name in FRAME_COLUMNS:
            parts = self.parts.pop(name)
            dtype = np.int64 if name == "year" else np.float64 if name == "value" else object
            data[name] = np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
            del parts
        return pd.DataFrame(data, columns=FRAME_COLUMNS, copy=False)


def _frame_by_copy(conn: Connection, query) -> pd.DataFrame:
    """PostgreSQL: COPY the query out as CSV and parse it with pandas' C reader (fast, little memory)."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    buf = io.BytesIO()
    raw = conn.connection.driver_connection
    assert raw is not None, "an open connection has its DBAPI connection"
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            buf.write(chunk)
    buf.seek(0)
    df = pd.read_csv(buf, names=FRAME_COLUMNS, header=None, keep_default_na=False, na_values={"value": [""]},
                     dtype={**{c: "object" for c in TEXT_COLUMNS}, "year": "int64", "value": "float64"})
    del buf
    shared = FrameColumns()
    for col in TEXT_COLUMNS:  # NULL arrives as '': give None like the SQLite path; one object per distinct text
        texts = df[col].to_numpy(dtype=object, copy=True)
        texts[texts == ""] = None
        df[col] = shared.interned(texts)
    return df


# ------------------------------------------------------------ moving a key's revisions under another key


@dataclass(frozen=True)
class Figure:
    """One side's current value of a figure, as a person reads it."""

    value: float | None
    bound: str | None
    text: str | None
    unit: str | None
    vintage: str | None


@dataclass(frozen=True)
class Conflict:
    """A figure (region, year, kind) held under both keys of a move with different values."""

    region: str
    year: int
    kind: str
    current: Figure  # the value that counts now: the greatest revision order of both keys' revisions
    other: Figure  # the other key's value, kept as a revision
    moved_won: bool  # whether the current value came from the moved key


@dataclass
class Moved:
    """What a move did: revisions now under the new key, the figures they are of, revisions dropped because
    one with the same fingerprint was already there, and the figures whose two values disagreed."""

    revisions: int = 0
    figures: int = 0
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


MOVE_COLUMNS = ("id", *KEY, *FINGERPRINT, "vintage_rank", "import_id", "row_no", "is_current")


def _figure(rec: dict) -> Figure:
    return Figure(rec["value"], rec["bound"], rec["text"], rec["unit"], rec["vintage"])


def move(conn: Connection, old: str, new: str,
         recast: Callable[[dict], tuple[float | None, str | None]]) -> Moved:
    """Put every revision stored under key ``old`` under key ``new``, its value and unit as ``recast`` gives
    them; nothing is lost. Where ``new`` already holds the figure, both keys' revisions are one figure's
    revisions: one with the fingerprint of a stored one is not kept twice (as an import would find it
    unchanged), and the current one is the greatest by the one rule (order_key); the rest are revisions.
    ``recast`` may refuse a row (InputError) before anything is written."""
    o = schema.observations
    query = (select(*(o.c[c] for c in MOVE_COLUMNS)).where(o.c.indicator.in_((old, new)))
             .order_by(o.c.region, o.c.year, o.c.kind, o.c.id))  # conflicts reported in this order
    groups: dict[tuple, tuple[list[dict], list[dict]]] = {}
    for row in conn.execute(query):
        rec = dict(row._mapping)
        arriving = rec["indicator"] == old
        if arriving:
            value, unit = recast(rec)
            rec.update(value=_num(value), unit=unit)
        groups.setdefault((rec["region"], rec["year"], rec["kind"]), ([], []))[arriving].append(rec)
    done = Moved()
    demote: list[int] = []
    promote: list[int] = []
    dropped: list[int] = []
    kept: list[dict] = []
    for (region, year, kind), (staying, arriving) in groups.items():
        if not arriving:
            continue
        done.figures += 1
        seen = {fingerprint(r) for r in staying}
        moving = []
        for rec in arriving:
            fp = fingerprint(rec)
            if fp in seen:
                dropped.append(rec["id"])
            else:
                seen.add(fp)
                moving.append(rec)
        best = max(staying + moving, key=order_key)
        for rec in staying + moving:
            if rec["is_current"] != (rec is best):
                (promote if rec is best else demote).append(rec["id"])
        kept += moving
        if staying:
            theirs, ours = max(staying, key=order_key), max(arriving, key=order_key)
            if fingerprint(theirs)[:4] != fingerprint(ours)[:4]:
                won = best is not theirs
                done.conflicts.append(Conflict(region, year, kind, _figure(best), _figure(theirs if won else ours),
                                               won))
    done.revisions, done.duplicates = len(kept), len(dropped)
    # Demote first, move the rows not current, promote last: a key never has two current rows on the way
    # (the unique index is checked row by row on PostgreSQL).
    bulk = _bulk_for(conn)
    bulk.set_current("observations", demote, False)
    for start in range(0, len(dropped), 1000):
        conn.execute(o.delete().where(o.c.id.in_(dropped[start:start + 1000])))
    if kept:
        conn.execute(o.update().where(o.c.id == bindparam("rid"))
                     .values(indicator=new, value=bindparam("new_value"), unit=bindparam("new_unit")),
                     [{"rid": r["id"], "new_value": r["value"], "new_unit": r["unit"]} for r in kept])
    bulk.set_current("observations", promote, True)
    return done


def revision_counts(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    """How many revisions (current or not) each key holds."""
    o = schema.observations
    wanted = sorted(set(keys))
    found: dict[str, int] = {key: n for key, n in conn.execute(
        select(o.c.indicator, func.count()).where(o.c.indicator.in_(wanted)).group_by(o.c.indicator))}
    return {k: found.get(k, 0) for k in wanted}


def current_count(conn: Connection, key: str, first: int | None, last: int | None) -> int:
    """How many current figures a key holds in the years ``first``–``last`` (either open when None)."""
    o = schema.observations
    query = select(func.count()).where(o.c.indicator == key, o.c.is_current.is_(True))
    if first is not None:
        query = query.where(o.c.year >= first)
    if last is not None:
        query = query.where(o.c.year <= last)
    return conn.execute(query).scalar_one()
