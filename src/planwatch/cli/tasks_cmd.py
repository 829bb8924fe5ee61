"""CLI commands of tasks: list a plan's tasks with their latest progress, assign them, import a supervision table."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.errors import DataImportError, InputError
from planwatch.evaluate.tasks import tasks_from_store
from planwatch.model import TaskAssignment
from planwatch.observe.task_progress import progress_from_sheet
from planwatch.vocabulary import TASK_PROSE_GROUP, task_state_label

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True, highlight=False)

tasks_app = typer.Typer(name="tasks", help="任务进展：列出规划任务及最新进展，任务分工，导入督查台账。",
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
    """列出规划任务（按专栏分组）及每项任务的最新进展状态、分工和计划完成时间；无进展记录的为“未填报”，
    超过计划完成时间仍未完成的为“滞后”。"""
    if ctx.invoked_subcommand is not None:
        return
    views = tasks_from_store(_store(db), plan_key=plan).views
    if as_json:
        rows = [{"id": v.task.id, "box": v.task.box, "no": v.task.no, "text": v.task.text, "line": v.task.line,
                 "state": str(v.state) if v.state else None, "state_label": v.state_label,
                 "progress": v.progress if v.as_of else None, "lead_unit": v.lead_unit, "co_units": list(v.co_units),
                 "planned_completion": v.planned_completion, "as_of": v.as_of, "late": v.late,
                 "reasons": list(v.reasons)} for v in views]
        typer.echo(json_output.dumps(rows))
        return
    if not views:
        console.print("规划中没有已确认的任务")
        return
    groups: dict[str, list] = {}
    for v in views:
        groups.setdefault(v.task.box or TASK_PROSE_GROUP, []).append(v)
    for group, items in groups.items():
        table = Table(title=group, title_justify="left")
        for label in ("编号", "序号", "任务", "进展状态", "截至", "牵头单位", "配合单位", "计划完成", "进展情况"):
            table.add_column(label, overflow="fold")
        for v in items:
            state = v.state_label + (f"（{'；'.join(v.reasons)}）" if v.overdue_days is not None else "")
            table.add_row(v.task.id, v.task.no or "", escape(v.task.text), escape(state), v.as_of or "",
                          escape(v.lead_unit or ""), escape("、".join(v.co_units)), v.planned_completion or "",
                          escape(v.progress))
        console.print(table)


@tasks_app.command("assign")
def tasks_assign_cmd(task_id: Annotated[str, typer.Argument(help="任务编号，如 box5.1（见 planwatch tasks）")],
                     lead: Annotated[str | None, typer.Option("--lead", help="牵头单位")] = None,
                     co: Annotated[list[str] | None, typer.Option("--with", help="配合单位（可重复，或用 、 分隔）")] = None,
                     due: Annotated[str | None, typer.Option("--due", help="计划完成时间 YYYY-MM-DD")] = None,
                     plan: PlanOption = None,
                     db: DbOption = None) -> None:
    """任务分工：为任务指定牵头单位、配合单位和计划完成时间（替换原有分工，原分工保留在操作记录中）。"""
    if not lead:
        raise InputError("请用 --lead 指定牵头单位：planwatch tasks assign 任务编号 --lead 牵头单位 [--with 配合单位] [--due YYYY-MM-DD]")
    (done,) = _store(db).assign_tasks([TaskAssignment(task_id=task_id, lead_unit=lead, co_units=co or [],
                                                      planned_completion=due)], plan_key=plan)
    table = Table(title="已写入任务分工", title_justify="left")
    for label in ("编号", "牵头单位", "配合单位", "计划完成"):
        table.add_column(label, overflow="fold")
    table.add_row(done.task_id, escape(done.lead_unit), escape("、".join(done.co_units)), done.planned_completion or "")
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
        store.record_task_progress(plan, result.updates, file_name=file.name, assignments=result.assignments)
    assigned = {a.task_id: a for a in result.assignments}
    table = Table(title=title, title_justify="left")
    for label in ("行", "编号", "任务", "对应方式", "进展状态", "牵头单位", "配合单位", "计划完成"):
        table.add_column(label, overflow="fold")
    for u in result.updates:
        row = u.row or 0
        a = assigned.get(u.task_id)
        table.add_row(str(row), u.task_id, escape(texts.get(u.task_id, "")), WHY[result.matched_by[row]],
                      task_state_label(u.state), escape(u.lead_unit or ""), escape("、".join(a.co_units) if a else ""),
                      (a.planned_completion or "") if a else "")
    console.print(table)
