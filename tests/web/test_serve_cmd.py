"""`planwatch serve --get PATH` answers one request in-process and prints it."""

from __future__ import annotations

import json

import pytest

import planwatch.cli.serve_cmd  # noqa: F401  (registers `serve` until cli/__init__ imports it)
from planwatch.cli import main
from planwatch.web.settings import WebSettings


@pytest.fixture
def db(web_store) -> str:
    """The URL of the real sample store (tests/web/conftest.py)."""
    return web_store.url


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The URLs open_store is called with (it is watched, and called through)."""
    import planwatch.store as store_module

    urls: list[str] = []
    real_open = store_module.open_store

    def open_store(url=None):
        urls.append(url)
        return real_open(url)

    monkeypatch.setattr(store_module, "open_store", open_store)
    return urls


def test_get_findings_prints_json(db, opened, capsys):
    assert main(["serve", "--db", db, "--get", "/api/findings?year=2023"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert opened == [db]
    assert data["year"] == 2023
    # 2023: GDP ln(7062.5/5509.5)/ln(9000/5509.5) = 0.2484/0.4908 = 0.506 < 0.60 − 0.05 → 滞后;
    # 城镇化率 (72.4−69)/6 = 0.567 ≥ 0.40 + 0.05 on 2022 data (not yet stale in 2023) → 快于预期
    assert [(f["indicator_id"], f["status"], f["status_text"]) for f in data["findings"]] == [
        ("T2-1", "lagging", "滞后"), ("T2-2", "no_data", "无数据"), ("T2-3", "ahead", "快于预期"),
        ("T2-5", "no_data", "无数据")]
    assert data["findings"][0]["completion_display"] == "50.6%"


def test_get_page_and_options_reach_settings(db, capsys):
    assert main(["serve", "--db", db, "--title", "监测", "--year", "2022", "--get", "/"]) == 0
    out = capsys.readouterr().out
    assert "<title>监测（2022年）</title>" in out
    assert '<option value="2022" selected>2022年</option>' in out


def test_get_error_status_exits_non_zero(db, capsys):
    assert main(["serve", "--db", db, "--get", "/api/indicators/T9-9"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "未找到指标：T9-9", "code": "not_found", "status": 404}
    assert "/api/indicators/T9-9 返回状态码 404" in captured.err


def test_get_on_a_store_without_plan_exits_non_zero(empty_store, capsys):
    assert main(["serve", "--db", empty_store.url, "--get", "/api/findings"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "数据库中还没有规划，请先运行 planwatch load plan.yaml", "code": "store_unavailable", "status": 503}


def test_db_defaults_to_environment(monkeypatch):
    # resolved as every command resolves it (planwatch.store.resolve_url): the psycopg driver is named
    monkeypatch.setenv("PLANWATCH_DB", "postgresql://postgres@127.0.0.1/planwatch")
    assert WebSettings().db == "postgresql+psycopg://postgres@127.0.0.1/planwatch"
    monkeypatch.delenv("PLANWATCH_DB")
    assert WebSettings().db == "sqlite:///planwatch.db"


def test_invalid_port_is_a_clear_error(capsys):
    assert main(["serve", "--port", "70000", "--get", "/"]) == 1
    assert "服务设置无效：--port 的值 70000 无效" in capsys.readouterr().err
