"""Tasks (任务): what the plan commits to carry out besides its figures.

Two sources:

- box items: the numbered items of the boxes (专栏) that list reforms, policies, actions or works
  (专栏5 创新驱动发展重大改革和政策 1.… 8.…; the works headings of 专栏12 十大工程 （一）…（十）);
  the railway descriptions of 专栏3 are projects, not tasks, and a box describing an area
  (专栏1 空间布局) or an industry (专栏6) lists no tasks.
- prose commitments: qualitative clauses with an end state a person can check (建成…, …基本建成,
  完成…, 创建…, 实现…全覆盖, 推进…建设), read as candidates with ``confirmed = False``; a clause with
  a figure is a prose target already, and the vision (展望2035年, 到2035年) is not this plan's task.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from planwatch.model import OutlineNode, PlanMeta, Task, TaskKind
from planwatch.numbers import parse_year

from .document import Document
from .outline import Outline, chinese_number
from .prose import QUANTITY, REVIEW_HEADING, TARGET_YEAR, VISION_OPENING

# A box lists tasks when its title, or the sub-heading over its items, names reforms, policies,
# actions or works (专栏5 …重大改革和政策, 专栏8 …行动, 专栏7 （二）重点举措).
TASK_BOX = re.compile(r"改革|政策|行动|工程|举措|任务")
# A sub-heading that is itself a work of a works box: 专栏12 （一）思想精神弘扬工程.
WORK_HEADING = re.compile(r"(?:工程|行动|计划)$")
MAX_WORK_HEADING = 20
BOX_ITEM = re.compile(r"^\s*(?P<no>\d{1,2})\s*[.．、](?!\d)\s*(?P<text>\S.*)$")
SUBHEADING = re.compile(r"^\s*[（(](?P<no>[一二三四五六七八九十]{1,3})[）)]\s*(?P<title>\S.*)$")
# Chapters that look back or around, not forward: their 建成 and 实现 are results or conditions.
NO_TASK_CHAPTER = re.compile(rf"{REVIEW_HEADING.pattern}|形势")
CLAUSE = re.compile(r"[^，,。；;！？!?]+")
SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
CLAUSE_OPENING = re.compile(r"^(?:(?:力争|确保|争取|努力)?(?:到|至)(?:\d{4}|[〇○零一二三四五六七八九]{4})年底?|力争|确保|争取|努力)+")
COMMITMENT = re.compile(
    r"^(?:基本|全面|初步|率先)?建成\S{2,}"
    r"|^\S{2,30}(?:基本|全面|初步)建成$"
    r"|^(?:基本|全面)?完成\S{2,}"
    r"|^(?:积极)?(?:创建|争创|创成)\S{2,}"
    r"|^(?:基本|全面|率先)?实现\S{0,40}全覆盖$"
    r"|^(?:加快|积极|扎实|有序|稳步|全面|深入)?推进\S{2,40}(?:建设|工程)$"
)


@dataclass(frozen=True)
class BoxLine:
    """A line of a box with the sub-heading it falls under."""

    number: int
    heading: str


def read_tasks(doc: Document, outline: Outline, meta: PlanMeta, skip_lines: set[int]) -> list[Task]:
    """Box items and prose commitments in document order; ``skip_lines`` hold projects."""
    items = [task for box in outline.nodes if box.kind == "box" for task in box_tasks(doc, outline, box, skip_lines)]
    # A work's description is part of the work (专栏12's 推进…建设 lines), not a commitment of its own.
    described = {n for task in items if task.detail for n in detail_lines(doc, task.line, outline.node_at(task.line))}
    taken = skip_lines | {task.line for task in items} | described
    commitments = prose_commitments(doc, outline, meta, taken)
    return with_unique_ids(sorted(items + commitments, key=lambda t: t.line))


# ---------------------------------------------------------------- box items


def box_tasks(doc: Document, outline: Outline, box: OutlineNode, skip_lines: set[int]) -> list[Task]:
    """The tasks of one box: its numbered items and works headings, when the box lists tasks."""
    tasks = []
    for entry in box_lines(doc, box):
        text = doc.lines[entry.number - 1]
        item = BOX_ITEM.match(text)
        if item and entry.number not in skip_lines and lists_tasks(box, entry.heading):
            tasks.append(item_task(doc, outline, box, entry.number, item))
        work = SUBHEADING.match(text)
        if work and TASK_BOX.search(box.title) and is_work(work.group("title")):
            tasks.append(work_task(doc, outline, box, entry.number, work))
    return tasks


def box_lines(doc: Document, box: OutlineNode) -> Iterator[BoxLine]:
    """The non-blank lines of a box after its title, each with the sub-heading over it."""
    heading = ""
    for number in range(box.line + 1, box.line_end + 1):
        text = doc.lines[number - 1]
        if not text.strip():
            continue
        sub = SUBHEADING.match(text)
        if sub:
            heading = sub.group("title")
        yield BoxLine(number, heading)


def lists_tasks(box: OutlineNode, heading: str) -> bool:
    """Whether the numbered items under ``heading`` of a box are tasks."""
    return bool(TASK_BOX.search(box.title) or TASK_BOX.search(heading))


def is_work(title: str) -> bool:
    """Whether a box sub-heading names a work of its own (思想精神弘扬工程), not a part (发展目标)."""
    title = title.strip().rstrip("。")
    return len(title) <= MAX_WORK_HEADING and "，" not in title and bool(WORK_HEADING.search(title))


def item_task(doc: Document, outline: Outline, box: OutlineNode, number: int, item: re.Match[str]) -> Task:
    """The task of a numbered box item: its text as printed, without the number."""
    text = doc.printed(number, item.start("text"), item.end("text")).strip()
    return Task(id=f"{box.id}.{item.group('no')}", kind=TaskKind.box_item, box=box.label, no=item.group("no"),
                text=text, line=number, chapter=chapter_id(outline, number), section=box.id, confirmed=True)


def work_task(doc: Document, outline: Outline, box: OutlineNode, number: int, work: re.Match[str]) -> Task:
    """The task of a works heading: its title, with the paragraph under it as the detail."""
    no = work.group("no")
    title = doc.printed(number, work.start("title"), work.end("title")).strip()
    return Task(id=f"{box.id}.{chinese_number(no) or no}", kind=TaskKind.box_item, box=box.label, no=no,
                text=title, detail=detail_under(doc, number, box.line_end), line=number,
                chapter=chapter_id(outline, number), section=box.id, confirmed=True)


def detail_under(doc: Document, heading: int, last: int) -> str:
    """The printed lines under a heading, up to the next heading or numbered item of the box."""
    return "".join(doc.raw[n - 1].strip() for n in lines_under(doc, heading, last))


def lines_under(doc: Document, heading: int, last: int) -> list[int]:
    """The non-blank lines under a heading, up to the next heading or numbered item, ``last`` at most."""
    lines = []
    for number in range(heading + 1, last + 1):
        text = doc.lines[number - 1]
        if SUBHEADING.match(text) or BOX_ITEM.match(text):
            break
        if text.strip():
            lines.append(number)
    return lines


def detail_lines(doc: Document, heading: int, box: OutlineNode | None) -> list[int]:
    """The lines of a work's description (empty outside a box)."""
    return lines_under(doc, heading, box.line_end) if box is not None else []


def chapter_id(outline: Outline, number: int) -> str | None:
    """Id of the chapter containing a line, if any."""
    chapter = outline.chapter_at(number)
    return chapter.id if chapter else None


# ---------------------------------------------------------------- prose commitments


def prose_commitments(doc: Document, outline: Outline, meta: PlanMeta, skip_lines: set[int]) -> list[Task]:
    """Candidate tasks: commitment clauses of the forward-looking text, without figures, not yet confirmed."""
    tasks = []
    for number in commitment_lines(doc, outline, skip_lines):
        text = doc.lines[number - 1]
        for sentence, (start, end) in commitment_clauses(text, meta.period_end):
            tasks.append(commitment_task(doc, outline, number, (start, end), sentence))
    return tasks


def commitment_lines(doc: Document, outline: Outline, skip_lines: set[int]) -> Iterator[int]:
    """Lines of running text in chapters that look forward: no headings, tables, items taken or vision."""
    for number, text in enumerate(doc.lines, 1):
        if (not text.strip() or number in skip_lines or number in outline.heading_lines
                or outline.in_table(number) or VISION_OPENING.match(text)):
            continue
        chapter = outline.chapter_at(number)
        if chapter is not None and NO_TASK_CHAPTER.search(chapter.title):
            continue
        yield number


def commitment_clauses(text: str, period_end: int | None) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """((sentence start, end), (clause start, end)) of the commitment clauses of a line.

    Sentences about a year after the plan's period (到2035年) are the vision, not this plan's tasks.
    """
    for sentence in SENTENCE.finditer(text):
        if beyond_period(sentence.group(), period_end):
            continue
        for clause in CLAUSE.finditer(text, sentence.start(), sentence.end()):
            body = CLAUSE_OPENING.sub("", clause.group().strip())
            if COMMITMENT.match(body) and not QUANTITY.search(body):
                lead = len(clause.group()) - len(clause.group().lstrip())
                yield sentence.span(), (clause.start() + lead, clause.end())


def beyond_period(sentence: str, period_end: int | None) -> bool:
    """Whether a sentence sets a target year after the plan's period (到2035年: the vision)."""
    if period_end is None:
        return False
    years = [parse_year(m.group("year")) for m in TARGET_YEAR.finditer(sentence)]
    return any(year is not None and year > period_end for year in years)


def commitment_task(doc: Document, outline: Outline, number: int, clause: tuple[int, int],
                    sentence: tuple[int, int]) -> Task:
    """A prose commitment of one clause, as printed, with its sentence as the detail, for a person to confirm."""
    node = outline.node_at(number)
    box = node if node is not None and node.kind == "box" else None
    text = doc.printed(number, *clause).strip()
    whole = doc.printed(number, *sentence).strip()
    return Task(id=f"p{number}", kind=TaskKind.prose_commitment, box=box.label if box else None, text=text,
                detail=whole if whole != text else "", line=number, chapter=chapter_id(outline, number),
                section=node.id if node else None, confirmed=False)


def with_unique_ids(tasks: list[Task]) -> list[Task]:
    """Tasks whose ids are unique: a second clause of a line becomes p1143.2, a repeated number box5.1~2."""
    seen: dict[str, int] = {}
    unique = []
    for task in tasks:
        seen[task.id] = seen.get(task.id, 0) + 1
        if task.kind == TaskKind.prose_commitment:
            unique.append(task.model_copy(update={"id": f"{task.id}.{seen[task.id]}"}))
        elif seen[task.id] > 1:
            unique.append(task.model_copy(update={"id": f"{task.id}~{seen[task.id]}"}))
        else:
            unique.append(task)
    return unique
