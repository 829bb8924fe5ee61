"""Word documents (.docx): paragraphs, real tables (merged cells, several paragraphs a cell), text boxes.

Read with python-docx in document order. A table is written as Word writes it when a document is
saved as text (see :mod:`.lines`): one entry per ``w:tc`` (a cell spanning columns is one cell),
a vertically merged continuation cell as an empty cell. A 专栏 box drawn as a text box is written
like a one-cell table. Body paragraphs are located as ``段 N`` (N counts non-empty paragraphs),
table lines as ``表2 第N行`` and box lines as ``专栏3 第N段``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from lxml import etree

from planwatch.errors import PlanFormatError

from ..document import Document, megabytes
from .base import file_bytes
from .lines import Cell, Lines

# Word's XML packs about tenfold; a plan's unpacked parts stay far below this. A zip bomb does not.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAIN_PART = "word/document.xml"


class DocxReader:
    """The reader of Word documents (.docx)."""

    suffixes: tuple[str, ...] = (".docx",)
    label: str = "Word 文档"

    def read(self, path: Path) -> Document:
        data = file_bytes(path)
        checked_package(data, str(path))
        lines = Lines()
        write_body(opened(data, str(path)), lines)
        if not any(text.strip() for text in lines.texts):
            raise PlanFormatError("Word 文档中没有文字内容（可能只有图片或扫描页），无法读取规划", file=str(path))
        return lines.document(str(path), data=data)


def checked_package(data: bytes, name: str) -> None:
    """Refuse what is not a Word package before parsing it: an old/encrypted .doc, a non-zip, a zip bomb."""
    if data.startswith(OLE_SIGNATURE):
        raise PlanFormatError("这是旧版 Word 97-2003（.doc）文件或设置了打开密码的 Word 文档，无法读取；"
                              "请在 Word 中取消密码并另存为 .docx", file=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanFormatError("文件不是有效的 Word 文档（.docx 应为 zip 压缩包），可能已损坏或只是改了扩展名", file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise PlanFormatError(f"Word 文档已损坏，无法解压：{exc}", file=name) from None
    if MAIN_PART not in {m.filename for m in members}:
        raise PlanFormatError("压缩包中没有 Word 正文（word/document.xml），不是 Word 文档或已损坏", file=name)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanFormatError(f"Word 文档解压后过大（{megabytes(unpacked)}），超过上限 {megabytes(MAX_UNPACKED_BYTES)}；"
                              "可能是恶意构造的压缩包", file=name)


def opened(data: bytes, name: str) -> WordDocument:
    """The python-docx Document of a package; PlanFormatError when its parts cannot be read."""
    try:
        return docx.Document(io.BytesIO(data))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, EOFError) as exc:
        raise PlanFormatError(f"Word 文档已损坏或不是 Word 正文，无法读取：{exc}", file=name) from None


def write_body(document: WordDocument, lines: Lines) -> None:
    """Every paragraph, table and text box of the document body, in order."""
    paragraphs = 0
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            lines.table(table_rows(block))
            continue
        if block.text.strip():
            paragraphs += 1
            lines.paragraph(block.text, f"段 {paragraphs}")
        for box in text_boxes(block):
            lines.table([[box]])


def table_rows(table: WordTable) -> list[list[Cell]]:
    """The rows of a Word table, one cell per ``w:tc``; a vertically merged continuation is empty."""
    rows: list[list[Cell]] = []
    for tr in table._tbl.tr_lst:
        rows.append([[] if tc.vMerge == "continue" else element_paragraphs(tc) for tc in tr.tc_lst])
    return rows


def element_paragraphs(element: etree._Element) -> list[str]:
    """The texts of every paragraph inside an element (a cell, a text box), nested tables included."""
    return [p.text or "" for p in element.iter(qn("w:p"))]  # python-docx's CT_P.text: runs, tabs, breaks


def text_boxes(paragraph: Paragraph) -> list[list[str]]:
    """The paragraphs of each text box anchored in a paragraph (the VML fallback copy skipped)."""
    return [element_paragraphs(box) for box in paragraph._p.iter(qn("w:txbxContent"))
            if not any(a.tag == MC_FALLBACK for a in box.iterancestors())]
