"""The typer application; command modules register themselves on ``app``."""

import typer

app = typer.Typer(
    name="planwatch",
    help="planwatch：规划纲要目标监测评估（ingest → store → observe → evaluate → report）",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
