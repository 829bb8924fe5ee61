"""Plain-text plan dumps (.txt): UTF-8, UTF-8/UTF-16 with a BOM, GB18030, or a detected encoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from planwatch.errors import PlanFormatError

from ..document import Document, checked_text, document_from_text
from .base import file_bytes

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Tried in order before guessing: nearly every Chinese plan dump is one of these.
COMMON_ENCODINGS = ("utf-8", "gb18030")


class TextReader:
    """The reader of plain-text dumps of a plan (a Word document saved as text, a web page's text)."""

    suffixes: tuple[str, ...] = (".txt",)
    label: str = "纯文本"

    def read(self, path: Path) -> Document:
        data = file_bytes(path)
        text, encoding = decode(data, str(path))
        return document_from_text(text, str(path), encoding=encoding, data=data)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read with; PlanFormatError if not text."""
    if not data.strip():
        raise PlanFormatError("文件为空，没有可读取的规划内容", file=name)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom_decoded(data, encoding, name), encoding
    if b"\x00" in data:
        raise PlanFormatError("文件含有空字节（NUL），看起来是二进制文件（如 Word/PDF/图片），不是纯文本规划文件；"
                              "请先另存为 .txt 文本", file=name)
    for encoding in COMMON_ENCODINGS:
        try:
            return checked_text(data.decode(encoding), name), encoding
        except UnicodeDecodeError:
            continue
    text, encoding = guessed(data, name)
    return checked_text(text, name), encoding


def bom_decoded(data: bytes, encoding: str, name: str) -> str:
    """The text of a file that starts with a byte-order mark of ``encoding``."""
    try:
        return checked_text(data.decode(encoding), name)
    except UnicodeDecodeError as exc:
        raise PlanFormatError(f"文件以 {encoding} 标记开头，但第 {exc.start} 字节无法解码", file=name) from None


def guessed(data: bytes, name: str) -> tuple[str, str]:
    """Text decoded with charset-normalizer's best guess (the fallback after utf-8 and gb18030)."""
    best = from_bytes(data).best()
    if best is None:
        raise PlanFormatError("无法识别文件编码（已尝试 UTF-8、GB18030 及自动检测），不是可读的文本文件", file=name)
    return str(best), best.encoding
