"""Evaluation methods: each turns a rule's measures into statuses, a ratio and its own category.

``METHODS`` maps a method code to its module; a new method is one module providing what
:class:`Method` declares, added here. Its name and description are said only by its module.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from planwatch.errors import EvaluationError

from ..measures import Measures
from ..settings import EvaluationSettings
from . import elapsed_time, open_sdg, unsd


class Method(Protocol):
    """What every method module provides."""

    LABEL: str  # the method's one Chinese name (时间进度法)
    DESCRIPTION: str  # what it compares, in one Chinese phrase
    CATEGORY_LABELS: dict[str, str]  # its own categories (substantial_progress → 进展显著)

    def classify(self, m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(status, ratio, category) arrays over the regions."""
        ...


METHODS: dict[str, Method] = {
    "elapsed_time": elapsed_time,
    "open_sdg": open_sdg,
    "unsd": unsd,
}


def method_module(code: str) -> Method:
    """The module of a method code; an EvaluationError naming the known ones otherwise."""
    try:
        return METHODS[code]
    except KeyError:
        known = "、".join(f"{k}（{m.LABEL}）" for k, m in METHODS.items())
        raise EvaluationError(f"未知的评估方法“{code}”；可用方法：{known}") from None


def method_label(code: str) -> str:
    """The Chinese name of a method code; the code itself for one no longer offered."""
    method = METHODS.get(code)
    return method.LABEL if method is not None else code


__all__ = ["METHODS", "Method", "method_label", "method_module"]
