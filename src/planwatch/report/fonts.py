"""Find an installed font that covers Chinese, so charts never show empty boxes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planwatch.errors import PlanwatchError

# Glyphs every report needs; a font missing any of them would print boxes.
PROBE_TEXT = "嘉兴规划纲要指标完成度预期约束性滞后年均增长亿元万人"

# Families tried first, in order: clean sans faces that read well in small chart labels.
PREFERRED_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Droid Sans Fallback",
)

# 公文 fonts (GB/T 9704) for the Word report, by the names Word on Windows knows. The document keeps
# these names; LibreOffice on Debian has no face of that name and draws the glyphs with an installed
# CJK face (one of PREFERRED_FAMILIES, from fonts-wqy-*), so the text never shows as boxes.
BODY_FONT = "仿宋"  # 正文
HEADING_FONT = "黑体"  # 一级标题
SUBHEADING_FONT = "楷体"  # 二级标题
TITLE_FONT = "宋体"  # 文件标题
LATIN_FONT = "Times New Roman"  # digits and Latin text in every style
DOCUMENT_LANGUAGE = "zh-CN"  # East Asian language: picks simplified-Chinese glyphs and line-breaking rules

APT_HINT = "apt-get install fonts-wqy-microhei（或 fonts-wqy-zenhei / fonts-noto-cjk）"


@dataclass(frozen=True)
class CJKFont:
    """An installed font file whose glyphs cover the probe text."""

    family: str
    path: Path


def covers(path: str | Path, text: str = PROBE_TEXT) -> bool:
    """True if the font file at ``path`` draws every character of ``text`` with a glyph of its own.

    A charmap entry is not enough: a last-resort font (matplotlib ships one) maps every code point to one
    box per Unicode block, so the characters of ``text`` must also get different glyphs."""
    from matplotlib import ft2font

    try:
        charmap = ft2font.FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    glyphs = [charmap.get(ord(ch)) for ch in set(text)]
    return None not in glyphs and len(set(glyphs)) == len(glyphs)


def _rank(family: str) -> int:
    try:
        return PREFERRED_FAMILIES.index(family)
    except ValueError:
        return len(PREFERRED_FAMILIES)


@lru_cache(maxsize=1)
def cjk_font() -> CJKFont:
    """The best installed CJK font; PlanwatchError naming the apt package if none.

    matplotlib lists the fonts it found when its cache was first written; a font installed after that
    (fonts-wqy-* put on the machine after the first chart) is looked for among the system's fonts and
    added, rather than reported missing."""
    from matplotlib import font_manager

    found = _best_listed()
    if found is None:
        for fname in font_manager.findSystemFonts():
            if covers(fname):
                font_manager.fontManager.addfont(fname)
        found = _best_listed()
    if found is None:
        raise PlanwatchError("未找到可显示中文的字体，图表中的汉字将无法显示。请先安装中文字体：" + APT_HINT)
    return found


def _best_listed() -> CJKFont | None:
    """The preferred font matplotlib lists whose file covers the probe text, if any."""
    from matplotlib import font_manager

    listed = {(entry.name, entry.fname) for entry in font_manager.fontManager.ttflist}
    for family, fname in sorted(listed, key=lambda item: (_rank(item[0]), item[0], item[1])):
        if covers(fname):
            return CJKFont(family=family, path=Path(fname))
    return None
