"""`planwatch ingest` and `planwatch check` through planwatch.cli.main."""

from __future__ import annotations

import json

import pytest

from planwatch.cli import main


def test_ingest_summary(outline_path, capsys):
    assert main(["ingest", str(outline_path)]) == 0
    out = capsys.readouterr().out
    assert "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要" in out
    assert "文中量化目标" in out and "专栏项目" in out


def test_ingest_writes_yaml_then_check(outline_path, tmp_path, capsys, jiaxing_plan):
    out = tmp_path / "plan.yaml"
    assert main(["ingest", str(outline_path), "-o", str(out)]) == 0
    assert out.exists()
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    text = capsys.readouterr().out
    assert "待人工确认事项" in text and f"未解决 {len(jiaxing_plan.flags)} 项" in text
    assert main(["check", str(out), "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err


def test_check_strict_passes_when_all_resolved(outline_path, tmp_path, jiaxing_plan):
    from planwatch.planfile import write_plan_yaml

    resolved = jiaxing_plan.model_copy(update={"flags": [f.model_copy(update={"resolved": True})
                                                        for f in jiaxing_plan.flags]})
    path = write_plan_yaml(resolved, tmp_path / "plan.yaml")
    assert main(["check", str(path), "--strict"]) == 0


def test_ingest_json(outline_path, capsys):
    assert main(["ingest", str(outline_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meta"]["region"] == "嘉兴市"
    first = data["targets"][0]
    assert {k: first[k] for k in ("subject", "comparator", "value", "value_max", "unit", "year", "aspirational",
                                  "line", "quote")} == {
        "subject": "地区生产总值", "comparator": "at_least", "value": 9000.0, "value_max": None, "unit": "亿元",
        "year": 2025, "aspirational": False, "line": 419, "quote": "地区生产总值达到9000亿元以上"}
    railway = data["projects"][0]
    assert (railway["name"], railway["length_km"], railway["investment_yi_yuan"], railway["line"]) == (
        "通苏嘉甬铁路（嘉兴段）", 93.0, 382.8, 836)
    assert data["outline"][0]["id"] == "1" and data["achievements"][0]["line"] == 8
    for indicator in data["indicators"]:
        assert {"table", "category", "no", "name", "unit", "baseline", "target", "attribute", "line",
                "parent"} <= set(indicator)


def bad_inputs(tmp_path, outline_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "plan.txt"  # a Word file renamed: only its bytes tell
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    word = tmp_path / "plan.odt"
    word.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    corrupt = tmp_path / "plan.docx"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    prose = tmp_path / "letter.txt"
    prose.write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    broken_yaml = tmp_path / "plan.yaml"
    broken_yaml.write_text("format_version: 1\nmeta:\n  title: x\n   bad: [\n", encoding="utf-8")
    return {
        "empty": (["ingest", str(empty)], "文件为空"),
        "binary": (["ingest", str(binary)], "二进制"),
        "unsupported format": (["ingest", str(word)], "不支持的规划文件格式 .odt"),
        "corrupt word": (["ingest", str(corrupt)], "不是有效的 Word 文档"),
        "not a plan": (["ingest", str(prose)], "没有识别出任何规划内容"),
        "missing": (["ingest", str(tmp_path / "none.txt")], "文件不存在"),
        "invalid yaml": (["check", str(broken_yaml)], "YAML 格式错误"),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "unsupported format", "corrupt word", "not a plan", "missing",
                                  "invalid yaml"])
def test_bad_input_is_a_clear_message(case, tmp_path, outline_path, capsys):
    argv, message = bad_inputs(tmp_path, outline_path)[case]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert argv[1] in captured.err.replace("\n", "")
    assert "Traceback" not in captured.err + captured.out


def test_truncated_table_is_reported(outline_path, tmp_path, capsys):
    lines = outline_path.read_text(encoding="utf-8").split("\n")
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:520]), encoding="utf-8")  # stops inside 表2
    status = main(["ingest", str(cut)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    if status == 0:  # read what is there, and say what was not understood
        assert "提示" in captured.out and "可能被截断" in captured.out.replace("\n", "")
    else:
        assert str(cut) in captured.err.replace("\n", "")
