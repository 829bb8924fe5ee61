"""planwatch tasks assign, and the supervision table's 配合单位 / 计划完成时间 through tasks import, on the real
Jiaxing plan: what is written, what the listing then says (a task past its planned completion is 滞后), refusals."""

from __future__ import annotations

import json

from planwatch.cli import main
from planwatch.store import open_store


def test_assign_then_list_and_import_with_the_new_columns(tmp_path, jiaxing_plan, capsys):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.init()
    store.load_plan(jiaxing_plan)
    assert main(["tasks", "assign", "box5.1", "--lead", "市委人才办", "--with", "市人力社保局", "--with", "市教育局",
                 "--due", "2024-12-31", "--db", url]) == 0
    assert "已写入任务分工" in capsys.readouterr().out
    held = store.task_assignments()["box5.1"]
    assert (held.lead_unit, held.co_units, held.planned_completion, held.updated_by) == (
        "市委人才办", ["市人力社保局", "市教育局"], "2024-12-31", "命令行")

    assert main(["tasks", "assign", "box5.1", "--lead", "市委人才办", "--due", "2024-13-01", "--db", url]) == 1
    assert "任务 box5.1 的计划完成时间 2024-13-01 无效：应为 YYYY-MM-DD，如 2025-12-31" in capsys.readouterr().err
    assert main(["tasks", "assign", "box5.1", "--db", url]) == 1
    assert "请用 --lead 指定牵头单位" in capsys.readouterr().err
    assert store.task_assignments()["box5.1"].planned_completion == "2024-12-31"

    sheet = tmp_path / "督查台账.csv"
    sheet.write_text("序号,主要工作任务,进展情况,牵头单位,配合单位,计划完成时间,进展状态\n"
                     "专栏5-1,,人才新政已出台,市委人才办,,,按计划推进\n"
                     "专栏5-8,,兼并重组企业12家,市经信局,市市场监管局,2025-12-31,按计划推进\n", encoding="utf-8")
    assert main(["tasks", "import", str(sheet), "--date", "2025-06-30", "--db", url]) == 0
    assert "已从 督查台账.csv 写入任务进展 2 项（截至 2025-06-30）" in capsys.readouterr().out
    assert sorted(store.task_assignments()) == ["box5.1", "box5.8"]

    assert main(["tasks", "--json", "--db", url]) == 0
    listed = {t["id"]: t for t in json.loads(capsys.readouterr().out)}
    assert (listed["box5.1"]["state_label"], listed["box5.1"]["planned_completion"], listed["box5.1"]["co_units"],
            listed["box5.1"]["reasons"]) == ("滞后", "2024-12-31", ["市人力社保局", "市教育局"],
                                             ["计划于 2024-12-31 完成，已逾期 181 天", "最新填报（2025-06-30）为“按计划推进”"])
    assert (listed["box5.8"]["state_label"], listed["box5.8"]["lead_unit"], listed["box5.8"]["late"]) == (
        "按计划推进", "市经信局", False)
    assert main(["tasks", "--db", url]) == 0
    table = capsys.readouterr().out  # cells wrap in a narrow terminal: short words only
    assert all(word in table for word in ("box5.1", "box5.8", "滞后"))
