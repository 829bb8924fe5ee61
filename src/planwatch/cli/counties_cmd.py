"""CLI command of the county-vs-city check: the counties' plans summed and ranged against the city's."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from planwatch.evaluate.counties_vs_city import CountyCheck, CountyTarget, PlanItem, read_county_check
from planwatch.figures import difference, fmt_number, with_unit
from planwatch.vocabulary import (
    COUNTY_CITY_NO_VALUE,
    COUNTY_LACKS,
    COUNTY_NO_PLAN,
    COUNTY_NONE_WEAKER,
    COUNTY_SUM_PARTIAL,
)

from . import json_output
from .app import DbOption, PlanOption, app

console = Console(soft_wrap=True, highlight=False)


def records(check: CountyCheck) -> dict[str, Any]:
    """The check as JSON: every plan item with its place (第455行) beside its line."""

    def item(i: PlanItem) -> dict[str, Any]:
        return asdict(i) | {"place": i.place}

    def county(c: CountyTarget) -> dict[str, Any]:
        return {"value": c.value, "match": c.match, **item(c.item)}

    return {
        "city_key": check.city_key, "city_region": check.city_region,
        "counties": [{"region": r, "plan_key": k} for r, k in check.counties],
        "without_plan": list(check.without_plan),
        "totals": [{"city": item(t.city), "counties": [county(c) for c in t.counties], "county_sum": t.county_sum,
                    "difference": t.difference, "consistent": t.consistent, "verdict": t.verdict,
                    "lacking": list(t.lacking)} for t in check.totals],
        "rates": [{"city": item(r.city), "counties": [county(c) for c in r.counties], "low": r.low, "high": r.high,
                   "weaker": [c.item.region for c in r.weaker], "verdict": r.verdict} for r in check.rates],
        "missing": [{"city": item(m.city), "county": m.county, "county_plan_key": m.county_plan_key}
                    for m in check.missing],
        "not_compared": [item(i) for i in check.not_compared],
    }


def at(c: CountyTarget) -> str:
    """南湖区 1125（第455行）."""
    return f"{c.item.region} {fmt_number(c.value, c.item.unit)}（{c.item.place}）"


@app.command("counties")
def counties_cmd(plan: PlanOption = None,
                 as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
                 db: DbOption = None) -> None:
    """县（市、区）规划与全市规划的一致性：总量指标合计对照全市目标，比率指标的范围及低于全市目标的县，县级规划缺少的指标；每项注明两个规划中的行。"""
    from planwatch.store import open_store

    check = read_county_check(open_store(db), plan)
    if as_json:
        typer.echo(json_output.dumps(records(check)))
        return
    console.print(f"{escape(check.city_region)}（{check.city_key}）对照 {len(check.counties)} 个县（市、区）规划："
                  + "、".join(f"{r}（{k}）" for r, k in check.counties))
    if check.without_plan:
        console.print(f"{COUNTY_NO_PLAN}：" + "、".join(check.without_plan))
    # One sentence per finding (no table): long names and both plans' places stay whole on one line.
    console.print("[bold]总量指标：县级目标合计对照全市目标[/]")
    for t in check.totals:
        lacking = f"；缺少{'、'.join(t.lacking)}的目标" if t.lacking else ""
        if check.without_plan:
            lacking += "；" + COUNTY_SUM_PARTIAL.format(n=len(check.without_plan))
        console.print(escape(f"{t.city.name}：全市{with_unit(t.city.value, t.city.unit)}（{t.city.place}），县级合计"
                             f"{with_unit(t.county_sum, t.city.unit)}，差额{difference(t.difference, t.city.unit)}，"
                             f"{t.verdict}{lacking}。各县：{'；'.join(at(c) for c in t.counties)}"))
    console.print("[bold]比率、增速指标：县级目标范围[/]")
    for r in check.rates:
        unit = r.city.unit
        weaker = f"{r.verdict}：{'；'.join(at(c) for c in r.weaker)}" if r.weaker else COUNTY_NONE_WEAKER
        console.print(escape(f"{r.city.name}：全市{with_unit(r.city.value, unit)}（{r.city.place}），县级"
                             f"{fmt_number(r.low, unit)}～{with_unit(r.high, unit)}；{weaker}"))
    if check.missing:
        console.print(f"[bold]{COUNTY_LACKS}[/]")
        for m in check.missing:
            console.print(escape(f"{m.county}（{m.county_plan_key}）缺少{m.city.name}（全市{m.city.place}）"))
    if check.not_compared:
        console.print(f"{COUNTY_CITY_NO_VALUE}：" + "、".join(f"{i.name}（{i.place}）" for i in check.not_compared))
