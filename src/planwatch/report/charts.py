"""Charts (matplotlib, Agg): one per indicator with data, and status summaries.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state) and rendered
deterministically: SVG with a fixed hash salt, no date, text as paths (so it shows without
fonts); PNG with nothing but the pixels and the resolution.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import struct
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import matplotlib
import numpy as np

matplotlib.use("Agg", force=False)

from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.ticker import FixedLocator, Locator, MaxNLocator

from planwatch.figures import fmt_number
from planwatch.presentation import ChartSeries
from planwatch.vocabulary import status_colour

from .contents import IndicatorRow, ReportContext
from .fonts import cjk_font

PNG_DPI = 150
PNG_COMPRESSION = 3  # zlib level: higher levels cost more time than the bytes they save
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


class IndicatorCanvas:
    """One indicator chart's figure, redrawn for each indicator: its artists are made once.

    Building a figure (axes, ticks, lines, legend) cost about as much as drawing it; here an
    indicator only sets data, texts and visibility. A chart's bytes do not depend on the charts
    drawn before it (tests/report/test_speed_identity.py), so batches may run in any process.
    """

    def __init__(self, *, title_at_top: bool = True) -> None:
        self.figure = Figure(figsize=INDICATOR_SIZE, dpi=PNG_DPI)
        FigureCanvasAgg(self.figure)  # kept: its renderer caches text sizes across charts
        ax = self.axes = self.figure.add_subplot()
        # Made in the order of the legend entries (legend order is the order of these artists).
        (self.planned,) = ax.plot([], [], color=PATH_COLOUR, linestyle="--", marker=".", label="规划路径")
        self.target_rate = ax.axhline(0, color=TARGET_COLOUR, linestyle=":", linewidth=1.2)
        self.target_point = ax.scatter([0], [0], marker="*", s=120, color=TARGET_COLOUR, zorder=4)
        (self.actual,) = ax.plot([], [], marker="o", linewidth=2, label="实际值")
        (self.projection,) = ax.plot([], [], linestyle=(0, (4, 2)), linewidth=1.2, label="趋势推算")
        self.expected = ax.scatter([0], [0], marker="D", s=28, color="#546E7A", zorder=3)
        self.bounds: list[Annotation] = []
        ax.set_xlabel("年份")
        _integer_ticks(ax.xaxis)
        self._locators: list[tuple[Axis, Locator]] = [(axis, axis.get_major_locator()) for axis in (ax.xaxis, ax.yaxis)]
        ax.grid(axis="y", color="#E0E0E0", linewidth=0.6)
        self.figure.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.28)
        # matplotlib places a title by laying out the y axis once more in every render (a tenth of the
        # time), to lift it above an offset ('1e6', '+5e3') shown at the top of the y axis. Without an
        # offset the title stays at the top, so it is put there; a chart with one is drawn by a canvas
        # that keeps matplotlib's placement (made when first needed).
        self.title_at_top = title_at_top
        if title_at_top:
            ax.set_title("", y=1.0)
        self._placing_title: IndicatorCanvas | None = None

    def draw(self, row: IndicatorRow, report_year: int) -> Figure:
        """The figure showing ``row``: actual values by year, the planned path, the target, the projection."""
        f, chart, ax = row.finding, row.chart, self.axes
        colour = status_colour(row.status)
        self._set_line(self.planned, chart.planned)
        self._set_target(chart)
        self._set_line(self.actual, [(p.year, p.value) for p in chart.actual], colour)
        self._set_bounds(chart)
        self._set_line(self.projection, chart.projection, colour)
        self.expected.set_visible(f.expected is not None)
        if f.expected is not None:
            self.expected.set_offsets([(report_year, f.expected)])
            self.expected.set_label(f"{report_year}年应达值")
        no = f"{f.no}. " if f.no else ""
        ax.set_title(f"{no}{f.indicator}（{row.cells['status']}）", fontsize=10)
        ax.set_ylabel(chart.unit or "数值")
        for axis, locator in self._locators:
            axis.set_major_locator(locator)  # limits are set with matplotlib's locators, as always
        self._set_limits(chart)
        self._fix_ticks()
        self._set_legend()
        if self.title_at_top and self._y_offset():
            self._placing_title = self._placing_title or IndicatorCanvas(title_at_top=False)
            return self._placing_title.draw(row, report_year)
        return self.figure

    def _fix_ticks(self) -> None:
        """The ticks matplotlib's locators choose for these limits, chosen once: a render asks for them eight times."""
        for axis, locator in self._locators:
            axis.set_major_locator(FixedLocator(locator()))

    def _y_offset(self) -> bool:
        """Whether the y axis shows an offset or a power of ten above its ticks (computed as the draw does)."""
        axis = self.axes.yaxis
        formatter = axis.get_major_formatter()
        formatter.format_ticks(axis.get_majorticklocs().tolist())
        return bool(formatter.get_offset())

    @staticmethod
    def _set_line(line: Line2D, points: Sequence[tuple[int, float]], colour: str | None = None) -> None:
        line.set_data([p[0] for p in points], [p[1] for p in points])
        line.set_visible(bool(points))
        if colour is not None:
            line.set_color(colour)

    def _set_target(self, chart: ChartSeries) -> None:
        """The target: a dotted level for a rate target, a star at the target year otherwise."""
        rate = chart.target is not None and chart.target_is_rate
        self.target_rate.set_visible(rate)
        self.target_point.set_visible(chart.target is not None and not rate)
        if chart.target is None:
            return
        target_year, target = chart.target
        if rate:
            self.target_rate.set_ydata([target, target])
            self.target_rate.set_label(f"目标（{chart.target_text or fmt_number(target, chart.unit)}）")
        else:
            self.target_point.set_offsets([(target_year, target)])
            self.target_point.set_label(f"{target_year}年目标")

    def _set_bounds(self, chart: ChartSeries) -> None:
        """'>' / '<' beside each bound value."""
        for note in self.bounds:
            note.remove()
        # zorder just under 3: drawn under the expected-value marker (3) and the target star (4), as
        # when the notes were made before those markers.
        self.bounds = [self.axes.annotate(p.bound, (p.year, p.value), textcoords="offset points", xytext=(4, 4),
                                          fontsize=8, zorder=2.9) for p in chart.actual if p.bound]

    def _set_limits(self, chart: ChartSeries) -> None:
        """Data limits from what is shown; x spans the plan period whatever is drawn."""
        ax = self.axes
        ax.relim(visible_only=True)
        ax.set_autoscale_on(True)
        ax.autoscale_view()
        if chart.years is not None:  # a level line alone sets no x range
            first = min([chart.years[0], *(p.year for p in chart.actual)])
            ax.set_xlim(first - 0.5, chart.years[1] + 0.5)

    def _set_legend(self) -> None:
        ax = self.axes
        if (old := ax.get_legend()) is not None:
            old.remove()
        shown = [a for a in (self.planned, self.target_rate, self.target_point, self.actual, self.projection,
                             self.expected) if a.get_visible()]
        if shown:
            # Below the axes at a fixed place: 'best' placement and tight_layout cost more than drawing.
            ax.legend(handles=shown, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=5,
                      frameon=False)


def indicator_figure(row: IndicatorRow, report_year: int, canvas: IndicatorCanvas | None = None) -> Figure:
    """Actual values by year, the planned path, the target and the projection of one indicator.

    Pass ``canvas`` to draw into it afresh (what a batch of charts does); without, a new figure.
    """
    return (canvas or IndicatorCanvas()).draw(row, report_year)


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
    """The figure as an RGB PNG without variable metadata.

    Drawn on the figure's Agg canvas (kept, with its text-size cache) rather than through savefig.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    with _dpi(fig, dpi):
        canvas.draw()
        return png_bytes(np.asarray(canvas.buffer_rgba())[..., :3], dpi)


def png_bytes(rgb: np.ndarray, dpi: int) -> bytes:
    """An 8-bit RGB PNG of ``rgb`` (height × width × 3) with its resolution, and nothing else.

    The figure is opaque, so no alpha channel; rows are stored unfiltered: on a chart (flat white,
    thin lines, text) that compresses smaller than PIL's adaptive filters and three times faster.
    """
    height, width, _ = rgb.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type, 0 (none)
    rows[:, 1:].reshape(height, width, 3)[...] = rgb  # one copy, straight from the canvas (a view, no reshape copy)
    per_metre = round(dpi / 0.0254)
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _png_chunk(b"IDAT", zlib.compress(rows.data, PNG_COMPRESSION)),
        _png_chunk(b"IEND", b""),
    ])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


@contextmanager
def _dpi(fig: Figure, dpi: float) -> Iterator[None]:
    """``fig`` at ``dpi`` for the duration (as savefig does)."""
    original = fig.dpi
    if original != dpi:
        fig.dpi = dpi
    try:
        yield
    finally:
        if fig.dpi != original:
            fig.dpi = original


def _render(key: str, title: str, fig: Figure, svg: bool, png: bool) -> Chart:
    return Chart(key, title, render_svg(fig) if svg else "", render_png(fig) if png else b"")


def _render_rows(job: tuple[Sequence[IndicatorRow], int, bool, bool]) -> list[Chart]:
    """Charts of a batch of indicator rows (runs in a worker process for large reports)."""
    rows, year, svg, png = job
    with chart_style():
        canvas = IndicatorCanvas()
        # Only rows with a chart key reach here (charts_drawn filters them).
        return [_render(r.chart_key or "", r.finding.indicator, canvas.draw(r, year), svg, png) for r in rows]


def chart_workers(n_charts: int) -> int:
    """Worker processes for ``n_charts`` charts: PLANWATCH_REPORT_WORKERS, else one per CPU for big reports."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    # Forking a threaded process (a web server) is unsafe; small reports are not worth a pool.
    if n_charts < PARALLEL_FROM or threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class Charts(Mapping[str, Chart]):
    """A report's charts while worker processes still draw some: looking one up waits for its batch.

    The writers take charts in the order of the report, so a writer runs while the later charts are
    drawn instead of after all of them.
    """

    def __init__(self, drawn: dict[str, Chart], batches: Sequence[tuple[Sequence[str], Future[list[Chart]]]]) -> None:
        self._drawn = drawn
        self._keys = [*drawn, *(key for keys, _ in batches for key in keys)]
        self._batches = {key: batch for keys, batch in batches for key in keys}

    def __getitem__(self, key: str) -> Chart:
        if key not in self._drawn:
            self._drawn.update((c.key, c) for c in self._batches[key].result())
        return self._drawn[key]

    def __contains__(self, key: object) -> bool:
        return key in self._drawn or key in self._batches  # without waiting for the drawing

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@contextmanager
def charts_drawn(ctx: ReportContext, *, svg: bool = True, png: bool = True) -> Iterator[Mapping[str, Chart]]:
    """All charts of a report, keyed by chart key, rendered in the formats asked for (none: no charts).

    With worker processes, the charts arrive while the body of the ``with`` runs (see :class:`Charts`).
    """
    if not (svg or png):
        yield {}
        return
    rows = [r for r in ctx.rows if r.chart_key]
    workers = chart_workers(len(rows))
    if workers == 1:
        charts = _summary_charts(ctx, svg, png)
        charts.update((c.key, c) for c in _render_rows((rows, ctx.year, svg, png)))
        yield charts
        return
    size = max(1, -(-len(rows) // (workers * 3)))
    batches = [rows[i:i + size] for i in range(0, len(rows), size)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        try:
            futures = [pool.submit(_render_rows, (batch, ctx.year, svg, png)) for batch in batches]
            # The workers are forked by the first submit; this process draws the two summary charts meanwhile.
            summary = _summary_charts(ctx, svg, png)
            yield Charts(summary, [([r.chart_key or "" for r in batch], future)
                                   for batch, future in zip(batches, futures, strict=True)])
        finally:
            # After the writers every batch is done; after a failed writer, the batches not started are dropped.
            pool.shutdown(cancel_futures=True)


def build_charts(ctx: ReportContext, *, svg: bool = True, png: bool = True) -> dict[str, Chart]:
    """All charts of a report, keyed by chart key, rendered in the formats asked for."""
    with charts_drawn(ctx, svg=svg, png=png) as charts:
        return dict(charts)


def _summary_charts(ctx: ReportContext, svg: bool, png: bool) -> dict[str, Chart]:
    """The status and category charts (none for a report without findings)."""
    if not ctx.total:
        return {}
    with chart_style():
        return {"status": _render("status", "主要指标评估状态", status_figure(ctx), svg, png),
                "category": _render("category", "分领域指标评估状态", category_figure(ctx), svg, png)}
