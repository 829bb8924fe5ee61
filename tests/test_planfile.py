"""plan.yaml: lossless round trip, readable text, and located errors."""

from __future__ import annotations

import pytest

from planwatch.errors import PlanFormatError
from planwatch.planfile import (
    plan_from_yaml,
    plan_to_yaml,
    read_plan_yaml,
    write_plan_yaml,
)


@pytest.fixture(scope="module")
def yaml_text(jiaxing_plan):
    return plan_to_yaml(jiaxing_plan)


def test_round_trip_is_lossless(jiaxing_plan, yaml_text):
    again = plan_from_yaml(yaml_text)
    assert again == jiaxing_plan
    assert plan_to_yaml(again) == yaml_text


def test_text_is_human_editable(yaml_text):
    assert yaml_text.startswith("# planwatch 规划文件")
    assert "title: 嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n" in yaml_text
    assert "\\u" not in yaml_text and "{" not in yaml_text.split("format_version")[1][:200]
    keys = [line.split(":")[0] for line in yaml_text.splitlines() if line and not line[0] in "# -"]
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
