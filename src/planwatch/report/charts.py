"""Charts (matplotlib, Agg): one per indicator with data, and status summaries.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state) and rendered
deterministically: SVG with a fixed hash salt, no date, text as paths (so it shows without
fonts); PNG without software metadata.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planwatch.figures import fmt_number
from planwatch.vocabulary import status_colour

from .contents import IndicatorRow, ReportContext
from .fonts import cjk_font

PNG_DPI = 150
WORKERS_ENV = "PLANWATCH_REPORT_WORKERS"
PARALLEL_FROM = 24  # charts; below this a process pool costs more than it saves
PATH_COLOUR = "#90A4AE"
TARGET_COLOUR = "#B91C1C"


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG text for HTML and/or PNG bytes for Word."""

    key: str
    title: str
    svg: str = ""
    png: bytes = b""


def _integer_ticks(axis: Axis) -> None:
    # The default major locator is AutoLocator, a MaxNLocator; matplotlib's stubs type it as the base Locator.
    cast(MaxNLocator, axis.get_major_locator()).set_params(integer=True)


@contextmanager
def chart_style():
    """rcParams for report charts: the CJK font first, text drawn as paths, fixed SVG salt."""
    font = cjk_font()
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [font.family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "planwatch",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(rc):
        yield


INDICATOR_SIZE = (6.4, 3.4)  # inches


def indicator_figure(row: IndicatorRow, report_year: int, fig: Figure | None = None) -> Figure:
    """Actual values by year, the planned path, the target and the projection of one indicator.

    Pass ``fig`` (of INDICATOR_SIZE) to draw into it afresh: reusing one figure keeps its canvas's
    renderer, whose text-size cache then serves every chart (same bytes, ~10% less time).
    """
    f = row.finding
    if fig is None:
        fig = Figure(figsize=INDICATOR_SIZE)
    else:
        fig.clear()
    ax = fig.add_subplot()
    chart = row.chart
    colour = status_colour(row.status)
    if chart.planned:
        ax.plot([p[0] for p in chart.planned], [p[1] for p in chart.planned], color=PATH_COLOUR, linestyle="--",
                marker=".", label="规划路径")
    if chart.target is not None:
        target_year, target = chart.target
        if chart.target_is_rate:
            ax.axhline(target, color=TARGET_COLOUR, linestyle=":", linewidth=1.2,
                       label=f"目标（{chart.target_text or fmt_number(target, chart.unit)}）")
        else:
            ax.scatter([target_year], [target], marker="*", s=120, color=TARGET_COLOUR, zorder=4,
                       label=f"{target_year}年目标")
    if chart.actual:
        ax.plot([p.year for p in chart.actual], [p.value for p in chart.actual], color=colour, marker="o", linewidth=2,
                label="实际值")
        for p in chart.actual:
            if p.bound:
                ax.annotate(p.bound, (p.year, p.value), textcoords="offset points", xytext=(4, 4), fontsize=8)
    if chart.projection:
        ax.plot([p[0] for p in chart.projection], [p[1] for p in chart.projection], color=colour,
                linestyle=(0, (4, 2)), linewidth=1.2, label="趋势推算")
    if f.expected is not None:
        ax.scatter([report_year], [f.expected], marker="D", s=28, color="#546E7A", zorder=3,
                   label=f"{report_year}年应达值")
    no = f"{f.no}. " if f.no else ""
    ax.set_title(f"{no}{f.indicator}（{row.cells['status']}）", fontsize=10)
    ax.set_xlabel("年份")
    ax.set_ylabel(chart.unit or "数值")
    if chart.years is not None:  # the plan period, whatever is drawn (a level line alone sets no x range)
        first = min([chart.years[0], *(p.year for p in chart.actual)])
        ax.set_xlim(first - 0.5, chart.years[1] + 0.5)
    _integer_ticks(ax.xaxis)
    ax.grid(axis="y", color="#E0E0E0", linewidth=0.6)
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        # Below the axes at a fixed place: 'best' placement and tight_layout cost more than drawing.
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=5, frameon=False)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.28)
    return fig


def status_figure(ctx: ReportContext) -> Figure:
    """Number of indicators in each status (horizontal bars)."""
    counts = [c for c in ctx.status_counts]
    fig = Figure(figsize=(6.4, 0.45 * len(counts) + 1.0))
    ax = fig.add_subplot()
    labels = [label for _, label, _ in counts][::-1]
    values = [n for _, _, n in counts][::-1]
    colours = [status_colour(s) for s, _, _ in counts][::-1]
    bars = ax.barh(labels, values, color=colours)
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontsize=8)
    ax.set_title(f"主要指标评估状态（共{ctx.total}项）", fontsize=10)
    ax.set_xlabel("指标数（项）")
    _integer_ticks(ax.xaxis)
    fig.tight_layout()
    return fig


def category_figure(ctx: ReportContext) -> Figure:
    """Statuses within each category (stacked horizontal bars)."""
    table = ctx.by_category
    names = [r[0] for r in table.rows][::-1]
    fig = Figure(figsize=(6.4, 0.5 * max(len(names), 1) + 1.4))
    ax = fig.add_subplot()
    left = [0] * len(names)
    for i, (status, label) in enumerate(zip(table.statuses, table.labels, strict=True)):
        values = [r[1][i] for r in table.rows][::-1]
        if not any(values):
            continue
        ax.barh(names, values, left=left, color=status_colour(status), label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title("分领域指标评估状态", fontsize=10)
    ax.set_xlabel("指标数（项）")
    _integer_ticks(ax.xaxis)
    if any(left):
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, frameon=False)
    fig.tight_layout()
    return fig


def render_svg(fig: Figure) -> str:
    """The figure as SVG text, byte-stable across runs."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def render_png(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes without variable metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _render(key: str, title: str, fig: Figure, svg: bool, png: bool) -> Chart:
    return Chart(key, title, render_svg(fig) if svg else "", render_png(fig) if png else b"")


def _render_rows(job: tuple[Sequence[IndicatorRow], int, bool, bool]) -> list[Chart]:
    """Charts of a batch of indicator rows (runs in a worker process for large reports)."""
    rows, year, svg, png = job
    fig = Figure(figsize=INDICATOR_SIZE)
    with chart_style():
        # Only rows with a chart key reach here (render_charts filters them).
        return [_render(r.chart_key or "", r.finding.indicator, indicator_figure(r, year, fig), svg, png) for r in rows]


def chart_workers(n_charts: int) -> int:
    """Worker processes for ``n_charts`` charts: PLANWATCH_REPORT_WORKERS, else one per CPU for big reports."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    # Forking a threaded process (a web server) is unsafe; small reports are not worth a pool.
    if n_charts < PARALLEL_FROM or threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def build_charts(ctx: ReportContext, *, svg: bool = True, png: bool = True) -> dict[str, Chart]:
    """All charts of a report, keyed by chart key, rendered in the formats asked for."""
    charts: dict[str, Chart] = {}
    rows = [r for r in ctx.rows if r.chart_key]
    with chart_style():
        if ctx.total:
            charts["status"] = _render("status", "主要指标评估状态", status_figure(ctx), svg, png)
            charts["category"] = _render("category", "分领域指标评估状态", category_figure(ctx), svg, png)
    workers = chart_workers(len(rows))
    if workers == 1:
        rendered = _render_rows((rows, ctx.year, svg, png))
    else:
        size = max(1, -(-len(rows) // (workers * 3)))
        jobs = [(rows[i:i + size], ctx.year, svg, png) for i in range(0, len(rows), size)]
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            rendered = [chart for batch in pool.map(_render_rows, jobs) for chart in batch]
    charts.update((c.key, c) for c in rendered)
    return charts
