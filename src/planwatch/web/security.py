"""The hardening layer around the whole app: every request and every response passes through it.

- security headers on every response (pages, API, static files, errors): a strict
  Content-Security-Policy — every script and style is a vendored file under /static — and the
  headers that stop framing, MIME sniffing and referrer leaks;
- header blocks above ``MAX_HEADER_BYTES`` (or one field above ``MAX_FIELD_BYTES``) refused with 431;
- a ``Host`` outside the allow-list refused with 400 (DNS rebinding);
- ``HEAD`` answered as ``GET`` without the body, on every route.

It wraps the app outside FastAPI's own server-error handler (see :class:`HardenedApp`), so even
an unexpected 500 carries the headers. Starlette's TrustedHostMiddleware is not used because it
answers a foreign host in English with none of the headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .error_pages import HOST_NOT_ALLOWED, error_response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
MAX_HEADER_BYTES = 16 * 1024
MAX_FIELD_BYTES = 8 * 1024
HEADERS_TOO_LARGE = "请求头过大，请缩短地址或清理 Cookie 后重试"
FOREIGN_HOST = "不允许的主机名：请通过本机地址访问，或启动时用 --allow-host 允许该主机名"


class HardenedApp(FastAPI):
    """FastAPI wrapped, outside even its server-error handler, in :class:`Hardening`."""

    def __init__(self, *, allowed_hosts: Sequence[str], **kwargs: Any) -> None:
        self.allowed_hosts = list(allowed_hosts)
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return Hardening(super().build_middleware_stack(), self.allowed_hosts)


class Hardening:
    """Pure ASGI middleware: refuse oversized headers and foreign hosts, answer HEAD, add headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.allowed_hosts = [h.lower() for h in allowed_hosts]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = with_security_headers(send)
        if scope["method"] == "HEAD":
            scope, send = {**scope, "method": "GET"}, without_body(send)
        refusal = self.refusal(scope)
        if refusal is not None:
            status, message, code = refusal
            await error_response(Request(scope), status, message, code=code)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """The status, message and error code a request is refused with, or None to let it through."""
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if headers_too_large(headers):
            return 431, HEADERS_TOO_LARGE, "headers_too_large"
        host = next((v.decode("latin-1") for k, v in headers if k == b"host"), "")
        if not host_allowed(host, self.allowed_hosts):
            return 400, FOREIGN_HOST, HOST_NOT_ALLOWED
        return None


def headers_too_large(headers: Sequence[tuple[bytes, bytes]]) -> bool:
    """Whether the header block, or one field of it, is above the limits."""
    sizes = [len(k) + len(v) for k, v in headers]
    return sum(sizes) > MAX_HEADER_BYTES or any(s > MAX_FIELD_BYTES for s in sizes)


def host_name(host: str) -> str:
    """The name of a Host header, without port or brackets ('[::1]:8000' → '::1')."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name.rstrip(".")


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """Whether a Host header names an allowed host ('*' allows any, '*.example.cn' its subdomains)."""
    name = host_name(host)
    return bool(name) and any(
        pattern in ("*", name) or (pattern.startswith("*.") and name.endswith(pattern[1:])) for pattern in allowed
    )


def with_security_headers(send: Send) -> Send:
    """``send`` that sets the security headers on the response start."""

    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers[name] = value
        await send(message)

    return sender


def without_body(send: Send) -> Send:
    """``send`` that drops the body (a HEAD answer keeps the GET's headers and length)."""

    async def sender(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return sender
