"""Command line: thin wrappers that parse options, call one library function and print.

Each stage registers its commands in its own module; ``main`` turns a PlanwatchError into a
clear message and a non-zero exit, so no traceback reaches a user.
"""

from __future__ import annotations

import sys

from rich.console import Console

from planwatch.errors import PlanwatchError

from .app import app

# Command modules register on import; the order is the data's flow.
from . import ingest_cmd  # noqa: E402,F401
from . import store_cmd  # noqa: E402,F401
from . import evaluate_cmd  # noqa: E402,F401
from . import report_cmd  # noqa: E402,F401
from . import serve_cmd  # noqa: E402,F401
from . import demo_cmd  # noqa: E402,F401

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    err = Console(stderr=True)
    try:
        app(args=argv, standalone_mode=False)
    except PlanwatchError as exc:
        err.print(f"[bold red]错误[/]：{exc}", highlight=False, markup=True)
        return 1
    except SystemExit as exc:  # typer/click exits for --help and usage errors
        return int(exc.code or 0)
    except KeyboardInterrupt:
        err.print("已中断")
        return 130
    except Exception as exc:  # click usage errors and anything unforeseen: no traceback for users
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            return 1
        err.print(f"[bold red]内部错误[/]：{type(exc).__name__}: {exc}（请报告此问题；设置 PLANWATCH_DEBUG=1 查看详情）")
        import os

        if os.environ.get("PLANWATCH_DEBUG"):
            raise
        return 2
    return 0


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())
