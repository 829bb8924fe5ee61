"""Observations with revisions: every value ever imported is kept, the latest counts.

A revision key is (indicator, region, year, kind). Among the revisions of a key the current
one has the greatest :func:`planwatch.vintages.revision_order` (vintage rank, dated vintage,
import, row): an explicit ``final`` beats an unspecified vintage, which beats ``preliminary``;
otherwise the later import, then the later row.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import adbc_driver_manager.dbapi as adbc_dbapi
import adbc_driver_sqlite
import adbc_driver_sqlite.dbapi as adbc_sqlite
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, literal, select, text, union_all
from sqlalchemy.engine import Connection, Dialect

from planwatch.errors import StoreError
from planwatch.model import Observation
from planwatch.vintages import revision_order, vintage_rank

from . import schema
from .connection import unreachable
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


# Records read, decided and written per round: memory holds one chunk and the stored revisions of its keys,
# however long the iterable a write is given.
CHUNK = 50_000
key_of = itemgetter(*KEY)  # a record's revision key as one tuple, built in C
# The keys of a chunk whose indicators have stored rows go to a temporary table, and their stored revisions
# are read by one join through the key index, however large the store.
KEYS = "pw_keys"
TOUCHED = (f"SELECT o.id, {', '.join('o.' + c for c in (*KEY, *FINGERPRINT))}, o.vintage_rank, o.import_id, "
           f"o.row_no, o.is_current FROM {KEYS} s JOIN observations o "
           f"ON {' AND '.join(f'o.{c} = s.{c}' for c in KEY)}")


@dataclass
class Merge:
    """What a chunk changes: statuses per record, the stored revisions to flip, the records not written as current."""

    statuses: list[str]
    demote: list[int] = field(default_factory=list)  # stored revisions no longer current
    promote: list[int] = field(default_factory=list)  # stored revisions current again
    unchanged: list[int] = field(default_factory=list)  # positions in the chunk not written
    not_current: list[int] = field(default_factory=list)  # positions in the chunk written as older revisions


def write(conn: Connection, records: Iterable[dict], import_id: int) -> WriteResult:
    """Store the records as new revisions where they differ from what is stored; update 'current'.

    The records are read once, CHUNK at a time (a generator will do). For each chunk the stored revisions
    of the keys it touches are read (none when its indicators have no stored rows: a first import reads
    nothing); which revision counts is decided for the keys met before (stored, in an earlier chunk, or
    twice in this one) by the one rule (order_key); then the flags change and the chunk's new revisions
    go straight into the table by the backend's bulk path, in the records' order.
    """
    bulk = _bulk_for(conn)
    stamp = now()
    statuses: list[str] = []
    rest = iter(records)
    while chunk := list(islice(rest, CHUNK)):
        keys = list(map(key_of, chunk))
        merge = decide(chunk, keys, import_id, bulk.touched(keys))
        # Demote, then promote, then insert: the unique index on current rows (checked row by row on
        # PostgreSQL) never sees two current revisions of a key, not even within this transaction.
        bulk.set_current("observations", sorted(merge.demote), False)  # in id order: the pages one after another
        bulk.set_current("observations", sorted(merge.promote), True)
        bulk.insert(chunk, merge, import_id, stamp)
        statuses += merge.statuses
    return WriteResult(statuses)


def stored_revisions(conn: Connection) -> list[dict]:
    """The stored revisions of the staged keys, as dicts (read on the driver: no Row objects)."""
    result = conn.execute(text(TOUCHED))
    names = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    return [dict(zip(names, row, strict=True)) for row in rows]


def decide(records: list[dict], keys: list[tuple], import_id: int, touched: list[dict]) -> Merge:
    """The statuses and current flags of a chunk (its records and their keys) against the stored revisions
    of the keys it touches.

    A record of a key met once in the chunk and never stored is new and current: most of a large import,
    settled without sorting. The other keys are classified and ordered as revisions (order_key); those
    records are given the import's id, which order_key reads.
    """
    merge = Merge(["inserted"] * len(records))
    counts = Counter(keys)
    if not touched and len(counts) == len(keys):
        return merge
    stored = set(map(key_of, touched))
    busy = [n for n, key in enumerate(keys) if counts[key] > 1 or key in stored]
    pending = [records[n] for n in busy]
    for rec in pending:
        rec["import_id"] = import_id
    position = {id(rec): n for n, rec in zip(busy, pending, strict=True)}
    statuses, by_key = classify(pending, touched)
    for n, status in zip(busy, statuses, strict=True):
        merge.statuses[n] = status
        if status == "unchanged":
            merge.unchanged.append(n)
    for revs in by_key.values():
        best = max(revs, key=order_key)
        for r in revs:
            if "id" in r:
                if r["is_current"] != (r is best):
                    (merge.promote if r is best else merge.demote).append(r["id"])
            elif r is not best:
                merge.not_current.append(position[id(r)])
    return merge


def _bulk_for(conn: Connection) -> _Bulk:
    if conn.dialect.name == "postgresql":
        return _PostgresBulk(conn)
    assert conn.dialect.name == "sqlite", "only SQLite and PostgreSQL are supported"
    return _SqliteBulk(conn)


# What a record gives of a revision, and the columns a write fills: those, then the three set per chunk.
RECORDED = [c for c in schema.OBSERVATION_COLUMNS if c not in ("import_id", "is_current", "recorded_at")]
WRITTEN = [*RECORDED, "import_id", "is_current", "recorded_at"]


class _Bulk:
    """The backend's bulk paths: which indicators have stored rows, a chunk's keys staged, rows written, flags."""

    def __init__(self, conn: Connection):
        self.conn = conn
        raw = conn.connection.driver_connection
        assert raw is not None, "an open connection has its DBAPI connection"
        self.raw = raw
        self.values = itemgetter(*RECORDED)  # a record's written values as one tuple, built in C

    def touched(self, keys: list[tuple]) -> list[dict]:
        """The stored revisions of the keys; none read when their indicators have no stored rows."""
        stored = self.stored_indicators({key[0] for key in keys})
        if not stored:
            return []
        self.stage_keys(sorted({key for key in keys if key[0] in stored}))  # in key order: the index read in order
        touched = stored_revisions(self.conn)
        self.conn.exec_driver_sql(f"DROP TABLE {KEYS}")
        return touched

    def rows(self, records: list[dict], merge: Merge, values: Callable[[dict], tuple], current: tuple,
             older: tuple) -> Iterator[tuple]:
        """The records to write as rows, in their order: each record's values and the tail of its flag."""
        skip, demoted = set(merge.unchanged), set(merge.not_current)
        for n, rec in enumerate(records):
            if n not in skip:
                yield values(rec) + (older if n in demoted else current)

    def stored_indicators(self, indicators: set[str]) -> set[str]:
        raise NotImplementedError

    def stage_keys(self, keys: list[tuple]) -> None:
        raise NotImplementedError

    def insert(self, records: list[dict], merge: Merge, import_id: int, stamp: datetime) -> None:
        raise NotImplementedError

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        raise NotImplementedError


class _PostgresBulk(_Bulk):
    """Binary COPY (straight into the table, and of the keys into a temporary one); flags by joining an id array."""

    def stored_indicators(self, indicators: set[str]) -> set[str]:
        found = self.conn.exec_driver_sql(
            "SELECT i FROM unnest(%(inds)s::text[]) AS i WHERE EXISTS (SELECT FROM observations o WHERE o.indicator = i)",
            {"inds": sorted(indicators)})
        return {i for (i,) in found}

    def stage_keys(self, keys: list[tuple]) -> None:
        typed = ", ".join(f"{c} {schema.observations.c[c].type.compile(self.conn.dialect)}" for c in KEY)
        self.conn.exec_driver_sql(f"CREATE TEMP TABLE {KEYS} ({typed}) ON COMMIT DROP")
        types = [self.oids[c] for c in KEY]  # read before the COPY: the connection is busy with it until the end
        with self.raw.cursor() as cur, cur.copy(f"COPY {KEYS} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for key in keys:
                copy.write_row(key)
        self.conn.exec_driver_sql(f"ANALYZE {KEYS}")  # the planner would guess its size otherwise

    def insert(self, records: list[dict], merge: Merge, import_id: int, stamp: datetime) -> None:
        if len(merge.unchanged) == len(records):
            return
        current, older = (import_id, True, stamp), (import_id, False, stamp)
        types = [self.oids[c] for c in WRITTEN]  # read before the COPY: the connection is busy with it until the end
        # Binary: no number or time is formatted as text on this side or parsed on the server's.
        with self.raw.cursor() as cur, cur.copy(f"COPY observations ({', '.join(WRITTEN)}) FROM STDIN "
                                                "(FORMAT BINARY)") as copy:
            copy.set_types(types)
            if merge.unchanged or merge.not_current:
                for row in self.rows(records, merge, self.values, current, older):
                    copy.write_row(row)
            else:  # a new key each: the common case, without a test per record
                values = self.values
                for rec in records:
                    copy.write_row(values(rec) + current)

    @cached_property
    def oids(self) -> dict[str, int]:
        """The type oid of each column as the table declares it (what binary COPY must send)."""
        return {name: oid for name, oid in self.conn.exec_driver_sql(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = 'observations'::regclass "
            "AND attnum > 0 AND NOT attisdropped")}

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        if ids:
            self.conn.exec_driver_sql(f"UPDATE {table} t SET is_current = %(flag)s FROM unnest(%(ids)s::int[]) AS x(id) "
                                      "WHERE t.id = x.id", {"flag": flag, "ids": ids})


class _SqliteBulk(_Bulk):
    """executemany on the driver (straight into the table, and of the keys into a temporary one); flags by id."""

    def stored_indicators(self, indicators: set[str]) -> set[str]:
        cur = self.raw.cursor()
        try:
            return {i for i in indicators
                    if cur.execute("SELECT 1 FROM observations WHERE indicator = ? LIMIT 1", (i,)).fetchone()}
        finally:
            cur.close()

    def stage_keys(self, keys: list[tuple]) -> None:
        # Typeless columns keep each value as given.
        self.conn.exec_driver_sql(f"CREATE TEMP TABLE {KEYS} ({', '.join(KEY)})")
        self._many(f"INSERT INTO {KEYS} VALUES ({', '.join('?' for _ in KEY)})", keys)

    def insert(self, records: list[dict], merge: Merge, import_id: int, stamp: datetime) -> None:
        # The id and time are the same for every row: written once in the statement, not bound per row.
        processor = schema.observations.c.recorded_at.type.dialect_impl(self.conn.dialect).bind_processor(
            self.conn.dialect)
        moment = str(processor(stamp) if processor else stamp).replace("'", "''")
        # Columns no record of the chunk fills (often bound, text, note, vintage, extra) are left to be NULL:
        # each value bound costs as much as SQLite's own work on the row.
        filled = [c for c in RECORDED if not schema.observations.c[c].nullable
                  or set(map(itemgetter(c), records)) != {None}]
        values = itemgetter(*filled)
        head = (f"INSERT INTO observations ({', '.join(filled)}, import_id, recorded_at, is_current) "
                f"VALUES ({', '.join('?' for _ in filled)}, {int(import_id)}, '{moment}', ")
        if merge.unchanged or merge.not_current:
            self._many(head + "?)", self.rows(records, merge, values, (1,), (0,)))
        else:  # a new key each: the common case, the records' values as they are
            self._many(head + "1)", map(values, records))

    def set_current(self, table: str, ids: list[int], flag: bool) -> None:
        self._many(f"UPDATE {table} SET is_current = {int(flag)} WHERE id = ?", ((i,) for i in ids))

    def _many(self, sql: str, rows: Iterable[tuple]) -> None:
        # The driver is fed directly: SQLAlchemy's per-row parameter processing would dominate.
        cur = self.raw.cursor()
        try:
            cur.executemany(sql, rows)
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


TEXT_COLUMNS = [c for c in FRAME_COLUMNS if c not in ("year", "value")]


def frame(conn: Connection, indicators: Sequence[str] | None = None, *, max_year: int | None = None) -> pd.DataFrame:
    """Current observations as a DataFrame with FRAME_COLUMNS, in one query (the current revision is
    chosen by the database: ``is_current``), read by the backend's columnar path (no Python object per row)."""
    o = schema.observations
    conds: list[ColumnElement[bool]] = [o.c.is_current.is_(True)]
    if max_year is not None:
        conds.append(o.c.year <= int(max_year))
    if indicators is not None:
        conds.append(o.c.indicator.in_(list(indicators)))
    if conn.dialect.name == "postgresql":
        read = _frame_by_copy(conn, select(*(o.c[c] for c in FRAME_COLUMNS)).where(*conds))
    else:
        # A REAL column keeps a text that does not read as a number as text (numeric text becomes a number when
        # written): that is no value (NaN), and Arrow wants one type per column.
        value = case((func.typeof(o.c.value) == "text", None), else_=o.c.value).label("value")
        read = _frame_by_arrow(conn, select(*(value if c == "value" else o.c[c] for c in FRAME_COLUMNS)).where(*conds))
    # Arrow's allocator keeps what the read freed (≈ 140 MB for 1.32 M rows) for its own next use; the rest of the
    # process (an evaluation, a page) allocates elsewhere, so it is handed back now.
    pa.default_memory_pool().release_unused()
    return read


def _frame_by_arrow(conn: Connection, query: Select) -> pd.DataFrame:
    """SQLite: the query read by the ADBC SQLite driver straight into Arrow columns, in C (no Python object per
    row), from a copy of the store made for the read.

    The driver carries its own build of SQLite. Two builds in one process must not open one file: POSIX
    locks belong to the process, so when one build closes the file it drops the locks the other holds (a
    writer's among them), and neither sees the other's locks: the documented way to corrupt a database
    (sqlite.org/howtocorrupt.html, 2.2.1). So the store's own driver copies it with SQLite's backup (one
    step: one committed state, whatever a writer is doing) into a private file, which the driver then reads
    in parts at once (:func:`_read_arrow`), none of them able to see another state."""
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "the SQLite store runs on the standard sqlite3 driver"
    url = str(conn.engine.url)
    try:
        with tempfile.TemporaryDirectory(prefix="planwatch-frame-") as tmp:
            path = str(Path(tmp) / "store.db")
            with closing(sqlite3.connect(path)) as copy:
                raw.backup(copy)
                greatest = int(copy.execute(GREATEST_ID).fetchone()[0])
            return _arrow_frame(_read_arrow(path, query, greatest, conn.dialect, url))
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", None) not in _NO_ROOM:
            raise unreachable(url, exc) from exc  # the store's own side: locked, damaged, gone
        raise _no_room_for_copy(exc) from exc
    except OSError as exc:
        raise _no_room_for_copy(exc) from exc


# What SQLite says when the copy cannot be written: the temporary directory is full, or cannot hold a file.
_NO_ROOM = ("SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_IOERR_WRITE")


def _no_room_for_copy(exc: Exception) -> StoreError:
    return StoreError(f"无法在临时目录 {tempfile.gettempdir()} 中复制数据库以读取观测数据：{exc}。该目录需要与数据库文件"
                      "同样大小的空闲空间；可用环境变量 TMPDIR 指定其他目录")


GREATEST_ID = "SELECT coalesce(max(id), 0) FROM observations"
# From this many stored rows the frame is read in parts, by one connection per CPU (at most READERS) at once:
# SQLite steps a query on one thread, and stepping is most of the read.
PARTS_FROM_ROWS = 200_000
READERS = 4


def _read_arrow(path: str, query: Select, greatest: int, dialect: Dialect, url: str) -> pa.Table:
    """The query's rows from the private copy at ``path`` (rowids up to ``greatest``), as one Arrow table, read in
    parts by rowid range where the store is large (nobody writes the copy, so every part reads the same rows)."""
    try:
        readers = min(os.cpu_count() or 1, READERS) if greatest >= PARTS_FROM_ROWS else 1
        parts = [(_typed_sql(query.where(schema.observations.c.id.between(lo, hi)), dialect), hi - lo + 1)
                 for lo, hi in _id_ranges(max(greatest, 1), readers)]
        with ThreadPoolExecutor(len(parts)) as pool:
            return pa.concat_tables(pool.map(lambda part: _read_part(path, *part), parts))
    except adbc_dbapi.Error as exc:
        raise unreachable(url, exc) from exc


def _id_ranges(greatest: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges of rowids, of about equal length, covering 1 .. greatest."""
    step = -(-greatest // parts)
    return [(lo, min(lo + step - 1, greatest)) for lo in range(1, greatest + 1, step)]


# Texts, a whole number and a real, as a first row: the driver types each column by what it meets first.
_TYPED = {"year": 0, "value": 0.0}


def _typed_sql(query: Select, dialect: Dialect) -> str:
    """The query, its literals inlined, after one row of typed placeholders (cut off again by :func:`_read_part`).

    The ADBC driver takes each column's Arrow type from its first batch and refuses a later value of another
    type (a note column empty for a million rows, then a text); with the placeholder first, every batch
    agrees, however the rows fall into batches."""
    first = select(*(literal(_TYPED.get(c, "")).label(c) for c in FRAME_COLUMNS))
    return str(union_all(first, query).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _read_part(path: str, sql: str, rows: int) -> pa.Table:
    """The rows of one query on a connection of its own, the typed first row cut off.

    ``rows`` (the rowids the query can meet) sizes the batch so that the rows come in one: the driver
    reserves a whole batch up front, so the bound must not be far beyond the store."""
    with adbc_sqlite.connect(path) as db, db.cursor() as cur:
        cur.adbc_statement.set_options(**{adbc_driver_sqlite.StatementOptions.BATCH_ROWS.value: str(rows + 1)})
        cur.execute(sql)
        table = cur.fetch_arrow_table()
    # SQLite runs a UNION ALL's arms in order: the placeholder comes first (year 0 is no observation's year).
    assert table.num_rows and table.column("year")[0].as_py() == 0, "the typed placeholder row comes first"
    return table.slice(1)


def _arrow_frame(table: pa.Table) -> pd.DataFrame:
    """The frame of an Arrow table of FRAME_COLUMNS: years and values as numpy numbers, every text column as a
    pandas categorical (see :func:`_categories`)."""
    data: dict[str, object] = {}
    for name in FRAME_COLUMNS:
        col = table.column(name)
        # Numbers are copied out: a view would keep the driver's whole batch (every column) alive with the frame.
        if name == "year":
            data[name] = col.cast(pa.int64()).to_numpy().copy()
        elif name == "value":
            data[name] = col.cast(pa.float64()).to_numpy().copy()  # null (a text observation) becomes NaN
        else:
            data[name] = _categories(col)
    return pd.DataFrame(data, columns=FRAME_COLUMNS, copy=False)


def _categories(col: pa.ChunkedArray) -> pd.Categorical:
    """A text column as a categorical: a national store repeats a few thousand names over millions of rows, so
    a small integer per cell (not a string per cell) keeps the frame a fifth of the size and lets every later
    grouping skip hashing the texts. The categories are sorted, so sorting by a column sorts by its text; a
    missing cell is NaN, as in pandas' ``str`` columns."""
    encoded = col.dictionary_encode().unify_dictionaries().to_pandas()
    return encoded.array.reorder_categories(encoded.cat.categories.sort_values())


def _frame_by_copy(conn: Connection, query) -> pd.DataFrame:
    """PostgreSQL: COPY the query out as CSV and parse it with Arrow's CSV reader, in C. In PostgreSQL's CSV a
    NULL is an unquoted empty field and an empty text a quoted one, which that reader tells apart."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    buf = io.BytesIO()
    raw = conn.connection.driver_connection
    assert raw is not None, "an open connection has its DBAPI connection"
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            buf.write(chunk)
    buf.seek(0)
    types = {**{c: pa.string() for c in TEXT_COLUMNS}, "year": pa.int64(), "value": pa.float64()}
    if not buf.getbuffer().nbytes:  # no rows: the reader refuses an empty file
        return _arrow_frame(pa.schema([(c, types[c]) for c in FRAME_COLUMNS]).empty_table())
    table = pa_csv.read_csv(buf, read_options=pa_csv.ReadOptions(column_names=FRAME_COLUMNS),
                            convert_options=pa_csv.ConvertOptions(column_types=types, null_values=[""],
                                                                  strings_can_be_null=True,
                                                                  quoted_strings_can_be_null=False))
    del buf
    return _arrow_frame(table)


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
