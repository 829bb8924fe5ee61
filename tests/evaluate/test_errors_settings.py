"""Errors a user can cause, and every setting documented in docs/methodology.md."""

from pathlib import Path

import pytest

from planwatch.errors import EvaluationError
from planwatch.evaluate import METHODS, EvaluationSettings, evaluate
from planwatch.model import Observation

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


@pytest.mark.parametrize("year", [2019, 2026])
def test_year_outside_plan(city_plan, kit, year):
    with pytest.raises(EvaluationError, match="超出规划期：应在基期 2020 年至目标年 2025 年之间"):
        evaluate(city_plan, kit.frame_of(), year)


def test_unknown_method_and_region(city_plan, kit):
    with pytest.raises(EvaluationError, match="未知的评估方法“sdg”"):
        evaluate(city_plan, kit.frame_of(), 2022, method="sdg")
    with pytest.raises(EvaluationError, match="地区“杭州市”没有任何观测数据；已有数据的地区：嘉兴市"):
        evaluate(city_plan, kit.frame_of(("T2-1", kit.CITY, 2021, 6000)), 2022, regions=["杭州市"])
    with pytest.raises(EvaluationError, match="未知的评估设置：margin"):
        evaluate(city_plan, kit.frame_of(), 2022, settings={"margin": 1})


def test_observation_list_input(city_plan):
    obs = [Observation(indicator="T2-1", region="嘉兴市", year=2024, value=7569.5, source="GWR 2025")]
    f = next(f for f in evaluate(city_plan, obs, 2024).findings if f.indicator_id == "T2-1")
    assert f.actual == 7569.5 and f.sources == ["GWR 2025"]


def test_every_setting_documented():
    text = DOC.read_text(encoding="utf-8")
    for name, field in EvaluationSettings.model_fields.items():
        assert f"`{name}`" in text, f"setting {name} is not documented"
        assert field.description
    for method in METHODS:
        assert f"`{method}`" in text
