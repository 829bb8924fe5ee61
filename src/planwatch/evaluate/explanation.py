"""One Chinese sentence per finding saying why it has its status, with the real numbers."""

from __future__ import annotations

import math

from planwatch.model import Status, TargetKind, status_label


def fmt(x: float | None, unit: str = "") -> str:
    """A number as a reader expects it: 7569.5, 93.1, 0.0156; '—' when missing."""
    if x is None or not math.isfinite(x):
        return "—"
    a = abs(x)
    digits = 1 if a >= 100 else 2 if a >= 0.1 or a == 0 else 4
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def pct(share: float | None) -> str:
    """A share as a percentage with one decimal: 0.6472 → 64.7%."""
    if share is None or not math.isfinite(share):
        return "—"
    return f"{share * 100:.1f}%"


def _year(y: float | None) -> str:
    return f"{int(y)}年" if y is not None and math.isfinite(y) else ""


def explain(row: dict, kind: TargetKind, method_label: str, category_label: str | None, rule_note: str,
            linear_rate: bool, final: bool) -> str:
    """The explanation of one finding (``row`` holds its numbers as plain Python values)."""
    status = row["status"]
    label = status_label(status, final=final)
    if row.get("verdict_reason") and status in (Status.no_data, Status.not_assessable, Status.pending_target):
        return f"{row['verdict_reason']}，{label}。"
    unit = row["unit"] or ""
    when = _year(row["actual_year"])
    if kind == TargetKind.annual_growth:
        text = (f"截至{when}年均增长{fmt(row['actual'], '%')}，目标年均{row['target_text'] or fmt(row['target'], '%')}"
                f"，期末前还需年均{fmt(row['required_rate'], '%')}")
    elif kind == TargetKind.cumulative_change:
        text = (f"截至{when}累计{fmt(row['actual'], '%')}，按进度应达{fmt(row['expected'], '%')}"
                f"，目标{row['target_text'] or fmt(row['target'], '%')}，完成进度{pct(row['completion'])}，时间进度{pct(row['time_elapsed'])}")
    elif kind == TargetKind.comparative:
        text = (f"截至{when}年均增长{fmt(row['actual'], '%')}，比较对象同期年均增长{fmt(row['target'], '%')}"
                f"（{rule_note}）")
    elif kind == TargetKind.maintain:
        text = f"{when}实际{fmt(row['actual'], unit)}，应保持在{fmt(row['target'], unit)}"
    else:
        bound = {">": "超过", "<": "低于"}.get(str(row.get("actual_bound") or ""), "")
        text = f"{when}实际{bound}{fmt(row['actual'], unit)}"
        if status == Status.achieved:
            text += f"，已达到目标{row['target_text'] or fmt(row['target'], unit)}"
        else:
            text += (f"，按计划路径应达{fmt(row['expected'], unit)}，完成进度{pct(row['completion'])}"
                     f"，时间进度{pct(row['time_elapsed'])}")
        if bound and row.get("verdict_reason"):
            text += f"（{row['verdict_reason']}）"
    if row["method"] != "elapsed_time" and row.get("ratio") is not None and math.isfinite(row["ratio"]):
        text += f"；{method_label}比值{fmt(row['ratio'])}"
        if category_label:
            text += f"（{category_label}）"
        if linear_rate and kind == TargetKind.level:
            text += f"，{rule_note}"
    if row["warning"] and status != Status.achieved:
        if kind in (TargetKind.level, TargetKind.cumulative_change) and row.get("projection") is not None \
                and math.isfinite(row["projection"]):
            text += f"；按目前趋势期末约为{fmt(row['projection'], unit if kind == TargetKind.level else '%')}，难以实现目标"
        else:
            text += "；按目前趋势难以实现目标"
    return f"{text}，{label}。"
