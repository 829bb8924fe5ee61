"""CLI commands of accounts and responsibility: user add / list / disable / passwd, and assign."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planwatch.errors import InputError
from planwatch.observe.assignments import assignments_from_sheet
from planwatch.store import ROLES_HELP
from planwatch.vocabulary import fmt_moment

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True)

user_app = typer.Typer(name="user", help="账号管理：添加、列出、停用账号，修改密码。", no_args_is_help=True)
app.add_typer(user_app, name="user")

PasswordStdinOption = Annotated[bool, typer.Option(
    "--password-stdin", help="从标准输入读取密码（一行），供脚本使用；省略则在终端提示输入")]


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


def _password(from_stdin: bool) -> str:
    """The password from one line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InputError("--password-stdin：标准输入中没有密码")
        return password
    return str(typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码"))


@user_app.command("add")
def user_add_cmd(name: Annotated[str, typer.Argument(help="用户名（登录名）")],
                 role: Annotated[str, typer.Option("--role", help=f"角色：{ROLES_HELP}")],
                 unit: Annotated[str | None, typer.Option("--unit", help="责任单位（reporter 必填）")] = None,
                 region: Annotated[str | None, typer.Option("--region", help="地区（可选，须为已导入的地区）")] = None,
                 password_stdin: PasswordStdinOption = False,
                 db: DbOption = None) -> None:
    """添加账号；密码以 argon2 散列保存。"""
    from planwatch.store import check_account

    check_account(name, role, unit)  # a wrong role or a missing unit is said before the password is asked for
    store = _store(db)
    user = store.add_user(name, role=role, password=_password(password_stdin), unit=unit, region=region)
    where = "".join(f"，{label} {value}" for label, value in (("责任单位", user.unit), ("地区", user.region)) if value)
    console.print(f"已添加账号 {user.name}（{user.role}：{user.role_label}{where}）", highlight=False)


@user_app.command("list")
def user_list_cmd(as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                  db: DbOption = None) -> None:
    """列出账号（不显示密码散列）。"""
    users = _store(db).users()
    if as_json:
        typer.echo(json_output.dumps([u.model_dump(mode="json") for u in users]))
        return
    if not users:
        console.print("尚无账号：用 planwatch user add 名称 --role admin 添加第一个管理员")
        return
    table = Table(title="账号", title_justify="left")
    for label in ("用户名", "角色", "责任单位", "地区", "状态", "创建时间"):
        table.add_column(label, overflow="fold")
    for u in users:
        table.add_row(u.name, f"{u.role}（{u.role_label}）", u.unit or "", u.region or "",
                      "已停用" if u.disabled else "可用", fmt_moment(u.created_at))
    console.print(table)


@user_app.command("disable")
def user_disable_cmd(name: Annotated[str, typer.Argument(help="用户名")], db: DbOption = None) -> None:
    """停用账号（保留记录，不能再登录）。"""
    user = _store(db).disable_user(name)
    console.print(f"已停用账号 {user.name}", highlight=False)


@user_app.command("passwd")
def user_passwd_cmd(name: Annotated[str, typer.Argument(help="用户名")],
                    password_stdin: PasswordStdinOption = False,
                    db: DbOption = None) -> None:
    """修改账号密码。"""
    store = _store(db)
    store.user(name)  # an unknown name is said before the password is asked for
    store.set_password(name, _password(password_stdin))
    console.print(f"已修改 {name} 的密码", highlight=False)


# ---------------------------------------------------------------- responsibility



@app.command("assign")
def assign_cmd(indicator: Annotated[str | None, typer.Argument(help="指标编号、序号或名称；与 --file 二选一；都省略则列出现有分工")] = None,
               unit: Annotated[str | None, typer.Option("--unit", help="牵头单位")] = None,
               co: Annotated[list[str] | None, typer.Option("--co", help="配合单位（可重复，或用 、 分隔）")] = None,
               file: Annotated[Path | None, typer.Option("--file", help="分工表 CSV 或 XLSX（列：指标、牵头单位、配合单位）")] = None,
               sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
               plan: PlanOption = None,
               db: DbOption = None) -> None:
    """指标责任分工：为指标指定牵头单位与配合单位，或从分工表整批导入（全部写入或全部不写）。"""
    from planwatch.store import Assignment

    store = _store(db)
    if file is not None:
        if indicator is not None or unit is not None or co:
            raise InputError("--file 与 指标/--unit/--co 不能同时使用")
        done = store.assign_many(assignments_from_sheet(file, sheet), plan_key=plan)
        _print_responsibilities(done, title=f"已从 {file.name} 写入分工 {len(done)} 项")
        return
    if indicator is None:
        if unit is not None or co:
            raise InputError("请指定指标：planwatch assign 指标 --unit 牵头单位 [--co 配合单位]")
        items = store.responsibilities(plan)
        if not items:
            console.print("尚无指标责任分工：用 planwatch assign 指标 --unit 单位 或 planwatch assign --file 分工表 写入")
            return
        _print_responsibilities(items, title="指标责任分工")
        return
    if not unit:
        raise InputError("请用 --unit 指定牵头单位")
    done = store.assign_many([Assignment(indicator=indicator, lead_unit=unit, co_units=co or [])], plan_key=plan)
    _print_responsibilities(done, title="已写入分工")


def _print_responsibilities(items, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for label in ("编号", "序号", "指标", "牵头单位", "配合单位"):
        table.add_column(label, overflow="fold")
    for r in items:
        table.add_row(r.indicator, r.no or "", r.name, r.lead_unit, "、".join(r.co_units))
    console.print(table)
