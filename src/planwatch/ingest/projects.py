"""Named projects with figures in boxes (专栏): 1.通苏嘉甬铁路（嘉兴段）：…全长约93公里，总投资约382.8亿元。"""

from __future__ import annotations

import re

from planwatch.model import Project

from .document import Document
from .outline import Outline

PROJECT_ITEM = re.compile(r"^\s*(?P<no>\d{1,3})\s*[.．、]\s*(?P<name>[^：:。，,]{2,60}?)\s*[：:]\s*(?P<text>\S.*)$")
LENGTH = re.compile(r"长(?:度)?(?:约|达|为)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>公里|千米|km|米)")
INVESTMENT = re.compile(r"投资(?:额|规模)?(?:约|达|为|超)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亿元|亿元|万元)")
TO_KM = {"公里": 1.0, "千米": 1.0, "km": 1.0, "米": 0.001}
TO_YI_YUAN = {"万亿元": 10000.0, "亿元": 1.0, "万元": 0.0001}


def read_projects(doc: Document, outline: Outline) -> list[Project]:
    """Projects of every box: numbered items naming a length or an investment."""
    projects: list[Project] = []
    boxes = [n for n in outline.nodes if n.kind == "box"]
    for box in boxes:
        for number in range(box.line + 1, box.line_end + 1):
            project = project_of(doc, number, box.id)
            if project is not None:
                projects.append(project)
    return projects


def project_of(doc: Document, number: int, section: str) -> Project | None:
    """A project from one box line, or None when the line names no figures."""
    match = PROJECT_ITEM.match(doc.lines[number - 1])
    if not match:
        return None
    text = match.group("text")
    lengths = [float(m.group("value")) * TO_KM[m.group("unit")] for m in LENGTH.finditer(text)]
    investments = [float(m.group("value")) * TO_YI_YUAN[m.group("unit")] for m in INVESTMENT.finditer(text)]
    if not lengths and not investments:
        return None
    printed = doc.printed(number, match.start("name"), match.end("name")).strip()
    described = doc.printed(number, match.start("text"), match.end("text")).strip()
    return Project(name=printed, no=match.group("no"), length_km=round(lengths[0], 6) if lengths else None,
                   investment_yi_yuan=round(investments[0], 6) if investments else None, section=section,
                   line=number, text=described)


def project_lengths(project: Project) -> list[float]:
    """Every length named in a project's text, in km (沪乍杭铁路 names two: 100 and 57.6)."""
    return [float(m.group("value")) * TO_KM[m.group("unit")] for m in LENGTH.finditer(project.text)]
