"""Invariants of an ingested plan, on the Jiaxing outline perturbed by hypothesis.

Whatever lines are dropped, inserted or cut off, every location in the plan points into the
document, every quote is text of the document at its line, and plan.yaml gives the plan back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from planwatch.errors import PlanFormatError
from planwatch.ingest import plan_from_document, read_document
from planwatch.ingest.document import Document, document_from_text
from planwatch.model import Plan
from planwatch.planfile import plan_from_yaml, plan_to_yaml
from planwatch.samples import FRAGMENTS

BLANK_LINES = st.sampled_from(["", " ", "\t", "\u3000", "  \t "])
# Ingesting a perturbed outline takes ~0.15 s an example and plan.yaml both ways ~0.5 s more: few examples.
EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIPS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def perturbed_text(draw, lines: list[str]) -> str:
    """The lines with some dropped, blank or noise lines inserted, and the text maybe cut off."""
    dropped = draw(st.sets(st.integers(0, len(lines) - 1), max_size=60))
    kept = [line for number, line in enumerate(lines) if number not in dropped]
    noise = st.one_of(BLANK_LINES, st.sampled_from(lines), st.text(max_size=30))
    for at, line in draw(st.lists(st.tuples(st.integers(0, len(kept)), noise), max_size=12)):
        kept.insert(at, line)
    text = "\n".join(kept)
    cut = draw(st.one_of(st.none(), st.integers(0, len(text))))
    return text if cut is None else text[:cut]


def ingested(text: str) -> tuple[Document, Plan]:
    """The document and its plan; a text the reader rightly refuses is no example."""
    try:
        doc = document_from_text(text, "perturbed.txt")
        return doc, plan_from_document(doc)
    except PlanFormatError:
        reject()


def spans(plan: Plan) -> Iterator[tuple[str, int, int]]:
    """(what, first line, last line) of every located item of a plan."""
    for node in plan.outline:
        yield f"outline {node.id}", node.line, node.line_end
    for ind in plan.indicators:
        yield f"indicator {ind.id}", ind.line, ind.line if ind.line_end is None else ind.line_end
    for kind, items in (("target", plan.targets), ("achievement", plan.achievements), ("project", plan.projects)):
        for item in items:
            yield f"{kind} L{item.line}", item.line, item.line
    for flag in plan.flags:
        if flag.line is not None:
            yield f"flag {flag.code} {flag.item}", flag.line, flag.line
    if plan.meta.line is not None:
        yield "meta title", plan.meta.line, plan.meta.line


def quotes(plan: Plan) -> Iterator[tuple[str, int, str]]:
    """(what, line, text as printed) of every item that quotes the document."""
    for kind, items in (("target", plan.targets), ("achievement", plan.achievements)):
        for item in items:
            yield f"{kind} {item.subject}", item.line, item.quote
    for project in plan.projects:
        yield f"project {project.name}", project.line, project.name
        yield f"project {project.name}", project.line, project.text


def occurs_from(doc: Document, line: int, text: str) -> bool:
    """Whether text starts on a line of the document (as printed or normalised) and runs on from it."""
    for lines in (doc.raw, doc.lines):
        window = "\n".join(lines[line - 1: line + text.count("\n")])
        at = window.find(text)
        if 0 <= at < len(lines[line - 1]):
            return True
    return False


def misplaced(doc: Document, plan: Plan) -> list[str]:
    """Items whose lines fall outside the document or whose quote is not at its line."""
    last = len(doc.lines)
    problems = [f"{what}: lines {first}–{end} of 1–{last}" for what, first, end in spans(plan)
                if not 1 <= first <= end <= last]
    problems += [f"{what}: {text!r} not at line {line}" for what, line, text in quotes(plan)
                 if not text or not 1 <= line <= last or not occurs_from(doc, line, text)]
    return problems


def outside_their_section(plan: Plan) -> list[str]:
    """Items whose outline section does not exist or does not contain their line."""
    nodes = {node.id: node for node in plan.outline}
    items = [*plan.targets, *plan.achievements, *plan.projects]
    return [f"L{item.line} in {item.section}" for item in items if item.section is not None
            and not (item.section in nodes and nodes[item.section].line <= item.line <= nodes[item.section].line_end)]


def test_real_plan_locations(jiaxing_document, jiaxing_plan):
    assert misplaced(jiaxing_document, jiaxing_plan) == []
    assert outside_their_section(jiaxing_plan) == []


@pytest.mark.parametrize("path", FRAGMENTS, ids=lambda p: p.name.split("-")[0])
def test_fragment_locations(path, fragment_plans):
    doc = read_document(path)
    plan = fragment_plans[path.name.split("-")[0]]
    assert misplaced(doc, plan) == []
    assert outside_their_section(plan) == []


@EXAMPLES
@given(data=st.data())
def test_locations_stay_inside_a_perturbed_document(jiaxing_document, data):
    doc, plan = ingested(data.draw(perturbed_text(jiaxing_document.raw)))
    assert misplaced(doc, plan) == []
    assert outside_their_section(plan) == []


@ROUND_TRIPS
@given(data=st.data())
def test_perturbed_plan_survives_plan_yaml(jiaxing_document, data):
    _, plan = ingested(data.draw(perturbed_text(jiaxing_document.raw)))
    assert plan_from_yaml(plan_to_yaml(plan)) == plan
