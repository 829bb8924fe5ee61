"""`planwatch serve`: the web dashboard and JSON API; `--get PATH` answers one request and exits."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from planwatch.errors import PlanwatchError
from planwatch.web.settings import setting_default, setting_help

from .app import app


@app.command("serve")
def serve(
    db: Annotated[str | None, typer.Option("--db", help=setting_help("db"))] = None,
    host: Annotated[str, typer.Option("--host", help=setting_help("host"))] = setting_default("host"),
    port: Annotated[int, typer.Option("--port", help=setting_help("port"))] = setting_default("port"),
    title: Annotated[str | None, typer.Option("--title", help=setting_help("title"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=setting_help("region"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=setting_help("year"))] = None,
    method: Annotated[str, typer.Option("--method", help=setting_help("method"))] = setting_default("method"),
    get: Annotated[
        str | None, typer.Option("--get", help="不启动服务，只在进程内请求该路径并打印响应（如 /api/findings）")
    ] = None,
) -> None:
    """启动监测仪表盘和 JSON 接口（默认 http://127.0.0.1:8000/）。"""
    from planwatch.web import WebSettings, create_app

    given = {"db": db, "host": host, "port": port, "title": title, "region": region, "year": year, "method": method}
    try:
        settings = WebSettings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        problems = "；".join(f"--{'.'.join(map(str, e['loc']))} 的值 {e['input']!r} 无效（{e['msg']}）" for e in exc.errors())
        raise PlanwatchError(f"服务设置无效：{problems}") from None
    web_app = create_app(settings)
    if get is not None:
        answer_one(web_app, get)
        return
    if web_app.state.open_error is not None:
        raise web_app.state.open_error
    import uvicorn

    typer.echo(f"仪表盘：http://{settings.host}:{settings.port}/  （按 Ctrl+C 停止）")
    uvicorn.run(web_app, host=settings.host, port=settings.port, log_level="warning")


def answer_one(web_app, path: str) -> None:
    """Send one GET to the app in-process and print the body; an error status is an error."""
    import asyncio

    import httpx

    if not path.startswith("/"):
        path = "/" + path

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=web_app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get(path)

    response = asyncio.run(fetch())
    sys.stdout.write(response.text)
    if not response.text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
    if response.status_code >= 400:
        raise PlanwatchError(f"{path} 返回状态码 {response.status_code}")
