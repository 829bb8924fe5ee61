"""Command-line usage mistakes (missing argument, unknown option, bad value) told in Chinese.

Typer raises click's usage exceptions (vendored in recent typer); their messages are English,
so ``usage_message`` rebuilds them from the exception's fields.
"""

from __future__ import annotations

from typing import IO, Any, Protocol, TypeGuard


class UsageException(Protocol):
    """What planwatch reads of a click/typer usage exception (click's own or typer's vendored copy)."""

    message: str
    exit_code: int
    ctx: Any  # click.Context | None (of whichever click raised it)

    def format_message(self) -> str: ...

    def show(self, file: IO[Any] | None = None) -> None: ...


# Words in the (pydantic or click) English message → what the value should have been.
EXPECTED = (("integer", "整数"), ("number", "数字"), ("float", "数字"), ("bool", "是/否（true/false）"),
            ("date", "日期 YYYY-MM-DD"), ("path", "文件路径"))


def is_usage_error(exc: BaseException) -> TypeGuard[UsageException]:
    """Whether ``exc`` is a click/typer usage exception (carries an exit code and a formatted message)."""
    return hasattr(exc, "exit_code") and hasattr(exc, "format_message") and hasattr(exc, "ctx")


def _param_name(param) -> str:
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    return (getattr(param, "name", None) or "?").upper()


def _param_help(param) -> str:
    text = getattr(param, "help", None)
    return f"（{text}）" if text else ""


def usage_message(exc: UsageException) -> str:
    """The Chinese message for a usage exception, followed by the command's usage line."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    if kind == "MissingParameter" and param is not None:
        what = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        message = f"缺少{what} {_param_name(param)}{_param_help(param)}"
    elif kind == "BadParameter" and param is not None:
        expected = next((label for word, label in EXPECTED if word in str(exc.message).lower()), "")
        message = f"选项 {_param_name(param)} 的值无效" + (f"：应为{expected}" if expected else f"：{exc.message}")
    elif kind == "NoSuchOption":
        possible = list(getattr(exc, "possibilities", None) or [])
        message = f"没有选项 {getattr(exc, 'option_name', '')}" + (f"，是否想用 {'、'.join(sorted(possible))}？" if possible else "")
    elif kind == "BadOptionUsage" and "requires an argument" in str(exc.message):
        message = f"选项 {getattr(exc, 'option_name', '')} 后面需要一个值"
    elif kind == "UsageError" and str(exc.message).startswith("No such command"):
        name = str(exc.message).split("'")[1] if "'" in str(exc.message) else ""
        message = f"没有命令 {name}"
    elif kind == "UsageError" and str(exc.message).startswith("Got unexpected extra argument"):
        message = f"多余的参数：{str(exc.message).rsplit('(', 1)[-1].rstrip(')')}"
    else:
        message = f"命令用法有误：{exc.format_message()}"
    return f"{message}\n{_usage_line(exc)}"


def _usage_line(exc: UsageException) -> str:
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return "运行 planwatch --help 查看全部命令。"
    path = ctx.command_path or "planwatch"
    params = getattr(ctx.command, "params", [])
    arguments = [p.name.upper() for p in params if getattr(p, "param_type_name", "") == "argument"]
    tail = "COMMAND [ARGS]..." if hasattr(ctx.command, "commands") else " ".join(arguments)
    return f"用法：{path} [OPTIONS] {tail}".rstrip() + f"\n运行 {path} --help 查看全部选项。"
