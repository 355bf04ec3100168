"""The file's own dates as the weakest evidence of publication (PUB-DEADLINE): a PDF's Info
dictionary or XMP metadata, a Word file's core properties; only when the report has no
publication date and no sign-off date."""
from __future__ import annotations

import datetime as dt
import json

import docx

from auditor.filemeta import file_date
from tests.support.reportgen import make_report
from tests.support.writers.docx_writer import write_docx


def _pdf(path, info: bytes) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n" + info + b"\nendobj\n"
                     b"trailer\n<< /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")


def test_pdf_dates_from_the_info_dictionary_or_xmp(tmp_path):
    _pdf(tmp_path / "a.pdf", b"<< /ModDate (D:20250301) /CreationDate (D:20250212093000+08'00') >>")
    assert file_date(tmp_path / "a.pdf").date == dt.date(2025, 2, 12)
    assert "CreationDate" in file_date(tmp_path / "a.pdf").what
    _pdf(tmp_path / "b.pdf", b"<< /ModDate (D:20250301120000) >>")
    assert file_date(tmp_path / "b.pdf").date == dt.date(2025, 3, 1) and "ModDate" in file_date(tmp_path / "b.pdf").what
    _pdf(tmp_path / "c.pdf", b"<< /Producer (x) >>\n<xmp:CreateDate>2025-01-05T10:00:00</xmp:CreateDate>")
    assert file_date(tmp_path / "c.pdf").date == dt.date(2025, 1, 5)
    _pdf(tmp_path / "d.pdf", b"<< /CreationDate (D:20251399) >>")  # no such day: no date
    assert file_date(tmp_path / "d.pdf") is None
    (tmp_path / "e.txt").write_text("2025-01-01", encoding="utf-8")
    assert file_date(tmp_path / "e.txt") is None and file_date(tmp_path / "missing.pdf") is None


def _unsigned_docx(tmp_path, created: dt.datetime, agency: str = "测试市测试局"):
    """A generated 2023 report as Word, its sign-off date removed, made on `created`."""
    path = write_docx(make_report("2021", year=2023, seed=7, agency=agency), tmp_path / "report.docx")
    document = docx.Document(str(path))
    last = document.paragraphs[-1]
    assert last.text.startswith("2024年1月")
    last._element.getparent().remove(last._element)
    document.core_properties.created = created
    document.save(str(path))
    return path


def test_a_word_file_made_after_the_deadline_is_late_evidence(run_cli, tmp_path):
    path = _unsigned_docx(tmp_path, dt.datetime(2024, 2, 20, 9, 0))
    assert file_date(path).date == dt.date(2024, 2, 20)
    code, out = run_cli("check", path, "--format", "json", "--fail-on", "never")
    late = [f for f in json.loads(out)["findings"] if f["rule"] == "PUB-DEADLINE"]
    assert [f["severity"] for f in late] == ["warning"]
    assert "Word 文档属性中的创建时间为 2024年2月20日" in late[0]["message"] and "间接证据" in late[0]["message"]


def test_a_word_file_made_before_the_deadline_says_nothing(run_cli, tmp_path):
    path = _unsigned_docx(tmp_path, dt.datetime(2024, 1, 10, 9, 0))
    code, out = run_cli("check", path, "--format", "json", "--fail-on", "never")
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "PUB-DEADLINE"]
