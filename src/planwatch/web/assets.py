"""What is served as a file but built at run time: the status colours and the API docs page."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from planwatch.model import Status
from planwatch.vocabulary import UNKNOWN_COLOUR, status_colour

from .render import render

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def status_css() -> str:
    """One class per status setting its colour (``--status``), from the one palette in vocabulary."""
    rules = [f".status-{s.value} {{ --status: {status_colour(s)}; }}" for s in Status]
    return "\n".join([f".badge, .card {{ --status: {UNKNOWN_COLOUR}; }}", *rules]) + "\n"


@router.get("/status.css")
def status_stylesheet() -> Response:
    """The status colours as a stylesheet: the pages carry a class, never an inline style."""
    return Response(status_css(), media_type="text/css")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from the vendored bundle, started by a static script (no CDN, no inline script)."""
    return render(request, "swagger.html", {"title": request.app.title})
