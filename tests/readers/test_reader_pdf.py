"""Generated PDFs (tests/support/writers/pdf_writer.py: Word-like layout, every border style, tables
split over pages, page furniture) read exactly like the text rendering of the same report;
and the PDF traps: scans, picture pages, passwords, damaged files, unreadable fonts."""
from __future__ import annotations

import random

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from auditor.model import Paragraph, TableBlock
from auditor.readers import read_document
from tests.support.reportgen import ORG, GenReport, consistent_t3, consistent_t4, default_t2, make_report
from tests.support.auditing import finding_keys as _keys, pdf_and_text, table_values as _tables
from tests.support.writers.pdf_writer import write_pdf, write_text_only_pdf

BORDERS = ("lines", "rects", "cellrects", "none")
FONTS = ("cid", "embedded")  # STSong-Light not embedded (the machine substitutes one), or a TrueType font embedded
VARIANTS = {
    "plain": {},
    "split": {"split": True},
    "split-repeated-header": {"split": True, "repeat_header": True},
    "furniture": {"running_header": True, "page_frame": True, "page_number_style": "total"},
}



@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("borders", BORDERS)
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_pdf_reads_like_the_text_of_the_same_report(tmp_path, template, borders, variant, font):
    rep = make_report(template, seed=len(variant) + len(borders))
    pdf, text = pdf_and_text(tmp_path, rep, write_pdf, borders=borders, font=font, **VARIANTS[variant])
    assert pdf.error is None and pdf.format == "pdf"
    assert _tables(pdf) == _tables(text)
    assert _keys(pdf) == _keys(text) == []
    assert (pdf.report.year, pdf.report.template, pdf.report.agency) == (text.report.year, template, rep.agency)


@pytest.mark.parametrize("borders", BORDERS)
def test_changed_cell_is_reported_at_that_cell_in_a_pdf(tmp_path, borders):
    rep = make_report("2021", seed=5)
    rep.t3["deny_4"]["sci"] += 3
    pdf, text = pdf_and_text(tmp_path, rep, write_pdf, borders=borders, split=True)
    assert _keys(pdf) == _keys(text) and _keys(pdf)
    failing = [f for f in pdf.findings if f.status == "fail"]
    assert all(("t3", "deny_4", "sci") in f.cells for f in failing)
    assert {f.page for f in failing} <= {2, 3} and all(f.page for f in failing)


@st.composite
def pdf_cases(draw):
    template = draw(st.sampled_from(["2019", "2021"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    year = 2020 if template == "2019" else draw(st.integers(2021, 2025))
    rep = GenReport(template, year, t2=default_t2(template, rng),
                    t3=consistent_t3(template, rng, high=draw(st.integers(1, 3000))), t4=consistent_t4(rng))
    layout = {"borders": draw(st.sampled_from(BORDERS)), "split": draw(st.booleans()), "font": draw(st.sampled_from(FONTS))}
    return rep, layout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pdf_cases(), st.data())
def test_any_single_cell_change_in_a_pdf_is_found_at_that_cell(tmp_path, case, data):
    rep, layout = case
    row = data.draw(st.sampled_from(list(rep.t3)))
    col = data.draw(st.sampled_from(ORG + ["tot"]))
    old = rep.t3[row][col]
    rep.t3[row][col] = data.draw(st.integers(0, old + 500).filter(lambda v: v != old))
    result = audit_file(write_pdf(rep, tmp_path / "case.pdf", **layout))
    assert result.report.tables["t3"].value(row, col) == rep.t3[row][col]
    failing = [f for f in result.findings if f.status == "fail" and f.table == "t3"]
    assert failing and any(("t3", row, col) in f.cells for f in failing)


def test_page_furniture_is_left_out(tmp_path):
    rep = make_report("2021", seed=2)
    doc = read_document(write_pdf(rep, tmp_path / "r.pdf", running_header=True, page_frame=True, page_number_style="total"))
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any("页" in t and "共" in t for t in texts)
    assert texts.count(rep.agency) == 2  # the title block and the sign-off, not every page's header
    assert sum(isinstance(b, TableBlock) for b in doc.blocks) == 3  # 表二, 表三, 表四: no frame, no split part


def test_scanned_pdf_is_refused_with_the_reason(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("AUDITOR_OCR", "never")  # read by OCR otherwise: tests/readers/test_ocr.py
    path = write_pdf(make_report("2021"), tmp_path / "扫描件.pdf", scanned=True)
    result = audit_file(path)
    assert result.report is None and "无文本层，可能为扫描件" in result.error and "扫描件.pdf" in result.error
    code, out = run_cli("check", path, "--ocr", "never")
    assert code == 2 and "无文本层" in out


def test_picture_page_inside_a_text_pdf_is_a_finding(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_OCR", "never")  # read by OCR otherwise: tests/readers/test_ocr.py
    rep = make_report("2021", seed=4)
    text_pdf = write_pdf(rep, tmp_path / "text.pdf", split=True)
    scan_pdf = write_pdf(rep, tmp_path / "scan.pdf", split=True, scanned=True)
    mixed = pdfium.PdfDocument(text_pdf)
    mixed.del_page(len(mixed) - 1)
    mixed.import_pages(pdfium.PdfDocument(scan_pdf), pages=[len(mixed)])
    mixed.save(tmp_path / "mixed.pdf")
    result = audit_file(tmp_path / "mixed.pdf")
    unread = [f for f in result.findings if f.rule == "READ-UNREAD-PAGES"]
    assert len(unread) == 1 and unread[0].severity == "warning" and f"第 {len(mixed)} 页无文本层" in unread[0].message


def test_password_protected_pdf_is_a_clear_error(tmp_path):
    path = write_pdf(make_report("2021"), tmp_path / "加密.pdf", encrypt="secret")
    result = audit_file(path)
    assert result.report is None and "密码" in result.error and "加密.pdf" in result.error


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_damaged_pdf_is_a_clear_error_not_a_crash(tmp_path, cut):
    good = write_pdf(make_report("2021"), tmp_path / "good.pdf").read_bytes()
    bad = tmp_path / "损坏.pdf"
    bad.write_bytes(good[: int(len(good) * cut)])
    result = audit_file(bad)
    assert result.report is None and "损坏" in result.error


def test_text_without_chinese_is_reported_as_unreadable_fonts(tmp_path):
    lines = [(72, 100 + 14 * i, "xq#v 0x3f kkd 1209 ab!") for i in range(30)]
    path = write_text_only_pdf(lines, tmp_path / "乱码.pdf")
    result = audit_file(path)
    assert result.report is None and "Unicode" in result.error


def test_pdf_named_doc_is_read_by_its_content(tmp_path):
    path = write_pdf(make_report("2021", seed=1), tmp_path / "report.pdf")
    renamed = tmp_path / "其实是PDF.doc"
    renamed.write_bytes(path.read_bytes())
    assert audit_file(renamed).format == "pdf"


@pytest.mark.parametrize("font", FONTS)
def test_characters_asked_page_by_page_are_those_asked_one_by_one(tmp_path, monkeypatch, font):
    """The reader asks PDFium for a page's text in one call where it can (pdf._page_codes);
    what it reads must be what asking for each character's code gives: with hyphens at line
    breaks (PDFium marks them apart), a character beyond the BMP and a table."""
    import auditor.readers.pdf as pdf_reader

    lines = [(72, 100, "信息公开工作的一些infor-"), (72, 114, "mation，以及𠀀字和 ﬁ 连字。"), (72, 128, "二〇二三年 re-"),
             (72, 142, "port 第 3 页")]
    tricky = write_text_only_pdf(lines, tmp_path / "tricky.pdf", font=font)
    table = write_pdf(make_report("2021", seed=3), tmp_path / "table.pdf", font=font)
    for path in (tricky, table):
        at_once = read_document(path)
        monkeypatch.setattr(pdf_reader, "_page_text", lambda *args: 0)  # as if the page's text came out short
        one_by_one = read_document(path)
        monkeypatch.undo()
        assert at_once.blocks == one_by_one.blocks and at_once.blocks
    text = "\n".join(b.text for b in read_document(tricky).blocks if isinstance(b, Paragraph))
    assert "infor-" in text and "re-" in text and "\x02" not in text  # the hyphens as printed
    if font == "cid":  # (the embedded test font has no glyph for it)
        assert "以及𠀀字" in text  # beyond the BMP: one character, not two lone halves
