"""Hand-built plans and observation frames mirroring rows of the Jiaxing plan (表1, 表2)."""

from __future__ import annotations

import pandas as pd
import pytest

from planwatch.model import Baseline, Indicator, Outcome, Plan, PlanMeta, Series, Target

COLUMNS = ["indicator", "region", "year", "value", "bound", "text", "kind", "unit", "source", "note", "vintage"]
CITY = "嘉兴市"


def indicator(id: str, name: str, unit: str | None, base: float | None, *targets: Target, no: str | None = None,
              table: str = "表2", start: int = 2021, end: int = 2025, **kw) -> Indicator:
    """An indicator row; the first target is the primary one."""
    return Indicator(id=id, table=table, no=no or id.split("-")[-1], name=name, unit=unit,
                     baseline=Baseline(value=base, year=start - 1 if base is not None else None),
                     target=targets[0], targets=list(targets), period_start=start, period_end=end,
                     line=100 + len(id), **kw)


def plan_of(*indicators: Indicator, series: list[Series] | None = None) -> Plan:
    meta = PlanMeta(title="嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", region=CITY,
                    period_start=2021, period_end=2025, base_year=2020, plan_number=14)
    return Plan(meta=meta, indicators=list(indicators), series=series or [])


def frame_of(*rows: tuple) -> pd.DataFrame:
    """Rows of (indicator, region, year, value[, kind[, bound[, source]]]) as the store's frame."""
    records = []
    for r in rows:
        ind, region, year, value = r[:4]
        kind = r[4] if len(r) > 4 else "level"
        bound = r[5] if len(r) > 5 else None
        source = r[6] if len(r) > 6 else f"src:{ind}:{region}:{year}"
        text = value if isinstance(value, str) else None
        num = float("nan") if value is None or isinstance(value, str) else float(value)
        records.append((ind, region, year, num, bound, text, "text" if text else kind, None, source, None, None))
    return pd.DataFrame(records, columns=COLUMNS)


GDP = Target(kind="level", comparator="at_least", value=9000, text="9000", direction="higher_is_better")
PM25 = Target(kind="level", comparator="at_most", value=27, text="27以下", direction="lower_is_better")
URBAN = Target(kind="level", comparator="about", value=75, text="75左右")
WATER = Target(kind="cumulative_change", comparator="at_least", value=16, text="[16]", cumulative=True)
INCOME = Target(kind="comparative", comparator="about", reference="经济增长", text="与经济增长基本同步")
PRODUCER = Target(kind="comparative", comparator="at_least", reference="地区生产总值年均增长", text="高于地区生产总值年均增长")
LABOUR = Target(kind="annual_growth", comparator="at_least", value=7, text="7以上")
ENERGY = Target(kind="assigned", text="省下达指标", assigned_by="省", assigned_kind="cumulative_change", cumulative=True)
GDP_SERIES = Series(code="GDPg", name="GDP实际增长率", unit="%", kind="annual_growth")


@pytest.fixture
def city_plan() -> Plan:
    """表2 rows 1, 2, 3, 4, 6, 14, 16, 18, 27 as the reviewed plan would hold them."""
    return plan_of(
        indicator("T2-1", "地区生产总值", "亿元", 5509.5, GDP, category="经济发展"),
        indicator("T2-2", "全员劳动生产率年均增长", "%", None, LABOUR, category="经济发展"),
        indicator("T2-3", "常住人口城镇化率", "%", 69, URBAN, category="经济发展"),
        indicator("T2-4", "生产性服务业五大行业增加值年均增长", "%", None, PRODUCER, category="经济发展"),
        indicator("T2-6", "人才资源总量", "万人", 127, Target(kind="level", comparator="at_least", value=170, text="170"),
                  category="创新"),
        indicator("T2-14", "单位地区生产总值能源消耗降低", "%", None, ENERGY, category="生态环境", attribute="binding"),
        indicator("T2-16", "万元地区生产总值用水量降低", "%", None, WATER, category="生态环境", attribute="binding"),
        indicator("T2-18", "设区城市细颗粒物(PM2.5)平均浓度", "微克/立方米", 28, PM25, category="生态环境",
                  attribute="binding"),
        indicator("T2-27", "居民人均可支配收入年均增长", "%", None, INCOME, category="社会民生"),
        series=[GDP_SERIES],
    )


def by_id(assessment, region: str = CITY) -> dict:
    return {f.indicator_id: f for f in assessment.findings if f.region == region}


@pytest.fixture
def kit():
    """The builders above, for tests (conftest modules cannot be imported under importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(indicator=indicator, plan_of=plan_of, frame_of=frame_of, by_id=by_id, CITY=CITY,
                           GDP=GDP, PM25=PM25, URBAN=URBAN, WATER=WATER, INCOME=INCOME, PRODUCER=PRODUCER,
                           LABOUR=LABOUR, ENERGY=ENERGY, GDP_SERIES=GDP_SERIES, Target=Target, Outcome=Outcome)
