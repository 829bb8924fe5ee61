"""The store/observe CLI: init, load, regions, import, export, adjust, history (SQLite)."""

from __future__ import annotations

from pathlib import Path

from planwatch.cli import main
from planwatch.model import Plan
from planwatch.planfile import write_plan_yaml
from planwatch.samples import SAMPLES

HAND_PLAN = Path(__file__).with_name("hand_plan.json")


def test_cli_flow(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'pw.db'}"
    plan_yaml = write_plan_yaml(Plan.model_validate_json(HAND_PLAN.read_text(encoding="utf-8")), tmp_path / "plan.yaml")
    assert main(["load", str(plan_yaml), "--db", db]) == 1
    assert "尚未初始化，请先运行 planwatch init" in capsys.readouterr().err
    assert main(["init", "--db", db]) == 0
    assert main(["load", str(plan_yaml), "--db", db, "--note", "初版"]) == 0
    assert "第 1 版" in capsys.readouterr().out
    assert main(["regions", str(SAMPLES / "regions" / "jiaxing-regions.csv"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "已导入地区 8 个" in out and "  └ 海宁市（county）" in out

    data = tmp_path / "data.csv"
    data.write_text("indicator,region,year,value,unit,source\n1,嘉兴市,2021,6355.28,亿元,a\n"
                    "1,嘉兴市,2021,6388.38,亿元,b\nPOP,嘉兴市,2021,551.6,万人,c\n", encoding="utf-8")
    assert main(["import", str(data), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "发现 1 处问题（未写入任何数据）" in err and "POP" in err
    assert main(["import", str(data), "--db", db, "--dry-run", "--declare", "POP:常住人口:万人"]) == 0
    assert "检查通过（未写入）" in capsys.readouterr().out
    assert main(["import", str(data), "--db", db, "--declare", "POP:常住人口:万人"]) == 0
    assert "导入完成" in capsys.readouterr().out

    assert main(["history", "1", "--region", "嘉兴市", "--year", "2021", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "6355.28" in out and "6388.38" in out and "✓" in out

    # A non-finite target is refused before anything is written (issue 13: non-finite numbers).
    assert main(["adjust", "1", "--value", "inf", "--reason", "中期调整", "--db", db]) == 1
    assert "调整后的目标值 inf 不是有限的数值" in capsys.readouterr().err
    assert main(["adjust", "1", "--value", "9500", "--reason", "中期调整", "--date", "2023-06-30", "--db", db]) == 0
    assert "已记录目标调整" in capsys.readouterr().out

    out_csv = tmp_path / "out.csv"
    assert main(["export", str(out_csv), "--revisions", "--db", db]) == 0
    assert "已导出 3 行" in capsys.readouterr().out
    assert main(["import", str(data), "--db", db, "--declare", "POP:常住人口:万人:level"]) == 0
    assert main(["import", str(data), "--db", db, "--declare", "POP"]) == 1
    assert "格式错误" in capsys.readouterr().err
