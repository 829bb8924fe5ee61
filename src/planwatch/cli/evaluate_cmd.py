"""CLI commands of the evaluate stage: ``planwatch evaluate``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planwatch.evaluate import DEFAULT_METHOD, assess, chosen_plan, evaluate_previous_plan, read_inputs
from planwatch.model import Assessment, Status
from planwatch.presentation import FindingView, finding_views, status_counts
from planwatch.store import open_store

from . import json_output
from .app import DbOption, MethodOption, PlanOption, RegionOption, app


def wide_console() -> Console:
    """A console at least 140 columns wide: the tables carry Chinese names and several figures."""
    return Console(highlight=False, width=max(Console().width, 140))


# Statuses with nothing measured: a list of names says all there is to say.
UNMEASURED = (Status.no_data, Status.pending_target)
TABLE_COLUMNS = (("no", "序号"), ("name", "指标"), ("target", "目标"), ("actual", "实际"), ("expected", "应达"),
                 ("completion", "完成度"), ("time_elapsed", "时间进度"), ("warning", "预警"))
NARROW = ("no", "completion", "time_elapsed", "warning")


def render_table(assessment: Assessment, views: list[FindingView], console: Console) -> None:
    """Findings grouped by status: a table with the figures, then each one's reason."""
    title = f"{assessment.plan_title} · {assessment.year}年评估（{assessment.method}）"
    console.print(f"[bold]{title}[/]")
    counts = [c for c in status_counts(views, final=assessment.final) if c.count]
    # One line however wide: scripts and people search for it whole.
    console.print(f"共{len(views)}项：" + "，".join(c.text for c in counts), soft_wrap=True)
    several_regions = len({v.finding.region for v in views}) > 1
    for count in counts:
        members = [v for v in views if v.status == count.status]
        heading = f"{count.label}（{count.count}）"
        if count.status in UNMEASURED:
            names = "；".join(f"{v.cells['no'] or '·'} {v.cells['name']}" + (f"（{v.cells['region']}）" if several_regions
                                                                            else "") for v in members)
            console.print(f"[bold]{heading}[/]：{names}", highlight=False)
            continue
        console.print(_findings_table(heading, members, several_regions))
        # Reasons below the table: a sentence folded into a narrow column is unreadable.
        for v in members:
            console.print(f"  [dim]{v.cells['no'] or '·'} {v.cells['name']}：{v.finding.explanation}[/]",
                          highlight=False)


def _findings_table(heading: str, views: list[FindingView], several_regions: bool) -> Table:
    table = Table(title=heading, title_justify="left", title_style="bold")
    columns = list(TABLE_COLUMNS)
    if several_regions:
        columns.insert(2, ("region", "地区"))
    for key, label in columns:
        table.add_column(label, overflow="fold", no_wrap=key in NARROW)
    for v in views:
        table.add_row(*(v.cells[key] for key, _ in columns))
    return table


@app.command("evaluate")
def evaluate_cmd(
    year: Annotated[int | None, typer.Option("--year", help="评估年份；默认为有数据的最新年份")] = None,
    region: RegionOption = None,
    method: MethodOption = DEFAULT_METHOD,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出评估结果")] = False,
    previous_plan: Annotated[bool, typer.Option("--previous-plan", help="评估上一规划期（表1）的完成情况")] = False,
    plan: PlanOption = None,
    db: DbOption = None,
) -> None:
    """评估规划指标进展：按指标、地区给出状态、完成进度与预警。"""
    store = open_store(db)
    if previous_plan:
        assessment = evaluate_previous_plan(store.plan(chosen_plan(store, plan)))
        final = True
    else:
        assessment = assess(read_inputs(store, plan), year=year, regions=[region] if region else None,
                            method=method)
        final = assessment.final
    views = finding_views(assessment.findings, final=final)
    if as_json:
        typer.echo(json_output.dumps([v.record() for v in views]))
        return
    render_table(assessment, views, wide_console())
