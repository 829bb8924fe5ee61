"""`planwatch demo`: the whole flow on the shipped Jiaxing plan and its real data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("-o", "--out", help="输出目录（plan.yaml、数据库、报告）")] = Path("out"),
    db: Annotated[str | None, typer.Option("--db", help="数据库 URL；默认为输出目录下的 SQLite 文件")] = None,
) -> None:
    """演示：读取嘉兴市“十四五”规划纲要，导入实际数据，评估最新年度并生成报告。"""
    from planwatch.cli.evaluate_cmd import render_table, wide_console
    from planwatch.cli.store_cmd import print_import_report
    from planwatch.demo import run_demo
    from planwatch.presentation import finding_views

    console = wide_console()
    console.rule("[bold]planwatch 演示：嘉兴市“十四五”规划纲要")
    result = run_demo(out, db)
    plan = result.plan
    current = plan.current_indicators()
    console.print(
        f"① 读取规划：{plan.meta.title}\n"
        f"   指标 {len(current)} 项（另有上期规划指标 {len(plan.indicators) - len(current)} 项），"
        f"文中目标 {len(plan.targets)} 项，项目 {len(plan.projects)} 个，待人工确认 {len(plan.flags)} 处"
        f" → {result.plan_yaml}",
        highlight=False,
    )
    console.print(f"② 导入实际数据 → {result.db_url}", highlight=False)
    print_import_report(result.import_report, console)
    console.print(f"③ 评估 {result.year} 年（最新有数据年度）：", highlight=False)
    render_table(result.assessment, finding_views(result.assessment.findings, final=result.assessment.final), console)
    console.print("④ 报告：", highlight=False)
    for path in result.reports:
        console.print(f"   {path}", highlight=False)
    db_arg = result.db_url
    console.print(
        "⑤ 打开监测看板：\n"
        f"   {_command()} serve --db {db_arg}\n"
        "   然后在浏览器中打开 http://127.0.0.1:8000/ （公开模式：不登录即可查看已审核的数据）；"
        f"或直接打开 HTML 报告 {next((p for p in result.reports if p.suffix == '.html'), '')}\n"
        "⑥ 数据填报工作台：先创建管理员和规划处账号，再登录 http://127.0.0.1:8000/login\n"
        f"   {_command()} user add admin --role admin --db {db_arg}\n"
        f"   {_command()} user add planner --role planner --db {db_arg}\n"
        f"   {_command()} user add tjj --role reporter --unit 市统计局 --db {db_arg}   （示例分工中的牵头单位）",
        highlight=False,
    )


def _command() -> str:
    """How to call planwatch again: its bare name when on PATH, else the installed script's path."""
    import shutil
    import sys

    script = Path(sys.executable).with_name("planwatch")
    if shutil.which("planwatch") == str(script) or not script.exists():
        return "planwatch"
    return str(script)
