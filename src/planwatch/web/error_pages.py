"""Errors as a Chinese page or a JSON body with a fitting status code, never a traceback."""

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
            problems.append(f"参数 {name} 的值 {err.get('input')!r} 无效（{_expected(err)}）")
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
