"""import_file: an observation file into the store, all or nothing."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from planwatch.errors import DataImportError
from planwatch.model import Series
from planwatch.store import CLI_ACTOR, Store, audit
from planwatch.store.regions import region_names
from planwatch.store.series_matches import links as series_links

from .layout import header_problems, is_wide, single_columns, stray_cells
from .limits import DEFAULT_LIMITS, ReadLimits
from .rows import Checked, Context, check_rows
from .subjects import Subjects
from .tables import Problem, Table, read_table

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


# What import_file tells a progress display: the stage ('读取', '检查', '写入'), done and total steps.
Progress = Callable[[str, int, int], None]
# Rows checked between two progress calls.
PROGRESS_ROWS = 5_000


def import_file(store: Store, path: str | Path, *, dry_run: bool = False, declare: list[Series] | None = None,
                region_default: str | None = None, sheet: str | None = None, plan_key: str | None = None,
                encoding: str | None = None, limits: ReadLimits = DEFAULT_LIMITS,
                progress: Progress | None = None, actor: str = CLI_ACTOR) -> ImportReport:
    """Import a CSV/XLSX of observations (long or wide form); DataImportError lists every problem.

    ``encoding`` forces the text encoding of a CSV; ``limits`` bounds what a file may hold;
    ``progress`` is called as the file is read, checked and written (the CLI draws a bar with it);
    ``actor`` is who the audit log names for an import that changed anything.
    """
    path = Path(path)
    tell = progress or _silent
    tell("读取", 0, 1)
    table = read_table(path, sheet=sheet, encoding=encoding, limits=limits)
    tell("读取", 1, 1)
    wide = is_wide(table.header)
    header = [_problem(p) for p in header_problems(table.header)] + ([] if wide else _missing_columns(table.header))
    if header:  # without these columns no row can be read: report the header alone
        raise DataImportError(_summary(header), file=str(path), problems=header)
    if not table.rows and not table.problems:
        raise DataImportError(f"没有可导入的数据：文件只有表头，没有数据行（{_blank_rows(table.skipped)}未写入任何数据）",
                              file=str(path))
    report = ImportReport(file=str(path), layout="wide" if wide else "long", encoding=table.encoding,
                          dry_run=dry_run, rows_read=len(table.rows) + len(table.problems), skipped=table.skipped)
    problems = sorted((_problem(p) for p in table.problems + stray_cells(table, wide)), key=lambda p: p.row or 0)
    plan = store.plan(plan_key)
    try:
        return _import(store, path, plan, table, report, problems, dry_run=dry_run, declare=declare,
                       region_default=region_default, tell=tell, plan_key=plan_key, actor=actor)
    except _DryRun as done:
        return done.report


def _silent(_stage: str, _done: int, _total: int) -> None:
    """No progress display."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, report: ImportReport):
        self.report = report


def _import(store: Store, path: Path, plan, table: Table, report: ImportReport, problems: list[ImportProblem], *,
            dry_run: bool, declare: list[Series] | None, region_default: str | None, tell: Progress,
            plan_key: str | None, actor: str) -> ImportReport:
    with store.begin() as conn:
        declared = _series(store, conn, plan, declare)
        # Several plans: names resolve across them into series (planwatch.store.series_matches).
        subjects = Subjects(plan, declared, links=series_links(conn), chosen=plan_key is not None)
        first_year, last_year = subjects.year_range(_first_year(plan), plan.meta.period_end)
        ctx = Context(plan=plan, subjects=subjects, regions=region_names(conn),
                      region_default=region_default, first_year=first_year, last_year=last_year)
        columns = None if report.layout == "wide" else single_columns(table.header)
        records = _records(check_rows(table, columns, ctx), report, problems, len(table.rows), tell)
        if problems:
            problems.sort(key=lambda p: p.row or 0)
            raise DataImportError(_summary(problems), file=str(path), problems=problems)
        if not records:
            raise DataImportError(f"没有可导入的数据：{report.rows_read} 个数据行都既没有数值也没有备注（未写入任何数据）",
                                  file=str(path))
        report.per_indicator = dict(Counter(r["indicator"] for r in records))
        if declare and not dry_run:
            store._declare(conn, declare)
        tell("写入", 0, 1)
        written = store.write_observations(conn, records, file_name=path.name, sha256=_sha256(path))
        tell("写入", 1, 1)
        report.inserted, report.revised, report.unchanged = (written.count(s) for s in ("inserted", "revised",
                                                                                          "unchanged"))
        if dry_run:
            raise _DryRun(report)
        if report.inserted or report.revised:
            audit.record(conn, actor, "import", path.name, after={
                "rows": report.rows_read, "inserted": report.inserted, "revised": report.revised,
                "unchanged": report.unchanged, "indicators": report.per_indicator})
    return report


def _records(checked: Iterable[Checked], report: ImportReport, problems: list[ImportProblem], rows: int,
             tell: Progress) -> list[dict]:
    """The records of the checked values; their problems, notes and rows without a value go to the report."""
    records = []
    first_seen: dict[tuple, int] = {}
    last_row = values = 0
    for row, value_text, value_column, rec, result in checked:
        values += 1
        if row != last_row and row % PROGRESS_ROWS == 0:
            tell("检查", row, rows)
        last_row = row
        if result is not None:
            problems += [_problem(p) for p in result.problems]
            report.notes += [_problem(p) for p in result.notes]
            if result.no_value and rec is not None:
                report.no_value.append(ImportProblem(row=row, column=value_column, value="",
                                                     message=f"无数值，按备注记为文字：{rec['text']}"))
            if rec is None:
                if not result.problems:
                    report.skipped += 1
                continue
        assert rec is not None, "a row check_row did not look at is a plain record"
        dup = (rec["indicator"], rec["region"], rec["year"], rec["value"], rec["bound"], rec["text"], rec["source"])
        if dup in first_seen:
            problems.append(ImportProblem(row=row, column=None, value=value_text,
                                          message=f"与第 {first_seen[dup]} 行重复（同一指标、地区、年份、数值与来源）"))
            continue
        first_seen[dup] = row
        records.append(rec)
    tell("检查", rows, rows)
    report.values = values
    return records


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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blank_rows(skipped: int) -> str:
    return f"另有 {skipped} 个空行；" if skipped else ""


def _summary(problems: list[ImportProblem]) -> str:
    """The error message: how many problems, the first few whole, and how many more (all are in .problems)."""
    head = "；".join(str(p) for p in problems[:SUMMARY_PROBLEMS])
    rest = len(problems) - SUMMARY_PROBLEMS
    more = f"；另有 {rest} 处问题（见问题列表）" if rest > 0 else ""
    return f"有 {len(problems)} 处问题，未导入任何数据：{head}{more}"  # the error names the file already
