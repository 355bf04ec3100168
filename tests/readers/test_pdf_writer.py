"""Sanity checks of the test PDF writer: the PDFs open, hold the report's text where it
belongs, break 表三 across pages when asked, and are encrypted or image-only when asked."""
from __future__ import annotations

import re
import shutil
import subprocess

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.support.docgen import Span, blocks, expand
from tests.support.reportgen import make_report
from tests.support.writers.pdf_writer import PAGE_H, write_pdf, write_table_pdf, write_text_only_pdf


def page_texts(path, password=None) -> list[str]:
    """Text per page: poppler's layout mode when installed (rows stay on one line), else PDFium."""
    if shutil.which("pdftotext"):
        command = ["pdftotext", "-layout", "-enc", "UTF-8", *(["-upw", password] if password else []), str(path), "-"]
        out = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")
        return out.split("\f")[:-1]  # every page ends with a form feed
    document = pdfium.PdfDocument(str(path), password=password)
    return [page.get_textpage().get_text_range() for page in document]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def number_rows(grid) -> list[list[str]]:
    """Each table row's numbers, left to right (the rows that have any)."""
    rows = [[text for text, covered in row if not covered and re.fullmatch(r"\d+", text)] for row in expand(grid)]
    return [row for row in rows if row]


def row_pattern(numbers: list[str]) -> re.Pattern:
    return re.compile(r"(?<!\d)" + r"\s+".join(numbers) + r"(?!\d)")


def tables(rep) -> list:
    return [b for b in blocks(rep) if not isinstance(b, str)]


def table_three(rep):
    return next(t for t in tables(rep) if len(expand(t)[0]) == 10)


def page_of(texts: list[str], needle: str) -> list[int]:
    return [i for i, text in enumerate(texts) if needle in squeeze(text)]


@pytest.mark.parametrize("borders, template", [("lines", "2021"), ("rects", "2019"), ("cellrects", "2021"), ("none", "2019")])
def test_title_and_every_table_row_are_in_the_text(tmp_path, borders, template):
    rep = make_report(template, seed=3)
    path = write_pdf(rep, tmp_path / "r.pdf", borders=borders)
    assert len(pdfium.PdfDocument(str(path))) >= 2
    text = "\n".join(page_texts(path))
    assert f"{rep.year}年政府信息公开工作年度报告" in squeeze(text)
    grids = tables(rep)
    assert len(grids) == 3
    for grid in grids:
        for numbers in number_rows(grid):
            assert row_pattern(numbers).search(text), numbers


def test_split_breaks_table_three_about_halfway(tmp_path):
    rep = make_report("2021", seed=1)
    path = write_pdf(rep, tmp_path / "r.pdf", split=True, page_number_style="total",
                     running_header=True, page_frame=True)
    texts = page_texts(path)
    first, last = page_of(texts, "一、本年新收政府信息公开申请数量"), page_of(texts, "四、结转下年度继续办理")
    assert len(first) == len(last) == 1 and last[0] == first[0] + 1
    assert page_of(texts, "申请人情况") == first  # header rows not repeated by default
    rows = number_rows(table_three(rep))
    on_first = sum(bool(row_pattern(r).search(texts[first[0]])) for r in rows)
    on_next = sum(bool(row_pattern(r).search(texts[last[0]])) for r in rows)
    assert on_first + on_next == len(rows)
    assert abs(on_first - on_next) <= 4
    for n, text in enumerate(texts, start=1):
        assert f"第{n}页共{len(texts)}页" in squeeze(text)
        assert rep.agency in text.splitlines()[0]  # the running header
    assert len(texts) == len(pdfium.PdfDocument(str(path)))


def test_repeat_header_puts_the_header_rows_on_the_next_page_too(tmp_path):
    rep = make_report("2019", seed=2)
    texts = page_texts(write_pdf(rep, tmp_path / "r.pdf", split=True, repeat_header=True))
    first = page_of(texts, "一、本年新收政府信息公开申请数量")[0]
    assert page_of(texts, "申请人情况") == [first, first + 1]
    assert "-1-" in squeeze(texts[0]) and f"-{len(texts)}-" in squeeze(texts[-1])


def test_encrypted_pdf_needs_its_password(tmp_path):
    rep = make_report("2021", seed=4)
    path = write_pdf(rep, tmp_path / "r.pdf", encrypt="secret")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(path))
    texts = page_texts(path, password="secret")
    assert f"{rep.year}年政府信息公开工作年度报告" in squeeze("".join(texts))


def test_scanned_pdf_has_pages_but_no_text(tmp_path):
    rep = make_report("2021", seed=5)
    vector = pdfium.PdfDocument(str(write_pdf(rep, tmp_path / "v.pdf")))
    scanned = pdfium.PdfDocument(str(write_pdf(rep, tmp_path / "s.pdf", scanned=True)))
    assert len(scanned) == len(vector)
    for page in scanned:
        assert page.get_textpage().count_chars() == 0
        kinds = [obj.type for obj in page.get_objects()]
        assert kinds == [pdfium_c.FPDF_PAGEOBJ_IMAGE]


def test_same_report_gives_the_same_bytes(tmp_path):
    rep = make_report("2019", seed=6)
    for options in ({}, {"encrypt": "secret", "borders": "rects"}):
        a = write_pdf(rep, tmp_path / "a.pdf", **options).read_bytes()
        b = write_pdf(rep, tmp_path / "b.pdf", **options).read_bytes()
        assert a == b


@pytest.mark.parametrize("borders, paths", [("lines", 11), ("rects", 11), ("cellrects", 3), ("none", 0)])
def test_merged_cell_has_no_inner_ruling(tmp_path, borders, paths):
    # 2 × 2 grid whose first row is one merged cell: 4 + 2 horizontal unit edges... minus the
    # one through the merged cell = 6 horizontal and 5 vertical segments, or 3 cell boxes.
    grid = [[Span("合并单元格", colspan=2)], [Span("1"), Span("2")]]
    document = pdfium.PdfDocument(str(write_table_pdf(grid, tmp_path / "t.pdf", borders=borders)))
    page = document[0]
    assert len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))) == paths
    assert squeeze(page.get_textpage().get_text_range()) == "合并单元格12"


def test_text_only_pdf_puts_each_line_where_asked(tmp_path):
    path = write_text_only_pdf([(72, 100, "甲乙丙"), (300, 100, "123"), (72, 700, "第二页", 12, 2)], tmp_path / "t.pdf")
    document = pdfium.PdfDocument(str(path))
    assert len(document) == 2
    first = document[0].get_textpage()
    left, bottom, _, _ = first.get_charbox(0)
    assert abs(left - 72) < 1.5 and 95 < PAGE_H - bottom < 105
    assert squeeze(first.get_text_range()) == "甲乙丙123"
    assert squeeze(document[1].get_textpage().get_text_range()) == "第二页"


def _fonts_embedded(path) -> set[bool]:
    """Whether each text object's font is embedded, over the whole document."""
    out = set()
    for page in pdfium.PdfDocument(str(path)):
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            out.add(bool(pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj.raw))))
    return out


@pytest.mark.parametrize("font, embedded", [("cid", {False}), ("embedded", {True})])
def test_font_is_embedded_only_when_asked(tmp_path, font, embedded):
    rep = make_report("2021", seed=2)
    path = write_pdf(rep, tmp_path / "r.pdf", font=font)
    assert _fonts_embedded(path) == embedded
    assert f"{rep.year}年政府信息公开工作年度报告" in squeeze("".join(page_texts(path)))


def test_second_writer_wraps_labels_by_the_label_width_asked(tmp_path):
    from tests.support.writers.pdf_writer import Text, _using_font
    from tests.support.writers.pdf_writer2 import Habits, layout_report, write_pdf2

    rep = make_report("2021", seed=3)
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    lines = {}
    with _using_font("cid"):
        for width in (0.25, 0.45):
            ops = [op for page in layout_report(rep, Habits(label_width=width), "none") for op in page]
            texts = [op.text for op in ops if isinstance(op, Text)]
            start = texts.index(next(t for t in texts if t.startswith("（二）部分公开")))
            end = next(k for k in range(start, len(texts)) if "".join(texts[start:k + 1]) == label)
            lines[width] = texts[start:end + 1]  # a cell's lines are drawn one after the other
    assert len(lines[0.25]) > len(lines[0.45]) >= 2  # a narrower label column: more lines
    ruled = pdfium.PdfDocument(str(write_pdf2(rep, tmp_path / "r.pdf", borders="rects")))
    plain = pdfium.PdfDocument(str(write_pdf2(rep, tmp_path / "n.pdf", borders="none")))
    assert sum(len(list(p.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))) for p in ruled) > 100  # a box per cell
    assert sum(len(list(p.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))) for p in plain) == 0
