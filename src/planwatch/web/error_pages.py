"""Errors as a Chinese page or a JSON body with a fitting status code, never a traceback.

A JSON error is ``{"error": message, "code": stable English word, "status": n}`` (plus ``problems``
for a batch of figures); the codes are :data:`ERROR_CODES` and never change meaning. A page that
needs a login sends the browser to the login page and back.

A value of the request echoed in a message is cut to ``ECHO_LIMIT`` characters, and a whole
message to ``MESSAGE_LIMIT``: a huge query never comes back in full.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from planwatch.errors import (
    AccessError,
    ConflictError,
    DataImportError,
    EvaluationError,
    InputError,
    LoginRequired,
    NotFoundError,
    PlanRequired,
    PlanwatchError,
    StoreError,
)

from .render import render

log = logging.getLogger(__name__)

HTTP_MESSAGES = {404: "页面不存在", 405: "不支持该请求方法", 413: "上传的内容过大"}
# status → the stable code of a JSON error (an error class may name a more precise one, see code_of).
ERROR_CODES = {
    400: "invalid_request", 401: "login_required", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 422: "invalid_data", 429: "too_many_attempts", 431: "headers_too_large",
    500: "internal_error", 503: "store_unavailable",
}
# Codes more precise than their status's: a refused host (security.py), and errors whose class names one.
HOST_NOT_ALLOWED = "host_not_allowed"
PLAN_REQUIRED = "plan_required"
ECHO_LIMIT = 100
MESSAGE_LIMIT = 600


class ErrorBody(BaseModel):
    """Every JSON error: a Chinese message, a stable code, the status (and, for a batch, each problem)."""

    error: str = Field(description="中文说明：出了什么问题、应当怎样")
    code: str = Field(description="稳定的英文错误代码：" + "、".join(
        sorted(set(ERROR_CODES.values()) | {HOST_NOT_ALLOWED, PLAN_REQUIRED})))
    status: int
    problems: list[Any] | None = Field(None, description="一批数据的逐项问题（行、字段、说明）")


# Declared on every JSON route (the app's ``responses``): an API client programs against these.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description} for status, description in {
        400: "请求无效：参数或字段不符合要求（消息写明哪一项、应为什么）",
        401: "未登录，或令牌已失效",
        403: "账号无权进行此操作（消息写明角色或单位），或缺少 CSRF 令牌",
        404: "没有该项",
        409: "所操作的内容已被他人改动，或当前状态不允许该操作；有多个规划时未指明规划（plan_required，地址应以 /p/规划键 开头）",
        413: "上传的内容过大",
        422: "数据有问题，未写入任何数据（problems 逐项列出）",
        429: "登录失败次数过多，请稍后再试",
        503: "数据库不可用或尚未初始化",
    }.items()
}


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
    from .auth import TooManyAttempts

    checks: list[tuple[type[PlanwatchError], int]] = [
        (NotFoundError, 404), (TooManyAttempts, 429), (LoginRequired, 401), (AccessError, 403),
        (ConflictError, 409), (DataImportError, 422), (EvaluationError, 400), (InputError, 400), (StoreError, 503)]
    return next((status for kind, status in checks if isinstance(error, kind)), 500)


def code_of(error: PlanwatchError) -> str | None:
    """The stable code of an error whose class names one more precise than its status's."""
    return PLAN_REQUIRED if isinstance(error, PlanRequired) else None


def is_api(request: Request) -> bool:
    return request.url.path.startswith(f"{request.scope.get('root_path', '')}/api")


def error_response(request: Request, status: int, message: str, *, problems: list | None = None,
                   code: str | None = None) -> Response:
    """A JSON error under /api, a Chinese error page elsewhere; ``code`` when the status's own is too broad."""
    message = shorten(without_long_inputs(message, request), MESSAGE_LIMIT)
    if is_api(request):
        body: dict = {"error": message, "code": code or ERROR_CODES.get(status, "error"), "status": status}
        if problems:
            body["problems"] = [p.model_dump(mode="json") if hasattr(p, "model_dump") else str(p) for p in problems]
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    return render(request, "error.html", {"status": status, "message": message, "problems": problems or []},
                  status_code=status)


def login_redirect(request: Request) -> Response:
    """Send a browser to the login page, to come back here after."""
    base = request.scope.get("root_path", "").rstrip("/")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{base}/login?{urlencode({'next': here})}", status_code=303)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a readable answer."""

    @app.exception_handler(PlanwatchError)
    async def planwatch_error(request: Request, exc: PlanwatchError) -> Response:
        status = status_of(exc)
        if status == 401 and request.method in ("GET", "HEAD") and not is_api(request):
            return login_redirect(request)
        return error_response(request, status, str(exc), problems=getattr(exc, "problems", None), code=code_of(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err.get("loc", ())[1:]) or "参数"
            problems.append(f"参数 {name} 的值 {echo(err.get('input'))} 无效（{_expected(err)}）")
        return error_response(request, 400, "；".join(problems) or "请求参数无效")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = form_parser_message(str(exc.detail)) if exc.status_code == 400 else None
        return error_response(request, exc.status_code,
                              message or HTTP_MESSAGES.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, f"服务器内部错误（{type(exc).__name__}），请报告此问题")


# What Starlette's form parser says when it refuses a form (English, its own words) → what the person should do.
FORM_PARSER_MESSAGES = (
    ("exceeded maximum size", "表单中有字段过长：单个字段最多 1 MB，请缩短后再提交"),
    ("Too many fields", "表单字段过多：请分批提交"),
    ("Too many files", "上传的文件过多：一次只能上传一个文件"),
    ("boundary", "上传内容的格式无效：请用页面上的表单上传"),
    ("Invalid multipart", "上传内容的格式无效：请用页面上的表单上传"),
)


def form_parser_message(detail: str) -> str | None:
    """The Chinese message for a form the parser refused, or None when the refusal is not the parser's."""
    return next((message for fragment, message in FORM_PARSER_MESSAGES if fragment in detail), None)


def _expected(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("float"):
        return "应为数字"
    return "格式不符"
