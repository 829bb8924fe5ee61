"""plan.yaml: lossless round trip, readable text, and located errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.errors import PlanFormatError
from planwatch.model import Comparator, Indicator, PathShape, Plan
from planwatch.planfile import (
    plan_from_yaml,
    plan_to_yaml,
    read_plan_yaml,
    write_plan_yaml,
)

# What a reviewer (or an odd document) may put into plan.yaml: any text, any finite or infinite number.
TEXT = st.text(max_size=20)
NUMBERS = st.one_of(st.none(), st.floats(allow_nan=False))


@pytest.fixture(scope="module")
def yaml_text(jiaxing_plan):
    return plan_to_yaml(jiaxing_plan)


def test_round_trip_is_lossless(jiaxing_plan, yaml_text):
    again = plan_from_yaml(yaml_text)
    assert again == jiaxing_plan
    assert plan_to_yaml(again) == yaml_text


@st.composite
def edited_indicator(draw, indicator: Indicator) -> Indicator:
    """An indicator after a reviewer's edits: name, unit, path, target, baseline, notes, extra columns."""
    target = indicator.target.model_copy(update={"value": draw(NUMBERS), "text": draw(TEXT),
                                                 "comparator": draw(st.none() | st.sampled_from(Comparator))})
    baseline = indicator.baseline.model_copy(update={"value": draw(NUMBERS), "text": draw(TEXT)})
    return indicator.model_copy(update={
        "name": draw(TEXT), "unit": draw(st.none() | TEXT), "path": draw(st.none() | st.sampled_from(PathShape)),
        "target": target, "targets": [target, *indicator.targets[1:]], "baseline": baseline,
        "notes": draw(st.lists(TEXT, max_size=3)), "extra": draw(st.dictionaries(TEXT, TEXT, max_size=3))})


@st.composite
def edited_plans(draw, plan: Plan) -> Plan:
    """The real plan cut down to a few indicators and targets, edited, with flags resolved or not."""
    indicators = draw(st.lists(st.sampled_from(plan.indicators), max_size=4, unique_by=lambda i: i.id))
    targets = draw(st.lists(st.sampled_from(plan.targets), max_size=4))
    return plan.model_copy(update={
        "meta": plan.meta.model_copy(update={"title": draw(TEXT), "region": draw(st.none() | TEXT)}),
        "indicators": [draw(edited_indicator(i)) for i in indicators],
        "targets": [t.model_copy(update={"quote": draw(TEXT), "value": draw(NUMBERS)}) for t in targets],
        "flags": [f.model_copy(update={"resolved": draw(st.booleans())}) for f in plan.flags],
        "warnings": draw(st.lists(TEXT, max_size=3)),
    })


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_of_an_edited_plan_is_lossless(jiaxing_plan, data):
    plan = data.draw(edited_plans(jiaxing_plan))
    assert plan_from_yaml(plan_to_yaml(plan)) == plan


def test_path_is_unset_until_a_reviewer_sets_it(yaml_text, jiaxing_plan):
    assert "\n  path:" not in yaml_text
    assert "path: geometric" in yaml_text.split("format_version")[0]  # the header tells how to set it
    first = jiaxing_plan.indicators[0]
    edited = yaml_text.replace(f"- id: {first.id}\n", f"- id: {first.id}\n  path: linear\n", 1)
    plan = plan_from_yaml(edited)
    assert plan.indicators[0].path == PathShape.linear
    assert [i.path for i in plan.indicators[1:]] == [None] * (len(plan.indicators) - 1)


def test_text_is_human_editable(yaml_text):
    assert yaml_text.startswith("# planwatch 规划文件")
    assert "title: 嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n" in yaml_text
    assert "\\u" not in yaml_text and "{" not in yaml_text.split("format_version")[1][:200]
    keys = [line.split(":")[0] for line in yaml_text.splitlines() if line and line[0] not in "# -"]
    assert keys[:3] == ["format_version", "meta", "outline"]


def test_write_and_read_file(tmp_path, jiaxing_plan):
    path = write_plan_yaml(jiaxing_plan, tmp_path / "out" / "plan.yaml")
    assert read_plan_yaml(path) == jiaxing_plan
    assert [p.name for p in path.parent.iterdir()] == ["plan.yaml"]  # no temporary file left


def line_number(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("old, new, message", [
    ("  period_end: 2025\n", "  period_end: 二〇二五\n", "meta.period_end 应为整数"),
    ("  region: 嘉兴市\n", "  region: 嘉兴市\n  regoin: 嘉兴\n", "meta.regoin 不认识的字段"),
    ("comparator: at_least\n", "comparator: more_than\n", "应为以下之一"),
])
def test_schema_errors_name_the_line(yaml_text, old, new, message):
    broken = yaml_text.replace(old, new, 1)
    with pytest.raises(PlanFormatError) as info:
        plan_from_yaml(broken, "plan.yaml")
    assert message in str(info.value)
    assert info.value.file == "plan.yaml"
    assert info.value.line == line_number(broken, new.strip().splitlines()[-1])


def test_missing_field_points_at_its_parent(yaml_text):
    broken = yaml_text.replace("  label: 专栏3\n", "", 1)
    with pytest.raises(PlanFormatError, match="缺少必填字段") as info:
        plan_from_yaml(broken, "plan.yaml")
    assert info.value.line == line_number(broken, "- id: box3")


def test_yaml_syntax_error_names_the_line(yaml_text):
    broken = yaml_text.replace("  title: 共建轨道上的长三角\n", "  title: 共建轨道上的长三角\n   oops: [\n", 1)
    with pytest.raises(PlanFormatError, match="YAML 格式错误") as info:
        plan_from_yaml(broken, "plan.yaml")
    assert info.value.line == line_number(broken, "   oops")


@pytest.mark.parametrize("text, message", [("", "为空"), ("- a\n- b\n", "顶层应为键值映射"),
                                           ("format_version: 9\n", "format_version")])
def test_not_a_plan(text, message):
    with pytest.raises(PlanFormatError, match=message):
        plan_from_yaml(text, "plan.yaml")


def test_missing_file(tmp_path):
    with pytest.raises(PlanFormatError, match="文件不存在"):
        read_plan_yaml(tmp_path / "none.yaml")
