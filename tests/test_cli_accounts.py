"""Accounts and responsibility through the command line: user add/list/disable/passwd and assign."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from planwatch.cli import main
from planwatch.samples import SAMPLES
from planwatch.store import open_store

SAMPLE_SHEET = SAMPLES / "data" / "jiaxing-responsibilities-sample.csv"
CONSOLE_SCRIPT = Path(sys.executable).with_name("planwatch")
PASSWORD = "s3cret-passw0rd"


def cli(*args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    """Run ``planwatch ARGS`` in process (stdin from the text given); exit code and all output."""
    out = io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([str(a) for a in args])
    return code, out.getvalue()


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "pw.db"
    assert cli("init", "--db", path)[0] == 0
    return str(path)


def test_user_add_list_disable_passwd(db, monkeypatch):
    code, out = cli("user", "add", "root", "--role", "admin", "--password-stdin", "--db", db,
                    stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 0, out
    assert "已添加账号 root" in out
    code, out = cli("user", "add", "jx-tjj", "--role", "reporter", "--unit", "市统计局", "--password-stdin",
                    "--db", db, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 0, out
    code, out = cli("user", "list", "--db", db)
    assert code == 0 and "root" in out and "jx-tjj" in out and "市统计局" in out
    assert "argon2" not in out and PASSWORD not in out
    code, out = cli("user", "list", "--json", "--db", db)
    rows = json.loads(out)
    assert [(r["name"], r["role"], r["unit"], r["disabled"]) for r in rows] == [
        ("jx-tjj", "reporter", "市统计局", False), ("root", "admin", None, False)]
    assert all("password_hash" not in r for r in rows)

    store = open_store(db)
    assert store.verify_password("jx-tjj", PASSWORD) is not None
    code, out = cli("user", "passwd", "jx-tjj", "--password-stdin", "--db", db, stdin="new-password-1\n",
                    monkeypatch=monkeypatch)
    assert code == 0 and "已修改 jx-tjj 的密码" in out
    assert store.verify_password("jx-tjj", PASSWORD) is None
    assert store.verify_password("jx-tjj", "new-password-1") is not None
    code, out = cli("user", "disable", "jx-tjj", "--db", db)
    assert code == 0 and "已停用账号 jx-tjj" in out
    assert store.verify_password("jx-tjj", "new-password-1") is None
    assert "已停用" in cli("user", "list", "--db", db)[1]
    store.dispose()


def test_user_add_mistakes(db, monkeypatch):
    code, out = cli("user", "add", "rep", "--role", "reporter", "--password-stdin", "--db", db,
                    stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 1 and "必须指定责任单位" in out
    code, out = cli("user", "add", "x", "--role", "boss", "--password-stdin", "--db", db,
                    stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 1 and "角色 'boss' 无效" in out and "viewer" in out
    code, out = cli("user", "add", "x", "--role", "viewer", "--password-stdin", "--db", db,
                    stdin="\n", monkeypatch=monkeypatch)
    assert code == 1 and "标准输入中没有密码" in out
    cli("user", "add", "x", "--role", "viewer", "--password-stdin", "--db", db, stdin=PASSWORD, monkeypatch=monkeypatch)
    code, out = cli("user", "add", "x", "--role", "viewer", "--password-stdin", "--db", db,
                    stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 1 and "用户 x 已存在" in out
    code, out = cli("user", "disable", "ghost", "--db", db)
    assert code == 1 and "没有名为 ghost 的用户" in out


def test_user_add_as_a_real_subprocess(db):
    proc = subprocess.run([str(CONSOLE_SCRIPT), "user", "add", "root", "--role", "admin", "--password-stdin",
                           "--db", db], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    store = open_store(db)
    assert store.verify_password("root", PASSWORD) is not None
    store.dispose()


@pytest.fixture
def plan_db(jiaxing_store) -> str:
    return jiaxing_store.url


def test_assign_one_indicator(plan_db, jiaxing_store):
    code, out = cli("assign", "1", "--unit", "市统计局", "--co", "市发展改革委", "--co", "市财政局、市商务局", "--db", plan_db)
    assert code == 0, out
    (r,) = jiaxing_store.responsibilities()
    assert (r.indicator, r.lead_unit, r.co_units) == ("T2-1", "市统计局", ["市发展改革委", "市财政局", "市商务局"])
    code, out = cli("assign", "不存在的指标", "--unit", "市统计局", "--db", plan_db)
    assert code == 1 and "找不到指标 不存在的指标" in out
    code, out = cli("assign", "1", "--db", plan_db)
    assert code == 1 and "--unit" in out
    code, out = cli("assign", "--db", plan_db)
    assert code == 0 and "地区生产总值" in out and "市统计局" in out


def test_assign_the_sample_sheet(plan_db, jiaxing_store):
    code, out = cli("assign", "--file", SAMPLE_SHEET, "--db", plan_db)
    assert code == 0, out
    done = {r.indicator: r for r in jiaxing_store.responsibilities()}
    assert len(done) == 10
    assert done["T2-5"].lead_unit == "市科技局"
    assert done["T2-5"].co_units == ["市统计局", "市财政局"]


def test_assign_file_with_a_bad_row_writes_nothing(plan_db, jiaxing_store, tmp_path):
    sheet = tmp_path / "分工.csv"
    sheet.write_text("指标,牵头单位,配合单位\n1,市统计局,市发展改革委\n没有这个指标,市科技局,\n5,,市统计局\n",
                     encoding="utf-8")
    code, out = cli("assign", "--file", sheet, "--db", plan_db)
    assert code == 1
    assert "未写入任何分工" in out
    assert "第 3 行：找不到指标 没有这个指标" in out
    assert "第 4 行：指标 5 缺少牵头单位" in out
    assert jiaxing_store.responsibilities() == []


def test_assign_xlsx_and_missing_columns(plan_db, jiaxing_store, tmp_path):
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["指标", "牵头单位", "配合单位"])
    ws.append(["T2-9", "市商务局", "嘉兴海关,市发展改革委"])
    ws.append(["实际利用外资", "市商务局", None])
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    code, out = cli("assign", "--file", path, "--db", plan_db)
    assert code == 0, out
    assert [(r.indicator, r.co_units) for r in jiaxing_store.responsibilities()] == [
        ("T2-9", ["嘉兴海关", "市发展改革委"]), ("T2-11", [])]
    bad = tmp_path / "bad.csv"
    bad.write_text("指标,单位\n1,市统计局\n", encoding="utf-8")
    code, out = cli("assign", "--file", bad, "--db", plan_db)
    assert code == 1 and "缺少列 牵头单位" in out
