"""Arbitrary or truncated text never raises anything but PlanFormatError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.errors import PlanFormatError
from planwatch.ingest import read_plan_text
from planwatch.samples import JIAXING_OUTLINE

OUTLINE = JIAXING_OUTLINE.read_text(encoding="utf-8")
LINES = OUTLINE.split("\n")
ALPHABET = st.sampled_from([*list("一二三四五六七八九十、（）()1234567890.．%万亿元达到以上左右力争分别专栏表注：:，,。|\t\n —“”"), "到2025年", "专栏3 ", "表2 ", "分之", "翻一番", "\n\n"])


def read_or_format_error(text: str) -> None:
    try:
        read_plan_text(text, "fuzz.txt")
    except PlanFormatError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=120).map("".join))
def test_plan_like_noise(text):
    read_or_format_error(text)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text):
    read_or_format_error(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(LINES)), st.integers(min_value=0, max_value=len(LINES)))
def test_cut_outline(start, length):
    read_or_format_error("\n".join(LINES[start: start + length]))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(OUTLINE)))
def test_truncated_outline(cut):
    read_or_format_error(OUTLINE[:cut])


def test_malformed_numerals_are_not_headings_or_plan_numbers():
    import pytest

    with pytest.raises(PlanFormatError):
        read_plan_text("十十、标题\n（十十十）标题\n", "x.txt")
    plan = read_plan_text("某市国民经济和社会发展第九十九个五年规划纲要\n一、总则\n", "x.txt")
    assert plan.meta.plan_number is None and plan.meta.period_start is None
    assert any("不合理" in w for w in plan.warnings)
