"""Document readers, one per file format, looked up by the file's suffix.

A new format is one module here defining a :class:`Reader` (its suffixes, a Chinese label and
``read``), listed in ``KNOWN_READERS``, plus its test. Everything after reading works on the
:class:`~planwatch.ingest.document.Document` a reader returns, whatever the format was.
"""

from __future__ import annotations

from pathlib import Path

from planwatch.errors import PlanFormatError

from ..document import Document, checked_size
from .base import Reader
from .pdf import PdfReader
from .text import TextReader
from .webpage import HtmlReader
from .word import DocxReader

__all__ = ["READERS", "Reader", "read_document", "reader_for", "supported_formats"]

KNOWN_READERS: tuple[Reader, ...] = (TextReader(), DocxReader(), PdfReader(), HtmlReader())


def readers_by_suffix(readers: tuple[Reader, ...]) -> dict[str, Reader]:
    """Suffix → reader; two readers claiming one suffix is a programming error, caught at import."""
    table: dict[str, Reader] = {}
    for reader in readers:
        for suffix in reader.suffixes:
            if suffix in table:
                raise ValueError(f"suffix {suffix} is claimed by both {table[suffix].label} and {reader.label}")
            table[suffix] = reader
    return table


READERS: dict[str, Reader] = readers_by_suffix(KNOWN_READERS)


def supported_formats() -> str:
    """The formats that can be read, for messages: .txt（纯文本）、.docx（Word 文档）."""
    readers = dict.fromkeys(READERS.values())  # a reader of several suffixes is listed once
    return "、".join(f"{'/'.join(reader.suffixes)}（{reader.label}）" for reader in readers)


def reader_for(path: Path) -> Reader:
    """The reader of a file's format; PlanFormatError naming the file and the supported formats."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        shown = suffix or "（无扩展名）"
        raise PlanFormatError(f"不支持的规划文件格式 {shown}（文件 {path.name}）；支持的格式：{supported_formats()}",
                              file=str(path))
    return reader


def read_document(path: str | Path) -> Document:
    """Read a plan file from disk with the reader of its format."""
    path = Path(path)
    if not path.exists():
        raise PlanFormatError("文件不存在", file=str(path))
    if path.is_dir():
        raise PlanFormatError("这是一个目录，不是规划文件", file=str(path))
    reader = reader_for(path)
    checked_size(path.stat().st_size, str(path))
    return reader.read(path)
