"""CLI commands of the report stage: ``planwatch report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planwatch.evaluate import DEFAULT_METHOD

from .app import DbOption, MethodOption, PlanOption, RegionOption, app


@app.command("report")
def report(
    kind: Annotated[str, typer.Option("--kind", help="报告类型：annual（年度监测）、midterm（中期评估）、final（总结评估）")] = "annual",
    year: Annotated[int | None, typer.Option("--year", help="评估年份；年度报告默认最新数据年份，中期默认规划期中间年份，总结默认期末")] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="输出目录")] = Path("reports"),
    formats: Annotated[str, typer.Option("--format", help="输出格式，逗号分隔：docx,html,xlsx")] = "docx,html,xlsx",
    method: MethodOption = DEFAULT_METHOD,
    region: RegionOption = None,
    plan: PlanOption = None,
    db: DbOption = None,
) -> None:
    """生成评估报告（Word、HTML、Excel），打印写出的文件路径。"""
    from planwatch.report import build_reports, checked_formats, checked_kind

    kind = checked_kind(kind.strip().lower())
    chosen = checked_formats(formats.split(","))
    from planwatch.store import open_store

    store = open_store(db)
    paths = build_reports(store, kind, year, out, chosen, method=method, region=region, plan_key=plan)
    console = Console(highlight=False)
    console.print(f"已生成 {len(paths)} 个报告文件：")
    for path in paths:
        console.print(f"  {path}")
