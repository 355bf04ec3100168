"""Every input format and layout a generated report can be written in: the text layouts,
web pages (plain, numbers split over spans in GBK, Word's HTML export, a CMS page), Word
files (as saved, with split runs, with a leading grid column) and PDFs (ruled, ruled with
thin rectangles and 表三 split over two pages, borderless, with an embedded font; and from
the second writer, LibreOffice/WPS habits, with cell rectangles or borderless, its label
column width, header wrapping and font drawn per report from the file name).

VARIANTS maps "format/layout" to (file suffix, writer(rep, path) -> path).
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from tests.support.reportgen import GenReport, render
from tests.support.writers.docx_writer import write_docx
from tests.support.writers.html_writer import write_html
from tests.support.writers.pdf_writer import FONT_STYLES, write_pdf
from tests.support.writers.pdf_writer2 import write_pdf2

Writer = Callable[[GenReport, Path], Path]


def _pdf2(borders: str) -> Writer:
    def write(rep: GenReport, path: Path) -> Path:
        habits = random.Random(path.stem)  # the same file gets the same layout on every run
        return write_pdf2(rep, path, borders=borders, label_width=habits.uniform(0.25, 0.45),
                          header_chars=habits.choice([None, None, 2, 3, 4, 6]), font=habits.choice(FONT_STYLES))
    return write


def _text(layout: str) -> Writer:
    def write(rep: GenReport, path: Path) -> Path:
        path.write_text(render(rep, layout), encoding="utf-8")
        return path
    return write


VARIANTS: dict[str, tuple[str, Writer]] = {
    "text/cells": (".txt", _text("cells")),
    "text/tabs": (".txt", _text("tabs")),
    "text/pipes": (".txt", _text("pipes")),
    "text/markdown": (".md", _text("markdown")),
    "text/spaces": (".txt", _text("spaces")),
    "html/plain": (".html", lambda rep, p: write_html(rep, p)),
    "html/spans-gbk": (".html", lambda rep, p: write_html(rep, p, encoding="gb18030", declared="gbk", spans=True)),
    "html/word": (".htm", lambda rep, p: write_html(rep, p, encoding="gb18030", declared="gb2312", word=True)),
    "html/cms": (".shtml", lambda rep, p: write_html(rep, p, chrome=True, spans=True)),
    "docx/official": (".docx", lambda rep, p: write_docx(rep, p)),
    "docx/split-runs": (".docx", lambda rep, p: write_docx(rep, p, split_runs=True)),
    "docx/grid-before": (".docx", lambda rep, p: write_docx(rep, p, style="grid_before")),
    "pdf/ruled": (".pdf", lambda rep, p: write_pdf(rep, p, borders="lines")),
    "pdf/ruled-split": (".pdf", lambda rep, p: write_pdf(rep, p, borders="rects", split=True, repeat_header=True,
                                                         running_header=True, page_number_style="total")),
    "pdf/borderless": (".pdf", lambda rep, p: write_pdf(rep, p, borders="none")),
    "pdf/embedded-font": (".pdf", lambda rep, p: write_pdf(rep, p, borders="cellrects", split=True, font="embedded")),
    "pdf/writer2-ruled": (".pdf", _pdf2("rects")),
    "pdf/writer2-borderless": (".pdf", _pdf2("none")),
}


def fmt(variant: str) -> str:
    """"pdf/ruled" → "pdf"."""
    return variant.split("/")[0]


def write_variant(rep: GenReport, variant: str, stem: Path) -> Path:
    """Write rep in the variant's format and layout to stem + the variant's suffix."""
    suffix, writer = VARIANTS[variant]
    stem.parent.mkdir(parents=True, exist_ok=True)
    return writer(rep, stem.with_suffix(suffix))
