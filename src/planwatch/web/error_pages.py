"""Errors as a Chinese page or a JSON body with a fitting status code, never a traceback.

A value of the request echoed in a message is cut to ``ECHO_LIMIT`` characters, and a whole
message to ``MESSAGE_LIMIT``: a huge query never comes back in full.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from planwatch.errors import EvaluationError, InputError, PlanwatchError, StoreError

from .context import NotFoundError
from .render import render

log = logging.getLogger(__name__)

HTTP_MESSAGES = {404: "页面不存在", 405: "不支持该请求方法"}
ECHO_LIMIT = 100
MESSAGE_LIMIT = 600


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """The text, cut to ``limit`` characters and marked with “…” when it is longer."""
    return text if len(text) <= limit else text[:limit] + "…"


def echo(value: object) -> str:
    """A request value as a message quotes it: repr, shortened."""
    return repr(shorten(value)) if isinstance(value, str) else shorten(repr(value))


def without_long_inputs(message: str, request: Request) -> str:
    """The message with every long query or path value of the request shortened."""
    values = [*request.query_params.values(), *(str(v) for v in request.path_params.values())]
    for value in sorted({v for v in values if len(v) > ECHO_LIMIT}, key=len, reverse=True):
        message = message.replace(value, shorten(value))
    return message


def status_of(error: PlanwatchError) -> int:
    """The HTTP status of a planwatch error."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, (EvaluationError, InputError)):
        return 400
    if isinstance(error, StoreError):
        return 503
    return 500


def error_response(request: Request, status: int, message: str) -> Response:
    """A JSON error under /api, a Chinese error page elsewhere."""
    message = shorten(without_long_inputs(message, request), MESSAGE_LIMIT)
    if request.url.path.startswith(f"{request.scope.get('root_path', '')}/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a readable answer."""

    @app.exception_handler(PlanwatchError)
    async def planwatch_error(request: Request, exc: PlanwatchError) -> Response:
        return error_response(request, status_of(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err.get("loc", ())[1:]) or "参数"
            problems.append(f"参数 {name} 的值 {echo(err.get('input'))} 无效（{_expected(err)}）")
        return error_response(request, 400, "；".join(problems) or "请求参数无效")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(request, exc.status_code, HTTP_MESSAGES.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, f"服务器内部错误（{type(exc).__name__}），请报告此问题")


def _expected(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("float"):
        return "应为数字"
    return "格式不符"
