"""CLI commands of indicator categories and the plan's work sections: the rule's proposals with their
evidence and the decisions (``planwatch sections``); a person's decision (confirm / reject)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.store.category_sections import CONFIRMED, REJECTED
from planwatch.vocabulary import CATEGORY_SECTION_LABELS

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True, highlight=False)

sections_app = typer.Typer(name="sections", invoke_without_command=True,
                           help="指标类别与规划工作章节的对应：列出按关键词提出的建议及依据，人工确认或否定。")
app.add_typer(sections_app, name="sections")

CategoryArgument = Annotated[str, typer.Argument(help="指标类别，如 生态环境（见 planwatch sections）")]
SectionArgument = Annotated[str, typer.Argument(help="章节编号，如 4.4（见 planwatch sections 或规划文本页）")]


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


@sections_app.callback()
def sections_cmd(ctx: typer.Context, plan: PlanOption = None,
                 as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                 db: DbOption = None) -> None:
    """列出每个指标类别建议对应的工作章节（标题与类别名称或其指标名称共有关键词）及人工决定。"""
    if ctx.invoked_subcommand is not None:
        return
    data = _store(db).category_sections(plan).to_json()
    if as_json:
        typer.echo(json_output.dumps(data))
        return
    for c in data["categories"]:
        table = Table(title=f"{c['category']}（已确认 {len(c['confirmed'])} 个，待确认 {c['pending']} 个）",
                      title_justify="left")
        for label in ("编号", "章节", "依据", "决定", "决定人"):
            table.add_column(label, overflow="fold")
        for s in c["sections"]:
            table.add_row(s["id"], escape(f"{s['label']}{s['title']}"), escape(s["reason"]), s["verdict_label"],
                          escape(s["actor"] or ""))
        if not c["sections"]:
            table.add_row("", "没有标题与本类别共有关键词的章节", "", "", "")
        console.print(table)
    for d in data["stale"]:
        console.print(escape(f"规划现行版本中已没有的类别或章节：{d['category']} {d['section_id']}（{d['verdict_label']}，"
                             f"{d['actor']}），不再使用"))


def _decide(category: str, section: str, verdict: str, plan: str | None, db: str | None) -> None:
    store = _store(db)
    decide = store.confirm_category_section if verdict == CONFIRMED else store.reject_category_section
    d = decide(plan, category, section)
    console.print(escape(f"已记录：类别“{d.category}”与章节 {d.section_id} {CATEGORY_SECTION_LABELS[verdict]}"
                         f"（{d.actor}）"))


@sections_app.command("confirm")
def confirm_cmd(category: CategoryArgument, section: SectionArgument, plan: PlanOption = None,
                db: DbOption = None) -> None:
    """确认该章节的任务和项目对应该类别的指标（指标页将列出它们）。"""
    _decide(category, section, CONFIRMED, plan, db)


@sections_app.command("reject")
def reject_cmd(category: CategoryArgument, section: SectionArgument, plan: PlanOption = None,
               db: DbOption = None) -> None:
    """否定该章节与该类别的对应（建议不再待确认）。"""
    _decide(category, section, REJECTED, plan, db)
