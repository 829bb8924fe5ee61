"""Refusing an XLSX bomb before openpyxl opens it.

openpyxl reads the shared strings whole when it opens a workbook, builds each worksheet row whole
before handing it over, and scans a sheet without <dimension> to its end just to size it; a 10 KB
file holding one row of two million empty cells takes 700 MB that way. So before openpyxl sees the
file: the zip's member list and declared uncompressed sizes (zipfile stops a member at its declared
size, so a lying header fails its CRC instead of growing), then each worksheet and the shared
strings streamed through expat, which keeps nothing, counting rows, cells and elements against
:class:`ReadLimits`. The first bound passed stops the scan.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from planwatch.errors import DataImportError

from .limits import EXCEL_COLUMNS, EXCEL_ROWS, ReadLimits, megabytes

PACKAGE_RELS = "_rels/.rels"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
CELL_CONTENT = {"v", "f", "is"}  # a <c> holding one of these has a value (or a formula)
TABLE_WORDS = "删除多余的行、列和带格式的空单元格后另存再导入"


class Refused(Exception):
    """A bound passed while scanning; the message is for the user (the file is added by the caller)."""


def guard_xlsx(path: Path, limits: ReadLimits) -> None:
    """Refuse an XLSX whose archive, worksheets or shared strings pass a bound, before anything is read whole."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = {m.filename: m for m in archive.infolist()}
            _check_members(members, limits)
            _scan_parts(archive, members, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise DataImportError("无法打开 XLSX 文件：不是有效的 zip 压缩包（文件损坏或被截断，或并非 XLSX；设置了打开密码的文件也无法读取）",
                              file=str(path)) from exc
    except Refused as exc:
        raise DataImportError(str(exc), file=str(path)) from exc


def _check_members(members: dict[str, zipfile.ZipInfo], limits: ReadLimits) -> None:
    if len(members) > limits.zip_members:
        raise Refused(f"XLSX 压缩包内有 {len(members)} 个文件，超过上限 {limits.zip_members} 个：不像正常的工作簿")
    missing = [name for name in (CONTENT_TYPES, PACKAGE_RELS) if name not in members]
    if missing:
        raise Refused(f"这是 zip 压缩包，但不是 XLSX 工作簿（缺少 {'、'.join(missing)}）")
    total = sum(m.file_size for m in members.values())
    largest = max(members.values(), key=lambda m: m.file_size)
    if total > limits.xlsx_uncompressed_bytes:
        raise Refused(f"XLSX 解压后共 {megabytes(total)}，超过上限 {megabytes(limits.xlsx_uncompressed_bytes)}"
                      f"（最大的是 {largest.filename}，{megabytes(largest.file_size)}）：文件可能是“压缩炸弹”；"
                      "若数据确实这么多，请拆分为多个文件")
    strings = members.get(SHARED_STRINGS)
    if strings is not None and strings.file_size > limits.shared_strings_bytes:
        raise Refused(f"XLSX 的共享字符串表（{SHARED_STRINGS}）解压后 {megabytes(strings.file_size)}，"
                      f"超过上限 {megabytes(limits.shared_strings_bytes)}：文件中的文字异常多，可能是“压缩炸弹”")


def _scan_parts(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], limits: ReadLimits) -> None:
    workbook = _office_document(archive, members)
    sheets = _worksheets(archive, members, workbook)
    sheet_members = {member for _title, member in sheets}
    for name, info in members.items():
        parsed_whole = name.endswith((".xml", ".rels")) and name not in sheet_members and name != SHARED_STRINGS
        if parsed_whole and info.file_size > limits.xml_part_bytes:
            raise Refused(f"XLSX 中的 {name} 解压后 {megabytes(info.file_size)}，超过上限 "
                          f"{megabytes(limits.xml_part_bytes)}：不像正常的工作簿")
    for title, member in sheets:
        guard = SheetGuard(title, limits)
        _scan(archive, member, guard.start, guard.end)
    if SHARED_STRINGS in members:
        _scan(archive, SHARED_STRINGS, StringsGuard(limits).start)


def _scan(archive: zipfile.ZipFile, member: str, start: Callable, end: Callable | None = None) -> None:
    """Stream one XML member through expat with the given handlers (nothing is kept)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        with archive.open(member) as fh:
            while chunk := fh.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Refused(f"XLSX 中的 {member} 不是有效的 XML（第 {exc.lineno} 行第 {exc.offset} 列）：文件已损坏") from exc


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _target(base: str, target: str) -> str:
    """A relationship's target as a member name ('/xl/a.xml' or 'worksheets/a.xml' relative to base)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, member) of a part's relationships."""
    rels_name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    found: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
            found[attrs["Id"]] = (attrs.get("Type", ""), _target(part, attrs["Target"]))

    if rels_name in members:
        _scan(archive, rels_name, start)
    return found


def _office_document(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str:
    """The workbook part named by the package relationships (xl/workbook.xml as Excel writes it)."""
    for rel_type, member in _relationships(archive, members, "").values():
        if rel_type.endswith("/officeDocument") and member in members:
            return member
    raise Refused("这是 zip 压缩包，但不是 XLSX 工作簿（没有工作簿部件 xl/workbook.xml）")


def _worksheets(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], workbook: str) -> list[tuple[str, str]]:
    """(title, member) of each worksheet the workbook lists."""
    listed: list[tuple[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            listed.append((attrs.get("name", ""), attrs.get(REL_ID, "")))

    _scan(archive, workbook, start)
    rels = _relationships(archive, members, workbook)
    return [(title, rels[rid][1]) for title, rid in listed
            if rid in rels and rels[rid][0].endswith("/worksheet") and rels[rid][1] in members]


class SheetGuard:
    """expat handlers checking one worksheet: declared range, row and column of every value, cell and element counts."""

    def __init__(self, title: str, limits: ReadLimits):
        self.title = title
        self.limits = limits
        self.row = self.rows = self.cells = self.column = 0
        self.in_row = self.in_cell = self.has_value = False
        self.cell_row = 0
        self.row_elements = self.other_elements = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if self.in_row:
            self._inside_row(tag, attrs)
        elif tag == "row":
            self._row(attrs)
        else:
            if tag == "dimension":
                self._dimension(attrs.get("ref", ""))
            self.other_elements += 1
            if self.other_elements > self.limits.other_sheet_elements:
                raise Refused(f"工作表 {self.title} 中表格以外的 XML 元素超过 {self.limits.other_sheet_elements} 个"
                              "（合并单元格、超链接、条件格式等）：不像正常的工作表，可能是“压缩炸弹”")

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "c" and self.in_cell:
            self.in_cell = False
            if self.has_value:
                self._value_at(self.cell_row, self.column)
        elif tag == "row":
            self.in_row = False

    def _inside_row(self, tag: str, attrs: dict[str, str]) -> None:
        self.row_elements += 1
        if self.row_elements > self.limits.row_elements:
            raise Refused(f"工作表 {self.title} 第 {self.row} 行的 XML 元素超过 {self.limits.row_elements} 个："
                          "不像正常的工作表，可能是“压缩炸弹”")
        if tag == "c":
            self._cell(attrs.get("r", ""))
        elif tag in CELL_CONTENT and self.in_cell:
            self.has_value = True

    def _row(self, attrs: dict[str, str]) -> None:
        number = attrs.get("r", "")
        self.row = int(number) if number.isdigit() else self.row + 1
        self.rows += 1
        if self.row > EXCEL_ROWS or self.rows > EXCEL_ROWS:
            raise Refused(f"工作表 {self.title} 的行号 {self.row} 超出 XLSX 的最大行号 {EXCEL_ROWS}：文件已损坏")
        self.in_row, self.row_elements, self.column = True, 0, 0

    def _cell(self, ref: str) -> None:
        found = CELL_REF.match(ref)
        self.column = column_index_from_string(found.group(1).upper()) if found else self.column + 1
        self.cell_row = int(found.group(2)) if found else self.row
        if self.column > EXCEL_COLUMNS or self.cell_row > EXCEL_ROWS:
            where = f"单元格 {ref}" if found else f"第 {self.row} 行第 {self.column} 个单元格"
            raise Refused(f"工作表 {self.title} 的{where}超出 XLSX 的最大范围 A1:XFD{EXCEL_ROWS}：文件已损坏")
        self.cells += 1
        if self.cells > self.limits.cells:
            raise Refused(f"工作表 {self.title} 到第 {self.row} 行已超过上限 {self.limits.cells} 个单元格：请拆分为多个文件，"
                          f"或{TABLE_WORDS}")
        self.in_cell, self.has_value = True, False

    def _value_at(self, row: int, column: int) -> None:
        name = f"{self.title}!{get_column_letter(column)}{row}"
        if row > self.limits.rows:
            raise Refused(f"单元格 {name} 有数据，超过上限 {self.limits.rows} 行")
        if column > self.limits.columns:
            raise Refused(f"单元格 {name} 有数据，超过上限 {self.limits.columns} 列")

    def _dimension(self, ref: str) -> None:
        """Refuse a declared used range (<dimension>) beyond the limits, before any row is read."""
        found = CELL_REF.match(ref.rpartition(":")[2])
        if not found:
            return
        rows, columns = int(found.group(2)), column_index_from_string(found.group(1).upper())
        if rows > self.limits.rows or columns > self.limits.columns or rows * columns > self.limits.cells:
            raise Refused(f"工作表 {self.title} 的已用区域为 {ref}（{rows} 行 × {columns} 列），超过上限"
                          f"（{self.limits.rows} 行、{self.limits.columns} 列、共 {self.limits.cells} 个单元格）："
                          f"若实际数据没有这么多，请{TABLE_WORDS}")


class StringsGuard:
    """An expat handler checking the shared strings: how many, and each one's element count.

    A string's length is checked where it is used, so the message can name the cell.
    """

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.count = self.elements = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "si":
            self.count += 1
            self.elements = 0
            if self.count > self.limits.cells:
                raise Refused(f"XLSX 的共享字符串超过 {self.limits.cells} 项（上限与单元格数相同）：可能是“压缩炸弹”")
        self.elements += 1
        if self.elements > self.limits.row_elements:
            raise Refused(f"XLSX 的共享字符串第 {self.count} 项的 XML 元素超过 {self.limits.row_elements} 个：可能是“压缩炸弹”")
