"""Several plans in one store (issue 10, first step): list them, choose one by key, never judge one unawares.

The 15th plan here is a transformed copy of the Jiaxing 14th outline (title, period 2026–2030, GDP target),
as an office holding both plans in 2026 has them; its GDP keeps the id T2-1, so the GDP figures imported
once serve both.
"""

import json

import pytest
from tests.conftest import FIFTEENTH, run

from planwatch.errors import EvaluationError
from planwatch.evaluate import assess, read_inputs


def test_plans_are_listed(two_plans):
    store, fourteenth, fifteenth = two_plans
    code, out, _ = run("plans", "--json", "--db", store.url)
    rows = json.loads(out)
    assert code == 0
    assert [(r["key"], r["period_start"], r["period_end"], r["versions"]) for r in rows] == [
        (fourteenth, 2021, 2025, 1), (fifteenth, 2026, 2030, 1)]
    assert rows[1]["title"] == FIFTEENTH and rows[0]["region"] == "嘉兴市"


def test_with_several_plans_and_none_chosen_the_command_stops_and_lists_them(two_plans):
    store, fourteenth, fifteenth = two_plans
    with pytest.raises(EvaluationError, match="数据库中有 2 个规划，请用 --plan 指定其中一个"):
        read_inputs(store)
    code, _, err = run("evaluate", "--db", store.url)
    assert code == 1 and fourteenth in err and fifteenth in err and "Traceback" not in err


def test_each_plan_is_judged_by_key_on_the_same_gdp_series(two_plans):
    store, fourteenth, fifteenth = two_plans
    # 14th, 2024: 7569.53 against 5509.5 → 9000 (as in the demo): 滞后.
    old = {f.indicator_id: f for f in assess(read_inputs(store, fourteenth), year=2024).findings}
    assert old["T2-1"].actual == 7569.53 and old["T2-1"].status == "lagging"
    # 15th, 2026: 8800 against 8200 (2025) → 12000 (2030), geometric: completion ln(8800/8200)/ln(12000/8200)
    # = 0.07062/0.38083 = 0.1854 against time 1/5 = 0.2 → within 5 points: 基本符合预期.
    new = {f.indicator_id: f for f in assess(read_inputs(store, fifteenth), year=2026).findings}
    assert new["T2-1"].actual == 8800.0 and new["T2-1"].completion == pytest.approx(0.18544, abs=1e-4)
    assert new["T2-1"].status == "on_track"
    code, out, _ = run("evaluate", "--plan", fifteenth, "--year", "2026", "--json", "--db", store.url)
    gdp = next(r for r in json.loads(out) if r["indicator_id"] == "T2-1")
    assert code == 0 and gdp["target"] == 12000.0 and gdp["status"] == "on_track"


def test_an_unknown_key_lists_the_known_ones(two_plans):
    store, fourteenth, _ = two_plans
    code, _, err = run("evaluate", "--plan", "nowhere", "--db", store.url)
    assert code == 1 and "没有键为 nowhere 的规划" in err and fourteenth in err


def test_report_and_dashboard_take_the_plan_key(two_plans, tmp_path):
    store, fourteenth, fifteenth = two_plans
    code, _, err = run("report", "--kind", "annual", "--format", "html", "-o", str(tmp_path), "--db", store.url)
    assert code == 1 and "请用 --plan 指定" in err
    code, out, _ = run("report", "--kind", "annual", "--year", "2026", "--format", "html", "-o", str(tmp_path),
                       "--plan", fifteenth, "--db", store.url)
    assert code == 0 and "2026" in out
    html = next(tmp_path.glob("*2026*.html")).read_text(encoding="utf-8")
    assert FIFTEENTH in html and "8800" in html
    code, out, _ = run("serve", "--db", store.url, "--plan", fourteenth, "--get", "/api/findings?year=2024")
    gdp = next(r for r in json.loads(out)["findings"] if r["indicator_id"] == "T2-1")
    assert code == 0 and gdp["target"] == 9000.0 and gdp["actual"] == 7569.53
    # without --plan, each plan is served under /p/{key}/ (web/plan_choice.py); the root names none
    code, out, _ = run("serve", "--db", store.url, "--get", f"/p/{fifteenth}/api/findings?year=2026")
    gdp = next(r for r in json.loads(out)["findings"] if r["indicator_id"] == "T2-1")
    assert code == 0 and gdp["target"] == 12000.0 and gdp["actual"] == 8800.0
    code, out, err = run("serve", "--db", store.url, "--get", "/api/findings")
    assert code == 1 and json.loads(out)["code"] == "plan_required" and fourteenth in out and fifteenth in out


def test_figures_from_before_a_plans_base_year_are_no_progress(two_plans):
    """人才资源总量's latest figure is of 2024, a year before the 15th plan's 2025 base: it says nothing of the 15th
    plan's progress, so 2026 is 无数据 with why — not a judgement at a time share of -20% (as it was)."""
    store, _, fifteenth = two_plans
    found = {f.indicator_id: f for f in assess(read_inputs(store, fifteenth), year=2026).findings}
    talent = found["T2-6"]
    assert (talent.status, talent.actual, talent.actual_year) == ("no_data", None, None)
    assert "规划期内尚无实际数据（最新为2024年，早于基期2025年）" in talent.explanation
    # GDP has a 2026 figure of its own: judged on it, as before.
    assert (found["T2-1"].status, found["T2-1"].actual, found["T2-1"].actual_year) == ("on_track", 8800.0, 2026)
