"""planwatch sections: the proposals for the real Jiaxing plan's categories with their evidence, confirm and
reject, the JSON equal to the store's, and a clear message for a bad category or heading."""

from __future__ import annotations

import json

from planwatch.cli import main
from planwatch.store import open_store


def test_list_confirm_and_reject(tmp_path, jiaxing_plan, capsys):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.init()
    store.load_plan(jiaxing_plan)

    assert main(["sections", "confirm", "文化发展", "4.6", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == "已记录：类别“文化发展”与章节 4.6 已确认（命令行）"
    assert main(["sections", "reject", "文化发展", "4.2.5", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == "已记录：类别“文化发展”与章节 4.2.5 已否定（命令行）"

    assert main(["sections", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == json.loads(json.dumps(store.category_sections().to_json()))
    culture = next(c for c in listed["categories"] if c["category"] == "文化发展")
    assert (culture["confirmed"], culture["pending"]) == (["4.6"], 4)
    assert [(s["id"], s["verdict_label"], s["actor"]) for s in culture["sections"]] == [
        ("4.2", "待确认", None), ("4.2.5", "已否定", "命令行"), ("4.6", "已确认", "命令行"), ("4.6.1", "待确认", None),
        ("4.6.2", "待确认", None), ("4.6.3", "待确认", None)]
    assert culture["sections"][2]["reason"] == "标题共有关键词：类别“文化发展”：文化；指标 T2-12 文化及相关产业增加值：文化"

    assert main(["sections", "--db", url]) == 0
    shown = capsys.readouterr().out
    assert "文化发展（已确认 1 个，待确认 4 个）" in shown and "安全保障（已确认 0 个，待确认 2 个）" in shown

    assert main(["sections", "confirm", "文化", "4.6", "--db", url]) == 1
    assert "错误：类别“文化”不是本规划现行指标的类别：应为 经济发展、" in capsys.readouterr().err
    assert main(["sections", "reject", "文化发展", "9.9", "--db", url]) == 1
    assert "错误：章节编号“9.9”不是本规划的篇章、节、条目或专栏" in capsys.readouterr().err
    assert [e.action for e in store.audit_entries()] == ["category_section.rejected", "category_section.confirmed",
                                                         "plan.load"]
