"""Report stage: annual / mid-term / final evaluation reports in Word, HTML and Excel.

``build_reports(store_or_inputs, kind, year, out_dir)`` reads a store (or takes a ready
ReportContext or a mapping of inputs), builds one context and writes each format from it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from planwatch.errors import PlanwatchError

from .context import KIND_LABELS, ReportContext, build_context, context_from_store

__all__ = ["FORMATS", "KIND_LABELS", "ReportContext", "build_context", "build_reports", "checked_formats",
           "checked_kind", "context_from_store", "report_path", "write_report_files"]

FORMATS = ("docx", "html", "xlsx")


def checked_kind(kind: str) -> str:
    """``kind`` if it is a report kind; PlanwatchError otherwise."""
    if kind not in KIND_LABELS:
        raise PlanwatchError(f"未知的报告类型“{kind}”，应为 annual（年度）、midterm（中期）或 final（总结）")
    return kind


def _context(source: Any, kind: str, year: int | None, method: str | None, region: str | None) -> ReportContext:
    if isinstance(source, ReportContext):
        return source
    if isinstance(source, Mapping):
        return build_context(
            source["plan"], source["assessment"], source.get("observations", []), source.get("adjustments", []),
            kind, previous=source.get("previous"), region=region,
        )
    if hasattr(source, "plan") and hasattr(source, "observation_frame"):
        return context_from_store(source, kind, year, method, region)
    raise PlanwatchError("报告输入应为数据库（store）、ReportContext 或包含 plan/assessment 的字典")


def checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The requested formats, deduplicated; PlanwatchError for an unknown one."""
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise PlanwatchError(f"不支持的报告格式：{'、'.join(unknown) or '（空）'}；可选 docx、html、xlsx")
    return chosen


def report_path(ctx: ReportContext, out_dir: Path, fmt: str) -> Path:
    """Where a report of ``ctx`` in format ``fmt`` is written: <地区>_<年份>_<报告类型>.<fmt>."""
    region = re.sub(r'[\\/:*?"<>|\s]+', "_", ctx.region or "report")
    return Path(out_dir) / f"{region}_{ctx.year}_{ctx.kind_label}.{fmt}"


def write_report_files(ctx: ReportContext, out_dir: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``ctx`` in each format; files appear only when all of them were written."""
    from .charts import build_charts
    from .docx import write_docx
    from .html import write_html
    from .xlsx import write_xlsx

    chosen = checked_formats(formats)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlanwatchError(f"无法创建输出目录 {out_dir}：{exc.strerror}") from exc
    charts = build_charts(ctx, svg="html" in chosen, png="docx" in chosen) if {"html", "docx"} & set(chosen) else {}
    writers = {
        "docx": lambda p: write_docx(ctx, charts, p),
        "html": lambda p: write_html(ctx, charts, p),
        "xlsx": lambda p: write_xlsx(ctx, p),
    }
    staged: list[tuple[Path, Path]] = []
    try:
        for fmt in chosen:
            final = report_path(ctx, out_dir, fmt)
            staged.append((final.with_name(final.name + ".part"), final))
            writers[fmt](staged[-1][0])
    except BaseException as exc:
        for part, _ in staged:
            part.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PlanwatchError(f"写入报告失败：{exc}") from exc
        raise
    for part, final in staged:
        os.replace(part, final)
    return [final for _, final in staged]


def build_reports(
    store_or_inputs: Any,
    kind: str,
    year: int | None,
    out_dir: Path | str,
    formats: Iterable[str] = FORMATS,
    *,
    method: str | None = None,
    region: str | None = None,
) -> list[Path]:
    """Build the ``kind`` report for ``year`` in each format into ``out_dir``; return the paths."""
    checked_kind(kind)
    chosen = checked_formats(formats)
    ctx = _context(store_or_inputs, kind, year, method, region)
    return write_report_files(ctx, Path(out_dir), chosen)
