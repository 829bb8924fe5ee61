"""Ingest: a plan document (规划纲要) → a :class:`~planwatch.model.Plan`.

Every item carries the 1-based line it came from. The reader never guesses silently: what it
could not understand becomes a warning, and what a person must confirm becomes a review flag.
"""

from __future__ import annotations

from pathlib import Path

from planwatch.errors import PlanFormatError
from planwatch.model import Achievement, Indicator, Plan, Programme, Project, ProseTarget, ReviewFlag, Task

from .document import MAX_PLAN_BYTES, Document, checked_size, describe_lines, document_from_text
from .indicators import indicators_from_tables
from .meta import read_meta
from .outline import Outline, read_outline
from .projects import read_programmes, read_projects
from .prose import read_prose
from .review import collect_flags, duplicate_id_warnings
from .tables import Table, find_tables
from .tasks import read_tasks

__all__ = ["MAX_PLAN_BYTES", "Document", "plan_from_document", "read_document", "read_plan", "read_plan_text"]


def read_document(path: str | Path) -> Document:
    """Read a plan file from disk with the reader of its format (:func:`.readers.read_document`)."""
    # Imported here: the format libraries (pdfplumber, python-docx, lxml) are loaded when a file is read, not by
    # every process that merely imports a rule of this package (the store and the evaluation do).
    from .readers import read_document as read_file

    return read_file(path)


def read_plan(path: str | Path) -> Plan:
    """Read a plan document, in any format of ``readers.READERS``, into a Plan."""
    return plan_from_document(read_document(path))


def read_plan_text(text: str, name: str = "<text>") -> Plan:
    """Read a plan from text already in memory; ``name`` is used in messages."""
    checked_size(len(text.encode("utf-8")), name)
    return plan_from_document(document_from_text(text, name))


def read_tables(doc: Document, period: tuple[int | None, int | None]
                ) -> tuple[list[Table], list[Indicator], list[ReviewFlag], list[str]]:
    """(tables, indicators, flags, warnings) of the document's indicator tables."""
    tables = find_tables(doc.lines)
    indicators, flags, warnings = indicators_from_tables(tables, period=period)
    return tables, indicators, flags, warnings


def plan_from_document(doc: Document) -> Plan:
    """The Plan of a Document: meta, tables, outline, prose targets, achievements, projects, tasks, flags."""
    meta, warnings = read_meta(doc)
    tables, indicators, indicator_flags, table_warnings = read_tables(doc, (meta.period_start, meta.period_end))
    warnings += table_warnings + duplicate_id_warnings(indicator_flags)
    outline = read_outline(doc, tables)
    projects = read_projects(doc, outline)
    prose = read_prose(doc, outline, meta, indicators, skip_lines={p.line for p in projects})
    if prose.pipe_rows:
        warnings.append(f"第 {describe_lines(prose.pipe_rows)} 行像是以“|”分隔的表格行，未能作为指标表读取，已跳过")
    warnings += truncation_warnings(doc, outline)
    if not indicators:
        warnings.append("未找到指标表（如“表2 ……主要指标”），没有读取到表格指标")
    if not (meta.title or indicators or prose.targets or prose.achievements or outline.nodes):
        raise PlanFormatError("没有识别出任何规划内容（无标题、章节、指标表或量化目标），请确认这是规划纲要文本",
                              file=doc.name)
    tasks = read_tasks(doc, outline, meta, skip_lines={p.line for p in projects})
    flags = collect_flags(indicator_flags, prose.targets, projects, outline.nodes)
    plan = Plan(meta=meta, outline=outline.nodes, indicators=indicators, targets=prose.targets,
                projects=projects, achievements=prose.achievements, flags=flags, warnings=warnings,
                tasks=tasks, programmes=read_programmes(doc, outline))
    return with_locations(plan, doc)


def with_locations(plan: Plan, doc: Document) -> Plan:
    """The plan with each item's place in the original file (p.9 表2 第14行, 段 431) where the reader knows it:
    a .docx, .pdf or .html is read into lines whose numbers nobody can find in the file itself."""
    if not doc.locations:
        return plan
    placed: list[Indicator | ProseTarget | Achievement | Project | Programme | Task] = [
        *plan.indicators, *plan.targets, *plan.achievements, *plan.projects, *plan.programmes, *plan.tasks]
    for item in placed:
        item.location = doc.location(item.line)
    return plan


def truncation_warnings(doc: Document, outline: Outline) -> list[str]:
    """Warnings for tables that run to the very end of the file (a cut-off document)."""
    last = max((n for n, text in enumerate(doc.lines, 1) if text.strip()), default=0)
    return [f"{node.label or '表格'}（第 {node.line}–{node.line_end} 行）一直延续到文件末尾，可能被截断；请核对指标是否完整"
            for node in outline.nodes if node.kind == "table" and node.line_end >= last > node.line]
