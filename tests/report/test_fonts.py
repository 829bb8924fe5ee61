"""The CJK font is found, used by the charts, and its glyphs are drawn (no empty boxes)."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager, ft2font

from planwatch.errors import PlanwatchError
from planwatch.report import fonts
from planwatch.report.charts import chart_style, indicator_figure, render_svg, status_figure
from planwatch.report.context import build_context


def test_found_font_covers_chinese():
    font = fonts.cjk_font()
    assert font.path.exists()
    assert fonts.covers(font.path, "嘉兴市国民经济和社会发展第十四个五年规划")
    assert not fonts.covers(font_manager.findfont("DejaVu Sans"), "嘉兴")


def test_missing_font_raises_with_apt_package(monkeypatch):
    latin_only = [e for e in font_manager.fontManager.ttflist if "DejaVu" in e.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(PlanwatchError, match="fonts-wqy-microhei"):
            fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()


def test_chart_text_uses_cjk_font_without_missing_glyphs(plan, assessment, observations, adjustments):
    ctx = build_context(plan, assessment, observations, adjustments, "annual")
    gdp = next(r for r in ctx.rows if r.finding.indicator_id == "T2-1")
    expected = fonts.cjk_font().path
    with chart_style(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = indicator_figure(gdp, ctx.year)
        svg = render_svg(fig)
    assert not [w for w in caught if "missing from" in str(w.message)]
    ax = fig.axes[0]
    title = ax.title
    assert title.get_text() == "1. 地区生产总值（滞后）"
    with chart_style():
        assert font_manager.findfont(title.get_fontproperties()) == str(expected)
        assert font_manager.findfont(ax.xaxis.label.get_fontproperties()) == str(expected)
    assert ax.xaxis.label.get_text() == "年份" and ax.yaxis.label.get_text() == "亿元"
    # Text is drawn as glyph paths from the CJK font: the glyph of 地 is defined in the SVG.
    font = ft2font.FT2Font(str(expected))
    glyph = font.get_charmap()[ord("地")]
    assert f'id="{font.postscript_name}-{glyph:x}"' in svg
    assert "<text" not in svg


def test_summary_chart_draws_every_status_label(plan, assessment, observations, adjustments):
    ctx = build_context(plan, assessment, observations, adjustments, "annual")
    with chart_style():
        fig = status_figure(ctx)
        render_svg(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["待下达", "无数据", "滞后", "基本符合预期", "快于预期", "提前实现"]
