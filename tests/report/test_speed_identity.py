"""The faster chart path keeps the bytes: builds repeat exactly, and a chart does not depend on where
(which process, after which other charts) it was drawn."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from planwatch.errors import PlanwatchError
from planwatch.report import ReportInputs, build_reports
from planwatch.report.charts import (
    Charts,
    IndicatorCanvas,
    build_charts,
    chart_style,
    charts_drawn,
    indicator_figure,
    render_png,
    render_svg,
)
from planwatch.report.context import context_from_store


@pytest.fixture(scope="module")
def jiaxing_context(jiaxing_store_shared):
    """The real Jiaxing annual report context: rate targets, planned paths, projections, bounds."""
    return context_from_store(jiaxing_store_shared, "annual", 2024)


def test_two_builds_of_every_format_give_identical_files(tmp_path, hand):
    inputs = ReportInputs(hand.plan(), hand.assessment(), hand.observations(), hand.adjustments())
    first = build_reports(inputs, "annual", 2024, tmp_path / "a")
    second = build_reports(inputs, "annual", 2024, tmp_path / "b")
    assert [p.suffix for p in first] == [".docx", ".html", ".xlsx"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    (html_alone,) = build_reports(inputs, "annual", 2024, tmp_path / "c", formats=("html",))
    assert html_alone.read_bytes() == first[1].read_bytes()  # SVG drawn alone or before a PNG: the same
    with zipfile.ZipFile(first[0]) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(images) == 2 + 5  # two summary charts, five indicators with data: none lost or merged


def test_worker_processes_draw_the_same_charts_as_one(jiaxing_context, monkeypatch):
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "1")
    serial = build_charts(jiaxing_context)
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "2")
    parallel = build_charts(jiaxing_context)
    assert len(serial) > 20
    assert serial == parallel


def test_a_chart_does_not_depend_on_the_charts_drawn_before_it(jiaxing_context):
    rows = [r for r in jiaxing_context.rows if r.chart_key]
    assert any(r.chart.target_is_rate for r in rows) and any(r.chart.planned for r in rows)
    with chart_style():
        forward, backward = IndicatorCanvas(), IndicatorCanvas()
        drawn_forward = {r.chart_key: render_png(forward.draw(r, 2024)) for r in rows}
        drawn_backward = {r.chart_key: render_png(backward.draw(r, 2024)) for r in reversed(rows)}
        alone = {r.chart_key: render_png(indicator_figure(r, 2024)) for r in rows[::7]}
    assert drawn_forward == drawn_backward
    assert alone == {k: drawn_forward[k] for k in alone}


def test_a_redrawn_chart_spans_its_own_data_and_names_only_its_own_series(jiaxing_context):
    rows = [r for r in jiaxing_context.rows if r.chart_key]
    with chart_style():
        canvas = IndicatorCanvas()
        for row in [*rows, *reversed(rows)]:
            ax = canvas.draw(row, 2024).axes[0]
            chart = row.chart
            values = [p.value for p in chart.actual] + [v for _, v in (*chart.planned, *chart.projection)]
            values += [chart.target[1]] if chart.target else []
            low, high = ax.get_ylim()
            assert low <= min(values) and max(values) <= high, row.chart_key
            if max(values) > min(values):  # a single value is widened by matplotlib's own rule
                assert (low, high) == pytest.approx(_padded(values, row), rel=1e-3, abs=1e-6), row.chart_key
            labels = [t.get_text() for t in ax.get_legend().get_texts()]
            assert ("实际值" in labels) == bool(chart.actual) and ("规划路径" in labels) == bool(chart.planned)
            assert ("趋势推算" in labels) == bool(chart.projection)


def _padded(values: list[float], row) -> tuple[float, float]:
    """matplotlib's default y range: the data (and the expected value) with 5 % margins."""
    values = values + ([row.finding.expected] if row.finding.expected is not None else [])
    low, high = min(values), max(values)
    return low - 0.05 * (high - low), high + 0.05 * (high - low)


def test_png_has_the_pixels_matplotlib_saves(jiaxing_context):
    row = next(r for r in jiaxing_context.rows if r.chart_key)
    with chart_style():
        fig = indicator_figure(row, 2024)
        ours = render_png(fig)
        saved = io.BytesIO()
        fig.savefig(saved, format="png", dpi=150)
    ours_image, saved_image = Image.open(io.BytesIO(ours)), Image.open(saved)
    assert ours_image.mode == "RGB" and ours_image.size == saved_image.size == (960, 510)
    assert ours_image.info["dpi"] == saved_image.info["dpi"]  # 5906 pixels a metre, 150 dpi
    assert np.array_equal(np.asarray(ours_image), np.asarray(saved_image.convert("RGB")))


def _lifted(row, scale: float, name: str):
    """``row`` with its values times ``scale`` and indicator name ``name``."""
    chart = row.chart
    scaled = replace(
        chart, actual=tuple(replace(p, value=p.value * scale) for p in chart.actual),
        planned=tuple((y, v * scale) for y, v in chart.planned),
        target=None if chart.target is None else (chart.target[0], chart.target[1] * scale),
        projection=tuple((y, v * scale) for y, v in chart.projection))
    finding = row.finding.model_copy(update={
        "indicator": name, "expected": None if row.finding.expected is None else row.finding.expected * scale})
    return replace(row, chart=scaled, view=replace(row.view, finding=finding))


def test_the_title_is_placed_as_matplotlib_places_it(jiaxing_context):
    """The canvas puts the title at the top of the axes without matplotlib's placement; a chart whose y axis
    shows an offset ('1e6') is drawn with it, lifting a long title clear of the offset as before."""
    row = next(r for r in jiaxing_context.rows if r.chart_key and r.chart.actual and not r.chart.target_is_rate)
    lifted = _lifted(row, 1e6, "地区生产总值（按常住人口计算的人均值，以当年价格计算并按可比价格折算）")
    with chart_style():
        placing = IndicatorCanvas(title_at_top=False)  # matplotlib's own placement, as every chart had before
        expected = {}
        for name, r in (("plain", row), ("lifted", lifted)):
            fig = placing.draw(r, 2024)
            expected[name] = (render_png(fig), render_svg(fig), fig.axes[0].title.get_position()[1])
        canvas = IndicatorCanvas()
        drawn = {}
        for name, r in (("plain", row), ("lifted", lifted)):
            fig = canvas.draw(r, 2024)
            drawn[name] = (render_png(fig), render_svg(fig), fig.axes[0].title.get_position()[1])
    assert expected["plain"][2] == 1.0 and expected["lifted"][2] > 1.0  # the offset lifts the long title
    assert drawn == expected


def test_writers_taking_charts_as_the_workers_draw_them_write_the_same_files(jiaxing_context, tmp_path, monkeypatch):
    """With worker processes the writers run while the charts are drawn (Excel first, then Word and HTML taking
    each chart when its batch arrives); the files are those of one process drawing all charts first."""
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "1")
    serial = build_reports(jiaxing_context, "annual", 2024, tmp_path / "serial")
    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "2")
    with charts_drawn(jiaxing_context) as charts:
        n_indicators = sum(1 for r in jiaxing_context.rows if r.chart_key)
        assert isinstance(charts, Charts) and n_indicators > 24 and len(charts) == 2 + n_indicators
        keys = list(charts)
        assert keys[:2] == ["status", "category"] and all(key in charts for key in keys)  # known before drawn
        assert "no-such-chart" not in charts and charts.get("no-such-chart") is None
        assert charts[keys[-1]].png and charts[keys[-1]].svg
    parallel = build_reports(jiaxing_context, "annual", 2024, tmp_path / "parallel")
    assert [p.name for p in parallel] == [p.name for p in serial]
    for a, b in zip(serial, parallel, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_failed_writer_stops_the_workers_and_leaves_no_files(jiaxing_context, tmp_path, monkeypatch):
    from planwatch.report import WRITERS

    def broken(ctx, charts, path):
        path.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setenv("PLANWATCH_REPORT_WORKERS", "2")
    monkeypatch.setitem(WRITERS, "xlsx", broken)  # written first, while the workers draw
    with pytest.raises(PlanwatchError, match="写入报告失败"):
        build_reports(jiaxing_context, "annual", 2024, tmp_path)
    assert list(tmp_path.iterdir()) == []
