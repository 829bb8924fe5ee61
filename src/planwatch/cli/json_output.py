"""JSON at the command line's edge: always valid JSON, a non-finite number written as null."""

from __future__ import annotations

import json
import math
from typing import Any


def finite(data: Any) -> Any:
    """The data with every inf, -inf and NaN replaced by None (JSON has no spelling for them)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def dumps(data: Any) -> str:
    """Indented JSON with Chinese kept readable; never ``Infinity`` or ``NaN``."""
    return json.dumps(finite(data), ensure_ascii=False, indent=2, allow_nan=False)
