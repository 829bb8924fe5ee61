"""Named projects with figures in boxes (专栏): 1.通苏嘉甬铁路（嘉兴段）：…全长约93公里，总投资约382.8亿元。

Also the parts a description names separately (沪乍杭铁路's 货运线…全长约57.6公里) and the programmes
whose totals the text states (“551”重大项目计划：500个左右代表性重大项目、累计带动投资1万亿元以上).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planwatch.model import Comparator, Programme, Project, ProjectPart
from planwatch.numbers import normalise_quantity, parse_quantity

from .document import Document
from .outline import Outline

PROJECT_ITEM = re.compile(r"^\s*(?P<no>\d{1,3})\s*[.．、]\s*(?P<name>[^：:。，,]{2,60}?)\s*[：:]\s*(?P<text>\S.*)$")
LENGTH = re.compile(r"长(?:度)?(?:约|达|为)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>公里|千米|km|米)")
INVESTMENT = re.compile(r"投资(?:额|规模)?(?:约|达|为|超)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亿元|亿元|万元)")
TO_KM = {"公里": 1.0, "千米": 1.0, "km": 1.0, "米": 0.001}
TO_YI_YUAN = {"万亿元": 10000.0, "亿元": 1.0, "万元": 0.0001}
# A part's clause opens with its name, then where it runs from: 货运线自浦东铁路漕泾站引出
PART_NAME = re.compile(r"^(?P<name>[^，,：:；;。（(]{1,20}?)(?:自|从|起自|起于|由|经|全长|长约|，|,)")
CLAUSE = re.compile(r"[^；;]+")
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
# A programme is named by a short quoted code and a programme word: “551”重大项目计划, “1235”行动
PROGRAMME = re.compile(r"(?P<title>[^，,。；;“”]{0,30}“(?P<name>[^”]{1,12})”[^，,。；;“”]{0,16}?(?:计划|行动|工程|工作))")
PROGRAMME_VERB = re.compile(r"^(?:启动实施|深入实施|全面实施|加快实施|实施|启动|开展|推进|推动)")
PROJECT_COUNT = re.compile(r"(?P<quantity>\d+\s*个\s*(?:左右|以上|以内)?)[^，,。；;]{0,12}?项目")
TOTAL_INVESTMENT = re.compile(r"投资(?:额|规模)?(?:约|达|超)?\s*(?P<quantity>\d+(?:\.\d+)?\s*(?:万亿元|亿元)\s*(?:以上|左右)?)")


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
                   line=number, text=described, parts=project_parts(doc, number, match.start("text")))


def project_parts(doc: Document, number: int, start: int) -> list[ProjectPart]:
    """Parts named after the first clause of a description: each later ；-clause with a name and a length.

    The first clause describes the project's main line; a later clause that opens with a name of its own
    (货运线自…引出) and names a length is a part, so its length is not lost or added to the main line.
    """
    text = doc.lines[number - 1]
    parts = []
    for clause in list(CLAUSE.finditer(text, start))[1:]:
        named = PART_NAME.match(clause.group().strip())
        length = LENGTH.search(clause.group())
        if named is None or length is None or LENGTH.search(named.group("name")):
            continue
        lead = len(clause.group()) - len(clause.group().lstrip())
        name = doc.printed(number, clause.start() + lead, clause.start() + lead + len(named.group("name"))).strip()
        km = float(length.group("value")) * TO_KM[length.group("unit")]
        parts.append(ProjectPart(name=name, length_km=round(km, 6), line=number,
                                 text=doc.printed(number, clause.start(), clause.end()).strip()))
    return parts


def project_lengths(project: Project) -> list[float]:
    """Every length named in a project's text, in km (沪乍杭铁路 names two: 100 and 57.6)."""
    return [float(m.group("value")) * TO_KM[m.group("unit")] for m in LENGTH.finditer(project.text)]


def read_programmes(doc: Document, outline: Outline) -> list[Programme]:
    """Programmes outside tables whose sentence states a project count or an investment total."""
    programmes = []
    for number, start, end in sentences(doc):
        if outline.in_table(number):
            continue
        programme = programme_of(doc, number, start, end)
        if programme is not None:
            node = outline.node_at(number)
            programmes.append(programme.model_copy(update={"section": node.id if node else None}))
    return programmes


def sentences(doc: Document) -> Iterator[tuple[int, int, int]]:
    """(line, start, end) of every sentence of the document."""
    for number, text in enumerate(doc.lines, 1):
        for sentence in SENTENCE.finditer(text):
            yield number, sentence.start(), sentence.end()


def programme_of(doc: Document, number: int, start: int, end: int) -> Programme | None:
    """The programme one sentence names with its totals, or None when it names no programme or no total."""
    sentence = doc.lines[number - 1][start:end]
    named = PROGRAMME.search(sentence)
    if named is None:
        return None
    after = sentence[named.end():]
    count = PROJECT_COUNT.search(after)
    investment = TOTAL_INVESTMENT.search(after)
    if count is None and investment is None:
        return None
    title = PROGRAMME_VERB.sub("", named.group("title").strip())
    title_start = start + named.end("title") - len(title)
    count_value, count_comparator = stated_total(count.group("quantity") if count else None)
    money, money_comparator = stated_total(investment.group("quantity") if investment else None)
    cumulative = investment is not None and "累计" in after[max(0, investment.start() - 6):investment.start()]
    return Programme(name=named.group("name"), title=doc.printed(number, title_start, start + named.end("title")),
                     project_count=count_value, project_count_comparator=count_comparator,
                     investment_yi_yuan=money, investment_comparator=money_comparator, cumulative=cumulative,
                     line=number, text=doc.printed(number, start, end).strip())


def stated_total(phrase: str | None) -> tuple[float | None, Comparator | None]:
    """(value in the normalised unit, comparator) of a total such as 500个左右 or 1万亿元以上."""
    quantity = parse_quantity(phrase) if phrase else None
    if quantity is None or quantity.value is None:
        return None, None
    value, _ = normalise_quantity(quantity.value, quantity.unit)
    return round(value, 6), quantity.comparator


def total_length_km(projects: list[Project]) -> float:
    """Length of all projects' main lines and named parts, km (the Jiaxing railways: 476.4)."""
    return round(sum((p.length_km or 0.0) + sum(part.length_km or 0.0 for part in p.parts) for p in projects), 6)


def total_investment_yi_yuan(projects: list[Project]) -> float:
    """Total investment of the projects, 亿元 (a part's investment is within its project's)."""
    return round(sum(p.investment_yi_yuan or 0.0 for p in projects), 6)
