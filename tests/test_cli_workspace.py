"""The workspace through the command line: settings, data rounds and the audit log."""

from __future__ import annotations

import json

import pytest

from planwatch.store import open_store

from .test_cli_accounts import cli


@pytest.fixture
def db(tmp_path, hand_plan_path) -> str:
    path = tmp_path / "pw.db"
    assert cli("init", "--db", path)[0] == 0
    store = open_store(str(path))
    from planwatch.model import Plan

    store.load_plan(Plan.model_validate_json(hand_plan_path.read_text(encoding="utf-8")))
    store.add_regions([("南湖区", "嘉兴市", "county")])
    return str(path)


@pytest.fixture
def hand_plan_path():
    from pathlib import Path

    return Path(__file__).parent / "store" / "hand_plan.json"


def test_settings_list_change_and_refuse(db):
    code, out = cli("settings", "--json", "--db", db)
    assert code == 0 and json.loads(out) == {"public": False, "change_share": 0.3, "login_attempts": 5,
                                             "login_lock_minutes": 15.0, "session_hours": 8.0}
    code, out = cli("settings", "public=true", "change_share=0.25", "--json", "--db", db)
    assert code == 0 and json.loads(out)["public"] is True and json.loads(out)["change_share"] == 0.25
    code, out = cli("settings", "public", "--db", db)
    assert code == 1 and "设置 'public' 应写作 名称=值，如 public=true" in out
    code, out = cli("settings", "login_attempts=0", "--db", db)
    assert code == 1 and "设置未保存：" in out and "（login_attempts）" in out
    code, out = cli("audit", "--action", "setting", "--json", "--db", db)
    entries = json.loads(out)
    assert [(e["actor"], e["action"], e["subject"], e["before"], e["after"]) for e in entries] == [
        ("命令行", "setting", "change_share", 0.3, 0.25), ("命令行", "setting", "public", False, True)]


def test_rounds_open_list_close(db):
    code, out = cli("rounds", "open", "2024", "--due", "2025-03-31", "--region", "嘉兴市", "--region", "南湖区",
                    "--db", db)
    assert code == 0 and "已开启填报轮次 1：2024年度监测数据填报（嘉兴市、南湖区，截止 2025-03-31）" in out
    code, out = cli("rounds", "--json", "--db", db)
    (r,) = json.loads(out)
    assert (r["id"], r["year"], r["state"], r["regions"], r["opened_by"]) == (1, 2024, "open", ["嘉兴市", "南湖区"],
                                                                              "命令行")
    assert cli("rounds", "close", "1", "--db", db)[0] == 0
    code, out = cli("rounds", "close", "1", "--db", db)
    assert code == 1 and "已于" in out and "结束" in out
    code, out = cli("rounds", "open", "2030", "--db", db)
    assert code == 1 and "年份 2030 不在规划期内：应在 2020—2025 之间" in out


def test_an_import_that_changed_something_is_audited(db, tmp_path):
    data = tmp_path / "gdp.csv"
    data.write_text("指标,地区,年份,数值,单位\nT2-1,嘉兴市,2024,7569.53,亿元\n", encoding="utf-8")
    assert cli("import", data, "--db", db)[0] == 0
    assert cli("import", data, "--db", db)[0] == 0  # unchanged: nothing to audit
    assert cli("import", data, "--dry-run", "--db", db)[0] == 0
    _code, out = cli("audit", "--action", "import", "--json", "--db", db)
    (entry,) = json.loads(out)
    assert (entry["actor"], entry["subject"], entry["after"]) == (
        "命令行", "gdp.csv", {"rows": 1, "inserted": 1, "revised": 0, "unchanged": 0, "indicators": {"T2-1": 1}})
