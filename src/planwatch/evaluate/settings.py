"""Every threshold and tolerance of the evaluation, each a named setting with a default and help.

Settings are listed datasette-style: ``EvaluationSettings.model_fields`` gives each name, default
and help text; docs/methodology.md documents every one (a test checks this).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from planwatch.errors import EvaluationError


def _reference_synonyms() -> dict[str, tuple[str, ...]]:
    return {"地区生产总值": ("生产总值", "GDP", "经济增长", "经济")}


class EvaluationSettings(BaseModel):
    """Thresholds and tolerances used by the rules and methods; override any by name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ahead_margin: float = Field(
        0.05,
        description="时间进度法：完成进度超过时间进度至少这么多（比例）即为“快于预期”",
    )
    lagging_margin: float = Field(
        0.05,
        description="时间进度法：完成进度落后时间进度超过这么多（比例）即为“滞后”；其间为“基本符合预期”",
    )
    about_tolerance_pp: float = Field(
        0.5,
        description="“左右”目标的容差（百分点），用于单位为%的指标",
    )
    about_tolerance_share: float = Field(
        0.02,
        description="“左右”目标的相对容差（目标值的比例），用于其他单位的指标",
    )
    comparative_tolerance_pp: float = Field(
        1.0,
        description="比较性目标“基本同步”的容差（百分点）：增速与参照增速之差在此以内视为同步",
    )
    open_sdg_substantial: float = Field(
        0.95,
        description="Open SDG 法：实际/所需年均变化率之比不低于此值为“进展显著”",
    )
    open_sdg_moderate: float = Field(
        0.6,
        description="Open SDG 法：比值不低于此值（且低于“进展显著”）为“有进展但需加快”，0 至此值为“进展有限”，负值为“倒退”",
    )
    unsd_on_track: float = Field(
        0.95,
        description="UNSD 法：按当前速度推算期末可完成目标距离的比例不低于此值为“基本可实现”",
    )
    unsd_fair: float = Field(
        0.10,
        description="UNSD 法：推算比例不低于此值为“有一定进展”，低于此值为“进展有限”，负值为“倒退”",
    )
    projection_horizon: int = Field(
        30,
        description="推算达标年份的最远年数（规划期末之后）；更远视为按当前速度无法实现",
    )
    recent_window_years: int = Field(
        3,
        description="近期趋势窗口（年，含数据年份）：水平目标的趋势推算取“基期→最新”与“窗口内最早观测→最新”两者中较慢的一个；小于2即不看近期趋势",
        ge=0,
    )
    geometric_units: tuple[str, ...] = Field(
        ("亿元", "万亿元", "万元", "元", "亿美元", "万美元", "美元", "万元/人", "元/人", "万人", "人", "件", "项", "个", "张",
         "家", "万套", "套", "万吨", "吨", "万吨标准煤", "万吨标煤", "吨标准煤"),
        description="未指定路径时按几何（复合增长）路径规划的计量单位；其余单位（%、岁、年等）按线性路径",
    )
    reduction_words: tuple[str, ...] = Field(
        ("降低", "下降", "减少", "削减", "压减"),
        description="指标名称含这些词时，累计变化目标按“降低”处理（逐年降幅复合）",
    )
    reference_synonyms: dict[str, tuple[str, ...]] = Field(
        default_factory=_reference_synonyms,
        description="比较性目标参照量的同义词表：参照文字或其同义词出现在指标/序列名称中即视为匹配",
    )
    reference_strip_words: tuple[str, ...] = Field(
        ("年均增长率", "年均增长", "实际增长率", "增长率", "增速", "增长", "速度"),
        description="匹配参照量前从参照文字中去掉的词（“地区生产总值年均增长”→“地区生产总值”）",
    )
    stale_after_years: int = Field(
        1,
        description="数据滞后年数上限：实际值年份早于“评估年份减此值”时，评估结果注明“按某年数据”，不单凭旧数据称“提前实现”“快于预期”",
        ge=0,
    )
    exceeded_share: float = Field(
        1.1,
        description="超额完成：期末数据已实现目标，且完成进度（增速目标为实际与目标增速之比）不低于此比例；“左右”目标与年度控制目标不称超额",
        gt=1.0,
    )
    nearly_achieved_share: float = Field(
        0.9,
        description="基本完成：期末数据未实现的预期性指标，完成进度（增速目标为实际与目标增速之比）不低于此比例；约束性指标未实现即为“未实现”",
        gt=0.0, lt=1.0,
    )
    warning_grade_shares: tuple[float, float] = Field(
        (0.9, 0.7),
        description="预警分级（按趋势推算期末完成进度）：不低于第一个值为三级预警，不低于第二个值为二级预警，更低为一级预警",
    )
    warning_grade_gaps: tuple[float, float] = Field(
        (0.02, 0.05),
        description="预警分级（无法推算完成进度时，按偏离目标线的幅度占目标值的比例）：不超过第一个值为三级，不超过第二个值为二级，更大为一级",
    )
    final_status_at_end: bool = Field(
        True,
        description="评估年份为规划期末时，未达标记为“未实现”而非“滞后”",
    )

    def to_dict(self) -> dict[str, Any]:
        """Settings as plain values, name → value (for an Assessment and reports)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.model_dump().items()}


def settings_help() -> list[tuple[str, Any, str]]:
    """Every setting as (name, default, help), in declaration order."""
    out = []
    for name, field in EvaluationSettings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        out.append((name, default, field.description or ""))
    return out


def resolve_settings(settings: EvaluationSettings | dict | None) -> EvaluationSettings:
    """The settings to use: defaults, a settings object, or overrides by name."""
    if settings is None:
        return EvaluationSettings()
    if isinstance(settings, EvaluationSettings):
        return settings
    unknown = sorted(set(settings) - set(EvaluationSettings.model_fields))
    if unknown:
        known = "、".join(EvaluationSettings.model_fields)
        raise EvaluationError(f"未知的评估设置：{'、'.join(unknown)}；可用设置：{known}")
    try:
        return EvaluationSettings(**settings)
    except ValueError as exc:
        raise EvaluationError(f"评估设置取值无效：{exc}") from exc
