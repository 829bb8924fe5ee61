"""A supervision table matched to the real Jiaxing tasks: by id, by 专栏N-M, by text; every bad row listed."""

from __future__ import annotations

import pytest

from planwatch.errors import InputError
from planwatch.model import TaskState
from planwatch.observe.task_progress import by_text, match_rows, normalise, parse_state, progress_from_sheet

HEADER = ["序号", "主要工作任务", "进展情况", "牵头单位", "进展状态"]
# Exact texts of 专栏5 of the Jiaxing plan.
BOX5_1 = "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。"
BOX5_5 = "深化科创金融改革，提升创新链整体效能。"
BOX5_8 = "鼓励企业兼并重组，防止低水平重复建设。"


def test_the_plan_has_the_box_items_the_sheet_names(jiaxing_plan):
    texts = {t.id: t.text for t in jiaxing_plan.tasks}
    assert texts["box5.1"] == BOX5_1 and texts["box5.5"] == BOX5_5 and texts["box5.8"] == BOX5_8


def test_rows_match_by_id_by_box_number_and_by_text(jiaxing_plan):
    rows = [
        (2, ["box5.1", "人才新政", "已出台人才新政30条", "市委人才办", "按计划推进"]),
        (3, ["专栏5-2", "", "新建研究院2家", "市教育局", "已完成"]),
        (4, ["5.3", "", "", "市科技局", "not_started"]),
        (5, ["4", BOX5_5, "科创金融改革试验区获批", "市金融办", "滞后"]),
        (6, ["", "鼓励企业兼并重组 防止低水平重复建设", "", "", "已完成"]),  # whitespace and punctuation differ
        (7, ["", "打造具有国际竞争力的数字产业集群", "", "市经信局", "按计划推进"]),  # contained in box5.7
        (8, ["专栏12-一", "", "", "市委宣传部", "按计划推进"]),
    ]
    result = match_rows(jiaxing_plan.tasks, HEADER, rows, as_of="2025-06-30")
    assert result.issues == []
    assert [(u.row, u.task_id, u.state) for u in result.updates] == [
        (2, "box5.1", TaskState.on_schedule), (3, "box5.2", TaskState.done), (4, "box5.3", TaskState.not_started),
        (5, "box5.5", TaskState.behind), (6, "box5.8", TaskState.done), (7, "box5.7", TaskState.on_schedule),
        (8, "box12.1", TaskState.on_schedule)]
    assert result.matched_by == {2: "id", 3: "number", 4: "number", 5: "text", 6: "text", 7: "text", 8: "number"}
    first = result.updates[0]
    assert (first.progress, first.lead_unit, first.as_of) == ("已出台人才新政30条", "市委人才办", "2025-06-30")


def test_unmatched_ambiguous_and_bad_state_rows_are_all_listed(jiaxing_plan):
    rows = [
        (2, ["box5.1", BOX5_1, "", "", "按计划推进"]),
        (3, ["", "建设月球基地", "", "", "按计划推进"]),  # no such task
        (4, ["", "发展", "", "", "已完成"]),  # in many tasks' text
        (5, ["专栏5-5", "", "", "", "基本完成"]),  # not one of the four states
        (6, ["专栏5-1", "", "", "", "已完成"]),  # the same task as row 2
        (7, ["专栏99-1", "", "", "", ""]),  # no such box, no state
    ]
    result = match_rows(jiaxing_plan.tasks, HEADER, rows, as_of="2025-06-30")
    issues = {(i.row, i.kind) for i in result.issues}
    assert issues == {(3, "unmatched"), (4, "ambiguous"), (5, "bad_state"), (6, "duplicate"), (7, "unmatched"),
                      (7, "bad_state")}
    ambiguous = next(i for i in result.issues if i.kind == "ambiguous")
    assert len(ambiguous.candidates) > 1 and "box5.7" in ambiguous.candidates
    assert all(c in ambiguous.message for c in ambiguous.candidates)
    bad = next(i for i in result.issues if i.row == 5)
    assert "第 5 行" in bad.message and "基本完成" in bad.message
    assert all(label in bad.message for label in ("未启动", "按计划推进", "滞后", "已完成"))


def test_only_confirmed_tasks_are_matched(jiaxing_plan):
    prose = next(t for t in jiaxing_plan.tasks if not t.confirmed)
    assert by_text([prose], prose.text) == [prose]
    result = match_rows(jiaxing_plan.tasks, HEADER, [(2, [prose.id, prose.text, "", "", "已完成"])], as_of="2025-06-30")
    assert [i.kind for i in result.issues] == ["unmatched"]


def test_normalise_and_states():
    assert normalise("鼓励企业兼并重组，防止 低水平重复建设。") == "鼓励企业兼并重组防止低水平重复建设"
    assert parse_state(" 已完成 ") == TaskState.done and parse_state("behind") == TaskState.behind
    assert parse_state("完成") is None


def test_sheet_read_through_the_table_reader(jiaxing_plan, tmp_path):
    path = tmp_path / "督查台账.csv"
    path.write_text("序号,主要工作任务,进展情况,牵头单位,进展状态\n专栏5-8,,,市经信局,已完成\n", encoding="utf-8")
    result = progress_from_sheet(path, jiaxing_plan.tasks, as_of="2025-12-31")
    assert [(u.task_id, u.lead_unit, u.row) for u in result.updates] == [("box5.8", "市经信局", 2)]
    bad = tmp_path / "bad.csv"
    bad.write_text("序号,任务,状态\n1,x,已完成\n", encoding="utf-8")
    with pytest.raises(InputError, match="进展表缺少列"):
        progress_from_sheet(bad, jiaxing_plan.tasks, as_of="2025-12-31")
