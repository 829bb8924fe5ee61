"""End to end through the command line, as a planner would use it, on the real Jiaxing plan and data.

Every command runs through ``planwatch.cli.main``; each bad-input scenario also runs once as a
real ``planwatch`` subprocess, which must behave the same (exit code and message, no traceback).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from planwatch.cli import main
from planwatch.planfile import read_plan_yaml
from planwatch.samples import JIAXING_ACTUALS, JIAXING_OUTLINE, SAMPLES
from planwatch.store import open_store

SERIES_CSV = SAMPLES / "data" / "jiaxing-series.csv"
REGIONS_CSV = SAMPLES / "regions" / "jiaxing-regions.csv"
CONSOLE_SCRIPT = Path(sys.executable).with_name("planwatch")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(*args: str) -> Result:
    """Run ``planwatch ARGS`` in process; return exit code and the captured output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def declare_options() -> list[str]:
    """``--declare CODE:名称:单位:类型`` for each extra series the real data uses."""
    with SERIES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [opt for r in rows for opt in ("--declare", f"{r['code']}:{r['name']}:{r['unit']}:{r['kind']}")]


def table_value(text: str, label: str) -> int:
    """The number printed after ``label`` in a rich table row."""
    match = re.search(rf"{label}\s*│\s*(\d+)", text)
    assert match, f"{label} not in output:\n{text}"
    return int(match.group(1))


def ok(result: Result) -> Result:
    assert result.code == 0, result.text
    assert "Traceback" not in result.text
    return result


# ----------------------------------------------------------------------------- the planner's flow


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """ingest → check → init → load → regions → import (twice) on the real sample, with outputs."""
    work = tmp_path_factory.mktemp("cli-flow")
    db = f"sqlite:///{work / 'pw.db'}"
    plan_yaml = work / "plan.yaml"
    steps = {
        "ingest": cli("ingest", JIAXING_OUTLINE, "-o", plan_yaml),
        "check": cli("check", plan_yaml),
        "init": cli("init", "--db", db),
        "load": cli("load", plan_yaml, "--db", db),
        "regions": cli("regions", REGIONS_CSV, "--db", db),
        "import": cli("import", JIAXING_ACTUALS, *declare_options(), "--db", db),
        "reimport": cli("import", JIAXING_ACTUALS, *declare_options(), "--db", db),
    }
    for result in steps.values():
        ok(result)
    return {"work": work, "db": db, "plan_yaml": plan_yaml, **steps}


def findings(result: Result) -> list[dict]:
    return json.loads(ok(result).out)


def one(records: list[dict], name: str, kind: str | None = None) -> dict:
    hits = [r for r in records if r["indicator"] == name and (kind is None or r["kind"] == kind)]
    assert len(hits) == 1, [(r["indicator"], r["kind"]) for r in hits]
    return hits[0]


def test_ingest_writes_the_review_file_check_lists_its_flags(flow):
    plan = read_plan_yaml(flow["plan_yaml"])
    assert plan.meta.region == "嘉兴市" and (plan.meta.period_start, plan.meta.period_end) == (2021, 2025)
    assert f"已写出 {flow['plan_yaml']}" in flow["ingest"].out
    open_flags = [f for f in plan.flags if not f.resolved]
    assert open_flags, "the real outline has items needing review"
    assert f"共 {len(plan.flags)} 项待确认事项，其中未解决 {len(open_flags)} 项。" in flow["check"].out
    strict = cli("check", flow["plan_yaml"], "--strict")
    assert strict.code == 1 and f"仍有 {len(open_flags)} 项待确认事项未解决" in strict.err


def test_init_load_regions(flow):
    assert "数据库已就绪" in flow["init"].out
    assert "第 1 版" in flow["load"].out
    assert "已导入地区 8 个" in flow["regions"].out and "└ 南湖区（county）" in flow["regions"].out
    again = ok(cli("load", flow["plan_yaml"], "--db", flow["db"]))
    assert "规划未变动" in again.out and "仍为第 1 版" in again.out


def test_import_real_actuals_then_import_again_changes_nothing(flow):
    first, second = flow["import"].out, flow["reimport"].out
    assert table_value(first, "读取行数") == 74
    # The file carries preliminary and final vintages of the same year: the later one revises the earlier.
    assert (table_value(first, "新增"), table_value(first, r"修订（保留旧值）"), table_value(first, "未变")) == (67, 7, 0)
    assert (table_value(second, "新增"), table_value(second, r"修订（保留旧值）"), table_value(second, "未变")) == (0, 0, 74)
    store = open_store(flow["db"])
    try:
        assert len(store.observations()) == 67
        assert {s.code for s in store.series()} >= {"GDPg", "POP", "INC", "CTY", "EMP"}
    finally:
        store.dispose()


def test_evaluate_2024(flow):
    records = findings(cli("evaluate", "--year", "2024", "--json", "--db", flow["db"]))
    gdp = one(records, "地区生产总值")
    assert (gdp["actual"], gdp["target"], gdp["status"], gdp["warning"]) == (7569.53, 9000.0, "lagging", True)
    assert gdp["region"] == "嘉兴市" and gdp["year"] == 2024 and gdp["status_label"] == "滞后"
    pm25 = one(records, "设区城市细颗粒物(PM2.5)平均浓度")
    assert (pm25["actual"], pm25["target"], pm25["status"]) == (26.0, 27.0, "achieved")
    urban = one(records, "常住人口城镇化率")
    assert (urban["actual"], urban["target"], urban["status"]) == (74.5, 75.0, "achieved")


def test_evaluate_previous_plan(flow):
    records = findings(cli("evaluate", "--previous-plan", "--json", "--db", flow["db"]))
    level = one(records, "地区生产总值", "level")
    assert (level["actual"], level["target"], level["status"]) == (5509.5, 5000.0, "achieved")
    growth = one(records, "地区生产总值", "annual_growth")
    assert (growth["target_text"], growth["actual"], growth["status"]) == ("7%以上", 6.59, "not_achieved")
    pm25 = one(records, "细颗粒物(PM2.5)浓度", "level")
    assert (pm25["target"], pm25["actual"], pm25["status"]) == (43.0, 28.0, "achieved")
    water = one(records, "单位地区生产总值用水量降低")
    assert (water["target"], water["actual"], water["status"]) == (23.0, 35.25, "achieved")
    broadband = [r for r in records if r["indicator"] == "宽带家庭普及率"]
    assert broadband and {r["status"] for r in broadband} == {"not_assessable"}


def test_evaluate_table_output_is_chinese(flow):
    out = ok(cli("evaluate", "--year", "2024", "--db", flow["db"])).out
    assert "2024年评估" in out and "滞后" in out and "地区生产总值" in out


def test_planwatch_db_environment_variable(flow, monkeypatch):
    with_option = findings(cli("evaluate", "--year", "2024", "--json", "--db", flow["db"]))
    monkeypatch.setenv("PLANWATCH_DB", flow["db"])
    assert findings(cli("evaluate", "--year", "2024", "--json")) == with_option
    assert "南湖区" in ok(cli("regions")).out


def test_edited_plan_reloads_as_a_recorded_adjustment(flow, tmp_path):
    db_path = tmp_path / "adjusted.db"
    shutil.copyfile(flow["work"] / "pw.db", db_path)
    db = f"sqlite:///{db_path}"
    text = flow["plan_yaml"].read_text(encoding="utf-8")
    target = "    value: 9000.0\n    text: '9000'\n"
    assert text.count(target) == 2  # the indicator's target and its list of targets
    edited = tmp_path / "plan.yaml"
    edited.write_text(text.replace(target, "    value: 9500.0\n    text: '9500'\n"), encoding="utf-8")

    loaded = ok(cli("load", edited, "--db", db, "--note", "中期调整"))
    assert "第 2 版" in loaded.out and "本次记录目标调整 1 项" in loaded.out
    store = open_store(db)
    try:
        (adj,) = store.adjustments()
        assert (adj.indicator_name, adj.old_value, adj.new_value, adj.version) == ("地区生产总值", 9000.0, 9500.0, 2)
    finally:
        store.dispose()
    gdp = one(findings(cli("evaluate", "--year", "2024", "--json", "--db", db)), "地区生产总值")
    assert (gdp["target"], gdp["actual"]) == (9500.0, 7569.53)

    adjusted = ok(cli("adjust", "2", "--value", "7.5", "--reason", "省下达调整", "--db", db))
    assert "已记录目标调整" in adjusted.out and "省下达调整" in adjusted.out
    history = ok(cli("history", "1", "--region", "嘉兴市", "--year", "2024", "--db", db))
    assert "7569.53" in history.out and "7569.5 " in history.out  # the preliminary value is kept


def test_export_round_trips(flow, tmp_path):
    exported = tmp_path / "observations.csv"
    out = ok(cli("export", exported, "--db", flow["db"])).out
    assert f"已导出 67 行到 {exported}" in out
    with exported.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 67
    gdp = [r for r in rows if r["indicator"] in ("1", "T2-1") and r["year"] == "2024"]
    assert [r["value"] for r in gdp] == ["7569.53"]
    again = ok(cli("import", exported, "--dry-run", "--db", flow["db"])).out
    assert (table_value(again, "新增"), table_value(again, "未变")) == (0, 67)


def test_annual_report_writes_three_files(flow, tmp_path):
    result = ok(cli("report", "--kind", "annual", "--year", "2024", "-o", tmp_path / "reports", "--db", flow["db"]))
    files = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert files == [f"嘉兴市_2024_年度监测分析报告.{ext}" for ext in ("docx", "html", "xlsx")]
    assert "已生成 3 个报告文件" in result.out
    assert all(p.stat().st_size > 1000 for p in (tmp_path / "reports").iterdir())


def test_serve_answers_one_request(flow):
    body = json.loads(ok(cli("serve", "--db", flow["db"], "--get", "/api/findings")).out)
    assert body["region"] == "嘉兴市" and body["year"] == 2024
    gdp = next(f for f in body["findings"] if f["indicator"] == "地区生产总值")
    assert (gdp["actual"], gdp["status"]) == (7569.53, "lagging")


def test_usage_mistakes_are_told_in_chinese(flow):
    cases = [
        (("ingest",), "缺少参数 PLAN_FILE"),
        (("evaluate", "--year", "二〇二四"), "选项 --year 的值无效：应为整数"),
        (("evaluate", "--yaer", "2024"), "没有选项 --yaer，是否想用 --year？"),
        (("evaluat",), "没有命令 evaluat"),
        (("adjust", "1", "--value", "很多", "--reason", "x"), "选项 --value 的值无效：应为数字"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.code == 2, args
        assert message in result.err and "用法：planwatch" in result.err and "Traceback" not in result.text


# ----------------------------------------------------------------------------- bad input

REAL_HEADER = JIAXING_ACTUALS.read_text(encoding="utf-8").splitlines()[0]
REAL_GDP_2023 = "1,地区生产总值,嘉兴市,2023,7062.5,亿元,2023 年度,http://example.org/a,全市实现地区生产总值7062.5亿元"


def _bad_csv(*rows: str) -> str:
    return "\n".join((REAL_HEADER, *rows)) + "\n"


BAD_FILES = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 8,
    "prose.txt": "今天天气很好，我们去公园散步。\n晚上看了一场电影。\n".encode(),
    "broken.yaml": b"meta:\n  title: [unclosed\n  region: x\n",
    "unknown.csv": _bad_csv(REAL_GDP_2023.replace("1,地区生产总值", "99,不存在的指标")).encode(),
    "nonnumeric.csv": _bad_csv(REAL_GDP_2023.replace(",7062.5,", ",约七千亿,")).encode(),
    "year.csv": _bad_csv(REAL_GDP_2023.replace(",2023,", ",2040,")).encode(),
    "unit.csv": _bad_csv(REAL_GDP_2023.replace(",亿元,", ",公斤,")).encode(),
    "duplicate.csv": _bad_csv(REAL_GDP_2023, REAL_GDP_2023).encode(),
    "truncated.csv": _bad_csv(REAL_GDP_2023, "1,地区生产总值,嘉兴").encode(),
}


@dataclass(frozen=True)
class Scenario:
    id: str
    args: tuple[str, ...]
    needles: tuple[str, ...]
    secret: str | None = None  # must never be printed


# {db} = the loaded Jiaxing store, {empty} = initialised without a plan, {none} = no database file.
SCENARIOS = [
    Scenario("missing-file", ("ingest", "{dir}/nope.txt"), ("nope.txt", "文件不存在")),
    Scenario("empty-file", ("ingest", "{dir}/empty.txt"), ("empty.txt", "文件为空")),
    Scenario("binary-file", ("ingest", "{dir}/binary.txt"), ("binary.txt", "二进制文件")),
    Scenario("not-a-plan", ("ingest", "{dir}/prose.txt"), ("prose.txt", "没有识别出任何规划内容")),
    Scenario("invalid-yaml", ("check", "{dir}/broken.yaml"), ("broken.yaml:3", "YAML 格式错误：方括号 [ 没有闭合，自第 2 行开始")),
    Scenario("yaml-wrong-type", ("load", "{dir}/wrongtype.yaml", "--db", "{db}"),
             ("wrongtype.yaml:", "字段 indicators.", ".target.value 应为数字", "'很多'")),
    Scenario("csv-unknown-indicator", ("import", "{dir}/unknown.csv", "--db", "{db}"),
             ("unknown.csv", "第 2 行", "indicator_no", "“99”", "未知指标", "未导入任何数据")),
    Scenario("csv-non-numeric", ("import", "{dir}/nonnumeric.csv", "--db", "{db}"),
             ("nonnumeric.csv", "第 2 行", "列 value", "约七千亿", "不是数值")),
    Scenario("csv-year-outside-plan", ("import", "{dir}/year.csv", "--db", "{db}"),
             ("year.csv", "第 2 行", "列 year", "2040", "年份超出规划期", "2020–2025")),
    Scenario("csv-unit", ("import", "{dir}/unit.csv", "--db", "{db}"),
             ("unit.csv", "第 2 行", "列 unit", "公斤", "单位无法换算", "亿元")),
    Scenario("csv-duplicate", ("import", "{dir}/duplicate.csv", "--db", "{db}"),
             ("duplicate.csv", "第 3 行", "与第 2 行重复")),
    Scenario("csv-truncated", ("import", "{dir}/truncated.csv", "--db", "{db}"),
             ("truncated.csv", "第 3 行", "文件可能被截断")),
    Scenario("csv-missing", ("import", "{dir}/nope.csv", "--db", "{db}"), ("nope.csv", "不存在")),
    Scenario("evaluate-year-outside", ("evaluate", "--year", "2040", "--db", "{db}"),
             ("评估年份 2040 超出规划期", "2020", "2025")),
    Scenario("evaluate-not-initialised", ("evaluate", "--db", "{none}"), ("尚未初始化", "planwatch init")),
    Scenario("evaluate-no-plan", ("evaluate", "--db", "{empty}"), ("还没有规划", "planwatch load")),
    Scenario("report-no-plan", ("report", "-o", "{dir}/r0", "--db", "{empty}"), ("还没有规划",)),
    Scenario("report-bad-kind", ("report", "--kind", "weekly", "-o", "{dir}/r1", "--db", "{db}"),
             ("未知的报告类型“weekly”", "annual", "midterm", "final")),
    Scenario("report-bad-format", ("report", "--format", "pdf", "-o", "{dir}/r2", "--db", "{db}"),
             ("不支持的报告格式：pdf",)),
    Scenario("evaluate-unknown-region", ("evaluate", "--region", "火星市", "--db", "{db}"),
             ("地区“火星市”没有任何观测数据", "嘉兴市")),
    # One entry judges for every surface, so the report says what evaluate says.
    Scenario("report-unknown-region", ("report", "--region", "火星市", "-o", "{dir}/r3", "--db", "{db}"),
             ("地区“火星市”没有任何观测数据", "嘉兴市")),
    Scenario("evaluate-unknown-method", ("evaluate", "--method", "magic", "--db", "{db}"),
             ("未知的评估方法“magic”", "elapsed_time")),
    Scenario("serve-no-plan", ("serve", "--db", "{empty}", "--get", "/api/findings"), ("返回状态码 503",)),
    Scenario("history-nothing", ("history", "1", "--region", "嘉兴市", "--year", "2025", "--db", "{db}"),
             ("没有 1 / 嘉兴市 / 2025 年的数据",)),
    Scenario("postgres-missing-database", ("evaluate", "--db", "postgresql://postgres@127.0.0.1:5432/pw_nonexistent_db"),
             ("无法连接数据库", "pw_nonexistent_db", "数据库不存在")),
    Scenario("postgres-password-hidden",
             ("init", "--db", "postgresql://postgres:s3cretpw@127.0.0.1:5432/pw_nonexistent_db"),
             ("无法连接数据库", "postgres:***@", "数据库不存在"), secret="s3cretpw"),
]


@pytest.fixture(scope="module")
def bad(flow, tmp_path_factory):
    """Bad input files, a loaded store, an empty store; each scenario already run as a subprocess."""
    work = tmp_path_factory.mktemp("cli-bad")
    for name, content in BAD_FILES.items():
        (work / name).write_bytes(content)
    text = flow["plan_yaml"].read_text(encoding="utf-8")
    (work / "wrongtype.yaml").write_text(text.replace("    value: 9000.0\n", "    value: 很多\n", 1), encoding="utf-8")
    shutil.copyfile(flow["work"] / "pw.db", work / "loaded.db")
    places = {"dir": str(work), "db": f"sqlite:///{work / 'loaded.db'}", "empty": f"sqlite:///{work / 'empty.db'}",
              "none": f"sqlite:///{work / 'none.db'}"}
    ok(cli("init", "--db", places["empty"]))

    def run(scenario: Scenario) -> Result:
        args = [a.format(**places) for a in scenario.args]
        env = {**os.environ, "COLUMNS": "200"}
        env.pop("PLANWATCH_DEBUG", None)
        done = subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, cwd=work, env=env,
                              timeout=120)
        return Result(done.returncode, done.stdout, done.stderr)

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        by_process = dict(zip((s.id for s in SCENARIOS), pool.map(run, SCENARIOS), strict=False))
    return {"places": places, "subprocess": by_process, "work": work}


def observation_count(url: str) -> int:
    store = open_store(url)
    try:
        return len(store.observations())
    finally:
        store.dispose()


def assert_clear_failure(result: Result, scenario: Scenario) -> None:
    assert result.code != 0, result.text
    assert "Traceback" not in result.text and "内部错误" not in result.text, result.text
    assert result.err.startswith("错误：") or "错误：" in result.err, result.err
    for needle in scenario.needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"
    if scenario.secret:
        assert scenario.secret not in result.text


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_bad_input_is_a_clear_chinese_error(bad, scenario):
    places = bad["places"]
    before = observation_count(places["db"])
    result = cli(*(a.format(**places) for a in scenario.args))
    assert_clear_failure(result, scenario)
    assert observation_count(places["db"]) == before  # nothing half-written
    # The console script behaves the same: same exit code, same message.
    process = bad["subprocess"][scenario.id]
    assert_clear_failure(process, scenario)
    assert process.code == result.code
    assert process.err.splitlines()[-1] == result.err.splitlines()[-1]


def test_failed_imports_leave_the_store_as_it_was(bad, flow):
    assert observation_count(bad["places"]["db"]) == observation_count(flow["db"]) == 67
    assert not (bad["work"] / "none.db").exists()  # reading a missing database does not create it
    assert not any((bad["work"] / d).exists() for d in ("r0", "r1", "r2", "r3"))


def test_tasks_list_and_import_a_supervision_table(jiaxing_store, tmp_path):
    db = jiaxing_store.url
    out = ok(cli("tasks", "--db", db)).out
    assert "专栏5" in out and "box5.1" in out and "未填报" in out
    header = "序号,主要工作任务,进展情况,牵头单位,进展状态\n"
    bad = tmp_path / "督查台账-bad.csv"
    bad.write_text(header + "专栏5-1,,人才新政已出台,市委人才办,按计划推进\n"
                   ",建设月球基地,,,已完成\n,发展,,,已完成\n专栏5-3,,,,差不多\n", encoding="utf-8")
    result = cli("tasks", "import", bad, "--date", "2025-06-30", "--db", db)
    assert result.code == 1
    assert "第 3 行：找不到对应的任务" in result.text and "第 4 行" in result.text and "box5.7" in result.text
    assert "第 5 行：进展状态“差不多”无效" in result.text and "未写入任何进展" in result.text
    assert jiaxing_store.task_progress().history == []
    good = tmp_path / "督查台账.csv"
    good.write_text(header + "专栏5-1,,人才新政已出台,市委人才办,按计划推进\n"
                    "4,鼓励企业兼并重组，防止低水平重复建设。,已完成,市经信局,已完成\n", encoding="utf-8")
    dry = ok(cli("tasks", "import", good, "--date", "2025-06-30", "--dry-run", "--db", db)).out
    assert "试运行" in dry and "box5.8" in dry and jiaxing_store.task_progress().history == []
    assert cli("tasks", "import", good, "--date", "2025-6-30", "--db", db).code == 1
    assert "写入任务进展 2 项" in ok(cli("tasks", "import", good, "--date", "2025-06-30", "--db", db)).out
    records = {r["id"]: r for r in json.loads(ok(cli("tasks", "--json", "--db", db)).out)}
    assert records["box5.1"]["state_label"] == "按计划推进" and records["box5.1"]["as_of"] == "2025-06-30"
    assert records["box5.8"]["state"] == "done" and records["box5.2"]["state_label"] == "未填报"


def test_import_progress_follows_the_reading_then_pulses_while_the_store_finishes():
    from planwatch.cli.store_cmd import ImportProgress

    progress = ImportProgress()
    progress.SHOW_AFTER_SECONDS = 0.0
    seen = []
    with progress:
        for stage, done, total in [("读取", 0, 1), ("读取", 1, 1), ("检查", 1_048_576, 4_194_304),
                                   ("检查", 4_194_304, 4_194_304), ("写入", 0, 1), ("写入", 1, 1)]:
            progress(stage, done, total)
            assert progress.bar is not None
            task = progress.bar.tasks[0]
            seen.append((task.description, task.completed, task.total))
    assert seen == [("判断文件编码", 0, 1), ("判断文件编码", 1, 1), ("读取并检查数据行", 1_048_576, 4_194_304),
                    ("读取并检查数据行", 4_194_304, 4_194_304), ("写入数据库", 0, None), ("写入数据库", 1, 1)]
