"""Scanned reports read offline by OCR (the `ocr` extra): image-only PDFs, picture pages
inside a text PDF and image files, spoilt like real scans (skew, noise, JPEG, a red stamp).

The scans are generated reports rendered by PDFium with a real CJK font (tests/support/writers/
scan_writer.py); a handful of pages in all, each takes a few seconds to recognise. Without
the extra the tests of the messages that say how to enable it still run; CI installs it
(`pip install ".[test,ocr]"`) and runs all of them.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from auditor import audit_file
from auditor.readers import ocr
from tests.support.corpus.rich import rich_report
from tests.support.corpus.scoring import table_cells, wrong_cells
from tests.support.reportgen import make_report
from tests.support.writers.pdf_writer import write_pdf
from tests.support.writers.scan_writer import render_pdf, save_scan, spoil

needs_ocr = pytest.mark.skipif(not ocr.available() and not os.environ.get("CI"),
                               reason='the OCR extra is not installed (pip install ".[ocr]"); CI installs it')
DPI = 200


@pytest.fixture(autouse=True)
def _ocr_auto(monkeypatch):
    monkeypatch.setenv(ocr.MODE_VARIABLE, "auto")  # restored after each test, also when the CLI set it


def _scan(rep, tmp_path: Path, name: str, seed: int, pages=None, dpi: int = DPI) -> list:
    """The report as a spoilt scan: skewed by up to 3°, noisy, JPEG-compressed, stamped."""
    pdf = write_pdf(rep, tmp_path / f"{name}-text.pdf")
    images = render_pdf(pdf, dpi)
    chosen = range(len(images)) if pages is None else pages
    return [spoil(images[i], seed + i, dpi, skew=(-1) ** i * (1.5 + i), noise=0.002, jpeg=60, stamp=(i == 1))
            for i in chosen]


def _table_page(pdf: Path, heading: str) -> int:
    document = pdfium.PdfDocument(str(pdf))
    for i in range(len(document)):
        if heading in document[i].get_textpage().get_text_range():
            return i
    raise AssertionError(heading)


def _with_picture_page(text_pdf: Path, page: int, picture: Path, out: Path) -> Path:
    """The text PDF with its page `page` (from 0) replaced by the picture PDF's page: a table
    pasted in as a picture, as small offices do."""
    mixed = pdfium.PdfDocument(str(text_pdf))
    mixed.del_page(page)
    mixed.import_pages(pdfium.PdfDocument(str(picture)), index=page)
    mixed.save(out)
    return out


@needs_ocr
def test_image_only_pdf_is_read_cell_by_cell_with_ocr_marks(tmp_path):
    rep = make_report("2021", seed=11, rich=True)
    scan = save_scan(_scan(rep, tmp_path, "r", seed=1), tmp_path / "扫描件.pdf", DPI)[0]
    result = audit_file(scan)
    assert result.error is None, result.error
    total = len(table_cells(rep))
    wrong = wrong_cells(rep, result)
    assert len(wrong) <= 0.02 * total, wrong  # ≥ 98% of 表二、表三、表四 cells exact
    assert not [f for f in result.findings if f.severity == "error"]  # resting on a scan: never an error
    document = result.report.document
    assert document.ocr_pages == list(range(1, len(document.ocr_pages) + 1)) and document.ocr_seconds > 0
    assert not document.unread_pages
    t3 = result.report.tables["t3"]
    marks = [t3.sources[key].ocr for key in t3.numbers]
    assert marks and all(m is not None for m in marks)
    scores = [m[0] for m in marks if m[0] is not None]
    assert scores and all(0 < s <= 1 for s in scores)
    assert all(m[1].startswith("data:image/png;base64,") for m in marks)


@needs_ocr
def test_png_page_with_a_wrong_cell_gives_a_warning_with_the_cell_picture(tmp_path, run_cli):
    rep = make_report("2021", seed=12)
    rep.t3["new"]["np"] += 7  # 表三 no longer adds up: the cell is pinpointed
    pdf = write_pdf(rep, tmp_path / "r-text.pdf")
    page = _table_page(pdf, "收到和处理政府信息公开申请情况")
    image = spoil(render_pdf(pdf, DPI)[page], 5, DPI, skew=2.0, noise=0.002, jpeg=70, stamp=True)
    png = save_scan([image], tmp_path / "表三.png", DPI)[0]
    out = tmp_path / "out"
    code, text = run_cli("check", png, "-o", out, "--format", "json", "--format", "html", "--fail-on", "never")
    assert code == 0, text
    assert re.search(r"文字识别（扫描件）：1 页，用时 [\d.]+ 秒", text)  # OCR time apart in the batch summary
    result = json.loads((out / f"{png.stem}.json").read_text(encoding="utf-8"))
    assert result["source"]["format"] == "image" and result["source"]["ocr_pages"] == [1]
    t3 = result["tables"]["t3"]
    scored = {(r, c): s for r, c, s in t3["ocr"]}  # every value of 表三 marked as read by OCR, with its score
    filled = {(r, c) for i, r in enumerate(t3["rows"]) for j, c in enumerate(t3["columns"]) if t3["values"][i][j] is not None}
    assert filled and filled <= set(scored) and all(scored[key] is not None and 0 < scored[key] <= 1 for key in filled)
    balance = [f for f in result["findings"] if f["rule"] in ("T3-PINPOINT", "T3-BALANCE", "T3-ROW-TOTAL")]
    assert balance and all(f["severity"] == "warning" for f in balance)
    assert all("据扫描件识别，请核对原件" in f["message"] for f in balance)
    pictured = [c for f in balance for c in f.get("ocr", [])]
    assert pictured and all(c["image"].startswith("data:image/png;base64,") and c["table"] == "t3" for c in pictured)
    assert any(c["row"] == "new" and c["column"] == "np" for c in pictured)
    assert not [f for f in result["findings"] if f["severity"] == "error"]
    page_html = (out / f"{png.stem}.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in page_html and "据扫描件识别" in page_html


@needs_ocr
def test_picture_page_inside_a_text_pdf_is_recognised(tmp_path):
    rep = make_report("2021", seed=13)
    text_pdf = write_pdf(rep, tmp_path / "text.pdf")
    page = _table_page(text_pdf, "收到和处理政府信息公开申请情况")
    picture = save_scan(_scan(rep, tmp_path, "p", seed=3, pages=[page]), tmp_path / "picture.pdf", DPI)[0]
    result = audit_file(_with_picture_page(text_pdf, page, picture, tmp_path / "mixed.pdf"))
    assert result.report.document.ocr_pages == [page + 1]
    assert not [f for f in result.findings if f.rule == "READ-UNREAD-PAGES"]
    wrong = [w for w in wrong_cells(rep, result) if w[0][0] == "t3"]
    assert len(wrong) <= 2, wrong
    sources = [s for table in result.report.tables.values() for s in table.sources.values()]
    assert all((s.ocr is not None) == (s.page == page + 1) for s in sources)  # only the picture page's cells
    assert any(s.page == page + 1 for s in sources) and any(s.page != page + 1 for s in sources)


@needs_ocr
def test_lone_zeros_of_a_borderless_table_are_all_read(tmp_path):
    """A borderless 表四 of fifteen lone "0"s (a small office's report) on a skewed, noisy
    scan: the recogniser's detection misses some of them; they are found again from the
    row's even spacing and read one by one, so the row has its fifteen numbers."""
    rep = rich_report("2021", seed=1002)
    text_pdf = write_pdf(rep, tmp_path / "text.pdf", borders="none")
    page = _table_page(text_pdf, "五、存在的主要问题")
    image = spoil(render_pdf(text_pdf, DPI)[page], 202, DPI, skew=-2.49, noise=0.002, jpeg=76)
    picture = save_scan([image], tmp_path / "picture.pdf", DPI)[0]
    result = audit_file(_with_picture_page(text_pdf, page, picture, tmp_path / "mixed.pdf"))
    assert result.report.document.ocr_pages == [page + 1]
    t4 = result.report.tables["t4"]
    expected = {(r, c): v for r, row in rep.t4.items() for c, v in row.items()}
    assert {key: t4.numbers.get(key) for key in expected} == expected
    assert all(t4.sources[key].ocr is not None for key in expected)
    assert not [f for f in result.findings if f.severity == "error"]


# ---------------------------------------------------------------- without the extra, or with --ocr never


def test_image_file_without_the_extra_says_how_to_enable_it(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setattr(ocr, "available", lambda: False)
    png = tmp_path / "扫描.png"
    Image.new("RGB", (827, 1169), "white").save(png)
    result = audit_file(png)
    assert result.report is None and "图片文件" in result.error and 'pip install "report-auditor[ocr]"' in result.error


def test_scanned_pdf_without_the_extra_says_how_to_enable_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = write_pdf(make_report("2021"), tmp_path / "扫描件.pdf", scanned=True)
    result = audit_file(path)
    assert "无文本层" in result.error and 'pip install "report-auditor[ocr]"' in result.error


def test_ocr_never_keeps_the_pages_unread_and_says_so(tmp_path, monkeypatch, run_cli):
    monkeypatch.setattr(ocr, "available", lambda: True)  # installed, but switched off
    path = write_pdf(make_report("2021"), tmp_path / "扫描件.pdf", scanned=True)
    code, out = run_cli("check", path, "--ocr", "never")
    assert code == 2 and "无文本层" in out and "--ocr never" in out


def test_ocr_always_without_the_extra_is_a_usage_error(tmp_path, monkeypatch, run_cli, write_report):
    monkeypatch.setattr(ocr, "available", lambda: False)
    code, out = run_cli("check", write_report("x"), "--ocr", "always")
    assert code == 2 and "report-auditor[ocr]" in out


def test_text_reports_never_load_the_recogniser(tmp_path):
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("某某局2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    code = ("import sys; from auditor import audit_file; audit_file(sys.argv[1]);"
            "print(any(m.split('.')[0] in ('rapidocr', 'onnxruntime', 'cv2') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
