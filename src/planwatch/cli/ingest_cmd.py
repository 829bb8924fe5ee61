"""CLI commands of the ingest stage: ``planwatch ingest`` and ``planwatch check``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planwatch.errors import PlanwatchError
from planwatch.model import Plan

from . import json_output
from .app import app

YAML_SUFFIXES = {".yaml", ".yml"}


def plan_summary(plan: Plan, console: Console) -> None:
    """Print what was read: metadata, counts per table, targets, projects, flags, warnings."""
    meta = plan.meta
    period = f"{meta.period_start}–{meta.period_end}年" if meta.period_start else "未识别"
    console.print(f"[bold]{meta.title or '（未识别标题）'}[/]")
    console.print(f"地区：{meta.region or '未识别'}　规划期：{period}　基期：{meta.base_year or '—'}"
                  f"　远景：{meta.vision_year or '—'}　编码：{meta.encoding or '—'}")
    table = Table(title="读取结果", title_justify="left")
    table.add_column("内容")
    table.add_column("数量", justify="right")
    for label, count in Counter(i.table for i in plan.indicators).items():
        period_end = next((i.period_end for i in plan.indicators if i.table == label), None)
        table.add_row(f"指标（{label}{f'，至{period_end}年' if period_end else ''}）", str(count))
    table.add_row("文中量化目标", str(len(plan.targets)))
    table.add_row("专栏项目", str(len(plan.projects)))
    table.add_row("上期成就（事实，非目标）", str(len(plan.achievements)))
    table.add_row("章节/专栏/表格", str(len(plan.outline)))
    table.add_row("待人工确认（flags）", str(sum(not f.resolved for f in plan.flags)))
    table.add_row("未能理解（warnings）", str(len(plan.warnings)))
    console.print(table)
    for warning in plan.warnings:
        console.print(f"[yellow]提示[/]：{warning}")


def flag_table(plan: Plan) -> Table:
    """The unresolved review flags as a table: code, line, item, message."""
    table = Table(title="待人工确认事项", title_justify="left", show_lines=False)
    for column in ("代码", "行", "对象", "说明"):
        table.add_column(column, overflow="fold")
    for flag in plan.flags:
        if not flag.resolved:
            table.add_row(flag.code, str(flag.line or ""), flag.item or "", flag.message)
    return table


def load_any(path: Path) -> Plan:
    """A plan from plan.yaml, or read straight from a plan document."""
    if path.suffix.lower() in YAML_SUFFIXES:
        from planwatch.planfile import read_plan_yaml

        return read_plan_yaml(path)
    from planwatch.ingest import read_plan

    return read_plan(path)


@app.command("ingest")
def ingest(
    plan_file: Annotated[Path, typer.Argument(help="规划纲要文本文件（UTF-8 / GB18030）", show_default=False)],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="写出供审核的 plan.yaml")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出读取到的规划")] = False,
) -> None:
    """读取规划纲要：提取章节、指标表、文中目标、专栏项目和待确认事项。"""
    from planwatch.ingest import read_plan

    plan = read_plan(plan_file)
    if out is not None:
        from planwatch.planfile import write_plan_yaml

        write_plan_yaml(plan, out)
    if as_json:
        typer.echo(json_output.dumps(plan.model_dump(mode="json")))
        return
    console = Console(highlight=False)
    plan_summary(plan, console)
    if out is not None:
        console.print(f"已写出 {out}；请用 planwatch check {out} 查看待确认事项。")


@app.command("check")
def check(
    plan_file: Annotated[Path, typer.Argument(help="plan.yaml（或规划纲要文本）", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="仍有未解决的待确认事项时以非零状态退出")] = False,
) -> None:
    """检查规划文件：列出尚未确认的事项（flags）和未能理解的内容。"""
    plan = load_any(plan_file)
    console = Console(highlight=False)
    open_flags = [f for f in plan.flags if not f.resolved]
    if open_flags:
        console.print(flag_table(plan))
    for warning in plan.warnings:
        console.print(f"[yellow]提示[/]：{warning}")
    console.print(f"共 {len(plan.flags)} 项待确认事项，其中未解决 {len(open_flags)} 项。")
    if strict and open_flags:
        raise PlanwatchError(f"{plan_file}：仍有 {len(open_flags)} 项待确认事项未解决（--strict）；"
                             "请在 plan.yaml 中核实后将 resolved 改为 true")
