"""`planwatch serve --get PATH` answers one request in-process and prints it."""

from __future__ import annotations

import json

import pytest

import planwatch.cli.serve_cmd  # noqa: F401  (registers `serve` until cli/__init__ imports it)
from planwatch.cli import main
from planwatch.web.settings import DEFAULT_DB, WebSettings


@pytest.fixture
def fake_backend(monkeypatch, fake_store, fake_evaluate):
    import planwatch.evaluate as evaluate_module
    import planwatch.store as store_module

    opened = []

    def open_store(url):
        opened.append(url)
        return fake_store

    monkeypatch.setattr(store_module, "open_store", open_store, raising=False)
    monkeypatch.setattr(evaluate_module, "evaluate", fake_evaluate, raising=False)
    return opened


def test_get_findings_prints_json(fake_backend, capsys):
    assert main(["serve", "--db", "sqlite:///x.db", "--get", "/api/findings?year=2023"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert fake_backend == ["sqlite:///x.db"]
    assert data["year"] == 2023
    assert [(f["indicator_id"], f["status"]) for f in data["findings"]] == [
        ("T2-1", "lagging"), ("T2-2", "not_assessable"), ("T2-3", "on_track"), ("T2-5", "no_data")]


def test_get_page_and_options_reach_settings(fake_backend, capsys):
    assert main(["serve", "--db", "sqlite:///x.db", "--title", "监测", "--year", "2022", "--get", "/"]) == 0
    out = capsys.readouterr().out
    assert "<title>监测（2022年）</title>" in out


def test_get_error_status_exits_non_zero(fake_backend, capsys):
    assert main(["serve", "--db", "sqlite:///x.db", "--get", "/api/indicators/T9-9"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "未找到指标：T9-9", "status": 404}
    assert "/api/indicators/T9-9 返回状态码 404" in captured.err


def test_db_defaults_to_environment(monkeypatch):
    monkeypatch.setenv("PLANWATCH_DB", "postgresql://postgres@127.0.0.1/planwatch")
    assert WebSettings().db == "postgresql://postgres@127.0.0.1/planwatch"
    monkeypatch.delenv("PLANWATCH_DB")
    assert WebSettings().db == DEFAULT_DB


def test_invalid_port_is_a_clear_error(capsys):
    assert main(["serve", "--port", "70000", "--get", "/"]) == 1
    assert "服务设置无效：--port 的值 70000 无效" in capsys.readouterr().err
