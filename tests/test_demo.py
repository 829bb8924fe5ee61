"""`planwatch demo`: the whole flow on the shipped Jiaxing plan and real data, run once."""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter

import pytest

from planwatch.cli import main
from planwatch.model import Status
from planwatch.planfile import read_plan_yaml
from planwatch.store import open_store
from planwatch.vocabulary import status_label

# 失业率 5.5左右 (“<5.5” in 2022) is an annual control target: 基本符合预期, not 提前实现 (issue 8 class 8).
COUNTS_2024 = ("共38项：提前实现2项（其中1项数据滞后），快于预期5项（其中5项数据滞后），基本符合预期2项（其中2项数据滞后），"
               "滞后3项，无数据23项，待下达2项，无法评估1项")


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's directory, database URL and printed output."""
    out_dir = tmp_path_factory.mktemp("demo")
    code, out, err = cli("demo", "-o", out_dir)
    assert code == 0, out + err
    assert "Traceback" not in out + err
    return {"dir": out_dir, "out": out, "db": f"sqlite:///{(out_dir / 'planwatch.db').resolve()}"}


def test_counts_line_matches_the_evaluation(demo):
    code, out, _ = cli("evaluate", "--year", "2024", "--json", "--db", demo["db"])
    assert code == 0
    findings = json.loads(out)
    counts = Counter(Status(f["status"]) for f in findings)
    stale = Counter(Status(f["status"]) for f in findings if f["stale"])
    expected = f"共{sum(counts.values())}项：" + "，".join(
        f"{status_label(s)}{counts[s]}项" + (f"（其中{stale[s]}项数据滞后）" if stale[s] else "") for s in Status if counts[s])
    assert expected == COUNTS_2024
    assert COUNTS_2024 in demo["out"].splitlines()
    assert "③ 评估 2024 年（最新有数据年度）：" in demo["out"]


def test_nine_reports(demo):
    names = sorted(p.name for p in (demo["dir"] / "reports").iterdir())
    expected = sorted(f"嘉兴市_{year}_{kind}.{ext}" for year, kind in
                      ((2024, "年度监测分析报告"), (2023, "中期评估报告"), (2025, "总结评估报告"))
                      for ext in ("docx", "html", "xlsx"))
    assert names == expected
    for name in names:
        path = demo["dir"] / "reports" / name
        assert path.stat().st_size > 1000
        assert f"   {path}" in demo["out"]


def test_plan_yaml_reads_back_equal_to_the_stored_plan(demo):
    from_file = read_plan_yaml(demo["dir"] / "plan.yaml")
    store = open_store(demo["db"])
    try:
        stored = store.plan()
        assert stored == from_file
        assert len(stored.indicators) == 72 and len(stored.targets) == 59 and len(stored.projects) == 9
        assert {s.code for s in stored.series} == {"GDPg", "POP", "INC", "INC_U", "INC_R", "IND", "IND_VA", "CTY", "EMP"}
    finally:
        store.dispose()
    assert (f"   指标 38 项（另有上期规划指标 34 项），文中目标 59 项，项目 9 个，待人工确认 {len(from_file.flags)} 处"
            f" → {demo['dir'] / 'plan.yaml'}") in demo["out"]


def test_serve_hint_names_a_working_database(demo):
    # The installed script's path when it is not on PATH (as after scripts/demo.sh), else its name.
    hints = [line.strip() for line in demo["out"].splitlines() if line.strip().endswith(f"serve --db {demo['db']}")]
    assert len(hints) == 1 and hints[0].split()[0].endswith("planwatch"), hints
    code, out, err = cli("serve", "--db", demo["db"], "--get", "/api/findings")
    assert code == 0, err
    body = json.loads(out)
    assert body["year"] == 2024 and len(body["findings"]) == 38
