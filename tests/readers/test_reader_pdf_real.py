"""Real PDFs (WPS exports from shared/corpus/peers, in examples/): the values of SOURCES.md,
and the same tables and findings as their pdftotext renderings in tests/fixtures/real."""
from __future__ import annotations

import pytest

from auditor.model import Paragraph, TableBlock
from auditor.readers import read_document
from tests.support.paths import EXAMPLES, REAL, cell

NAMES = ["洪泽区人民政府-2023", "洪泽区人民政府-2024", "淮安市人民政府-2024"]


def row(result, table, row_id):
    t = result["tables"][table]
    return t["values"][t["rows"].index(row_id)]


def _finding_keys(result):
    return sorted((f["rule"], f["status"], f["table"] or "", f["row"] or "", f["column"] or "") for f in result["findings"])


@pytest.mark.parametrize("name", NAMES)
def test_pdf_gives_the_same_tables_and_findings_as_its_text(audit_json, name):
    pdf = audit_json(EXAMPLES / f"{name}.pdf")
    text = audit_json(REAL / f"{name}.layout.txt")
    assert pdf["source"]["format"] == "pdf"
    assert set(pdf["tables"]) == set(text["tables"])
    for table_id, table in text["tables"].items():
        assert pdf["tables"][table_id]["values"] == table["values"], table_id
    assert _finding_keys(pdf) == _finding_keys(text)
    assert (pdf["report"]["agency"], pdf["report"]["year"]) == (text["report"]["agency"], text["report"]["year"])


def test_hongze_2023_pdf_faulty_t4_totals_reported_on_page_4(audit_json):
    r = audit_json(EXAMPLES / "洪泽区人民政府-2023.pdf")
    assert row(r, "t4", "review") == [10, 1, 0, 0, 0]
    assert row(r, "t4", "suit_after_review") == [5, 0, 0, 0, 0]
    t4 = [f for f in r["findings"] if f["rule"] == "T4-BLOCK-TOTAL"]
    assert [(f["row"], f["expected"], f["actual"], f["page"]) for f in t4] == [("review", 11, 0, 4), ("suit_after_review", 5, 0, 4)]
    assert [cell(r, "t3", x, "tot") for x in ("new", "carried", "handled_total", "carry_fwd")] == [21, 0, 21, 0]
    assert row(r, "t3", "deny_2") == [0] * 7  # printed "2.其他法律行政止公开"
    assert row(r, "t2.art20_1", "normative_docs") == [0, 5, 5]
    assert [cell(r, "t2.art20_5", "licensing", "decisions"), cell(r, "t2.art20_6", "punishment", "decisions"),
            cell(r, "t2.art20_6", "coercion", "decisions"), cell(r, "t2.art20_8", "fees", "amount_wan_yuan")] == [550, 4119, 195, 7730.28]


def test_hongze_2024_and_huaian_2024_pdfs_are_consistent(audit_json):
    hz = audit_json(EXAMPLES / "洪泽区人民政府-2024.pdf")
    assert [cell(hz, "t3", x, "tot") for x in ("new", "carried", "handled_total", "carry_fwd")] == [95, 0, 95, 0]
    assert [row(hz, "t4", b) for b in ("review", "suit_direct", "suit_after_review")] == [[1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]]
    assert hz["summary"]["error"] == 0
    ha = audit_json(EXAMPLES / "淮安市人民政府-2024.pdf")
    assert row(ha, "t3", "new") == [3001, 53, 0, 0, 61, 4, 3119]
    assert row(ha, "t3", "handled_total") == [2932, 53, 0, 0, 61, 4, 3050]
    assert row(ha, "t4", "review") == [72, 64, 178, 37, 351]
    assert row(ha, "t2.art20_1", "normative_docs") == [8, 26, 66]
    assert cell(ha, "t2.art20_8", "fees", "amount_wan_yuan") == 96171.6
    # Tables and numbers are clean; the narrative's real gaps (条例第五十条: 考核、评议、追究; 〔2021〕30号
    # section 六) are the only findings.
    assert [(f["rule"], f["severity"]) for f in ha["findings"]] == [("NARR-GOV-SUPERVISION", "warning"),
                                                                   ("STRUCT-SEC6-ELEMENTS", "info")]


def test_table_split_over_a_page_break_is_one_grid_with_page_provenance():
    doc = read_document(EXAMPLES / "洪泽区人民政府-2023.pdf")
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    t3 = next(t for t in tables if any("申请人情况" in c.text for c in t.rows[0]))
    labels = [" ".join(c.text for c in r if c.text) for r in t3.rows]
    assert len(t3.rows) == 26 and len(t3.rows[0]) == 10
    continued = next(r for r, text in zip(t3.rows, labels) if text.startswith("3.补正后申请内容仍不明确"))
    assert {c.source.page for c in continued} == {4}
    assert {c.source.page for c in t3.rows[0]} == {3}
    # merged cells: the vertical group label once, at its top-left, the rest covered
    group = [r[0] for r in t3.rows if r[0].text == "三、本年度办理结果"]
    assert len(group) == 1 and group[0].rowspan >= 10


def test_page_numbers_left_out_and_broken_lines_joined_without_spaces():
    doc = read_document(EXAMPLES / "洪泽区人民政府-2023.pdf")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(t.strip("- ").isdigit() for t in texts)
    assert "一、总体情况" in texts
    assert any("统计期限自2023年1月1日" in t for t in texts)
    assert all(b.source.page for b in doc.blocks if isinstance(b, Paragraph))
