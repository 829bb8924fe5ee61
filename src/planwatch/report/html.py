"""HTML writer: one self-contained file (inline CSS, charts as inline SVG), A4 print-ready."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2

from planwatch.vocabulary import STATUS_FILLS, place_in_plan

from .charts import Chart
from .contents import ReportContext

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["place"] = place_in_plan
    return env


def render_html(ctx: ReportContext, charts: Mapping[str, Chart]) -> str:
    """The report as one HTML document."""
    template = _environment().get_template("report.html.j2")
    return template.render(ctx=ctx, charts=charts, fills=STATUS_FILLS)


def write_html(ctx: ReportContext, charts: Mapping[str, Chart], path: Path) -> Path:
    """Write the HTML report to ``path``."""
    path.write_text(render_html(ctx, charts), encoding="utf-8", newline="\n")
    return path
