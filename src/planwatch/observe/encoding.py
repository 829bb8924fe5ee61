"""Deciding a text table's encoding by evidence: a BOM, then strict UTF-8, then GB18030 only when it reads as Chinese.

A UTF-8 file with one stray byte can happen to be valid GB18030 as a whole; read that way every
character is garbled (a 初步 marker is lost and another value becomes current). So GB18030 is
taken only when the bytes do not look like UTF-8 and the decoded text is plausible; when unsure
the file is refused with the place of the first bad byte, and ``--encoding`` forces a choice.

The evidence is gathered over the whole file, chunk by chunk with incremental decoders: a file of
gigabytes is decided without being held in memory.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Generic, Protocol, TypeVar

from planwatch.errors import DataImportError

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32（带 BOM）"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32（带 BOM）"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8（带 BOM）"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16（带 BOM）"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16（带 BOM）"))
# Share of the non-ASCII characters of a GB18030 reading that must be ordinary (in GBK, not private use).
PLAUSIBLE_SHARE = 0.95
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an invalid byte under errors="surrogateescape"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORCE_HINT = "请确认文件的编码后用 --encoding 指定（如 --encoding utf-8 或 --encoding gb18030），或在编辑器中另存为 UTF-8"


# Bytes read at a time: the file is never held whole, only one chunk and its text.
CHUNK_BYTES = 1 << 20
Chunks = Callable[[], Iterator[bytes]]
"""A fresh pass over a file's bytes, chunk by chunk (the decision may need several passes)."""


class TextScan(Protocol):
    """What looks at the decoded text of a pass, chunk by chunk (control characters, line lengths …)."""

    def feed(self, text: str, raw: bytes) -> None:
        """Look at the text decoded from ``raw`` (with any bytes of a character cut off by the chunk before)."""


Scan = TypeVar("Scan", bound=TextScan)


@dataclass(frozen=True)
class Encoding:
    """The codec a file is read with, and its name as said to the user."""

    codec: str
    label: str


def detect(chunks: Chunks, file: str, forced: str | None, new_scan: Callable[[], Scan]) -> tuple[Encoding, Scan]:
    """The encoding of a table file, decided over all its bytes, and the scan of the text it gives;
    DataImportError naming the line and byte offset of the first bad byte when the encoding is unsure."""
    if forced:
        return _forced(chunks, file, forced, new_scan)
    head = next(chunks(), b"")
    for bom, codec, label in BOMS:
        if head.startswith(bom):
            return Encoding(codec, label), _strict(chunks, codec, file, label, new_scan())
    try:
        return Encoding("utf-8", "UTF-8"), _decoded(chunks, "utf-8", new_scan())
    except _BadByte as bad:
        where = bad.where
    valid, invalid = _utf8_evidence(chunks)
    if valid >= invalid:
        raise DataImportError(f"文件基本是 UTF-8 编码，但{where}不是有效的 UTF-8（全文共 {invalid} 处无效字节）："
                              f"文件可能损坏或混入了其他编码的内容。请修正该处；若文件确是其他编码，{FORCE_HINT}", file=file)
    reading = _Plausibility(new_scan())
    try:
        _decoded(chunks, "gb18030", reading)
    except _BadByte as bad:
        raise DataImportError(f"无法识别文件编码：{where}不是有效的 UTF-8，按 GB18030 解读也在"
                              f"{bad.where}出错。{FORCE_HINT}", file=file) from None
    if not reading.plausible():
        raise DataImportError(f"无法确定文件编码：{where}不是有效的 UTF-8，而按 GB18030 解读得到的文字不像正常中文。"
                              f"{FORCE_HINT}", file=file)
    return Encoding("gb18030", "GB18030"), reading.inner


def _forced(chunks: Chunks, file: str, forced: str, new_scan: Callable[[], Scan]) -> tuple[Encoding, Scan]:
    try:
        codec = codecs.lookup(forced).name
    except LookupError as exc:
        raise DataImportError(f"未知的编码 --encoding {forced}：可用如 utf-8、gb18030、utf-16", file=file) from exc
    if codec == "utf-8" and next(chunks(), b"").startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    label = f"--encoding {forced}"
    return Encoding(codec, f"{forced}（--encoding 指定）"), _strict(chunks, codec, file, label, new_scan())


def _strict(chunks: Chunks, codec: str, file: str, label: str, scan: Scan) -> Scan:
    try:
        return _decoded(chunks, codec, scan)
    except _BadByte as bad:
        raise DataImportError(f"按 {label} 解码失败：{bad.where}无效。{FORCE_HINT}", file=file) from None


class _BadByte(Exception):
    """A byte the codec cannot read; ``where`` says its line and offset as :func:`_where` does."""

    def __init__(self, where: str):
        self.where = where


def _decoded(chunks: Chunks, codec: str, scan: Scan) -> Scan:
    """The scan fed every chunk of the text; _BadByte at the first byte the codec refuses."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    lines = offset = 0
    for chunk in chain(chunks(), (b"",)):  # the empty chunk ends the text: a cut-off character is an error
        state = decoder.getstate()
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = state[0] + chunk
            raise _BadByte(_where(data, exc.start, codec, offset - len(state[0]), lines, state[1])) from None
        lines += text.count("\n")
        offset += len(chunk)
        scan.feed(text, chunk)
    return scan


def _where(data: bytes, at: int, codec: str, data_offset: int, lines_before: int, flag: int) -> str:
    """'第 3 行（字节偏移 120，字节 0xB0）' for the byte at ``at`` of ``data`` (which starts at ``data_offset``
    of the file after ``lines_before`` line ends; ``flag`` is the decoder's state there, e.g. UTF-16's byte order)."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    decoder.setstate((b"", flag))
    line = lines_before + decoder.decode(data[:at], final=True).count("\n") + 1
    return f"第 {line} 行（字节偏移 {data_offset + at}，字节 0x{data[at]:02X}）"


def _utf8_evidence(chunks: Chunks) -> tuple[int, int]:
    """(valid non-ASCII UTF-8 characters, invalid bytes): mostly valid means UTF-8 with damage."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    non_ascii = invalid = 0
    for chunk in chain(chunks(), (b"",)):
        text = decoder.decode(chunk, final=not chunk)
        invalid += len(ESCAPED_BYTE.findall(text))
        non_ascii += _non_ascii(text)
    return non_ascii - invalid, invalid


class _Plausibility(Generic[Scan]):
    """Counts, over a GB18030 reading, of what plausible_chinese weighs; passes the text on to a scan."""

    def __init__(self, inner: Scan):
        self.inner = inner
        self.non_ascii = self.unusual = 0

    def feed(self, text: str, raw: bytes) -> None:
        self.non_ascii += _non_ascii(text)
        self.unusual += _unusual(text)
        self.inner.feed(text, raw)

    def plausible(self) -> bool:
        return self.unusual <= (1 - PLAUSIBLE_SHARE) * self.non_ascii


def plausible_chinese(text: str) -> bool:
    """Whether a GB18030 reading looks like ordinary text: its characters in GBK and none for private use."""
    return _unusual(text) <= (1 - PLAUSIBLE_SHARE) * _non_ascii(text)


def _unusual(text: str) -> int:
    """Characters outside GBK or for private use."""
    outside_gbk = text.encode("gbk", errors="replace").count(b"?") - text.count("?")
    return outside_gbk + len(PRIVATE_USE.findall(text))


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def first_control_character(text: str) -> int | None:
    """Where the first control character other than tab, CR and LF is (a NUL marks binary data), or None."""
    found = CONTROL.search(text)
    return found.start() if found else None
