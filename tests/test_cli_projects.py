"""planwatch projects: import a tracking sheet (dry run, errors, write) and list with status, as JSON."""

from __future__ import annotations

import json

from planwatch.cli import main
from planwatch.evaluate.projects import projects_from_store
from planwatch.samples import SAMPLES
from planwatch.store import open_store

SAMPLE = SAMPLES / "data" / "jiaxing-projects-sample.csv"


def test_import_and_list(tmp_path, jiaxing_plan, capsys):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.init()
    store.load_plan(jiaxing_plan)
    bad = tmp_path / "bad.csv"
    bad.write_text("项目编号,年度,年度完成投资（亿元）\nbox3.1,2024,很多\nbox3.99,2024,1\n", encoding="utf-8")
    assert main(["projects", "import", str(bad), "--date", "2024-12-31", "--json", "--db", url]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(i["row"], i["column"], i["kind"]) for i in out["issues"]] == [(2, "年度完成投资", "bad_value"),
                                                                          (3, "项目编号", "unmatched")]
    assert main(["projects", "import", str(SAMPLE), "--date", "2024-12-31", "--dry-run", "--db", url]) == 0
    assert store.project_reports().history == []
    capsys.readouterr()
    assert main(["projects", "import", str(SAMPLE), "--date", "2024-12-31", "--json", "--db", url]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["written"] == 29 and len(written["added"]) == 3
    assert main(["projects", "--year", "2024", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == json.loads(json.dumps(projects_from_store(store, 2024).to_json()))
    states = {p["key"]: p["state_label"] for p in listed["projects"]}
    assert states["box3.2"] == "滞后" and states["box3.6"] == "未启动" and states["box3.3"] == "已完成"
    assert listed["stalled"] == ["box3.8"]
    assert main(["projects", "--db", url]) == 0
    assert "“551”计划：目标500个项目、投资10000亿元；已跟踪12个（规划列名9个，规划未列名3个），累计完成投资646.5亿元（6.5%）" in \
        capsys.readouterr().out
