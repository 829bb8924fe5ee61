"""CLI commands of the store and observe stages: init, load, regions, import, export, adjust, history."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from planwatch.errors import DataImportError, InputError, StoreError
from planwatch.figures import fmt_number, fmt_value
from planwatch.inert_cells import csv_text
from planwatch.vintages import vintage_label
from planwatch.vocabulary import OBSERVATION_KIND_LABELS

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True)


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@app.command("init")
def init_cmd(db: DbOption = None) -> None:
    """创建或升级数据库结构（可重复运行）。"""
    from planwatch.store import display_url

    store = _store(db)
    store.init()
    console.print(f"数据库已就绪：{display_url(store.url)}")


@app.command("load")
def load_cmd(plan_yaml: Annotated[Path, typer.Argument(help="审核后的规划文件 plan.yaml")],
             note: Annotated[str | None, typer.Option("--note", help="本版本说明")] = None,
             db: DbOption = None) -> None:
    """把审核后的规划载入数据库；目标有变动时记录为规划动态调整。"""
    from planwatch.planfile import read_plan_yaml

    plan = read_plan_yaml(plan_yaml)
    info = _store(db).load_plan(plan, source=str(plan_yaml), note=note)
    if not info.created:
        console.print(f"规划未变动：{info.title}（仍为第 {info.version} 版）")
        return
    console.print(f"已载入：{info.title}，第 {info.version} 版（键 {info.key}）")
    if info.adjustments:
        _print_adjustments(info.adjustments, title=f"本次记录目标调整 {len(info.adjustments)} 项")


@app.command("plans")
def plans_cmd(as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
              db: DbOption = None) -> None:
    """列出数据库中的规划（键、标题、地区、层级、规划期、版本数）。"""
    rows = plan_rows(_store(db))
    if as_json:
        typer.echo(json_output.dumps(rows))
        return
    table = Table(title="已载入的规划", title_justify="left")
    for label in ("键", "标题", "地区", "层级", "规划期", "版本"):
        table.add_column(label, overflow="fold")
    for r in rows:
        period = f"{r['period_start'] or '?'}—{r['period_end'] or '?'}"
        table.add_row(r["key"], r["title"], r["region"] or "", r["level"] or "", period, str(r["versions"]))
    console.print(table)


def plan_rows(store) -> list[dict]:
    """Each stored plan as the `plans` command lists it (its latest version's metadata)."""
    from planwatch.evaluate.families import families
    from planwatch.evaluate.scope import stored_plans
    from planwatch.presentation.families import plan_family_keys

    found = families(store.series_links().plans)
    return [{k: v for k, v in asdict(p).items() if k != "loaded_at"} | plan_family_keys(found, p.key)
            for p in stored_plans(store)]


@app.command("regions")
def regions_cmd(file: Annotated[Path | None, typer.Argument(help="地区 CSV（name,parent,level）；省略则显示地区树")] = None,
                db: DbOption = None) -> None:
    """导入地区层级，或显示已有地区树。"""
    store = _store(db)
    if file is not None:
        added = store.add_regions(_region_rows(file))
        console.print(f"已导入地区 {len(added)} 个")
    _print_tree(store.region_tree())


def _region_rows(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取地区文件：{exc}", file=str(path)) from exc
    if not rows or not ({"name", "名称", "地区"} & set(rows[0])):
        raise InputError("地区文件应有表头 name,parent,level（或 名称,上级,级别）", file=str(path), line=1)
    return rows


def _print_tree(nodes, depth: int = 0) -> None:
    if depth == 0 and not nodes:
        console.print("尚无地区")
    for node in nodes:
        level = f"（{node.level}）" if node.level else ""
        console.print(f"{'  ' * depth}{'└ ' if depth else ''}{node.name}{level}", highlight=False)
        _print_tree(node.children, depth + 1)


def parse_declare(spec: str):
    """A Series from CODE:名称:单位[:kind]."""
    from planwatch.model import ObservationKind, Series

    parts = [p.strip() for p in spec.replace("：", ":").split(":")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise InputError(f"--declare {spec} 格式错误：应为 代码:名称:单位[:类型]，如 GDPg:GDP实际增长率:%:annual_growth")
    unit = parts[2] if len(parts) > 2 and parts[2] else None
    kind = parts[3] if len(parts) > 3 and parts[3] else "level"
    if kind not in ObservationKind.__members__:
        raise InputError(f"--declare {spec}：类型应为 level / annual_growth / cumulative / text")
    return Series(code=parts[0], name=parts[1], unit=unit, kind=ObservationKind(kind))


@app.command("import")
def import_cmd(file: Annotated[Path, typer.Argument(help="观测数据 CSV 或 XLSX（长表或宽表）")],
               dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
               declare: Annotated[list[str] | None, typer.Option("--declare", help="声明规划外数据系列 代码:名称:单位[:类型]")] = None,
               sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
               region: Annotated[str | None, typer.Option("--region", help="地区列为空时使用的地区")] = None,
               encoding: Annotated[str | None, typer.Option(
                   "--encoding", help="CSV 文件的编码（如 utf-8、gb18030、utf-16）；默认按 BOM 与内容判断，无法确定时报错")] = None,
               problems: Annotated[Path | None, typer.Option(
                   "--problems", help="把全部问题写入此 CSV 文件（行,列,值,问题）")] = None,
               plan: PlanOption = None,
               db: DbOption = None) -> None:
    """导入实际数据；有任何问题时列出全部问题且不写入。"""
    from planwatch.observe import import_file

    series = [parse_declare(d) for d in declare or []]
    try:
        with ImportProgress() as progress:
            report = import_file(_store(db), file, dry_run=dry_run, declare=series or None, region_default=region,
                                 sheet=sheet, plan_key=plan, encoding=encoding, progress=progress)
    except DataImportError as exc:
        _print_problems(exc, problems)
        if problems is not None:
            _write_problems(problems, exc)
        raise
    if problems is not None:
        _write_problems(problems, None)
    print_import_report(report)


class ImportProgress:
    """A progress bar (on stderr) for an import that has run a while: a small file finishes before it shows.

    The file is checked as it is read, and the bar follows the reading (the share of a CSV's bytes or of
    an XLSX's rows), with the time left; at the end the store finishes the write (no share to show).
    """

    SHOW_AFTER_SECONDS = 2.0

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> ImportProgress:
        return self

    def __exit__(self, *_exc) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < self.SHOW_AFTER_SECONDS:
                return
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                TimeRemainingColumn(elapsed_when_finished=True), console=Console(stderr=True),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task(stage, total=total)
        assert self.task is not None, "the task is added with the bar"
        label = STAGE_LABELS.get(stage, stage)
        if stage == "写入" and done < total:  # the write after the last batch has no steps: the bar pulses
            self.bar.remove_task(self.task)
            self.task = self.bar.add_task(label, total=None)
            return
        self.bar.update(self.task, description=label, completed=done, total=total)


STAGE_LABELS = {"读取": "判断文件编码", "检查": "读取并检查数据行", "写入": "写入数据库"}


# Problems listed on the terminal; the rest are counted, and --problems FILE writes them all.
PROBLEMS_SHOWN = 50


def _print_problems(exc: DataImportError, problems_file: Path | None) -> None:
    """Every problem on a line of its own, whole (first PROBLEMS_SHOWN of them), on stderr."""
    if not exc.problems:
        return
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    err.print(f"发现 {len(exc.problems)} 处问题（未写入任何数据）：", markup=False)
    for p in exc.problems[:PROBLEMS_SHOWN]:
        err.print(f"  {p}", markup=False)
    rest = len(exc.problems) - PROBLEMS_SHOWN
    if rest > 0:
        hint = f"全部问题已写入 {problems_file}" if problems_file else "用 --problems 文件.csv 可写出全部问题"
        err.print(f"  ……另有 {rest} 处问题未显示（{hint}）", markup=False)


def _write_problems(path: Path, exc: DataImportError | None) -> None:
    """The full problem list as CSV (行,列,值,问题); a file-level error is one row; no problems, the header alone."""
    rows: list[list[str]] = []
    if exc is not None:
        rows = [[str(p.row or ""), p.column or "", p.value or "", p.message] for p in exc.problems]
        rows = rows or [["", "", "", str(exc)]]
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["行", "列", "值", "问题"])
            # The problem list quotes the user's cells: written inert, as every spreadsheet planwatch writes.
            writer.writerows([[csv_text(cell) for cell in row] for row in rows])
    except OSError as exc_io:
        raise InputError(f"无法写入问题列表：{exc_io.strerror or exc_io}", file=str(path)) from exc_io


def print_import_report(report, console: Console = console) -> None:
    """Rich summary of an ImportReport."""
    head = "检查通过（未写入）" if report.dry_run else "导入完成"
    layout = "宽表" if report.layout == "wide" else "长表"
    encoding = f"，编码 {report.encoding}" if report.encoding else ""
    console.print(f"[bold]{head}[/]：{escape(report.file)}（{layout}{encoding}）")
    table = Table(show_header=False)
    for label, value in (("读取行数", report.rows_read), ("数值个数", report.values), ("新增", report.inserted),
                         ("修订（保留旧值）", report.revised), ("未变", report.unchanged), ("跳过空行", report.skipped)):
        table.add_row(label, str(value))
    console.print(table)
    if report.per_indicator:
        console.print("按指标：" + "，".join(f"{k} {v}" for k, v in report.per_indicator.items()), highlight=False)
    for item in report.no_value:
        console.print(f"[yellow]无数值[/] 第 {item.row} 行：{escape(item.message)}", highlight=False)
    for item in report.notes:
        console.print(f"[cyan]说明[/] 第 {item.row} 行：{escape(item.message)}", highlight=False)


@app.command("export")
def export_cmd(file: Annotated[Path, typer.Argument(help="输出 CSV 或 XLSX")],
               revisions: Annotated[bool, typer.Option("--revisions", help="包含历次修订值")] = False,
               db: DbOption = None) -> None:
    """导出观测数据（长表，含来源，可再导入）。"""
    from planwatch.observe import export_observations

    n = export_observations(_store(db), file, include_revisions=revisions)
    console.print(f"已导出 {n} 行到 {file}")


@app.command("adjust")
def adjust_cmd(indicator: Annotated[str, typer.Argument(help="指标序号、编号或名称")],
               value: Annotated[float, typer.Option("--value", help="调整后的目标值")],
               reason: Annotated[str, typer.Option("--reason", help="调整原因")],
               document: Annotated[str | None, typer.Option("--document", help="批准文件")] = None,
               date: Annotated[str | None, typer.Option("--date", help="调整日期 YYYY-MM-DD")] = None,
               db: DbOption = None) -> None:
    """记录规划目标的动态调整（生成新的规划版本）。"""
    adj = _store(db).add_adjustment(indicator, new_value=value, reason=reason, document=document, date=date)
    _print_adjustments([adj], title="已记录目标调整")


def _print_adjustments(adjustments, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for col in ("指标", "原目标", "新目标", "日期", "原因", "批准文件", "版本"):
        table.add_column(col)
    for a in adjustments:
        table.add_row(f"{a.no or a.indicator} {a.indicator_name}", a.old_text or fmt_number(a.old_value),
                      fmt_number(a.new_value), a.date, a.reason, a.document, str(a.version or ""))
    console.print(table)


@app.command("history")
def history_cmd(indicator: Annotated[str, typer.Argument(help="指标序号、编号、名称或系列代码")],
                region: Annotated[str, typer.Option("--region", help="地区")],
                year: Annotated[int, typer.Option("--year", help="年份")],
                db: DbOption = None) -> None:
    """显示某指标、地区、年份的全部历次数值（修订记录）。"""
    store = _store(db)
    key = _indicator_id(store, indicator)
    revisions = store.revisions(key, region, year)
    if not revisions:
        raise StoreError(f"没有 {indicator} / {region} / {year} 年的数据")
    table = Table(title=f"{indicator} · {region} · {year}年 历次数值", title_justify="left")
    for col in ("当前", "数值", "类型", "单位", "版本", "来源", "导入文件", "行", "记录时间"):
        table.add_column(col)
    for r in revisions:
        shown = r.text if r.value is None else fmt_value(r.value, r.bound, r.unit)
        table.add_row("✓" if r.is_current else "", shown or "", OBSERVATION_KIND_LABELS[r.kind],
                      r.unit or "", vintage_label(r.vintage), r.source or "",
                      r.import_file or "", str(r.row or ""), f"{r.recorded_at:%Y-%m-%d %H:%M}")
    console.print(table)


def _indicator_id(store, key: str) -> str:
    try:
        plan = store.plan()
    except StoreError:
        return key
    ind = plan.indicator(key)
    return ind.id if ind else key
