"""Inert cells: text planwatch writes into a spreadsheet is never run as a formula (CSV / formula injection).

A source, note or name such as ``=HYPERLINK("http://…"&A1,"…")`` or ``=cmd|' /C calc'!A0`` comes from
the data; Excel and LibreOffice run a cell that starts with ``= + - @``, a tab or a carriage return
(OWASP, "CSV Injection"). The one rule, for every spreadsheet planwatch writes:

- **CSV**: a text cell that starts with a trigger gets a leading single quote (``'=1+1``), as OWASP
  advises; so does a text whose leading quotes are followed by a trigger (``'=x`` → ``''=x``), so that
  reading the file back (:func:`text_from_csv`) drops exactly one quote and gives the original.
  Numbers are written as they are: a value of -3.5 stays ``-3.5``; the text ``-3.5%`` in a note is
  text and is quoted.
- **XLSX**: every text is a string cell (:func:`inert`). openpyxl otherwise stores a text starting
  with ``=`` as a formula and ``#N/A`` as an error. A string cell is never evaluated, so the text
  stays exact, with no quote.
- The store, the HTML and the Word reports keep the text exactly as it came.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: the writers import openpyxl themselves
    from openpyxl.cell.cell import Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_QUOTE = "'"


def reads_as_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` (after any leading quotes) as a formula."""
    return text.lstrip(CSV_QUOTE).startswith(FORMULA_TRIGGERS)


def csv_text(text: str) -> str:
    """``text`` as a CSV cell: quoted when it would read as a formula, else unchanged."""
    return CSV_QUOTE + text if reads_as_formula(text) else text


def text_from_csv(cell: str) -> str:
    """The text a CSV cell written by :func:`csv_text` holds: its neutralising quote dropped."""
    return cell[1:] if cell.startswith(CSV_QUOTE) and reads_as_formula(cell) else cell


def inert(cell: Cell) -> Cell:
    """``cell``, its text (if any) kept as a string cell rather than a formula or an error."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
