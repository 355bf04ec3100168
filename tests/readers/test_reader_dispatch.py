"""The format is told from the content, not the name; files no reader can take get a clear
Chinese reason; a batch goes on past them."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from auditor import audit_file
from tests.support.reportgen import make_report, render
from tests.support.writers.docx_writer import write_docx
from tests.support.writers.html_writer import write_html
from tests.support.writers.pdf_writer import write_pdf

WRITERS = {
    "pdf": lambda rep, p: write_pdf(rep, p),
    "docx": lambda rep, p: write_docx(rep, p),
    "html": lambda rep, p: write_html(rep, p),
}


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("wrong_name", ["report.doc", "report.txt", "report.htm", "report.pdf"])
def test_format_comes_from_the_content(tmp_path, fmt, wrong_name):
    rep = make_report("2021", seed=3)
    made = WRITERS[fmt](rep, tmp_path / f"made.{fmt}")
    renamed = tmp_path / wrong_name
    renamed.write_bytes(made.read_bytes())
    result = audit_file(renamed)
    assert result.format == fmt and result.error is None
    assert result.report.tables["t3"].value("new", "tot") == rep.t3["new"]["tot"]


def test_text_named_pdf_is_read_as_text(tmp_path):
    path = tmp_path / "其实是文本.pdf"
    path.write_text(render(make_report("2021", seed=3), "tabs"), encoding="gb18030")
    result = audit_file(path)
    assert result.format == "text" and result.findings == []


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, words", [
    ("附件.docx", _zip({"readme.txt": b"hello"}), "ZIP 压缩文件"),
    ("表格.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le"), "不是 Word 文档"),
    ("空白.pdf", b"   \n\n", "文件为空"),
])
def test_files_no_reader_can_take_get_a_reason(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = audit_file(path)
    assert result.report is None and words in result.error and name in result.error


def test_rtf_without_libreoffice_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    path = tmp_path / "报告.doc"
    path.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} \\f0 2023\\par }")
    result = audit_file(path)
    assert result.report is None and "RTF" in result.error and "另存为 .docx" in result.error


def test_batch_of_mixed_formats_goes_on_past_bad_files(tmp_path, run_cli):
    rep = make_report("2021", seed=8)
    write_pdf(rep, tmp_path / "a.pdf")
    write_docx(rep, tmp_path / "b.docx")
    write_html(rep, tmp_path / "c.html", encoding="gb18030", declared="gbk")
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (tmp_path / "e.docx").write_bytes(b"PK\x03\x04 truncated")
    code, out = run_cli("check", tmp_path, "--format", "json", "--fail-on", "never")
    assert code == 0
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    by_name = {r["source"]["path"].rsplit("/", 1)[-1]: r for r in results}
    assert sorted(by_name) == ["a.pdf", "b.docx", "c.html", "d.pdf", "e.docx"]
    for name in ("a.pdf", "b.docx", "c.html"):
        assert by_name[name]["error"] is None and by_name[name]["findings"] == []
        assert by_name[name]["tables"]["t3"] == by_name["a.pdf"]["tables"]["t3"]
    for name in ("d.pdf", "e.docx"):
        assert by_name[name]["error"] and "损坏" in by_name[name]["error"]
