"""Template rendering: one Jinja environment for every page, autoescaped."""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from planwatch.vintages import VINTAGE_LABELS

from .region_choice import REGION_SELECT_MAX, many_regions


def groups_in_order(rows: list[dict[str, Any]], key: str) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Consecutive runs of rows sharing a key, in the rows' own order (unlike Jinja's groupby)."""
    return [(k, list(g)) for k, g in groupby(rows, key=lambda r: r.get(key))]


def is_link(text: Any) -> bool:
    """Whether a source is a web address that can be shown as a link."""
    return isinstance(text, str) and text.startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (built once)."""
    env = Environment(
        loader=PackageLoader("planwatch.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["groups_in_order"] = groups_in_order
    env.tests["link"] = is_link
    env.globals["vintage_labels"] = VINTAGE_LABELS
    env.globals["many_regions"] = many_regions  # the reports form's region field, as the pages' (region_choice.py)
    env.globals["REGION_SELECT_MAX"] = REGION_SELECT_MAX
    return env


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page rendered from a template and its context, with who is asking (``viewer``: its account
    or None, and what it may do), the session's CSRF token for its forms and, with several plans
    stored, the header's plan switcher."""
    from .plan_choice import plan_switch

    base = request.scope.get("root_path", "").rstrip("/")
    html = environment().get_template(template).render(**context, **who_is_asking(request), base=base,
                                                       path=request.url.path,
                                                       plan_switch=plan_switch(request, status_code))
    return HTMLResponse(html, status_code=status_code)


def who_is_asking(request: Request) -> dict[str, Any]:
    """``account`` (None when anonymous), ``may`` (the permissions it holds) and ``csrf_token``.

    Error pages are rendered too for requests refused before the session layer (a foreign host) or
    whose credentials failed: those read as anonymous."""
    from planwatch.errors import PlanwatchError

    from .auth import PERMISSIONS, csrf_token, current, public_mode

    if "session" not in request.scope:
        return {"account": None, "may": set(), "csrf_token": ""}
    try:
        viewer = current(request)
        public = viewer.user is None and public_mode(request)
    except PlanwatchError:  # a failed credential, or no store to ask: anonymous, holding nothing
        viewer, public = None, False
    account = viewer.user if viewer is not None else None
    may = {p for p in PERMISSIONS if viewer is not None and viewer.may(p, public=public)}
    return {"account": account, "may": may, "csrf_token": csrf_token(request)}
