"""Report stage: annual / mid-term / final evaluation reports in Word, HTML and Excel.

``build_reports(store, kind, year, out_dir)`` evaluates through the shared entry
(:func:`planwatch.evaluate.assess`), builds one context and writes each format from it; a ready
:class:`ReportContext` or :class:`ReportInputs` (plan, assessment, observations) is taken as well.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from planwatch.errors import InputError, PlanwatchError
from planwatch.model import Assessment, Observation, Plan, TargetAdjustment
from planwatch.store import Store

from .charts import Chart, charts_drawn
from .context import KIND_LABELS, ReportContext, build_context, context_from_store
from .docx import write_docx
from .html import write_html
from .xlsx import write_xlsx

__all__ = ["FORMATS", "KIND_LABELS", "WRITERS", "ReportContext", "ReportInputs", "build_context", "build_reports",
           "checked_formats", "checked_kind", "context_from_store", "report_path", "write_report_files"]

# The report formats: a new one is a writer (context, charts, path) added here.
Writer = Callable[[ReportContext, Mapping[str, Chart], Path], Path]
WRITERS: dict[str, Writer] = {
    "docx": write_docx,
    "html": write_html,
    "xlsx": lambda ctx, charts, path: write_xlsx(ctx, path),
}
FORMATS = tuple(WRITERS)
CHARTED = ("docx", "html")  # formats showing charts: PNG in Word, SVG in HTML


@dataclass(frozen=True)
class ReportInputs:
    """What a report is built from when there is no store: a plan judged, and its data."""

    plan: Plan
    assessment: Assessment
    observations: Sequence[Observation] = ()
    adjustments: Sequence[TargetAdjustment] = ()
    previous: Assessment | None = None

    def context(self, kind: str, region: str | None = None) -> ReportContext:
        """The report context of ``kind``."""
        return build_context(self.plan, self.assessment, self.observations, self.adjustments, kind,
                             previous=self.previous, region=region)


def checked_kind(kind: str) -> str:
    """``kind`` if it is a report kind; InputError otherwise (the CLI's option and the web's field alike)."""
    if kind not in KIND_LABELS:
        raise InputError(f"未知的报告类型“{kind[:40]}”，应为 annual（年度）、midterm（中期）或 final（总结）")
    return kind


def _context(source: Store | ReportInputs | ReportContext, kind: str, year: int | None, method: str | None,
             region: str | None, plan_key: str | None = None) -> ReportContext:
    if isinstance(source, ReportContext):
        return source
    if isinstance(source, ReportInputs):
        return source.context(kind, region)
    return context_from_store(source, kind, year, method, region, plan_key=plan_key)


def checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The requested formats, deduplicated; InputError for an unknown one, or for none."""
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    unknown = [f[:20] for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"不支持的报告格式：{'、'.join(unknown) or '未选择任何格式'}；可选 docx、html、xlsx")
    return chosen


def report_path(ctx: ReportContext, out_dir: Path, fmt: str) -> Path:
    """Where a report of ``ctx`` in format ``fmt`` is written: <地区>_<年份>_<报告类型>.<fmt>."""
    region = re.sub(r'[\\/:*?"<>|\s]+', "_", ctx.region or "report")
    return Path(out_dir) / f"{region}_{ctx.year}_{ctx.kind_label}.{fmt}"


def write_report_files(ctx: ReportContext, out_dir: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``ctx`` in each format; files appear only when all of them were written."""
    chosen = checked_formats(formats)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlanwatchError(f"无法创建输出目录 {out_dir}：{exc.strerror}") from exc
    finals = [report_path(ctx, out_dir, fmt) for fmt in chosen]
    parts = {fmt: final.with_name(final.name + ".part") for fmt, final in zip(chosen, finals, strict=True)}
    try:
        with charts_drawn(ctx, svg="html" in chosen, png="docx" in chosen) as charts:
            # Formats without charts first: they are written while worker processes draw the charts.
            for fmt in sorted(chosen, key=lambda f: f in CHARTED):
                WRITERS[fmt](ctx, charts, parts[fmt])
    except BaseException as exc:
        for part in parts.values():
            part.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PlanwatchError(f"写入报告失败：{exc}") from exc
        raise
    for part, final in zip(parts.values(), finals, strict=True):
        os.replace(part, final)
    return finals


def build_reports(
    source: Store | ReportInputs | ReportContext,
    kind: str,
    year: int | None,
    out_dir: Path | str,
    formats: Iterable[str] = FORMATS,
    *,
    method: str | None = None,
    region: str | None = None,
    plan_key: str | None = None,
) -> list[Path]:
    """Build the ``kind`` report for ``year`` in each format into ``out_dir``; return the paths.

    ``plan_key`` chooses the plan of a store holding several (see :func:`planwatch.evaluate.chosen_plan`)."""
    checked_kind(kind)
    chosen = checked_formats(formats)
    ctx = _context(source, kind, year, method, region, plan_key)
    return write_report_files(ctx, Path(out_dir), chosen)
