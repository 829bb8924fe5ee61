"""The heading tree of the Jiaxing outline, with boxes and tables."""

from __future__ import annotations

from collections import Counter


def nodes(plan):
    return {n.id: n for n in plan.outline}


def test_counts(jiaxing_plan):
    counts = Counter(n.kind for n in jiaxing_plan.outline)
    assert counts == {"chapter": 5, "section": 15, "item": 32, "box": 14, "table": 2}


def test_chapters_and_spans(jiaxing_plan):
    chapters = [(n.id, n.label, n.line, n.line_end) for n in jiaxing_plan.outline if n.kind == "chapter"]
    assert chapters == [("1", "一、", 3, 384), ("2", "二、", 385, 395), ("3", "三、", 397, 777),
                        ("4", "四、", 779, 1328), ("5", "五、", 1330, 1343)]


def test_sections_items_boxes_tables(jiaxing_plan):
    n = nodes(jiaxing_plan)
    goals = n["3.3"]
    assert (goals.label, goals.title, goals.line, goals.line_end, goals.parent) == (
        "（三）", "“十四五”时期经济社会发展主要目标和二〇三五年远景目标。", 417, 766, "3")
    item = n["4.1.2"]
    assert (item.kind, item.label, item.title, item.level, item.line, item.line_end) == (
        "item", "2．", "打造长三角核心区综合交通枢纽。", 3, 824, 851)
    assert (n["4.7.5"].label, n["4.7.5"].title, n["4.7.5"].line) == ("5.", "积极应对人口老龄化。", 1230)
    box = n["box3"]
    assert (box.label, box.title, box.parent, box.level, box.line, box.line_end) == (
        "专栏3", "共建轨道上的长三角", "4.1.2", 4, 834, 851)
    assert (n["box13"].line, n["box13"].line_end) == (1238, 1270)
    assert (n["box8"].line, n["box8"].line_end) == (1000, 1020)
    table = n["table2"]
    assert (table.label, table.title, table.parent, table.line, table.line_end) == (
        "表2", "嘉兴市“十四五”时期经济社会发展主要指标", "3.3", 435, 766)
    assert (n["table1"].parent, n["table1"].line, n["table1"].line_end) == ("1", 23, 383)


def test_box_numbering_is_not_read_as_headings(jiaxing_plan):
    # 专栏1 has its own （一）发展目标 and 1.加快建设嘉善未来新城。以… lines
    inside = [x for x in jiaxing_plan.outline if 789 <= x.line <= 805 and x.kind != "box"]
    assert inside == []
    assert [x.id for x in jiaxing_plan.outline if x.parent == "4.1"] == ["4.1.1", "4.1.2", "4.1.3"]


def test_ids_unique(jiaxing_plan):
    ids = [n.id for n in jiaxing_plan.outline]
    assert len(ids) == len(set(ids))
