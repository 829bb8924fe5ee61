"""Review flags: what a person must confirm in plan.yaml before the plan is loaded."""

from __future__ import annotations

from planwatch.model import OutlineNode, Project, ProseTarget, ReviewFlag

from .document import describe_lines
from .indicators import DUPLICATE_ID
from .projects import project_lengths
from .prose import GOALS_HEADING


def target_key(target: ProseTarget) -> str:
    """A stable key of a prose target for flags: line and subject."""
    return f"L{target.line}:{target.subject}"


def goal_sections(outline: list[OutlineNode]) -> set[str]:
    """Ids of the sections stating the plan's main goals, where the target year goes without saying."""
    return {n.id for n in outline if n.kind in ("chapter", "section") and GOALS_HEADING.search(n.title)}


def in_goal_section(target: ProseTarget, goals: set[str]) -> bool:
    """Whether a target sits in a goals section (or below one)."""
    section = target.section or ""
    return any(section == g or section.startswith(g + ".") for g in goals)


def target_flags(targets: list[ProseTarget], outline: list[OutlineNode]) -> list[ReviewFlag]:
    """Flags for prose targets with an assumed year, an unknown unit, or a relative value."""
    goals = goal_sections(outline)
    flags: list[ReviewFlag] = []
    for target in targets:
        key = target_key(target)
        if not target.year_explicit and not in_goal_section(target, goals):
            flags.append(ReviewFlag(
                code="target_year_assumed", line=target.line, item=key,
                message=f"“{target.quote}”未写明目标年份，已按规划期末 {target.year} 年处理，请确认"))
        if target.value is not None and target.unit is None and target.unit_normalised is None:
            flags.append(ReviewFlag(code="unclear_unit", line=target.line, item=key,
                                    message=f"“{target.quote}”没有计量单位，请补充"))
        if target.base_year is not None:
            flags.append(ReviewFlag(
                code="relative_target", line=target.line, item=key,
                message=f"“{target.quote}”是相对 {target.base_year} 年水平的目标（{target.qualifier or ''}），"
                        f"评估时需以 {target.base_year} 年实际值为基数，请确认"))
    return flags


def project_flags(projects: list[Project]) -> list[ReviewFlag]:
    """Flags for projects naming several lengths (only the first is kept as length_km)."""
    flags = []
    for project in projects:
        lengths = project_lengths(project)
        if len(lengths) > 1:
            listed = "、".join(f"{x:g}" for x in lengths)
            flags.append(ReviewFlag(
                code="project_multiple_lengths", line=project.line, item=project.name,
                message=f"项目“{project.name}”列出多段长度（{listed} 公里），length_km 暂取第一段 {lengths[0]:g} 公里，"
                        "请确认取值（如取合计或主线长度）"))
    return flags


def collect_flags(indicator_flags: list[ReviewFlag], targets: list[ProseTarget], projects: list[Project],
                  outline: list[OutlineNode]) -> list[ReviewFlag]:
    """All flags in document order: the tables' first, then prose targets and projects."""
    flags = list(indicator_flags) + target_flags(targets, outline) + project_flags(projects)
    return sorted(flags, key=lambda f: (f.line is None, f.line or 0))


# How many lines of duplicated ids a warning names (each is a flag of its own).
SHOWN_LINES = 10


def duplicate_id_warnings(flags: list[ReviewFlag]) -> list[str]:
    """One warning for the rows whose printed id an earlier row had (each is also a duplicate_id flag)."""
    duplicates = [f for f in flags if f.code == DUPLICATE_ID]
    if not duplicates:
        return []
    lines = sorted(f.line for f in duplicates if f.line is not None)
    more = "等" if len(lines) > SHOWN_LINES else ""
    return [f"有 {len(duplicates)} 个指标的编号与前文重复（第 {describe_lines(lines[:SHOWN_LINES])} 行{more}），已改用行号编号"
            f"（如 {duplicates[0].item}）；常见原因是同一张表格重复出现，请删去重复部分后重新读取"]
