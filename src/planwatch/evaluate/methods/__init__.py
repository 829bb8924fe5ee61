"""Evaluation methods: each turns a rule's measures into statuses, a ratio and its own category.

``METHODS`` maps a method code to its module; every module offers ``LABEL`` (Chinese),
``CATEGORY_LABELS`` and ``classify(measures, settings) -> (status, ratio, category)`` arrays.
"""

from __future__ import annotations

from types import ModuleType

from planwatch.errors import EvaluationError

from . import elapsed_time, open_sdg, unsd

METHODS: dict[str, ModuleType] = {
    "elapsed_time": elapsed_time,
    "open_sdg": open_sdg,
    "unsd": unsd,
}


def method_module(code: str) -> ModuleType:
    """The module of a method code; an EvaluationError naming the known ones otherwise."""
    try:
        return METHODS[code]
    except KeyError:
        known = "、".join(f"{k}（{m.LABEL}）" for k, m in METHODS.items())
        raise EvaluationError(f"未知的评估方法“{code}”；可用方法：{known}") from None


__all__ = ["METHODS", "method_module"]
