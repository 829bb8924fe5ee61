"""CLI commands of plan families: a region's plans in order (the first one's predecessor read from its 表1), and
one indicator compared across them (target, outcome, judgement, next target), shown, as JSON, or exported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.errors import InputError
from planwatch.evaluate import read_inputs
from planwatch.evaluate.families import Readings, compare, families, family_of, series_of
from planwatch.presentation.families import comparison_content, family_record

from . import json_output
from .app import DbOption, app

console = Console(soft_wrap=True, highlight=False)

families_app = typer.Typer(name="families", help="规划系列：同一地区历次五年规划（含表1所列上一规划）及一项指标的历次对比。",
                           invoke_without_command=True)
app.add_typer(families_app, name="families")

def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@families_app.callback()
def families_cmd(ctx: typer.Context,
                 plan: Annotated[str | None, typer.Option("--plan", help="只列出该规划（规划键，见 planwatch plans）所在的系列")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                 db: DbOption = None) -> None:
    """列出规划系列：同一地区、同一层级的已载入规划按届次排列，首个规划表1所列的上一规划排在最前。"""
    if ctx.invoked_subcommand is not None:
        return
    found = families(_store(db).series_links().plans)
    if plan is not None:
        found = [family_of(found, plan)]
    data = [family_record(f) for f in found]
    if as_json:
        typer.echo(json_output.dumps(data))
        return
    if not data:
        console.print("数据库中还没有规划")
    for family in data:
        table = Table(title=f"规划系列：{family['label']}", title_justify="left")
        for label in ("规划", "键", "标题", "规划期", "来源"):
            table.add_column(label, overflow="fold")
        for m in family["members"]:
            key = m["key"] or f"（见 {m['recorded_in']} 表1）"
            table.add_row(m["label"], escape(key), escape(m["title"]),
                          f"{m['period_start'] or '?'}—{m['period_end'] or '?'}", m["source_label"])
        console.print(table)


@families_app.command("compare")
def compare_cmd(ref: Annotated[str, typer.Argument(
                    help="指标：规划键:指标编号，如 嘉兴市-1a2b3c4d:T2-1；表1 的指标用其所在规划的键，如 嘉兴市-1a2b3c4d:T1-1")],
                as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                csv_file: Annotated[Path | None, typer.Option("--csv", help="把对比表写入 CSV 文件")] = None,
                xlsx_file: Annotated[Path | None, typer.Option("--xlsx", help="把对比表写入 Excel 文件")] = None,
                db: DbOption = None) -> None:
    """一项指标在历次规划中的对比：基期值、目标、目标年实际值（或最新值）、评估结论和下一规划的目标。"""
    store = _store(db)
    links = store.series_links()
    series = series_of(families(links.plans), links, ref)
    rows = compare(series, Readings(lambda key: read_inputs(store, key)))
    data = comparison_content(series, rows)
    if csv_file is not None or xlsx_file is not None:
        _export(data, csv_file, xlsx_file)
    if as_json:
        typer.echo(json_output.dumps(data))
        return
    _print(data)
    for path in (csv_file, xlsx_file):
        if path is not None:
            console.print(escape(f"已导出到 {path}"))


def _print(data: dict[str, Any]) -> None:
    table = Table(title=f"{data['name']}：{data['family']['label']}", title_justify="left")
    for label in ("规划", "规划期", "指标", "基期值", "目标", "目标年实际值", "评估结论", "下一规划目标"):
        table.add_column(label, overflow="fold")
    for r in data["rows"]:
        if not r["listed"]:
            following = f"{r['next_plan']} {r['next_target_text']}" if r["next_target_text"] else ""
            table.add_row(r["plan"], r["period"], "", "", "", "", r["status_label"], escape(following))
            continue
        unit = f"（{r['unit']}）" if r["unit"] else ""
        base = f"{r['base_display']}（{r['base_year']}年）" if r["base_value"] is not None else r["base_display"]
        target = f"{r['target_text']}（{r['target_year']}年）" if r["target_year"] else r["target_text"]
        judged = f"{r['status_label']}（{r['basis_label']}）" if r["basis_label"] else r["status_label"]
        following = f"{r['next_plan']} {r['next_target_text']}" if r["next_target_text"] else ""
        table.add_row(r["plan"], r["period"], escape(f"{r['indicator_id']} {r['name']}{unit}"), escape(base),
                      escape(target), escape(r["outcome_display"]), judged, escape(following))
    console.print(table)


def _export(data: dict[str, Any], csv_file: Path | None, xlsx_file: Path | None) -> None:
    """The comparison table as CSV and/or XLSX: the page's download, by the dashboard's writers (inert cells)."""
    from planwatch.web.downloads import csv_bytes, xlsx_bytes
    from planwatch.web.families import comparison_moment, comparison_sheet

    sheet = comparison_sheet(data)
    for path, content in ((csv_file, lambda: csv_bytes([sheet])),
                          (xlsx_file, lambda: xlsx_bytes([sheet], comparison_moment(data)))):
        if path is None:
            continue
        try:
            path.write_bytes(content())
        except OSError as exc:
            raise InputError(f"无法写入对比表：{exc.strerror or exc}", file=str(path)) from exc
