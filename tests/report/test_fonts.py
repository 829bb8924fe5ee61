"""The CJK font is found, used by the charts, and its glyphs are drawn (no empty boxes)."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
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


def test_a_last_resort_font_of_boxes_does_not_count_as_chinese():
    """matplotlib ships LastResortHE: every code point is in its charmap, each drawn as its block's box."""
    last_resort = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"
    assert ord("嘉") in ft2font.FT2Font(str(last_resort)).get_charmap()
    assert not fonts.covers(last_resort)


def test_a_font_installed_after_matplotlibs_cache_is_found(monkeypatch):
    """The cache written before fonts-wqy-* was installed lists no CJK face: the system's fonts are looked at."""
    before_install = [e for e in font_manager.fontManager.ttflist if e.name == "DejaVu Sans" or "Last Resort" in e.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", before_install)
    fonts.cjk_font.cache_clear()
    try:
        found = fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()
    assert found.family == "WenQuanYi Micro Hei" and fonts.covers(found.path)
    assert found.family in {e.name for e in font_manager.fontManager.ttflist}  # added: charts can name it


def test_missing_font_raises_with_apt_package(monkeypatch):
    latin_only = [e for e in font_manager.fontManager.ttflist if "DejaVu" in e.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [e.fname for e in latin_only])
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
