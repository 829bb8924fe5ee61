"""`planwatch serve`: the web dashboard and JSON API; `--get PATH` answers one request and exits."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from planwatch.errors import PlanwatchError
from planwatch.web.settings import ANY_ADDRESS, WebSettings, setting_default, setting_help

from .app import app

# h11 keeps at most this much of an unfinished request head in memory (uvicorn answers 400 above
# it); below it the app's own limit (planwatch.web.security.MAX_HEADER_BYTES) answers 431.
SERVER_HEADER_BUFFER = 128 * 1024


@app.command("serve")
def serve(
    db: Annotated[str | None, typer.Option("--db", help=setting_help("db"))] = None,
    host: Annotated[str, typer.Option("--host", help=setting_help("host"))] = setting_default("host"),
    port: Annotated[int, typer.Option("--port", help=setting_help("port"))] = setting_default("port"),
    plan: Annotated[str | None, typer.Option("--plan", help=setting_help("plan"))] = None,
    title: Annotated[str | None, typer.Option("--title", help=setting_help("title"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=setting_help("region"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=setting_help("year"))] = None,
    method: Annotated[str, typer.Option("--method", help=setting_help("method"))] = setting_default("method"),
    https: Annotated[bool, typer.Option("--https", help=setting_help("https"))] = setting_default("https"),
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help=setting_help("allowed_hosts") + "；每次添加一个，可重复")
    ] = None,
    get: Annotated[
        str | None, typer.Option("--get", help="不启动服务，只在进程内请求该路径并打印响应（如 /api/findings）")
    ] = None,
) -> None:
    """启动监测仪表盘和 JSON 接口（默认 http://127.0.0.1:8000/）。"""
    from planwatch.web import create_app

    hosts = [*setting_default("allowed_hosts"), *allow_host] if allow_host else None
    given = {"db": db, "host": host, "port": port, "plan": plan, "title": title, "region": region, "year": year, "method": method,
             "https": https, "allowed_hosts": hosts}
    settings = build_settings({k: v for k, v in given.items() if v is not None})
    web_app = create_app(settings)
    if get is not None:
        answer_one(web_app, get)
        return
    if web_app.state.open_error is not None:
        raise web_app.state.open_error
    import uvicorn

    typer.echo(f"仪表盘：http://{settings.host}:{settings.port}/  （按 Ctrl+C 停止）")
    if settings.host in ANY_ADDRESS:
        typer.echo(f"从其他机器访问时，请用 --allow-host 允许其使用的主机名（当前允许：{'、'.join(settings.trusted_hosts())}）")
    uvicorn.run(web_app, **server_options(settings))


def build_settings(given: dict[str, Any]) -> WebSettings:
    """The web settings from the options given; an invalid one is a clear error."""
    try:
        return WebSettings(**given)
    except ValidationError as exc:
        problems = "；".join(f"--{'.'.join(map(str, e['loc']))} 的值 {e['input']!r} 无效（{e['msg']}）" for e in exc.errors())
        raise PlanwatchError(f"服务设置无效：{problems}") from None


def server_options(settings: WebSettings) -> dict[str, Any]:
    """uvicorn's options: the h11 parser with a bounded request-head buffer (httptools has none)."""
    return {"host": settings.host, "port": settings.port, "log_level": "warning", "http": "h11",
            "h11_max_incomplete_event_size": SERVER_HEADER_BUFFER}


def answer_one(web_app, path: str) -> None:
    """Send one GET to the app in-process and print the body; an error status is an error."""
    import asyncio

    import httpx

    from planwatch.web.auth import CLI_SCOPE_KEY

    if not path.startswith("/"):
        path = "/" + path

    async def from_the_command_line(scope, receive, send):
        # Whoever runs the command holds the database itself: the request reads as an internal viewer.
        # Only this in-process call carries the key; no request from the network can.
        await web_app({**scope, CLI_SCOPE_KEY: True}, receive, send)

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=from_the_command_line, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get(path)

    response = asyncio.run(fetch())
    sys.stdout.write(response.text)
    if not response.text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
    if response.status_code >= 400:
        raise PlanwatchError(f"{path} 返回状态码 {response.status_code}")
