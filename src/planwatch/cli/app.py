"""The typer application; command modules register themselves on ``app``."""

from typing import Annotated

import typer

from planwatch.evaluate import METHODS, method_label
from planwatch.store import DB_HELP

# Options several commands share, declared once.
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
MethodOption = Annotated[str, typer.Option(
    "--method", help="评估方法：" + "、".join(f"{code}（{method_label(code)}）" for code in METHODS))]
RegionOption = Annotated[str | None, typer.Option("--region", help="地区；默认为规划所属地区")]
PlanOption = Annotated[str | None, typer.Option(
    "--plan", help="规划键（见 planwatch plans）；数据库中只有一个规划时可省略")]

app = typer.Typer(
    name="planwatch",
    help="planwatch：规划纲要目标监测评估（ingest → store → observe → evaluate → report）",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
