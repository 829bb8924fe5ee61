"""Reading bytes into lines: encodings, binary and empty files, stable line numbers."""

from __future__ import annotations

import codecs

import pytest

from planwatch.errors import PlanFormatError
from planwatch.ingest import read_document, read_plan
from planwatch.ingest.document import document_from_text, split_lines


def test_outline_lines_are_numbered_like_an_editor(jiaxing_document):
    # 1343 newline-terminated lines, then a lone space after the last newline (wc -l says 1343)
    assert len(jiaxing_document.lines) == 1344 and jiaxing_document.lines[-1] == " "
    assert jiaxing_document.encoding == "utf-8"
    assert jiaxing_document.line(3) == "一、高水平全面建成小康社会取得决定性成就"
    assert jiaxing_document.line(435).startswith("表2 嘉兴市")


def test_full_width_forms_are_normalised_with_offsets_kept(jiaxing_document):
    # line 785 is printed "1．协同共建…" with a full-width dot; the printed text stays available
    assert jiaxing_document.line(785).startswith("1.协同共建")
    assert jiaxing_document.raw[784].startswith("1．协同共建")
    assert len(jiaxing_document.line(785)) == len(jiaxing_document.raw[784])
    assert jiaxing_document.printed(785, 0, 2) == "1．"


def test_only_cr_and_lf_split_lines():
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f\n") == ["a", "b", "c", "d\x0ce\u2028f"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_other_encodings_give_the_same_plan(tmp_path, outline_path, jiaxing_plan, encoding):
    path = tmp_path / f"plan-{encoding}.txt"
    path.write_bytes(outline_path.read_text(encoding="utf-8").encode(encoding))
    plan = read_plan(path)
    assert plan.meta.encoding == encoding
    strip = {"meta": {"encoding", "sha256", "source_file"}}
    assert plan.model_dump(exclude=strip) == jiaxing_plan.model_dump(exclude=strip)


def test_crlf_file_keeps_line_numbers(tmp_path, outline_path, jiaxing_plan):
    path = tmp_path / "crlf.txt"
    path.write_bytes(outline_path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    plan = read_plan(path)
    assert [t.line for t in plan.targets] == [t.line for t in jiaxing_plan.targets]


def test_empty_file_is_a_format_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(PlanFormatError, match="文件为空"):
        read_document(path)
    path.write_bytes(b"  \n\n \r\n")
    with pytest.raises(PlanFormatError, match="文件为空"):
        read_document(path)


def test_binary_file_is_a_format_error(tmp_path):
    path = tmp_path / "plan.txt"  # a Word file renamed: only its bytes tell
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    with pytest.raises(PlanFormatError, match="二进制") as info:
        read_document(path)
    assert info.value.file == str(path)


def test_control_characters_without_nul_are_a_format_error(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x0F]) * 50 + "规划".encode())
    with pytest.raises(PlanFormatError, match="控制字符"):
        read_document(path)


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(PlanFormatError, match="文件不存在"):
        read_document(tmp_path / "nope.txt")


def test_fragment_headers_are_read_and_blanked():
    doc = document_from_text("# title: 某市规划\n# source_url: http://x\n# ---- text ----\n正文\n", "t.txt")
    assert doc.headers == {"title": "某市规划", "source_url": "http://x"}
    assert doc.header_lines == 3
    assert doc.lines == ["", "", "", "正文"]


def test_bom_in_text_is_dropped():
    doc = document_from_text(codecs.BOM_UTF8.decode("utf-8") + "一、总则\n", "t.txt")
    assert doc.lines == ["一、总则"]
