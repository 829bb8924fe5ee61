"""plan.yaml: the reviewed, human-editable form of a Plan (lossless both ways).

Written in block style with Chinese unescaped and keys in the model's field order, so a
reviewer can diff and edit it; read back with every problem reported by file and line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from planwatch.errors import PlanFormatError
from planwatch.model import Plan

FORMAT_VERSION = 1
HEADER = """\
# planwatch 规划文件（plan.yaml）—— 由 `planwatch ingest` 从规划纲要生成，供人工审核。
#
# 审核方法：
#   1. 运行 `planwatch check plan.yaml` 列出待确认事项（flags）；逐条对照原文行号（line）核实。
#   2. 直接修改本文件中的数值、单位、比较方式（comparator: at_least 以上 / at_most 以下 /
#      about 左右 / between 区间 / exactly 等于）或目标年份；确认无误后把该条 flag 的
#      resolved 改为 true。未写出的字段取默认值（多为空），需要时可按同名字段补上。
#   3. 指标（indicators）、文中目标（targets）、项目（projects）、成就（achievements）
#      都带原文行号 line 与原文摘录 quote / cells，便于核对。
#   4. 指标的规划路径形状 path（geometric 复合增长 / linear 线性变化）规划纲要通常不写明，
#      读取时留空，评估时按评估设置 geometric_units 依计量单位决定；如需指定，在该指标下
#      补上 path: geometric 或 path: linear。
#   5. 审核完成后用 `planwatch load plan.yaml` 载入数据库。
#
"""


# PyYAML builds its C classes only when libyaml is installed; they give the same result, faster.
_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
if TYPE_CHECKING:  # one static base for mypy; CSafeDumper has the same interface
    _BaseDumper = yaml.SafeDumper
else:
    _BaseDumper = yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper


class _Dumper(_BaseDumper):
    """Block-style dumper that never writes anchors/aliases (a reviewer must see every value)."""

    def ignore_aliases(self, data) -> bool:
        return True


def plan_to_yaml(plan: Plan) -> str:
    """The plan as YAML text: a review header, then the plan's fields in model order."""
    data = plan.model_dump(mode="json", exclude_none=True)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=4096, indent=2)
    return HEADER + body


def write_plan_yaml(plan: Plan, path: str | Path) -> Path:
    """Write plan.yaml atomically (a temporary file renamed into place); return the path."""
    path = Path(path)
    text = plan_to_yaml(plan)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise PlanFormatError(f"无法写入规划文件：{exc.strerror or exc}", file=str(path)) from None
    return path


def read_plan_yaml(path: str | Path) -> Plan:
    """Read a plan.yaml; PlanFormatError naming the file and line for any problem."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise PlanFormatError("文件不存在", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(f"无法读取文件：{exc.strerror or exc}", file=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(f"plan.yaml 应为 UTF-8 编码，第 {exc.start} 字节无法解码", file=name) from None
    return plan_from_yaml(text, name)


# PyYAML's English problem texts → what a reviewer editing plan.yaml should look for.
YAML_PROBLEMS = (
    ("did not find expected ',' or ']'", "方括号 [ 没有闭合"),
    ("did not find expected ',' or '}'", "花括号 { 没有闭合"),
    ("mapping values are not allowed", "此处不能出现冒号（值里含冒号时请给整个值加引号）"),
    ("cannot start any token", "含有不能出现在此处的字符（缩进只能用空格，不能用制表符）"),
    ("found unexpected end of stream", "文件意外结束（引号没有闭合？）"),
    ("could not find expected ':'", "缺少冒号"),
    ("did not find expected key", "缩进不一致，此处应为“键: 值”"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
)


def yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """The parser's problem in Chinese, with where the unfinished construct began and PyYAML's own words."""
    problem = exc.problem or exc.context or "无法解析"
    told = next((zh for en, zh in YAML_PROBLEMS if en in problem), "")
    began = ""
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
        began = f"，自第 {exc.context_mark.line + 1} 行开始"
    return f"{told}{began}（{problem}）" if told else f"{problem}{began}"


def plan_from_yaml(text: str, name: str = "<plan.yaml>") -> Plan:
    """A Plan from YAML text; errors name ``name``, the line and what was expected."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PlanFormatError(f"YAML 格式错误：{yaml_problem(exc)}（请检查缩进、冒号和引号）", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise PlanFormatError(f"YAML 格式错误：{exc}", file=name) from None
    if data is None:
        raise PlanFormatError("规划文件为空", file=name)
    if not isinstance(data, dict):
        raise PlanFormatError("规划文件顶层应为键值映射（meta、indicators、targets……），"
                              f"实际是{type(data).__name__}", file=name, line=1)
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise PlanFormatError(f"不支持的 format_version：{version!r}（本版本支持 {FORMAT_VERSION}）", file=name,
                              line=line_of(text, ("format_version",)))
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc, text, name) from None


# ---------------------------------------------------------------- error locations

ERROR_WORDS = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（可能拼写错误）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
}


def validation_problem(exc: ValidationError, text: str, name: str) -> PlanFormatError:
    """A PlanFormatError for the first validation errors, located by walking the YAML node tree."""
    errors = exc.errors()
    first = errors[0]
    location = tuple(first["loc"])
    parts = [describe_error(error) for error in errors[:3]]
    more = f"（另有 {len(errors) - 3} 处问题）" if len(errors) > 3 else ""
    return PlanFormatError("规划文件内容不符合格式：" + "；".join(parts) + more, file=name,
                           line=line_of(text, location))


def describe_error(error: Mapping[str, Any]) -> str:
    """One validation error in Chinese: field path, what is wrong, what was given."""
    path = ".".join(str(p) for p in error["loc"]) or "（顶层）"
    kind = error["type"]
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        what = f"应为以下之一：{expected}"
    else:
        what = ERROR_WORDS.get(kind, error["msg"])
    given = "" if kind == "missing" else f"，实际为 {error.get('input')!r}"
    return f"字段 {path} {what}{given}"


def line_of(text: str, location: tuple) -> int | None:
    """1-based line of the YAML node at a validation location (the deepest node that exists)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for key in location:
        child = child_node(node, key)
        if child is None:
            break
        key_node, node = child
        line = (key_node or node).start_mark.line + 1
    return line


def child_node(node, key):
    """(key node or None, value node) of a mapping key or sequence index, else None."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return key_node, value_node
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return None, node.value[key]
    return None
