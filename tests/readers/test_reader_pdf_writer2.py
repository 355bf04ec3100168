"""PDFs from the second writer (tests/support/writers/pdf_writer2.py: LibreOffice/WPS habits, label
column width and header wrapping as parameters) read exactly like the text rendering of the
same report; and what a non-embedded font must not change."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from auditor.model import Paragraph
from auditor.readers import read_document
from tests.support.reportgen import GenReport, consistent_t3, consistent_t4, default_t2, make_report
from tests.support.writers.pdf_writer import write_text_only_pdf
from tests.support.auditing import finding_keys as _keys, pdf_and_text, table_values as _tables
from tests.support.writers.pdf_writer2 import BORDER_STYLES, write_pdf2

FONTS = ("cid", "embedded")



@st.composite
def reports(draw) -> GenReport:
    template = draw(st.sampled_from(["2019", "2021"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    year = 2020 if template == "2019" else draw(st.integers(2021, 2025))
    return GenReport(template, year, t2=default_t2(template, rng),
                     t3=consistent_t3(template, rng, high=draw(st.integers(1, 3000))), t4=consistent_t4(rng))


layouts = st.fixed_dictionaries({
    "borders": st.sampled_from(BORDER_STYLES),
    "label_width": st.floats(0.25, 0.45),
    "header_chars": st.none() | st.integers(2, 6),
    "font": st.sampled_from(FONTS),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(reports(), layouts)
def test_any_wrapping_reads_like_the_text_of_the_same_report(tmp_path, rep, layout):
    pdf, text = pdf_and_text(tmp_path, rep, write_pdf2, **layout)
    assert pdf.error is None and pdf.format == "pdf"
    assert _tables(pdf) == _tables(text)
    assert _keys(pdf) == _keys(text) == []
    assert (pdf.report.year, pdf.report.template) == (text.report.year, rep.template)


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("label_width", [0.25, 0.4])
def test_header_note_wrapped_after_a_comma_does_not_end_table_three(tmp_path, template, label_width):
    """Without borders the 表三 header note breaks into a line that looks like an unfinished
    sentence ("二项之和，等于第三项加第四项之和） 自然人 法人或其他组织 总计"); the wrapped
    row label after it ("（二）部分公开（区分处理的，只计这一") is not its continuation,
    and the table goes on to its last row."""
    rep = make_report(template, seed=7)
    path = write_pdf2(rep, tmp_path / "report.pdf", borders="none", label_width=label_width)
    lines = [b.text for b in read_document(path).blocks if isinstance(b, Paragraph)]
    assert any("项之和，" in line and len(line) >= 20 and not line.startswith("（") for line in lines)
    result = audit_file(path)
    t3 = result.report.tables["t3"]
    assert t3.value("carry_fwd", "tot") == rep.t3["carry_fwd"]["tot"]
    assert int(t3.values.notna().sum().sum()) == sum(len(row) for row in rep.t3.values())
    assert not [f for f in result.findings if f.rule == "STRUCT-ROWS"]


def test_a_one_character_line_in_a_font_the_pdf_does_not_embed_is_read(tmp_path):
    """A label's last character wrapped onto its own line is a text object of one glyph;
    with no Chinese font installed PDFium's own substitute gives it no box and its text
    page drops it. The reader's fallback font keeps it, on any machine."""
    path = write_text_only_pdf([(72, 100, "商业企"), (72, 114, "业"), (300, 100, "科研机构")], tmp_path / "t.pdf")
    texts = [b.text for b in read_document(path).blocks if isinstance(b, Paragraph)]
    assert texts[:2] == ["商业企 科研机构", "业"]
