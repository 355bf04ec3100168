"""Structure, cell and sign-off rules in detail, through the CLI's JSON: where each finding
points, how many there are, and what is left to other rules."""
from __future__ import annotations

import pytest

from tests.support.paths import EXAMPLES
from tests.support.reportgen import make_report, render

SEED = 7


def _report(template="2021", layout="tabs", t2=None, t3=None, t4=None, replace=(), extra_s1=()):
    """A clean generated report with cells set to printed values and text replaced."""
    rep = make_report(template, seed=SEED)
    spec = rep.spec
    for (block, row, col), value in (t2 or {}).items():
        columns = list(next(b for b in spec.t2_blocks if b.id == block).columns)
        rep.t2[(block, row)][columns.index(col)] = value
    for (row, col), value in (t3 or {}).items():
        rep.t3[row][col] = value
    for (block, col), value in (t4 or {}).items():
        rep.t4[block][col] = value
    rep.extra_s1.extend(extra_s1)
    text = render(rep, layout)
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _findings(audit_json, write_report, text, rule):
    result = audit_json(write_report(text))
    return [f for f in result["findings"] if f["rule"] == rule], result


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


# ---------------------------------------------------------------- CELL-NOT-NUMBER


@pytest.mark.parametrize("layout", ["tabs", "spaces", "cells"])
def test_text_in_cells_reported_once_per_table(audit_json, write_report, layout):
    text = _report(layout=layout, t3={("open", "biz"): "无", ("deny_1", "pub"): "/"},
                   t4={("review", "maintained"): "—"},
                   t2={("art20_5", "licensing", "decisions"): "无", ("art20_6", "coercion", "decisions"): "/"})
    hits, _ = _findings(audit_json, write_report, text, "CELL-NOT-NUMBER")
    by_table = {f["table"]: f for f in hits}
    assert sorted(by_table) == ["t2", "t3", "t4"] and len(hits) == 3
    t3 = by_table["t3"]
    assert t3["severity"] == "error" and t3["status"] == "fail"
    assert sorted(map(tuple, t3["cells"])) == [("t3", "deny_1", "pub"), ("t3", "open", "biz")]
    assert "表三有 2 个单元格填的不是数字" in t3["message"]
    assert "“（一）予以公开”行“商业企业”列（填“无”）" in t3["message"]
    assert "没有发生的事项请填 0" in t3["message"]
    assert by_table["t4"]["severity"] == "error" and by_table["t4"]["cells"] == [["t4", "review", "maintained"]]
    t2 = by_table["t2"]
    assert t2["severity"] == "warning"
    assert sorted(map(tuple, t2["cells"])) == [("t2.art20_5", "licensing", "decisions"), ("t2.art20_6", "coercion", "decisions")]
    assert "第二十条第（六）项“行政强制”行“本年处理决定数量”列（填“/”）" in t2["message"]


def test_blank_cells_are_not_text(audit_json, write_report):
    text = _report(t3={("open", "biz"): "", ("deny_1", "pub"): ""}, t2={("art20_5", "licensing", "decisions"): ""})
    hits, result = _findings(audit_json, write_report, text, "CELL-NOT-NUMBER")
    assert hits == []
    t3 = result["tables"]["t3"]
    assert t3["values"][t3["rows"].index("open")][t3["columns"].index("biz")] is None  # blank: not reported


def test_label_cells_of_a_shifted_row_are_not_taken_for_text():
    """兴庆区 2019: 表三 group labels stand where values would be; only 表二's "无" are text."""
    from auditor.pipeline import audit_file

    result = audit_file(EXAMPLES / "兴庆区民政局-2019-seed000.txt")
    hits = [f for f in result.findings if f.rule == "CELL-NOT-NUMBER"]
    assert len(hits) == 1 and hits[0].table == "t2" and hits[0].severity == "warning"
    assert sorted(hits[0].cells) == sorted([
        ("t2.art20_5", "licensing", "prev_items"), ("t2.art20_5", "licensing", "delta"),
        ("t2.art20_5", "licensing", "decisions"), ("t2.art20_8", "fees", "prev_items"),
        ("t2.art20_9", "central_procurement", "projects"),
    ])


# ---------------------------------------------------------------- CELL-KIND


@pytest.mark.parametrize("layout", ["tabs", "markdown", "spaces", "cells"])
def test_negative_count_points_at_its_cell(audit_json, write_report, layout):
    hits, _ = _findings(audit_json, write_report, _report(layout=layout, t3={("deny_4", "sci"): -2}), "CELL-KIND")
    assert [(f["table"], f["row"], f["column"], f["actual"]) for f in hits] == [("t3", "deny_4", "sci", -2)]
    assert "“-2”" in hits[0]["message"] and "件数不能是负数" in hits[0]["message"]


def test_2019_signed_column_only(audit_json, write_report):
    text = _report("2019", t2={("art20_5", "licensing", "delta"): "减3", ("art20_6", "punishment", "decisions"): "减3",
                               ("art20_9", "central_procurement", "amount"): "12.5"})
    hits, result = _findings(audit_json, write_report, text, "CELL-KIND")
    assert [(f["table"], f["row"], f["column"]) for f in hits] == [("t2.art20_6", "punishment", "decisions")]
    assert "减3" in hits[0]["message"]
    delta = result["tables"]["t2.art20_5"]
    assert delta["values"][delta["rows"].index("licensing")][delta["columns"].index("delta")] == -3


# ---------------------------------------------------------------- T2-MADE-VALID


def test_made_beyond_valid_and_repealed_names_three_cells(audit_json, write_report):
    text = _report(t2={("art20_1", "normative_docs", c): v for c, v in (("made", "9"), ("repealed", "1"), ("valid", "4"))})
    hits, _ = _findings(audit_json, write_report, text, "T2-MADE-VALID")
    assert len(hits) == 1 and hits[0]["severity"] == "warning"
    assert (hits[0]["row"], hits[0]["column"], hits[0]["actual"]) == ("normative_docs", "made", 9)
    assert sorted(c[2] for c in hits[0]["cells"]) == ["made", "repealed", "valid"]


def test_made_valid_is_a_2021_rule(audit_json, write_report):
    text = _report("2019", t2={("art20_1", "normative_docs", c): v for c, v in (("new_made", "9"), ("new_published", "1"), ("total_published", "4"))})
    assert _findings(audit_json, write_report, text, "T2-MADE-VALID")[0] == []


# ---------------------------------------------------------------- sections


SWAP_2_3 = (("二、主动公开政府信息情况", "@@"), ("三、收到和处理政府信息公开申请情况", "二、主动公开政府信息情况"),
            ("@@", "三、收到和处理政府信息公开申请情况"))


def test_order_is_one_finding_and_presence_is_not_reported(audit_json, write_report):
    text = _report(replace=SWAP_2_3)
    hits, result = _findings(audit_json, write_report, text, "STRUCT-SECTION-ORDER")
    assert len(hits) == 1 and hits[0]["severity"] == "error"
    assert "报告中依次为第一、三、二、四、五、六部分" in hits[0]["message"]
    assert not [f for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"]


def test_missing_section_is_not_an_order_problem(audit_json, write_report):
    text = _report(replace=(("三、收到和处理政府信息公开申请情况\n", ""),))
    hits, result = _findings(audit_json, write_report, text, "STRUCT-SECTION-ORDER")
    assert hits == []
    assert [f["rule"] for f in result["findings"] if f["rule"].startswith("STRUCT-SECTION")] == ["STRUCT-SECTIONS"]


def test_altered_titles_one_finding_each_at_the_heading(audit_json, write_report):
    text = _report(replace=(("一、总体情况", "一、基本情况"), ("五、存在的主要问题及改进情况", "五、存在的主要问题及整改措施"),
                            ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况")))
    hits, _ = _findings(audit_json, write_report, text, "STRUCT-SECTION-TITLES")
    assert sorted(f["excerpt"] for f in hits) == ["一、基本情况", "五、存在的主要问题及整改措施"]
    assert all(f["severity"] == "warning" for f in hits)
    five = next(f for f in hits if f["excerpt"].startswith("五"))
    assert five["line"] == _line_of(text, "五、存在的主要问题及整改措施")
    assert "印作“存在的主要问题及整改措施”，格式规定为“存在的主要问题及改进情况”" in five["message"]


# ---------------------------------------------------------------- labels


def test_altered_row_label_and_header(audit_json, write_report):
    text = _report(replace=(("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), ("社会公益组织", "社会组织")))
    hits, _ = _findings(audit_json, write_report, text, "STRUCT-LABELS")
    assert {(f["table"], f["row"], f["column"]) for f in hits} == {("t3", "deny_2", None), ("t3", None, "pub")}
    row = next(f for f in hits if f["row"])
    assert row["line"] == _line_of(text, "2.其他法律行政止公开")


def test_header_repeated_inside_the_table(audit_json, write_report):
    header = "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    text = _report(replace=(("1.信访举报投诉类申请\t", header + "1.信访举报投诉类申请\t"),))
    hits, result = _findings(audit_json, write_report, text, "STRUCT-LABELS")
    assert len(hits) == 1 and "表头在表格中间又印了一次" in hits[0]["message"]
    assert hits[0]["line"] == _line_of(text, "1.信访举报投诉类申请") - 1
    assert not [f for f in result["findings"] if f["rule"].startswith("T3-")]  # the table still reads whole


@pytest.mark.parametrize("options", [{"borders": "none"}, {"split": True, "repeat_header": True}],
                         ids=["borderless", "header-repeated-on-next-page"])
def test_pdf_layouts_are_not_altered_labels(audit_json, tmp_path, options):
    """A borderless PDF reads as lines (the vertical group label falls apart into single
    characters); a split 表三 repeats its header on the next page. Neither is the report's doing."""
    from tests.support.writers.pdf_writer import write_pdf

    path = write_pdf(make_report("2021", seed=SEED), tmp_path / "report.pdf", **options)
    result = audit_json(path)
    assert [f["message"] for f in result["findings"] if f["rule"] == "STRUCT-LABELS"] == []


def test_header_repeated_after_a_page_break_is_a_continued_table(audit_json, write_report):
    header = "\f\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    text = _report(replace=(("1.信访举报投诉类申请\t", header + "1.信访举报投诉类申请\t"),))
    assert _findings(audit_json, write_report, text, "STRUCT-LABELS")[0] == []


# ---------------------------------------------------------------- parts claim


def test_parts_claim_numbers(audit_json, write_report):
    sentence = "本报告分为总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况等三个部分。"
    hits, _ = _findings(audit_json, write_report, _report(extra_s1=[sentence]), "STRUCT-PARTS-CLAIM")
    assert len(hits) == 1 and (hits[0]["actual"], hits[0]["expected"]) == (3, 4)
    assert hits[0]["excerpt"] == sentence and hits[0]["severity"] == "warning"


# ---------------------------------------------------------------- sign-off


def test_signoff_in_report_year_is_an_error_at_its_line(audit_json, write_report):
    text = _report(replace=(("2024年1月20日", "2022年1月20日"),))
    hits, result = _findings(audit_json, write_report, text, "YEAR-SIGNOFF")
    assert len(hits) == 1 and hits[0]["severity"] == "error"
    assert (hits[0]["actual"], hits[0]["expected"], hits[0]["line"]) == (2022, 2024, _line_of(text, "2022年1月20日"))
    assert not [f for f in result["findings"] if f["rule"].startswith("YEAR-") and f["rule"] != "YEAR-SIGNOFF"]


def test_late_signoff_is_a_warning(audit_json, write_report):
    hits, _ = _findings(audit_json, write_report, _report(replace=(("2024年1月20日", "2025年2月1日"),)), "YEAR-SIGNOFF")
    assert [(f["severity"], f["actual"]) for f in hits] == [("warning", 2025)]


def test_no_signoff_no_finding(audit_json, write_report):
    hits, _ = _findings(audit_json, write_report, _report(replace=(("\n2024年1月20日\n", "\n"),)), "YEAR-SIGNOFF")
    assert hits == []
