"""Decoding a text table by evidence: a BOM, then strict UTF-8, then GB18030 only when it reads as Chinese.

A UTF-8 file with one stray byte can happen to be valid GB18030 as a whole; read that way every
character is garbled (a 初步 marker is lost and another value becomes current). So GB18030 is
taken only when the bytes do not look like UTF-8 and the decoded text is plausible; when unsure
the file is refused with the place of the first bad byte, and ``--encoding`` forces a choice.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with, as said to the user."""

    text: str
    encoding: str


def decode(data: bytes, file: str, forced: str | None = None) -> Decoded:
    """The text of a table file; DataImportError naming the first bad byte when the encoding is unsure."""
    if forced:
        return _forced(data, file, forced)
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, codec, file, label), label)
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    where = _where(data, first_bad, "utf-8")
    valid, invalid = _utf8_evidence(data)
    if valid >= invalid:
        raise DataImportError(f"文件基本是 UTF-8 编码，但{where}不是有效的 UTF-8（全文共 {invalid} 处无效字节）："
                              f"文件可能损坏或混入了其他编码的内容。请修正该处；若文件确是其他编码，{FORCE_HINT}", file=file)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DataImportError(f"无法识别文件编码：{where}不是有效的 UTF-8，按 GB18030 解读也在"
                              f"{_where(data, exc.start, 'gb18030')}出错。{FORCE_HINT}", file=file) from exc
    if not plausible_chinese(text):
        raise DataImportError(f"无法确定文件编码：{where}不是有效的 UTF-8，而按 GB18030 解读得到的文字不像正常中文。"
                              f"{FORCE_HINT}", file=file)
    return Decoded(text, "GB18030")


def _forced(data: bytes, file: str, forced: str) -> Decoded:
    try:
        codec = codecs.lookup(forced).name
    except LookupError as exc:
        raise DataImportError(f"未知的编码 --encoding {forced}：可用如 utf-8、gb18030、utf-16", file=file) from exc
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    return Decoded(_strict(data, codec, file, f"--encoding {forced}"), f"{forced}（--encoding 指定）")


def _strict(data: bytes, codec: str, file: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DataImportError(f"按 {label} 解码失败：{_where(data, exc.start, codec)}无效。{FORCE_HINT}",
                              file=file) from exc


def _where(data: bytes, offset: int, codec: str) -> str:
    """'第 3 行（字节偏移 120，字节 0xB0）' for the byte at offset."""
    line = data[:offset].decode(codec, errors="replace").count("\n") + 1
    return f"第 {line} 行（字节偏移 {offset}，字节 0x{data[offset]:02X}）"


def _utf8_evidence(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII UTF-8 characters, invalid bytes): mostly valid means UTF-8 with damage."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = len(ESCAPED_BYTE.findall(text))
    return _non_ascii(text) - invalid, invalid


def plausible_chinese(text: str) -> bool:
    """Whether a GB18030 reading looks like ordinary text: its characters in GBK and none for private use."""
    non_ascii = _non_ascii(text)
    outside_gbk = text.encode("gbk", errors="replace").count(b"?") - text.count("?")
    unusual = outside_gbk + len(PRIVATE_USE.findall(text))
    return unusual <= (1 - PLAUSIBLE_SHARE) * non_ascii


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def first_control_character(text: str) -> int | None:
    """Where the first control character other than tab, CR and LF is (a NUL marks binary data), or None."""
    found = CONTROL.search(text)
    return found.start() if found else None
