"""CLI commands of tasks: list a plan's tasks with their latest progress, import a supervision table."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.errors import DataImportError
from planwatch.observe.task_progress import progress_from_sheet
from planwatch.vocabulary import TASK_PROSE_GROUP, task_state_label

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True, highlight=False)

tasks_app = typer.Typer(name="tasks", help="任务进展：列出规划任务及最新进展，导入督查台账。",
                        invoke_without_command=True)
app.add_typer(tasks_app, name="tasks")

WHY = {"id": "编号", "number": "专栏序号", "text": "任务内容"}


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@tasks_app.callback()
def tasks_cmd(ctx: typer.Context,
              plan: PlanOption = None,
              as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
              db: DbOption = None) -> None:
    """列出规划任务（按专栏分组）及每项任务的最新进展状态；无进展记录的为“未填报”。"""
    if ctx.invoked_subcommand is not None:
        return
    store = _store(db)
    tasks = [t for t in store.plan(plan).tasks if t.confirmed]
    latest = store.task_progress(plan).latest
    if as_json:
        rows = []
        for t in tasks:
            r = latest.get(t.id)
            rows.append({"id": t.id, "box": t.box, "no": t.no, "text": t.text, "line": t.line,
                         "state": str(r.state) if r else None, "state_label": task_state_label(r.state if r else None),
                         "progress": r.progress if r else None, "lead_unit": r.lead_unit if r else None,
                         "as_of": r.as_of if r else None})
        typer.echo(json_output.dumps(rows))
        return
    if not tasks:
        console.print("规划中没有已确认的任务")
        return
    groups: dict[str, list] = {}
    for t in tasks:
        groups.setdefault(t.box or TASK_PROSE_GROUP, []).append(t)
    for group, items in groups.items():
        table = Table(title=group, title_justify="left")
        for label in ("编号", "序号", "任务", "进展状态", "截至", "牵头单位", "进展情况"):
            table.add_column(label, overflow="fold")
        for t in items:
            r = latest.get(t.id)
            table.add_row(t.id, t.no or "", escape(t.text), task_state_label(r.state if r else None),
                          r.as_of if r else "", escape(r.lead_unit or "") if r else "", escape(r.progress) if r else "")
        console.print(table)


@tasks_app.command("import")
def tasks_import_cmd(file: Annotated[Path, typer.Argument(help="督查台账 CSV 或 XLSX（列：序号、主要工作任务、进展情况、牵头单位、进展状态）")],
                     as_of: Annotated[str | None, typer.Option("--date", help="进展截至日期 YYYY-MM-DD；默认今天")] = None,
                     dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容，不写入")] = False,
                     sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
                     plan: PlanOption = None,
                     db: DbOption = None) -> None:
    """从督查台账导入任务进展：按序号或任务内容对应到任务；有任何问题行则全部不写入。"""
    from planwatch.store import check_date

    when = check_date(as_of) if as_of else date.today().isoformat()
    store = _store(db)
    tasks = store.plan(plan).tasks
    result = progress_from_sheet(file, tasks, as_of=when, sheet=sheet)
    if result.issues:
        console.print(f"{file.name} 中以下 {len(result.issues)} 处问题须人工处理：")
        for issue in result.issues:
            console.print(f"  {escape(issue.message)}")
        raise DataImportError(f"进展表有 {len(result.issues)} 处问题，未写入任何进展", file=str(file))
    texts = {t.id: t.text for t in tasks}
    title = (f"试运行：将从 {file.name} 写入任务进展 {len(result.updates)} 项（截至 {when}），未写入" if dry_run
             else f"已从 {file.name} 写入任务进展 {len(result.updates)} 项（截至 {when}）")
    if not dry_run:
        store.record_task_progress(plan, result.updates, file_name=file.name)
    table = Table(title=title, title_justify="left")
    for label in ("行", "编号", "任务", "对应方式", "进展状态", "牵头单位"):
        table.add_column(label, overflow="fold")
    for u in result.updates:
        row = u.row or 0
        table.add_row(str(row), u.task_id, escape(texts.get(u.task_id, "")), WHY[result.matched_by[row]],
                      task_state_label(u.state), escape(u.lead_unit or ""))
    console.print(table)
