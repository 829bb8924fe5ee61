"""ingest/readers: one reader per format, looked up by suffix; an unknown format is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.errors import PlanFormatError
from planwatch.ingest import read_document, read_plan
from planwatch.ingest.document import Document, document_from_text
from planwatch.ingest.readers import READERS, Reader, reader_for, readers_by_suffix, supported_formats
from planwatch.ingest.readers.text import TextReader


class MarkdownReader:
    """A stand-in for the next format: reads a .md file as text."""

    suffixes: tuple[str, ...] = (".md", ".markdown")
    label: str = "Markdown"

    def read(self, path: Path) -> Document:
        return document_from_text(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("reader", list(dict.fromkeys(READERS.values())), ids=lambda r: r.label)
def test_every_reader_declares_what_it_reads(reader):
    assert isinstance(reader, Reader)
    assert reader.suffixes and all(s.startswith(".") and s == s.lower() for s in reader.suffixes)
    assert reader.label.strip()
    assert all(READERS[suffix] is reader for suffix in reader.suffixes)


FORMATS = ".txt（纯文本）、.docx（Word 文档）、.pdf（PDF 文档）、.html/.htm（网页）"


def test_text_is_the_first_format_of_four():
    assert isinstance(READERS[".txt"], TextReader)
    assert supported_formats() == FORMATS


def test_suffix_case_does_not_matter(tmp_path, outline_path, jiaxing_plan):
    path = tmp_path / "PLAN.TXT"
    path.write_bytes(outline_path.read_bytes())
    assert isinstance(reader_for(path), TextReader)
    assert read_plan(path).indicators == jiaxing_plan.indicators


@pytest.mark.parametrize("name, shown", [("plan.doc", ".doc"), ("plan.ODT", ".odt"), ("plan", "（无扩展名）")])
def test_unsupported_format_names_the_file_and_the_supported_formats(tmp_path, name, shown):
    path = tmp_path / name
    path.write_text("一、总则\n", encoding="utf-8")
    with pytest.raises(PlanFormatError) as info:
        read_document(path)
    assert info.value.file == str(path)
    assert str(info.value) == f"{path}: 不支持的规划文件格式 {shown}（文件 {name}）；支持的格式：{FORMATS}"


def test_missing_file_is_reported_before_its_format(tmp_path):
    with pytest.raises(PlanFormatError, match="文件不存在"):
        read_document(tmp_path / "plan.pdf")


def test_directory_is_a_format_error(tmp_path):
    folder = tmp_path / "plan.txt"
    folder.mkdir()
    with pytest.raises(PlanFormatError, match="目录") as info:
        read_document(folder)
    assert info.value.file == str(folder)


def test_a_new_format_is_one_reader(tmp_path, monkeypatch):
    monkeypatch.setitem(READERS, ".md", MarkdownReader())
    monkeypatch.setitem(READERS, ".markdown", READERS[".md"])
    path = tmp_path / "plan.md"
    path.write_text("某市国民经济和社会发展第十四个五年规划纲要\n一、总则\n", encoding="utf-8")
    assert read_plan(path).meta.title == "某市国民经济和社会发展第十四个五年规划纲要"
    assert supported_formats() == f"{FORMATS}、.md/.markdown（Markdown）"


def test_two_readers_cannot_claim_one_suffix():
    with pytest.raises(ValueError, match=r"\.txt"):
        readers_by_suffix((TextReader(), TextReader()))
