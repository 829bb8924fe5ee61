"""Which revision of a figure counts: the one vintage rule of planwatch (pure, no I/O).

A figure is often published twice: a preliminary value (初步数, 快报) and later a final one
(最终核实数). Among the revisions of one (indicator, region, year, kind) the one that counts has
the greatest :func:`revision_order`: an explicit final beats an unspecified or dated vintage,
which beats a preliminary one; then the later dated vintage, the later import, the later row.
The store keeps its ``is_current`` flag by this rule, and the reports rank by it too.
"""

from __future__ import annotations

import re

PRELIMINARY = 0
UNSPECIFIED = 1  # no vintage, or a date or any other label
FINAL = 2

# A vintage cell naming one of these (case-insensitive, stripped) ranks PRELIMINARY or FINAL.
PRELIMINARY_WORDS = frozenset({
    "preliminary", "prelim", "初步", "初步数", "初步核算", "初步核算数", "快报", "快报数", "初值",
})
FINAL_WORDS = frozenset({
    "final", "最终", "最终数", "最终核实", "最终核实数", "核实", "核实数", "终值",
})
# Words too common in prose to mark a vintage inside a free-text note: 最终 alone also reads
# 最终消费支出 (final consumption expenditure), a concept and not a revision.
AMBIGUOUS_IN_PROSE = frozenset({"最终"})
# In a note, a vintage word after one of these says the opposite (未经核实, 有待核实, 非最终核实,
# not final); regular expressions.
NEGATIONS = ("未经", "未", "待", "非", "无法", "不能", r"not\s+", r"non-?")

# Display names of the canonical vintages; any other vintage (a date, 快报 …) is shown as given.
VINTAGE_LABELS: dict[str, str] = {"preliminary": "初步数", "final": "最终核实数"}


def vintage_rank(vintage: str | None) -> int:
    """Rank of a vintage: PRELIMINARY 0, UNSPECIFIED (none, dated, other) 1, FINAL 2."""
    word = (vintage or "").strip().lower()
    if word in PRELIMINARY_WORDS:
        return PRELIMINARY
    if word in FINAL_WORDS:
        return FINAL
    return UNSPECIFIED


def _dated(vintage: str | None, rank: int) -> str:
    """The vintage text that orders revisions of one rank: only unspecified ones compare (by date)."""
    return (vintage or "").strip() if rank == UNSPECIFIED else ""


def revision_order(vintage: str | None, import_no: int = 0, row_no: int = 0, *,
                   rank: int | None = None) -> tuple[int, str, int, int]:
    """Sort key of a revision, the greatest counts: (vintage rank, dated vintage, import, row).

    ``rank`` is the stored rank when the caller has one (the store's ``vintage_rank`` column),
    else it is computed from the vintage.
    """
    rank = vintage_rank(vintage) if rank is None else rank
    return (rank, _dated(vintage, rank), import_no, row_no)


def vintage_label(vintage: str | None) -> str:
    """The display name of a vintage ('' when there is none)."""
    return VINTAGE_LABELS.get(vintage or "", vintage or "")


def _alternation(words: frozenset[str]) -> str:
    """The words as one regular expression, longest first (最终核实 before 核实).

    Latin words must stand alone, so 'finally' is not 'final'.
    """
    out = []
    for word in sorted(words, key=lambda w: (-len(w), w)):
        escaped = re.escape(word)
        out.append(rf"(?<![a-z]){escaped}(?![a-z])" if word.isascii() else escaped)
    return "|".join(out)


FINAL_IN_PROSE = re.compile(_alternation(FINAL_WORDS - AMBIGUOUS_IN_PROSE), re.IGNORECASE)
PRELIMINARY_IN_PROSE = re.compile(_alternation(PRELIMINARY_WORDS - AMBIGUOUS_IN_PROSE), re.IGNORECASE)
NEGATED_IN_PROSE = re.compile(f"(?:{'|'.join(NEGATIONS)})(?:{_alternation(FINAL_WORDS | PRELIMINARY_WORDS)})",
                              re.IGNORECASE)


def vintage_named_in(text: str) -> str | None:
    """'final' or 'preliminary' when free text (a note) names that vintage, else None."""
    affirmed = NEGATED_IN_PROSE.sub(" ", text)  # 未经核实 must not be read as 核实
    if FINAL_IN_PROSE.search(affirmed):
        return "final"
    if PRELIMINARY_IN_PROSE.search(affirmed):
        return "preliminary"
    return None
