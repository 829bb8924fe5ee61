"""CLI commands of the web workspace: its settings, data rounds and the audit log."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from planwatch.errors import InputError
from planwatch.store import WorkspaceSettings
from planwatch.vocabulary import ROUND_STATE_LABELS, fmt_moment

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True)


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@app.command("settings")
def settings_cmd(changes: Annotated[list[str] | None, typer.Argument(
                     help="要修改的设置，写作 名称=值（如 public=true change_share=0.25）；省略则列出全部设置")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                 db: DbOption = None) -> None:
    """列出或修改网页工作台的设置（公开模式、填报核验比例、登录限制、会话时长）。"""
    store = _store(db)
    values: dict[str, str] = {}
    for change in changes or []:
        name, sep, value = change.partition("=")
        if not sep or not name.strip():
            raise InputError(f"设置 {change!r} 应写作 名称=值，如 public=true")
        values[name.strip()] = value.strip()
    current = store.change_settings(values) if values else store.workspace_settings()
    if as_json:
        typer.echo(json_output.dumps(current.model_dump(mode="json")))
        return
    table = Table("设置", "值", "说明")
    for name, field in WorkspaceSettings.model_fields.items():
        table.add_row(name, str(getattr(current, name)).lower(), field.description or "")
    console.print(table)


rounds_app = typer.Typer(name="rounds", help="数据填报轮次：列出、开启、结束。", invoke_without_command=True)
app.add_typer(rounds_app, name="rounds")


@rounds_app.callback()
def rounds_list_cmd(ctx: typer.Context, plan: PlanOption = None,
                    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                    db: DbOption = None) -> None:
    """列出填报轮次（最新的在前）。"""
    if ctx.invoked_subcommand is not None:
        return
    rounds = _store(db).rounds(plan)
    if as_json:
        typer.echo(json_output.dumps([r.model_dump(mode="json") for r in rounds]))
        return
    table = Table("编号", "名称", "年份", "截止日期", "地区", "状态", "开启")
    for r in rounds:
        table.add_row(str(r.id), r.title, str(r.year), r.due or "—", "、".join(r.regions),
                      ROUND_STATE_LABELS[r.state] + ("（已逾期）" if r.overdue() else ""),
                      f"{r.opened_by} {fmt_moment(r.opened_at)}")
    console.print(table)


@rounds_app.command("open")
def rounds_open_cmd(year: Annotated[int, typer.Argument(help="数据年份，如 2025")],
                    title: Annotated[str | None, typer.Option("--title", help="名称（默认“YYYY年度监测数据填报”）")] = None,
                    due: Annotated[str | None, typer.Option("--due", help="截止日期 YYYY-MM-DD")] = None,
                    region: Annotated[list[str] | None, typer.Option(
                        "--region", help="填报地区（可重复；默认为规划所属地区）")] = None,
                    plan: PlanOption = None, db: DbOption = None) -> None:
    """开启一个数据填报轮次。"""
    r = _store(db).open_round(plan, year=year, title=title, due=due, regions=region)
    console.print(f"已开启填报轮次 {r.id}：{r.title}（{'、'.join(r.regions)}，截止 {r.due or '未定'}）", highlight=False)


@rounds_app.command("close")
def rounds_close_cmd(round_id: Annotated[int, typer.Argument(help="轮次编号（见 planwatch rounds）")],
                     db: DbOption = None) -> None:
    """结束填报轮次：不再接收数据（已报送的数据仍可审核）。"""
    r = _store(db).close_round(round_id)
    console.print(f"已结束填报轮次 {r.id}：{r.title}", highlight=False)


@app.command("audit")
def audit_cmd(limit: Annotated[int, typer.Option("--limit", min=1, help="最多列出的条数")] = 50,
              actor: Annotated[str | None, typer.Option("--actor", help="只列出该账号的操作")] = None,
              action: Annotated[str | None, typer.Option("--action", help="只列出该类操作（如 submission.approve）")] = None,
              as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
              db: DbOption = None) -> None:
    """列出操作记录（最新的在前）：谁、何时、做了什么、改前改后。"""
    entries = _store(db).audit_entries(actor=actor, action=action, limit=limit)
    if as_json:
        typer.echo(json_output.dumps([e.model_dump(mode="json") for e in entries]))
        return
    table = Table("时间", "操作人", "操作", "对象", "改前", "改后")
    for e in entries:
        table.add_row(fmt_moment(e.at, seconds=True), e.actor, e.action, e.subject,
                      _compact(e.before), _compact(e.after))
    console.print(table)


def _compact(value: Any) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
