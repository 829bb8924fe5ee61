"""CLI commands of series across plans: which indicators of the stored plans are one series, and why;
record a person's decision (confirm / split)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planwatch.figures import with_unit
from planwatch.model import ObservationKind
from planwatch.store.observations import Figure
from planwatch.store.series_matches import (
    DecisionOutcome,
    Member,
    SeriesDecision,
    SeriesLinks,
    SeriesPair,
)
from planwatch.vocabulary import OBSERVATION_KIND_LABELS, SERIES_DECISION_LABELS, series_match_label

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
    outcome = store.confirm_series(a, b) if verdict == "confirmed" else store.split_series(a, b)
    decision = outcome.decision
    console.print(escape(f"已记录：{decision.plan_a}:{decision.indicator_a} 与 {decision.plan_b}:{decision.indicator_b}"
                         f" {SERIES_DECISION_LABELS[verdict]}（{decision.actor}）"))
    for line in outcome_lines(outcome):
        console.print(escape(line))


# Conflicts listed one by one up to this many; the rest are counted (the audit log has the counts too).
SHOWN_CONFLICTS = 10


def outcome_lines(outcome: DecisionOutcome) -> list[str]:
    """What a decision did to the stored keys and figures, in words: each changed key, the figures moved
    (converted, duplicates, conflicts and which value counts now), and the figures a split leaves behind."""
    lines = [f"{c.member.ref}（{c.member.indicator.name}）的数据键由 {c.before} 改为 {c.after}" for c in outcome.changes]
    for m in outcome.moved:
        done = m.moved
        if not done.revisions + done.duplicates:
            continue
        line = f"原键 {m.before} 下的 {done.figures} 项数据（{done.revisions + done.duplicates} 个数值，含修订记录）已移至 {m.after}"
        if m.converted:
            line += f"，由 {m.units[0]} 换算为 {m.units[1]}"
        if done.duplicates:
            line += f"；其中 {done.duplicates} 个数值与 {m.after} 下已有的相同，未重复保存"
        if done.conflicts:
            line += (f"；{len(done.conflicts)} 项在两键下数值不同，按导入的同一规则（最终核实数优先，其次较晚导入）"
                     "取当前值，另一值保留为修订记录")
        lines.append(line)
        for c in done.conflicts[:SHOWN_CONFLICTS]:
            came = m.before if c.moved_won else m.after
            lines.append(f"  {c.region} {c.year}年{OBSERVATION_KIND_LABELS[ObservationKind(c.kind)]}：当前值 "
                         f"{_shown(c.current)}（原在 {came}），另一值 {_shown(c.other)} 为修订记录")
        if len(done.conflicts) > SHOWN_CONFLICTS:
            lines.append(f"  等 {len(done.conflicts)} 项（planwatch history 指标 --region 地区 --year 年份 可查看历次数值）")
    for k in outcome.kept:
        first, last = k.years
        years = f"{first}–{last} 年" if first is not None and last is not None else "各年"
        owner = f"原键 {k.before} 仍是 {k.owner.ref}（{k.owner.indicator.name}）的数据键"
        if not k.figures:
            lines.append(f"{owner}，其下没有 {years}的观测值，{k.member.ref} 无需重新导入")
            continue
        lines.append(f"{owner}，其下 {years}的 {k.figures} 个观测值留在原键下：拆分无法判断其中哪些属于 {k.member.ref}；"
                     f"如需计入此指标，请按新键重新导入：planwatch import 文件 --plan {k.member.plan_key}")
    return lines


def _shown(figure: Figure) -> str:
    return (figure.text or "") if figure.value is None else with_unit(figure.value, figure.unit, figure.bound)


@series_app.command("confirm")
def confirm_cmd(a: RefArgument, b: RefArgument, db: DbOption = None) -> None:
    """确认两个规划的指标是同一序列（无论名称是否相同，此后总是匹配）。"""
    _decide(a, b, "confirmed", db)


@series_app.command("split")
def split_cmd(a: RefArgument, b: RefArgument, db: DbOption = None) -> None:
    """确认两个规划的指标不是同一序列（此后不再自动匹配）。"""
    _decide(a, b, "split", db)
