"""A plan document as lines: text → normalised lines, whatever format the text was read from.

Line numbers are 1-based and never shift: the normalised text keeps one line per printed
line, so every later stage can point a reviewer at the exact line of the original file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from planwatch.errors import PlanFormatError
from planwatch.numbers import to_halfwidth

# A `# key: value` header line at the top of a sample fragment (title, source_url, …).
HEADER_LINE = re.compile(r"^#\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
HEADER_END = re.compile(r"^#\s*-{2,}")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters that never occur in a text document (tab, newlines, form feed do).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.02
# The largest plan document read: a plan outline as text is well under 1 MB (Jiaxing's 0.14 MB); a
# bigger file is another document or one pasted many times over, and would take minutes to read.
MAX_PLAN_BYTES = 10 * 1024 * 1024


@dataclass
class Document:
    """The lines of a plan document: ``lines`` normalised (half-width), ``raw`` as printed."""

    name: str
    lines: list[str]
    raw: list[str]
    encoding: str
    sha256: str
    headers: dict[str, str] = field(default_factory=dict)
    header_lines: int = 0
    # Where each line is in the original file, for a person looking for it (p.12, 段 431, 表2 第5行);
    # empty for a text file, whose line numbers are the locations.
    locations: list[str] = field(default_factory=list)

    def location(self, number: int) -> str:
        """Where a 1-based line is in the original file: p.12, 段 431, 表2 第5行, or 第 12 行 for text."""
        if 0 < number <= len(self.locations) and self.locations[number - 1]:
            return self.locations[number - 1]
        return f"第 {number} 行"

    def line(self, number: int) -> str:
        """The normalised text of a 1-based line."""
        return self.lines[number - 1]

    def printed(self, number: int, start: int = 0, end: int | None = None) -> str:
        """The text of a 1-based line as printed, sliced like the normalised line."""
        raw, norm = self.raw[number - 1], self.lines[number - 1]
        if len(raw) != len(norm):  # normalisation changed lengths: offsets only fit the normalised text
            return norm[start:end]
        return raw[start:end]


def halfwidth(text: str) -> str:
    """Full-width ASCII forms → half-width, one character for one (offsets survive)."""
    return to_halfwidth(text)


def checked_text(text: str, name: str) -> str:
    """The text itself, after rejecting binary content and blank text."""
    if not text.strip():
        raise PlanFormatError("文件为空，没有可读取的规划内容", file=name)
    controls = len(CONTROL_CHARS.findall(text))
    if controls and controls / len(text) > MAX_CONTROL_SHARE:
        first = CONTROL_CHARS.search(text)
        line = text.count("\n", 0, first.start()) + 1 if first else None
        raise PlanFormatError(f"文件中控制字符过多（{controls} 个），看起来是二进制文件而不是纯文本规划文件",
                              file=name, line=line)
    return text


def megabytes(size: int) -> str:
    """A size in bytes as megabytes for messages: 12.3 MB."""
    return f"{size / (1024 * 1024):.1f} MB"


def checked_size(size: int, name: str) -> None:
    """Refuse a plan document of more than MAX_PLAN_BYTES, naming the file, its size and the limit."""
    if size > MAX_PLAN_BYTES:
        raise PlanFormatError(f"规划文件过大（{megabytes(size)}），超过读取上限 {megabytes(MAX_PLAN_BYTES)}；"
                              "规划纲要正文通常不足 1 MB，请确认这是规划正文、没有重复粘贴的内容", file=name)


def describe_lines(lines: list[int]) -> str:
    """Line numbers as short ranges: 7–10、14."""
    ranges: list[list[int]] = []
    for number in sorted(lines):
        if ranges and number <= ranges[-1][1] + 2:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in ranges)


def split_lines(text: str) -> list[str]:
    """Lines split only at CR/LF (so numbering matches editors); no empty line after a final newline."""
    lines = LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def header_of(lines: list[str]) -> tuple[dict[str, str], int]:
    """The `# key: value` header at the top of a file and how many lines it spans."""
    headers: dict[str, str] = {}
    count = 0
    for line in lines:
        if HEADER_END.match(line):
            count += 1
            break
        match = HEADER_LINE.match(line)
        if not match:
            break
        headers.setdefault(match.group(1).lower(), match.group(2))
        count += 1
    return headers, count


def document_from_text(text: str, name: str, *, encoding: str = "utf-8", data: bytes | None = None) -> Document:
    """A Document from already-decoded text (headers blanked out of the normalised lines)."""
    text = text.lstrip("\ufeff")
    checked_text(text, name)
    raw = split_lines(text)
    headers, count = header_of(raw)
    lines = [""] * count + [halfwidth(line) for line in raw[count:]]
    digest = hashlib.sha256(data if data is not None else text.encode("utf-8")).hexdigest()
    return Document(name=name, lines=lines, raw=raw, encoding=encoding, sha256=digest, headers=headers,
                    header_lines=count)


def document_from_lines(lines: list[str], locations: list[str], name: str, *, encoding: str = "",
                        data: bytes | None = None) -> Document:
    """A Document from lines a reader rebuilt from a richer format, each with its location in the file."""
    if len(lines) != len(locations) or any(LINE_BREAK.search(line) for line in lines):
        raise ValueError("every line needs one location and no line may hold a line break")
    doc = document_from_text("\n".join(lines), name, encoding=encoding, data=data)
    doc.locations = list(locations[: len(doc.lines)])
    return doc
