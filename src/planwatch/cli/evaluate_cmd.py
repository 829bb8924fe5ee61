"""CLI commands of the evaluate stage: ``planwatch evaluate``."""

from __future__ import annotations

import json
import os
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from planwatch.errors import StoreError
from planwatch.model import ATTRIBUTE_LABELS, Assessment, Finding, Status

from .app import app

DB_ENV = "PLANWATCH_DB"
DEFAULT_DB = "sqlite:///planwatch.db"
JSON_FIELDS = ("no", "indicator_id", "indicator", "region", "year", "kind", "target_text", "status", "status_label",
               "warning", "actual", "actual_year", "expected", "target", "completion", "time_elapsed",
               "required_rate", "observed_rate", "projection", "projection_year", "method", "ratio",
               "category_code", "sources", "explanation", "line")


def wide_console() -> Console:
    """A console at least 140 columns wide: the tables carry Chinese names and several figures."""
    return Console(highlight=False, width=max(Console().width, 140))


def _db_url(db: str | None) -> str:
    try:
        from planwatch.store import resolve_url
    except ImportError:
        return db or os.environ.get(DB_ENV) or DEFAULT_DB
    return resolve_url(db)


def finding_record(f: Finding) -> dict:
    """A finding as a JSON-ready dict (the --json output)."""
    data = f.model_dump(mode="json", include=set(JSON_FIELDS))
    data["attribute"] = ATTRIBUTE_LABELS.get(str(f.attribute)) if f.attribute else None
    return {k: data.get(k) for k in (*JSON_FIELDS, "attribute")}


def _num(x: float | None, digits: int = 2) -> str:
    from planwatch.evaluate.explanation import fmt

    return fmt(x) if x is not None else "—"


def _pct(x: float | None) -> str:
    return f"{x * 100:.1f}%" if x is not None else "—"


# Statuses with nothing measured: a list of names says all there is to say.
UNMEASURED = (Status.no_data, Status.pending_target)


def render_table(assessment: Assessment, console: Console, final: bool) -> None:
    """Findings grouped by status: a table with the figures, then each one's reason."""
    from planwatch.model import status_label

    groups: dict[Status, list[Finding]] = {}
    for f in assessment.findings:
        groups.setdefault(Status(f.status), []).append(f)
    title = f"{assessment.plan_title} · {assessment.year}年评估（{assessment.method}）"
    console.print(f"[bold]{title}[/]")
    counts = "，".join(f"{status_label(s, final=final)}{len(groups[s])}项" for s in Status if s in groups)
    console.print(f"共{len(assessment.findings)}项：{counts}")
    several_regions = len({f.region for f in assessment.findings}) > 1
    for status in (s for s in Status if s in groups):
        heading = f"{status_label(status, final=final)}（{len(groups[status])}）"
        if status in UNMEASURED:
            names = "；".join(f"{f.no or '·'} {f.indicator}" + (f"（{f.region}）" if several_regions else "")
                             for f in groups[status])
            console.print(f"[bold]{heading}[/]：{names}", highlight=False)
            continue
        console.print(_findings_table(heading, groups[status], several_regions))
        # Reasons below the table: a sentence folded into a narrow column is unreadable.
        for f in groups[status]:
            console.print(f"  [dim]{f.no or '·'} {f.indicator}：{f.explanation}[/]", highlight=False)


def _findings_table(heading: str, findings: list[Finding], several_regions: bool) -> Table:
    table = Table(title=heading, title_justify="left", title_style="bold")
    columns = ("序号", "指标", *(("地区",) if several_regions else ()), "目标", "实际", "应达", "完成度",
               "时间进度", "预警")
    for col in columns:
        table.add_column(col, overflow="fold", no_wrap=col in ("序号", "完成度", "时间进度", "预警"))
    for f in findings:
        bound = {">": "＞", "<": "＜"}.get(str(f.actual_bound) if f.actual_bound else "", "")
        actual = "—" if f.actual is None else f"{bound}{_num(f.actual)}{'' if f.kind != 'level' else f.unit or ''}"
        if f.actual_year and f.actual_year != f.year:
            actual += f"（{f.actual_year}）"
        table.add_row(f.no or "", f.indicator, *((f.region,) if several_regions else ()),
                      f.target_text or _num(f.target), actual, _num(f.expected), _pct(f.completion),
                      _pct(f.time_elapsed), "⚠" if f.warning else "")
    return table


@app.command("evaluate")
def evaluate_cmd(
    year: Annotated[Optional[int], typer.Option("--year", help="评估年份；默认为有数据的最新年份")] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="地区；默认为规划所属地区")] = None,
    method: Annotated[str, typer.Option("--method", help="评估方法：elapsed_time（时间进度法）、open_sdg、unsd")] = "elapsed_time",
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出评估结果")] = False,
    previous_plan: Annotated[bool, typer.Option("--previous-plan", help="评估上一规划期（表1）的完成情况")] = False,
    db: Annotated[Optional[str], typer.Option("--db", help="数据库 URL；默认取环境变量 PLANWATCH_DB，否则为当前目录的 planwatch.db")] = None,
) -> None:
    """评估规划指标进展：按指标、地区给出状态、完成进度与预警。"""
    from planwatch.evaluate import evaluate, evaluate_previous_plan, latest_data_year
    from planwatch.store import open_store

    store = open_store(_db_url(db))
    plan = store.plan()
    if plan is None:
        raise StoreError("数据库中没有规划；请先用 planwatch load 载入 plan.yaml")
    if previous_plan:
        assessment = evaluate_previous_plan(plan)
        final = True
    else:
        frame = store.observation_frame()
        chosen_year = year if year is not None else latest_data_year(plan, frame)
        regions = [region or plan.meta.region] if (region or plan.meta.region) else None
        assessment = evaluate(plan, frame, chosen_year, method=method, regions=regions)
        final = chosen_year >= (assessment.period_end or chosen_year + 1)
    console = wide_console()
    if as_json:
        records = [finding_record(f) for f in assessment.findings]
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    render_table(assessment, console, final)
