"""CLI commands of series across plans: which indicators of the stored plans are one series, and why;
record a person's decision (confirm / split)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.store.series_matches import Member, SeriesDecision, SeriesLinks, SeriesPair, parse_ref
from planwatch.vocabulary import SERIES_DECISION_LABELS, series_match_label

from . import json_output
from .app import DbOption, app

console = Console(soft_wrap=True, highlight=False)

series_app = typer.Typer(name="series", help="跨规划的指标序列：列出哪些规划的指标是同一序列及匹配依据，人工确认或拆分。",
                         invoke_without_command=True)
app.add_typer(series_app, name="series")

RefArgument = Annotated[str, typer.Argument(help="指标：规划键:指标编号，如 嘉兴市-1a2b3c4d:T2-1（规划键见 planwatch plans）")]


def _store(db: str | None):
    from planwatch.store import open_store

    return open_store(db)


def _member(m: Member) -> dict[str, Any]:
    return {"plan_key": m.plan_key, "indicator_id": m.indicator.id, "no": m.indicator.no, "name": m.indicator.name,
            "unit": m.indicator.unit}


def reason_label(pair: SeriesPair) -> str:
    """Why the pair is one series, in words (名称、单位相同 / 同义名称（…） / 人工确认)."""
    if pair.reason == "confirmed" or pair.match is None:
        return series_match_label("confirmed")
    return series_match_label(pair.reason, pair.match.synonyms, pair.match.units)


def decision_record(d: SeriesDecision) -> dict[str, Any]:
    return {"a": f"{d.plan_a}:{d.indicator_a}", "b": f"{d.plan_b}:{d.indicator_b}", "verdict": d.verdict,
            "verdict_label": SERIES_DECISION_LABELS[d.verdict], "actor": d.actor, "decided_at": d.decided_at.isoformat()}


def records(links: SeriesLinks) -> dict[str, Any]:
    """The series as JSON: each matched pair with its stored key and reason, and every decision with who/when."""
    pairs = [{"key": links.series_key_of(p.home.plan_key, p.home.indicator.id), "home": _member(p.home),
              "other": _member(p.other), "reason": p.reason, "reason_label": reason_label(p),
              "synonyms": list(p.match.synonyms) if p.match else [],
              "units": list(p.match.units) if p.match and p.match.units else None,
              "decided_by": p.decision.actor if p.decision else None,
              "decided_at": p.decision.decided_at.isoformat() if p.decision else None}
             for p in links.pairs()]
    return {"plans": [key for key, _ in links.plans], "pairs": pairs,
            "decisions": [decision_record(d) for d in links.decisions]}


@series_app.callback()
def series_cmd(ctx: typer.Context,
               as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
               db: DbOption = None) -> None:
    """列出已载入规划中属于同一序列的指标（按名称与单位匹配，或人工确认），及其匹配依据与人工决定。"""
    if ctx.invoked_subcommand is not None:
        return
    links = _store(db).series_links()
    data = records(links)
    if as_json:
        typer.echo(json_output.dumps(data))
        return
    if not links.several:
        console.print(f"数据库中有 {len(links.plans)} 个规划：跨规划的序列须至少载入两个规划")
    elif not data["pairs"]:
        console.print("各规划之间没有名称与单位相同（或同义）的指标")
    else:
        table = Table(title=f"跨规划序列（{len(data['pairs'])} 对）", title_justify="left")
        for label in ("数据键", "指标", "另一规划的指标", "匹配依据"):
            table.add_column(label, overflow="fold")
        for p in data["pairs"]:
            home, other = p["home"], p["other"]
            table.add_row(p["key"], escape(f"{home['plan_key']}:{home['indicator_id']} {home['name']}"),
                          escape(f"{other['plan_key']}:{other['indicator_id']} {other['name']}"),
                          escape(p["reason_label"]))
        console.print(table)
    if data["decisions"]:
        table = Table(title="人工决定", title_justify="left")
        for label in ("指标", "另一指标", "决定", "决定人", "时间"):
            table.add_column(label, overflow="fold")
        for d in data["decisions"]:
            table.add_row(d["a"], d["b"], d["verdict_label"], escape(d["actor"]), d["decided_at"][:19])
        console.print(table)


def _decide(a: str, b: str, verdict: str, db: str | None) -> None:
    store = _store(db)
    links = store.series_links()
    # The later plan's indicator is the one whose key a decision can change (the first plan's keeps its id).
    _, second = sorted((links.member(*parse_ref(a)), links.member(*parse_ref(b))), key=lambda m: m.order)
    moved = (second.plan_key, second.indicator.id)
    before = links.series_key_of(*moved)
    decision = store.confirm_series(a, b) if verdict == "confirmed" else store.split_series(a, b)
    after = store.series_links().series_key_of(*moved)
    console.print(escape(f"已记录：{decision.plan_a}:{decision.indicator_a} 与 {decision.plan_b}:{decision.indicator_b}"
                         f" {SERIES_DECISION_LABELS[verdict]}（{decision.actor}）"))
    if before != after:
        stranded = len(store.observations(indicator=before))
        note = f"，原键下已有 {stranded} 个观测值不再计入此指标，需要时请按新键重新导入" if stranded else ""
        console.print(escape(f"{moved[0]}:{moved[1]} 的数据键由 {before} 改为 {after}{note}"))


@series_app.command("confirm")
def confirm_cmd(a: RefArgument, b: RefArgument, db: DbOption = None) -> None:
    """确认两个规划的指标是同一序列（无论名称是否相同，此后总是匹配）。"""
    _decide(a, b, "confirmed", db)


@series_app.command("split")
def split_cmd(a: RefArgument, b: RefArgument, db: DbOption = None) -> None:
    """确认两个规划的指标不是同一序列（此后不再自动匹配）。"""
    _decide(a, b, "split", db)
