"""``planwatch report``: options checked before the store is opened, paths printed, errors clear."""

from __future__ import annotations

from planwatch.cli import main


def test_unknown_format_is_refused(tmp_path, capsys):
    assert main(["report", "--kind", "annual", "--year", "2024", "-o", str(tmp_path), "--format", "pdf"]) == 1
    assert "不支持的报告格式：pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_kind_is_refused(tmp_path, capsys):
    assert main(["report", "--kind", "weekly", "-o", str(tmp_path)]) == 1
    assert "未知的报告类型“weekly”" in capsys.readouterr().err
