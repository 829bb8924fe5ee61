"""Command line: thin wrappers that parse options, call one library function and print.

Each stage registers its commands in its own module; ``main`` turns a PlanwatchError into a
clear message and a non-zero exit, so no traceback reaches a user.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.markup import escape

from planwatch.errors import PlanwatchError

# Command modules register on import; the order is the data's flow.
from . import (
    counties_cmd,  # noqa: F401
    demo_cmd,  # noqa: F401
    evaluate_cmd,  # noqa: F401
    families_cmd,  # noqa: F401
    ingest_cmd,  # noqa: F401
    projects_cmd,  # noqa: F401
    report_cmd,  # noqa: F401
    sections_cmd,  # noqa: F401
    series_cmd,  # noqa: F401
    serve_cmd,  # noqa: F401
    store_cmd,  # noqa: F401
    tasks_cmd,  # noqa: F401
    user_cmd,  # noqa: F401
    workspace_cmd,  # noqa: F401
)
from .app import app
from .usage import is_usage_error, usage_message

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    # soft_wrap: a message must stay one line per sentence, or paths and values split mid-word.
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        app(args=argv, prog_name="planwatch", standalone_mode=False)
    except PlanwatchError as exc:
        err.print(f"[bold red]错误[/]：{escape(str(exc))}")
        return 1
    except SystemExit as exc:  # typer/click exits for --help
        return int(exc.code or 0)
    except (KeyboardInterrupt, typer.Abort):
        err.print("已中断")
        return 130
    except Exception as exc:  # usage mistakes, and anything unforeseen: no traceback for users
        if type(exc).__name__ == "NoArgsIsHelpError" and is_usage_error(exc):
            exc.show()
            return 0
        if is_usage_error(exc):
            try:
                message = usage_message(exc)
            except Exception:  # the Chinese rendering must never hide the original mistake
                message = exc.format_message()
            err.print(f"[bold red]错误[/]：{escape(message)}")
            return int(exc.exit_code)
        if os.environ.get("PLANWATCH_DEBUG"):
            raise
        err.print(f"[bold red]内部错误[/]：{escape(f'{type(exc).__name__}: {exc}')}"
                  "（请报告此问题；设置 PLANWATCH_DEBUG=1 查看详情）")
        return 2
    return 0


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())
