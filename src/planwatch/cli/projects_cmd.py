"""CLI commands of projects: list the plan's projects with their tracking status, import a tracking sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.errors import DataImportError
from planwatch.evaluate.projects import projects_from_store
from planwatch.figures import fmt_number, fmt_share
from planwatch.observe.projects import SHEET_COLUMNS, projects_from_sheet
from planwatch.vocabulary import PROJECT_NOT_IN_PLAN

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True, highlight=False)

projects_app = typer.Typer(name="projects", help="重大项目：列出项目及跟踪状态，导入项目进展表。",
                           invoke_without_command=True)
app.add_typer(projects_app, name="projects")

WHY = {"key": "编号", "number": "专栏序号", "name": "项目名称", "added": "新增（规划未列名）", "known": "规划未列名（已有）"}


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@projects_app.callback()
def projects_cmd(ctx: typer.Context,
                 year: Annotated[int | None, typer.Option("--year", help="评估年度；默认最近填报的年度")] = None,
                 plan: PlanOption = None,
                 as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                 db: DbOption = None) -> None:
    """列出规划项目和表格新增的项目，及其跟踪状态（未启动 / 按计划推进 / 滞后 / 已完成 / 未填报）和原因。"""
    if ctx.invoked_subcommand is not None:
        return
    overview = projects_from_store(_store(db), year, plan_key=plan)
    if as_json:
        typer.echo(json_output.dumps(overview.to_json()))
        return
    if not overview.views:
        console.print("规划中没有识别出重大项目，也没有导入项目进展")
        return
    title = f"重大项目（{overview.year}年，截至{overview.as_of or '—'}）"
    table = Table(title=title, title_justify="left")
    for label in ("编号", "项目", "牵头单位", "地区", "总投资(亿元)", "年度计划", "年度完成", "完成率", "状态", "原因"):
        table.add_column(label, overflow="fold")
    for v in overview.views:
        table.add_row(v.key if v.in_plan else PROJECT_NOT_IN_PLAN, escape(v.name), escape(v.lead_unit or ""),
                      escape(v.region or ""), fmt_number(v.total_investment), fmt_number(v.year_planned),
                      fmt_number(v.year_completed), fmt_share(v.year_share), v.state_label, escape(v.reason_text))
    console.print(table)
    for p in overview.programmes:
        console.print(f"“{p.name}”计划：目标{fmt_number(p.target_count)}个项目、投资{fmt_number(p.target_investment)}亿元；"
                      f"已跟踪{p.tracked}个（规划列名{p.tracked_in_plan}个，规划未列名{p.tracked_not_in_plan}个），"
                      f"累计完成投资{fmt_number(p.cumulative_completed)}亿元（{fmt_share(p.investment_share)}）")


@projects_app.command("import")
def projects_import_cmd(file: Annotated[Path, typer.Argument(help="项目进展表 CSV 或 XLSX（列：" + "、".join(SHEET_COLUMNS) + "）")],
                        as_of: Annotated[str | None, typer.Option("--date", help="填报截至日期 YYYY-MM-DD；默认今天")] = None,
                        dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容，不写入")] = False,
                        sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
                        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                        plan: PlanOption = None,
                        db: DbOption = None) -> None:
    """导入项目进展表：按项目编号或名称对应到规划项目；“规划内”为“否”的行新增为规划未列名项目；有任何问题行则全部不写入。"""
    from planwatch.store import check_date

    when = check_date(as_of) if as_of else date.today().isoformat()
    store = _store(db)
    projects = store.plan(plan).projects
    result = projects_from_sheet(file, projects, as_of=when, sheet=sheet, known_extra=store.extra_projects(plan))
    if result.issues:
        if as_json:
            typer.echo(json_output.dumps({"written": 0, "issues": [
                {"file": i.file, "row": i.row, "column": i.column, "kind": i.kind, "message": i.message,
                 "candidates": i.candidates} for i in result.issues]}))
        else:
            console.print(f"{file.name} 中以下 {len(result.issues)} 处问题须人工处理：")
            for issue in result.issues:
                console.print(f"  {escape(issue.message)}")
        raise DataImportError(f"项目进展表有 {len(result.issues)} 处问题，未写入任何内容", file=str(file))
    written = 0 if dry_run else store.record_project_reports(plan, result.reports, file_name=file.name)
    if as_json:
        typer.echo(json_output.dumps({"written": written, "dry_run": dry_run, "as_of": when, "added": result.added,
                                      "rows": [{"row": r.row, "project": r.project_key, "year": r.year, "in_plan": r.in_plan,
                                                "matched_by": result.matched_by[r.row or 0]} for r in result.reports]}))
        return
    title = (f"试运行：将从 {file.name} 写入项目进展 {len(result.reports)} 行（截至 {when}），未写入" if dry_run
             else f"已从 {file.name} 写入项目进展 {written} 行（截至 {when}）")
    table = Table(title=title, title_justify="left")
    for label in ("行", "项目", "年度", "对应方式", "年度计划投资", "年度完成投资"):
        table.add_column(label, overflow="fold")
    for r in result.reports:
        table.add_row(str(r.row or ""), escape(r.name), str(r.year), WHY[result.matched_by[r.row or 0]],
                      fmt_number(r.planned_investment_yi_yuan), fmt_number(r.completed_investment_yi_yuan))
    console.print(table)
    if result.added:
        console.print(f"新增规划未列名项目 {len(result.added)} 个：{escape('、'.join(result.added))}")
