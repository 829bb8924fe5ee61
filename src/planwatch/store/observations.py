"""Observations with revisions: every value ever imported is kept, the latest counts.

A revision key is (indicator, region, year, kind). Among the revisions of a key the current
one has the greatest :func:`planwatch.vintages.revision_order` (vintage rank, dated vintage,
import, row): an explicit ``final`` beats an unspecified vintage, which beats ``preliminary``;
otherwise the later import, then the later row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from planwatch.model import Observation
from planwatch.vintages import revision_order, vintage_rank

from . import schema
from .plans import now

FRAME_COLUMNS = ["indicator", "region", "year", "value", "bound", "text", "kind", "unit", "source", "note", "vintage"]
FINGERPRINT = ("value", "bound", "text", "unit", "source", "note", "vintage")
KEY = ("indicator", "region", "year", "kind")
BATCH = 50_000


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
    """What makes two revisions the same value: equal fingerprints mean 'unchanged'."""
    return tuple(_num(rec[k]) if k == "value" else (rec.get(k) or None) for k in FINGERPRINT)


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


def existing_revisions(conn: Connection, records: Sequence[dict]) -> list[dict]:
    """Stored revisions sharing a key with any of the records."""
    if not records:
        return []
    o = schema.observations
    keys = {tuple(r[k] for k in KEY) for r in records}
    indicators = sorted({k[0] for k in keys})
    cols = [o.c.id, *(o.c[k] for k in KEY), *(o.c[k] for k in FINGERPRINT), o.c.vintage_rank, o.c.import_id,
            o.c.row_no, o.c.is_current]
    out = []
    for start in range(0, len(indicators), 500):
        query = select(*cols).where(o.c.indicator.in_(indicators[start:start + 500]))
        for row in conn.execute(query):
            rec = dict(row._mapping)
            if tuple(rec[k] for k in KEY) in keys:
                out.append(rec)
    return out


def write(conn: Connection, records: list[dict], import_id: int) -> WriteResult:
    """Store the records as new revisions where they differ from what is stored; update 'current'."""
    stamp = now()
    for rec in records:
        rec.update(import_id=import_id, recorded_at=stamp, is_current=False)
    statuses, by_key = classify(records, existing_revisions(conn, records))
    demote: list[int] = []
    promote: list[int] = []
    for revs in by_key.values():
        best = max(revs, key=order_key)
        if "id" not in best:
            best["is_current"] = True
        for r in revs:
            if "id" in r and r["is_current"] != (r is best):
                (promote if r is best else demote).append(r["id"])
    o = schema.observations
    # Demote, then promote, then insert: the unique index on current rows (checked row by row on
    # PostgreSQL) never sees two current revisions of a key, not even within this transaction.
    for ids, flag in ((demote, False), (promote, True)):
        for start in range(0, len(ids), 1000):
            conn.execute(update(o).where(o.c.id.in_(ids[start:start + 1000])).values(is_current=flag))
    insert_records(conn, [rec for rec, status in zip(records, statuses, strict=True) if status != "unchanged"])
    return WriteResult(statuses)


def insert_records(conn: Connection, rows: list[dict]) -> None:
    """Bulk insert: PostgreSQL COPY, SQLite executemany on the driver in large batches."""
    if not rows:
        return
    cols = schema.OBSERVATION_COLUMNS
    raw = conn.connection.driver_connection
    assert raw is not None, "an open connection has its DBAPI connection"
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY observations ({', '.join(cols)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([r[c] for c in cols])
        return
    if conn.dialect.name != "sqlite":  # pragma: no cover - only SQLite and PostgreSQL are supported
        conn.execute(schema.observations.insert(), [{c: r[c] for c in cols} for r in rows])
        return
    # The driver is fed directly (SQLAlchemy's per-row parameter processing dominates otherwise);
    # timestamps use the text format SQLAlchemy's SQLite DateTime reads back.
    sql = f"INSERT INTO observations ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    at = cols.index("recorded_at")
    stamps: dict[int, str] = {}
    cur = raw.cursor()
    try:
        for start in range(0, len(rows), BATCH):
            values = []
            for r in rows[start:start + BATCH]:
                row = [r[c] for c in cols]
                when = row[at]
                text = stamps.get(id(when))
                if text is None:
                    text = stamps[id(when)] = when.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
                row[at] = text
                values.append(row)
            cur.executemany(sql, values)
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


def frame(conn: Connection, indicators: Sequence[str] | None = None, *, max_year: int | None = None) -> pd.DataFrame:
    """Current observations as a DataFrame with FRAME_COLUMNS, in one query."""
    o = schema.observations
    query = select(*(o.c[c] for c in FRAME_COLUMNS)).where(o.c.is_current.is_(True))
    if max_year is not None:
        query = query.where(o.c.year <= int(max_year))
    if indicators is not None:
        query = query.where(o.c.indicator.in_(list(indicators)))
    if conn.dialect.name == "postgresql":
        df = _frame_by_copy(conn, query)
    else:
        result = conn.execute(query)
        rows = result.cursor.fetchall()  # plain driver tuples: no per-row Row objects for millions of rows
        result.close()
        df = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    return df


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
    text_cols = [c for c in FRAME_COLUMNS if c not in ("year", "value")]
    df = pd.read_csv(buf, names=FRAME_COLUMNS, header=None, keep_default_na=False, na_values={"value": [""]},
                     dtype={**{c: "object" for c in text_cols}, "year": "int64", "value": "float64"})
    for col in text_cols:  # NULL arrives as '': give None like the SQLite path
        df[col] = df[col].where(df[col] != "", None)
    return df
