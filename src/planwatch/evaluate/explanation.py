"""One Chinese sentence per finding saying why it has its status, with the real numbers."""

from __future__ import annotations

import math

from planwatch.figures import fmt_share, with_unit
from planwatch.model import Outlook, Status, TargetKind, observed_unit
from planwatch.vocabulary import BOUND_WORDS, OUTLOOK_LABELS, stale_note, status_label, warning_label


def _year(y: float | None) -> str:
    return f"{int(y)}年" if y is not None and math.isfinite(y) else ""


# Keyed by the bound's text (Bound is a StrEnum), as the per-row values may be plain strings.
_BOUND_WORDS: dict[str, str] = {str(b): w for b, w in BOUND_WORDS.items()}
_SETTLED_BY_REASON = (Status.no_data, Status.not_assessable, Status.pending_target)


def explanations(columns: dict[str, list], *, kind: TargetKind, unit: str | None, target_text: str, method: str,
                 method_label: str, category_labels: list[str | None], rule_note: str,
                 final: bool) -> list[str]:
    """The explanation of each finding of one indicator × target, from one list per value (columnar)."""
    unit = unit or ""
    labels = {s: status_label(s, final=final) for s in Status}
    statuses = columns["status"]
    bodies = _bodies(columns, kind, unit, target_text, rule_note)
    out = []
    for i, status in enumerate(statuses):
        reason = columns["verdict_reason"][i]
        if reason and status in _SETTLED_BY_REASON:
            out.append(f"{reason}，{labels[status]}。")
            continue
        text = bodies[i]
        if method != "elapsed_time":
            text += _ratio_note(columns["ratio"][i], method_label, category_labels[i])
        if columns["derived"][i]:
            text += DERIVED_NOTE
        if columns["rebased_baseline"][i] is not None:
            text += _rebased_note(columns["rebased_baseline"][i], columns["rebased_completion"][i], kind, unit)
        if columns["warning"][i] and status != Status.achieved and not columns["warning_said"][i]:
            text += _warning_note(columns["projection"][i], kind, unit, by_line=columns["by_line"][i],
                                  level=columns["warning_level"][i])
        elif status == Status.lagging and columns["outlook"][i] == Outlook.on_course:
            text += "；按目前趋势可望实现目标"
        stale = stale_note(columns["actual_year"][i]) if columns["stale"][i] else ""
        out.append(f"{text}，{labels[status]}{stale}。")
    return out


def _bodies(c: dict[str, list], kind: TargetKind, unit: str, target_text: str, rule_note: str) -> list[str]:
    """The kind-specific opening of each explanation."""
    years = {y: _year(y) for y in set(c["actual_year"])}  # few distinct values: format each once
    when = [years[y] for y in c["actual_year"]]
    shares = {s: fmt_share(s) for s in set(c["time_elapsed"])}
    elapsed = [shares[s] for s in c["time_elapsed"]]
    actual_unit = observed_unit(kind, unit)
    actual = [with_unit(x, actual_unit) for x in c["actual"]]
    target_unit = "%" if kind in (TargetKind.annual_growth, TargetKind.cumulative_change) else unit
    targets = [target_text] * len(when) if target_text else [with_unit(x, target_unit) for x in c["target"]]
    notes = [f"（{n}）" if n else "" for n in c["rate_note"]]  # said right after the average it qualifies
    if kind == TargetKind.annual_growth:
        return [f"截至{w}年均增长{a}{n}，目标年均{t}，期末前还需年均{with_unit(r, '%')}"
                for w, a, n, t, r in zip(when, actual, notes, targets, c["required_rate"], strict=True)]
    if kind == TargetKind.cumulative_change:
        return [f"截至{w}累计{a}{n}，按进度应达{with_unit(e, '%')}，目标{t}，完成进度{fmt_share(p)}，时间进度{s}"
                for w, a, n, e, t, p, s in zip(when, actual, notes, c["expected"], targets, c["completion"], elapsed,
                                               strict=True)]
    if kind == TargetKind.comparative:
        return [f"截至{w}年均增长{a}{n}，比较对象同期年均增长{with_unit(t, '%')}（{rule_note}）"
                for w, a, n, t in zip(when, actual, notes, c["target"], strict=True)]
    if kind == TargetKind.maintain:
        return [f"{w}实际{a}，应保持在{with_unit(t, unit)}" for w, a, t in zip(when, actual, c["target"], strict=True)]
    out = []
    for i, (w, a) in enumerate(zip(when, actual, strict=True)):
        bound = _BOUND_WORDS.get(str(c["actual_bound"][i] or ""), "")
        text = f"{w}实际{bound}{a}"
        reason = c["verdict_reason"][i]
        if c["met"][i]:  # achieved, or at the end before the final data (预计完成)
            text += f"，已达到目标{targets[i]}"
        elif c["by_line"][i]:
            # No distance to measure (no base, or base = target): the side of the line is the finding.
            text += f"，{reason}"
        else:
            text += (f"，按计划路径应达{with_unit(c['expected'][i], unit)}，完成进度{fmt_share(c['completion'][i])}"
                     f"，时间进度{elapsed[i]}")
            if bound and reason:
                text += f"（{reason}）"
        if c["fell_back_note"][i]:
            text += f"，{c['fell_back_note'][i]}"
        out.append(text)
    return out


def _ratio_note(ratio: float | None, method_label: str, category_label: str | None) -> str:
    """The method's own ratio and category, for methods other than elapsed time (computed as each publishes it)."""
    if ratio is None or not math.isfinite(ratio):
        return ""
    text = f"；{method_label}比值{with_unit(ratio)}"
    if category_label:
        text += f"（{category_label}）"
    return text


def _warning_note(projection: float | None, kind: TargetKind, unit: str, *, by_line: bool = False,
                  level: int | None = None) -> str:
    """The early warning and its grade: where the trend leads at the period's end (the trend judgement
    可能难以实现), or the line itself when there is no trend."""
    grade = warning_label(True, level)
    if by_line and (projection is None or not math.isfinite(projection)):
        return f"；尚未达到目标线，列入{grade}"
    if kind in (TargetKind.level, TargetKind.cumulative_change) and projection is not None \
            and math.isfinite(projection):
        end = with_unit(projection, unit if kind == TargetKind.level else "%")
        return f"；按目前趋势期末约为{end}，{AT_RISK}目标（{grade}）"
    return f"；按目前趋势{AT_RISK}目标（{grade}）"


AT_RISK = OUTLOOK_LABELS[Outlook.at_risk]
DERIVED_NOTE = "（实际值由下辖县（市、区）数据加总得出，非统计部门发布数）"


def _rebased_note(base: float, share: float | None, kind: TargetKind, unit: str) -> str:
    """The base year's value as now observed, where it differs from the plan's, and the completion on it."""
    text = f"（基期值现为{with_unit(base, observed_unit(kind, unit))}，与规划基期值不同"
    if share is not None and math.isfinite(share):
        text += f"，按此计算完成进度{fmt_share(share)}"
    return text + "）"
