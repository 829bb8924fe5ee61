"""What every document reader provides, and the file access they share."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from planwatch.errors import PlanFormatError

from ..document import Document


@runtime_checkable
class Reader(Protocol):
    """Reads one file format into a :class:`~planwatch.ingest.document.Document`.

    ``suffixes`` are lower-case with the dot (``.txt``); ``label`` names the format in Chinese for
    messages (纯文本). ``read`` raises PlanFormatError, naming the file, for a file it cannot read.
    """

    suffixes: tuple[str, ...]
    label: str

    def read(self, path: Path) -> Document: ...


def file_bytes(path: Path) -> bytes:
    """The bytes of a file; PlanFormatError naming it when the system refuses to read it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(f"无法读取文件：{exc.strerror or exc}", file=str(path)) from None
