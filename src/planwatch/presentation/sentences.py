"""The sentences written about a finding: one paragraph per indicator, from its numbers.

Every sentence is assembled from the numbers of a Finding with the one precision rule of
:mod:`planwatch.figures`; a sentence whose numbers are missing is left out rather than filled with
a stock phrase, and no number is said twice.
"""

from __future__ import annotations

from planwatch.figures import difference, fmt_number, fmt_share, target_with_unit, with_unit
from planwatch.model import Finding, Status, TargetKind, observed_unit
from planwatch.vocabulary import outlook_label, place_in_plan, stale_note, status_label, warning_label

# Statuses whose reason only the evaluator's explanation gives (no numbers to build sentences from),
# and target kinds whose comparison the generic sentences do not describe.
EXPLAINED_BY_EVALUATOR_STATUSES = (Status.no_data, Status.not_assessable, Status.pending_target)
EXPLAINED_BY_EVALUATOR_KINDS = (TargetKind.comparative, TargetKind.maintain)

def rate_phrase(rate: float, *, geometric: bool = True, unit: str | None = None) -> str:
    """An annual rate in words: % on a geometric path, units (percentage points) on a linear one."""
    if geometric:
        return f"年均{'下降' if rate < 0 else '增长'}{fmt_number(abs(rate))}%"
    amount = f"{fmt_number(abs(rate))}{'个百分点' if unit == '%' else unit or ''}"
    return f"年均{'减少' if rate < 0 else '提高'}{amount}"


def is_growth(finding: Finding) -> bool:
    """True for targets judged on a growth rate rather than a level."""
    return finding.kind in (TargetKind.annual_growth, TargetKind.comparative)


def actual_sentence(f: Finding) -> str:
    """What was reached, with the base for comparison."""
    if f.actual is None:
        return f"{f.indicator}截至{f.year}年尚无可用的实际数据"
    year = f.actual_year or f.year
    text = f"{year}年{f.indicator}为{with_unit(f.actual, observed_unit(f.kind, f.unit), f.actual_bound)}"
    if f.baseline is not None and not is_growth(f):
        text += f"（基期值{with_unit(f.baseline, f.unit)}）"
    return text


def target_sentence(f: Finding, target_year: int | None) -> str:
    """The commitment as printed, with the year it falls due."""
    if f.kind == TargetKind.assigned and f.target is None:
        return "目标为上级下达指标，目前尚未下达具体数值"
    if not f.target_text and f.target is None:
        return ""
    printed = target_with_unit(f.target_text, f.unit) if f.target_text else with_unit(f.target, f.unit)
    due = f"{target_year}年" if target_year else ""
    return f"规划目标为{due}{printed}"


def progress_sentence(f: Finding) -> str:
    """Share of the distance covered against the share of the period gone."""
    if f.completion is None or f.time_elapsed is None:
        return ""
    diff = (f.completion - f.time_elapsed) * 100
    if abs(diff) < 0.05:
        pace = "与时间进度持平"
    else:
        pace = f"比时间进度{'快' if diff > 0 else '慢'}{fmt_share(abs(diff) / 100).rstrip('%')}个百分点"
    return f"已完成基期至目标距离的{fmt_share(f.completion)}，规划期时间已过{fmt_share(f.time_elapsed)}，完成进度{pace}"


def rebased_sentence(f: Finding) -> str:
    """The base year's value as now observed, where it differs from the plan's, and the completion on it."""
    if f.rebased_baseline is None:
        return ""
    text = f"基期值现为{with_unit(f.rebased_baseline, f.unit)}，与规划基期值不同"
    if f.rebased_completion is not None:
        text += f"，按此计算已完成基期至目标距离的{fmt_share(f.rebased_completion)}"
    return text


def derived_sentence(f: Finding) -> str:
    """Said where the figure judged was summed from the regions below rather than published."""
    return "该实际值由下辖县（市、区）数据加总得出，非统计部门发布数" if f.derived else ""


def expected_sentence(f: Finding) -> str:
    """The value the planned path asks for this year, against the actual."""
    if f.expected is None:
        return ""
    text = f"按规划路径{f.actual_year or f.year}年应达{with_unit(f.expected, observed_unit(f.kind, f.unit))}"
    if f.actual is not None:
        delta = f.actual - f.expected
        if abs(delta) < 1e-9:
            text += "，实际与之相当"
        else:
            text += f"，实际{'高于' if delta > 0 else '低于'}应达值{difference(abs(delta), observed_unit(f.kind, f.unit))}"
    return text


def rate_sentence(f: Finding, target_year: int | None, *, geometric: bool = True) -> str:
    """The annual rate still needed, beside the rate realised so far."""
    parts = []
    if f.observed_rate is not None:
        parts.append(f"基期以来实际{rate_phrase(f.observed_rate, geometric=geometric, unit=f.unit)}")
    if f.required_rate is not None:
        due = f"{target_year}年" if target_year else "期末"
        parts.append(f"要在{due}实现目标，今后需{rate_phrase(f.required_rate, geometric=geometric, unit=f.unit)}")
    return "，".join(parts)


def projection_sentence(f: Finding, target_year: int | None) -> str:
    """Where the current pace leads by the target year, with the evaluator's trend judgement."""
    parts = []
    if f.projection is not None and target_year:
        text = f"按目前趋势推算，{target_year}年将达到{with_unit(f.projection, observed_unit(f.kind, f.unit))}"
        if f.outlook:
            text += f"，{outlook_label(f.outlook)}目标"
        parts.append(text)
    if f.projection_year is not None:
        parts.append(f"预计{f.projection_year}年达到目标值")
    return "，".join(parts)


def status_sentence(f: Finding, *, final: bool) -> str:
    """The verdict, with the warning flag."""
    text = f"评估结论：{status_label(f.status, final=final)}"
    if f.stale:
        text += stale_note(f.actual_year)
    if f.warning:
        text += f"（{warning_label(True, f.warning_level)}）"
    if f.status == Status.no_data:
        text += "，需补充数据后再作判断"
    return text


def indicator_paragraph(
    f: Finding,
    *,
    target_year: int | None,
    source_numbers: tuple[int, ...] = (),
    final: bool = False,
    geometric: bool = True,
) -> str:
    """One paragraph about an indicator, written from its Finding's numbers."""
    sentences = [
        actual_sentence(f),
        derived_sentence(f),
        target_sentence(f, target_year),
        progress_sentence(f),
        rebased_sentence(f),
        expected_sentence(f),
        rate_sentence(f, target_year, geometric=geometric),
        projection_sentence(f, target_year),
        status_sentence(f, final=final),
    ]
    text = "；".join(s for s in sentences if s) + "。"
    if f.status in EXPLAINED_BY_EVALUATOR_STATUSES or f.kind in EXPLAINED_BY_EVALUATOR_KINDS:
        explanation = f.explanation.strip()
        if explanation:
            text += explanation if explanation.endswith(("。", ".")) else explanation + "。"
    trace = []
    if source_numbers:
        trace.append("数据来源" + "".join(f"[{n}]" for n in source_numbers))
    if f.line:
        trace.append(f"指标见规划纲要{place_in_plan(f.line, f.location)}")
    if trace:
        text += "（" + "；".join(trace) + "）"
    return text
