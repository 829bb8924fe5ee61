"""import_file: an observation file into the store, all or nothing."""

from __future__ import annotations

import functools
import gc
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import cast

from pydantic import BaseModel, Field

from planwatch.errors import DataImportError
from planwatch.model import Series
from planwatch.store import CLI_ACTOR, Store, audit
from planwatch.store.regions import region_names
from planwatch.store.series_matches import links as series_links

from .duplicates import Repeats
from .layout import (
    Cells,
    header_problems,
    is_wide,
    long_cells,
    may_have_stray_cells,
    row_cells,
    single_columns,
    stray_cells,
    wide_cells,
)
from .limits import DEFAULT_LIMITS, ReadLimits
from .rows import Checked, Context, RowResult, check_row, check_rows, plain_records
from .subjects import Subjects
from .tables import Batch, Problem, Table, TableStream, file_chunks, stream_table

# A value longer than this is shown by its start and length (the message itself is never cut).
SHOWN_VALUE_CHARS = 60
# Problems quoted in the error message; all of them are in DataImportError.problems.
SUMMARY_PROBLEMS = 3


class ImportProblem(BaseModel):
    """A problem with one row of an imported file (row 1 is the header)."""

    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        col = f"，列 {self.column}" if self.column else ""
        val = f"，值 “{self.shown_value}”" if self.value not in (None, "") else ""
        return f"{where}{col}{val}：{self.message}"

    @property
    def shown_value(self) -> str:
        """The value as shown in a message: whole, or its start and its length when long."""
        value = self.value or ""
        if len(value) <= SHOWN_VALUE_CHARS:
            return value
        return f"{value[:SHOWN_VALUE_CHARS]}…（共 {len(value)} 个字符）"


class ImportReport(BaseModel):
    """What an import did (or, for a dry run, would do)."""

    file: str
    layout: str = Field("long", description="long / wide")
    encoding: str | None = Field(None, description="The text encoding a CSV was read with (None for XLSX)")
    dry_run: bool = False
    rows_read: int = 0
    values: int = Field(0, description="Values read (a wide row holds several)")
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: int = 0
    per_indicator: dict[str, int] = Field(default_factory=dict)
    no_value: list[ImportProblem] = Field(default_factory=list, description="Rows kept as text: no value, a note")
    notes: list[ImportProblem] = Field(default_factory=list, description="Kinds or units decided on the way")
    problems: list[ImportProblem] = Field(default_factory=list)


def _problem(p: Problem) -> ImportProblem:
    return ImportProblem(row=p.row, column=p.column, value=p.value, message=p.message)


# A file this large is imported with the heap before it left out of the collector's passes (_untraced_heap).
UNTRACED_HEAP_BYTES = 1024 * 1024

# What import_file tells a progress display: the stage ('读取', '检查', '写入'), done and total steps
# ('检查' counts the bytes of a CSV, the rows of an XLSX, as they are read).
Progress = Callable[[str, int, int], None]


def import_file(store: Store, path: str | Path, *, dry_run: bool = False, declare: list[Series] | None = None,
                region_default: str | None = None, sheet: str | None = None, plan_key: str | None = None,
                encoding: str | None = None, limits: ReadLimits = DEFAULT_LIMITS,
                progress: Progress | None = None, actor: str = CLI_ACTOR) -> ImportReport:
    """Import a CSV/XLSX of observations (long or wide form); DataImportError lists every problem.

    A CSV is streamed: its rows are read, checked and handed to the store a batch at a time, in one
    transaction that a problem anywhere rolls back (the whole file is still checked, to list every problem).
    ``encoding`` forces the text encoding of a CSV; ``limits`` bounds what a file may hold;
    ``progress`` is called as the file is read, checked and written (the CLI draws a bar with it);
    ``actor`` is who the audit log names for an import that changed anything.
    """
    path = Path(path)
    tell = progress or _silent
    tell("读取", 0, 1)
    with _untraced_heap(path), stream_table(path, sheet=sheet, encoding=encoding, limits=limits) as table:
        tell("读取", 1, 1)
        wide = is_wide(table.header)
        header = [_problem(p) for p in header_problems(table.header)] + ([] if wide else _missing_columns(table.header))
        if header:  # without these columns no row can be read: report the header alone
            raise DataImportError(_summary(header), file=str(path), problems=header)
        report = ImportReport(file=str(path), layout="wide" if wide else "long", encoding=table.encoding,
                              dry_run=dry_run)
        plan = store.plan(plan_key)
        reread = functools.partial(stream_table, path, sheet=sheet, encoding=encoding, limits=limits)
        try:
            return _import(store, path, plan, table, report, reread, dry_run=dry_run, declare=declare,
                           region_default=region_default, tell=tell, plan_key=plan_key, actor=actor)
        except _DryRun as done:
            return done.report


@contextmanager
def _untraced_heap(path: Path) -> Iterator[None]:
    """For a large file, the objects alive before the import are left out of the garbage collector's
    passes while it runs.

    A file allocates a list per row and a dict per record; every so many allocations the collector makes
    a full pass, and each would trace every module and object the process holds (timed: a third of the
    time spent reading a CSV of 80,000 rows). The import's own objects are still collected. The garbage
    is collected first (one full pass): frozen, it would outlive the import, a dropped connection pool
    with it.
    """
    if not path.is_file() or path.stat().st_size < UNTRACED_HEAP_BYTES:
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _silent(_stage: str, _done: int, _total: int) -> None:
    """No progress display."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, report: ImportReport):
        self.report = report


def _import(store: Store, path: Path, plan, table: TableStream, report: ImportReport,
            reread: Callable[[], TableStream], *, dry_run: bool, declare: list[Series] | None,
            region_default: str | None, tell: Progress, plan_key: str | None, actor: str) -> ImportReport:
    sha256 = _sha256(path)
    with store.begin() as conn:
        declared = _series(store, conn, plan, declare)
        # Several plans: names resolve across them into series (planwatch.store.series_matches).
        subjects = Subjects(plan, declared, links=series_links(conn), chosen=plan_key is not None)
        first_year, last_year = subjects.year_range(_first_year(plan), plan.meta.period_end)
        ctx = Context(plan=plan, subjects=subjects, regions=region_names(conn),
                      region_default=region_default, first_year=first_year, last_year=last_year)
        if declare and not dry_run:
            store._declare(conn, declare)
        reading = _Reading(path, table, report, ctx, tell, reread)
        # The store consumes the records as they are checked; a problem anywhere raises from the
        # generator at the end of the file, inside the transaction, so nothing is written.
        written = store.write_observations(conn, reading.records(), file_name=path.name, sha256=sha256)
        tell("写入", 1, 1)
        report.per_indicator = dict(reading.per_indicator)
        report.inserted, report.revised, report.unchanged = (written.count(s) for s in ("inserted", "revised",
                                                                                          "unchanged"))
        if dry_run:
            raise _DryRun(report)
        if report.inserted or report.revised:
            audit.record(conn, actor, "import", path.name, after={
                "rows": report.rows_read, "inserted": report.inserted, "revised": report.revised,
                "unchanged": report.unchanged, "indicators": report.per_indicator})
    return report


class _Reading:
    """The records of a table, checked batch by batch; problems, notes, counts and repeats gathered on the way."""

    def __init__(self, path: Path, table: TableStream, report: ImportReport, ctx: Context, tell: Progress,
                 reread: Callable[[], TableStream]):
        self.path, self.table, self.report, self.ctx, self.tell, self.reread = path, table, report, ctx, tell, reread
        self.wide = report.layout == "wide"
        self.columns = None if self.wide else single_columns(table.header)
        self.plain = plain_records(self.columns, ctx) if self.columns else None
        self.problems = [_problem(p) for p in table.problems]
        self.per_indicator: Counter[str] = Counter()
        self.repeats = Repeats()
        self.records_read = 0

    def records(self) -> Iterator[dict]:
        """Every record, in file order; DataImportError after the last batch if any row has a problem.
        Once a problem is found no more records are handed on, but every row is still checked."""
        table, report = self.table, self.report
        for batch in table.batches:
            report.rows_read += len(batch.rows) + len(batch.problems)
            report.skipped += batch.skipped
            self.problems += map(_problem, batch.problems)
            if may_have_stray_cells(table.header, batch.rows, self.wide):
                self.problems += map(_problem, stray_cells(Table(table.header, batch.numbered()), self.wide))
            records = self._checked(batch)
            self.repeats.add(records)
            self.per_indicator.update(map(itemgetter("indicator"), records))
            self.records_read += len(records)
            self.tell("检查", table.progress(), table.size)
            if not self.problems:
                yield from records
        self._refuse_repeats()
        if self.problems:
            self.problems.sort(key=lambda p: p.row or 0)
            raise DataImportError(_summary(self.problems), file=str(self.path), problems=self.problems)
        if not report.rows_read:
            raise DataImportError(f"没有可导入的数据：文件只有表头，没有数据行（{_blank_rows(report.skipped)}未写入任何数据）",
                                  file=str(self.path))
        if not self.records_read:
            raise DataImportError(f"没有可导入的数据：{report.rows_read} 个数据行都既没有数值也没有备注（未写入任何数据）",
                                  file=str(self.path))
        self.tell("写入", 0, 1)

    def _checked(self, batch: Batch) -> list[dict]:
        """The batch's records."""
        if self.plain is None:  # wide form, or a field in two columns: value by value
            return self._each(check_rows(Table(self.table.header, batch.numbered()), self.ctx))
        plain = self.plain(batch.numbers, batch.rows)
        self.report.values += len(plain)
        if None not in plain:  # every row plain: the records as they are
            return cast(list[dict], plain)
        records = []
        for n, cells, record in zip(batch.numbers, batch.rows, plain, strict=True):
            if record is None:
                record = self._explained(row_cells(self.table.header, n, cells))
            if record is not None:
                records.append(record)
        return records

    def _each(self, checked: Iterable[Checked]) -> list[dict]:
        records = []
        for n, _value_text, value_column, record, result in checked:
            self.report.values += 1
            if result is not None:
                record = self._said(result, n, value_column)
            if record is not None:
                records.append(record)
        return records

    def _explained(self, cells: Cells) -> dict | None:
        return self._said(check_row(cells, self.ctx), cells.row, cells.column("value"))

    def _said(self, result: RowResult, row: int, value_column: str) -> dict | None:
        """The record of a row check_row looked at; its problems, notes and a missing value go to the report."""
        self.problems += map(_problem, result.problems)
        self.report.notes += map(_problem, result.notes)
        if result.no_value and result.record is not None:
            self.report.no_value.append(ImportProblem(row=row, column=value_column, value="",
                                                      message=f"无数值，按备注记为文字：{result.record['text']}"))
        if result.record is None and not result.problems:
            self.report.skipped += 1
        return result.record

    def _refuse_repeats(self) -> None:
        """A problem for each value that repeats an earlier one; the value as its cell says it (read again:
        the cells of a large file are not kept)."""
        found = self.repeats.found()
        if not found:
            return
        wanted = {row for row, _year, _first in found}
        rows: dict[int, list[Cells]] = {}
        with self.reread() as again:
            for batch in again.batches:
                for n, cells in batch.numbered():
                    if n in wanted:
                        one = Table(self.table.header, [(n, cells)])
                        rows[n] = wide_cells(one) if self.wide else long_cells(one)
        self.problems += [ImportProblem(row=row, column=None, value=_value_text(rows.get(row, []), year, self.wide),
                                        message=f"与第 {first} 行重复（同一指标、地区、年份、数值与来源）")
                          for row, year, first in found]


def _value_text(values: list[Cells], year: int, wide: bool) -> str | None:
    """The value cell of a row's value of the year (a wide row holds one per year column)."""
    found = next((c for c in values if not wide or c.get("year") == str(year)), None)
    return found.get("value") if found else None


def _missing_columns(header: list[str]) -> list[ImportProblem]:
    from .layout import canonical

    fields = {canonical(h) for h in header}
    return [ImportProblem(row=1, column=name, value=None, message=f"缺少必需的列 {name}（或其别名，如 {alias}）")
            for name, alias in (("indicator", "indicator_no/指标"), ("year", "年份"), ("value", "数值"))
            if name not in fields]


def _series(store: Store, conn, plan, declare: list[Series] | None) -> list[Series]:
    from sqlalchemy import select

    from planwatch.model import ObservationKind
    from planwatch.store import schema

    stored = [Series(code=r.code, name=r.name, unit=r.unit, kind=ObservationKind(r.kind))
              for r in conn.execute(select(schema.series))]
    merged = {s.code: s for s in [*stored, *plan.series, *(declare or [])]}
    return list(merged.values())


def _first_year(plan) -> int | None:
    meta = plan.meta
    if meta.base_year:
        return meta.base_year
    return meta.period_start - 1 if meta.period_start else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for chunk in file_chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _blank_rows(skipped: int) -> str:
    return f"另有 {skipped} 个空行；" if skipped else ""


def _summary(problems: list[ImportProblem]) -> str:
    """The error message: how many problems, the first few whole, and how many more (all are in .problems)."""
    head = "；".join(str(p) for p in problems[:SUMMARY_PROBLEMS])
    rest = len(problems) - SUMMARY_PROBLEMS
    more = f"；另有 {rest} 处问题（见问题列表）" if rest > 0 else ""
    return f"有 {len(problems)} 处问题，未导入任何数据：{head}{more}"  # the error names the file already
