"""Narrative sentences against the tables, and shares within a sentence, through the CLI's JSON.

Generated reports come from reportgen.make_report(template, seed=7): 2021 表三 总计 new 619,
carried 489, handled 1072, carried forward 36; 表四 复议 11 (纠正 0), 直接起诉 21, 复议后起诉 18;
表二 行政规范性文件 202 / 333 / 24 (2019: 规范性文件 333 / 333 / 333). The rule_cases files hold the pass/fail cases; these tests
look at what a finding says and where it points.
"""
from __future__ import annotations

import pytest

from tests.support.paths import EXAMPLES, REAL
from tests.support.reportgen import make_report, render

NARRATIVE_TABLE_RULES = {"NARR-T3-COUNTS", "NARR-T3-OUTCOMES", "NARR-T3-OUTCOME-SHARE", "NARR-T4-CASES",
                         "NARR-T4-UPHELD", "NARR-T2-DOCS", "NARR-ALL-DONE", "NARR-SHARE", "NARR-SHARE-SUM"}


def _report(sentences, template="2021", **changes):
    rep = make_report(template, seed=7)
    rep.extra_s1.extend([sentences] if isinstance(sentences, str) else sentences)
    for name, value in changes.items():
        setattr(rep, name, value)
    return rep


def _findings(audit_json, write_report, rep, rule, layout="tabs"):
    text = render(rep, layout)
    result = audit_json(write_report(text))
    return [f for f in result["findings"] if f["rule"] == rule], text


def _line_of(text: str, sentence: str) -> int:
    return text.split("\n").index(sentence) + 1


# ---------------------------------------------------------------- 表三 counts


def test_mismatch_names_sentence_value_cell_and_fix(audit_json, write_report):
    sentence = "全年共收到政府信息公开申请 618 件。"
    found, text = _findings(audit_json, write_report, _report(sentence), "NARR-T3-COUNTS")
    assert len(found) == 1
    f = found[0]
    assert (f["severity"], f["status"]) == ("error", "fail")
    assert (f["table"], f["row"], f["column"]) == ("t3", "new", "tot")
    assert (f["expected"], f["actual"]) == (619, 618)
    assert f["excerpt"] == sentence
    assert f["line"] == _line_of(text, sentence)
    message = f["message"]
    assert "“全年共收到政府信息公开申请 618 件”" in message
    assert "表三“一、本年新收政府信息公开申请数量”行“总计”列为 619 件" in message
    assert "1108 件" in message  # the other reading of 受理/收到: 新收 + 上年结转
    assert "请核对正文和表三" in message


@pytest.mark.parametrize("sentence", [
    "全年共受理政府信息公开申请 619 件。",  # 新收
    "全年共受理政府信息公开申请 1108 件。",  # 新收 + 上年结转, as 沭阳 2025 counts 受理
])
def test_either_reading_of_received_passes(audit_json, write_report, sentence):
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-T3-COUNTS")
    assert found == []


def test_new_only_reading_for_xinshou(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("本年度新收政府信息公开申请 1108 件。"), "NARR-T3-COUNTS")
    assert [f["severity"] for f in found] == ["error"]
    assert "1108 件（" not in found[0]["message"]  # 新收 has one reading only


def test_several_claims_of_one_sentence_are_separate_findings(audit_json, write_report):
    sentence = "全年共收到政府信息公开申请 600 件，上年结转 480 件，办结 1070 件，结转下年度继续办理 30 件。"
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-T3-COUNTS")
    assert sorted(f["row"] for f in found) == ["carried", "carry_fwd", "handled_total", "new"]
    assert len({f["fingerprint"] for f in found}) == 4


def test_another_office_is_a_warning_that_says_the_scope_may_differ(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("区政府办公室代表区政府受理政府信息公开申请 17 件。"),
                         "NARR-T3-COUNTS")
    assert [(f["severity"], f["status"]) for f in found] == [("warning", "uncertain")]
    assert "句中的统计主体是“区政府办公室代表区政府”，统计范围可能与表格不同" in found[0]["message"]


def test_blank_cell_is_not_compared(audit_json, write_report):
    rep = _report("全年共收到政府信息公开申请 600 件。")
    rep.t3["new"]["tot"] = None
    rep.t3["new"]["np"] = None  # with every applicant column printed, their sum stands in for 总计
    found, _ = _findings(audit_json, write_report, rep, "NARR-T3-COUNTS")
    assert found == []


# ---------------------------------------------------------------- outcomes and shares


def test_outcome_group_points_at_the_group_and_lists_its_items(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("全年办结申请 1072 件，其中不予公开 377 件。"),
                         "NARR-T3-OUTCOMES")
    assert len(found) == 1
    f = found[0]
    assert (f["table"], f["row"], f["column"]) == ("t3", "deny", "tot")
    assert f["cells"] == [["t3", f"deny_{i}", "tot"] for i in range(1, 9)]
    assert "表三“（三）不予公开”下各项“总计”列之和为 378 件" in f["message"]


@pytest.mark.parametrize("printed,flagged", [("6.34", False), ("6.343", False), ("6.3", False), ("6", False),
                                             ("6.35", True), ("6.4", True), ("7", True), ("16.34", True)])
def test_outcome_share_tolerates_rounding_and_cutting_only(audit_json, write_report, printed, flagged):
    sentence = f"予以公开和部分公开的共 68 件，占 {printed}%。"  # 68 ÷ 1072 = 6.343%
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-T3-OUTCOME-SHARE")
    assert bool(found) == flagged
    if flagged:
        assert found[0]["severity"] == "warning"
        assert "68 ÷ 1072（表三“（七）总计”行“总计”列）= 6.34%" in found[0]["message"]


@pytest.mark.parametrize("sentence,flagged", [
    ("全年发布政策解读 3 篇，其中图解 2 篇（66.6%）。", False),  # cut
    ("全年发布政策解读 3 篇，其中图解 2 篇（66.7%）。", False),  # rounded
    ("全年发布政策解读 3 篇，其中图解 2 篇（66.5%）。", True),
    ("全年发布政策解读 3 篇，其中图解 2 篇，占比 67%。", False),
    ("全年发布政策解读 3 篇，其中图解 2 篇，占 65%。", True),
    ("全年发布政策解读 30 余篇，其中图解 2 篇，占 65%。", False),  # approximate total
])
def test_share_of_the_stated_total(audit_json, write_report, sentence, flagged):
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-SHARE")
    assert bool(found) == flagged
    if flagged:
        assert found[0]["excerpt"] == sentence and "2 ÷ 3 = 66.67%" in found[0]["message"]


@pytest.mark.parametrize("shares,flagged", [(("33.4", "33.4", "33.4"), False), (("40", "35", "26"), True)])
def test_shares_of_a_list_add_up_to_at_most_100_5(audit_json, write_report, shares, flagged):
    a, b, c = shares
    sentence = f"全年发布的政务微博中，原创 40 条（{a}%），转发 35 条（{b}%），互动回复 26 条（{c}%）。"
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-SHARE-SUM")
    assert bool(found) == flagged
    if flagged:
        assert "40% + 35% + 26% 合计 101%" in found[0]["message"]


# ---------------------------------------------------------------- 表四


def test_suits_are_the_two_suit_blocks_added(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("全年发生政府信息公开行政诉讼案件 40 件。"), "NARR-T4-CASES")
    assert len(found) == 1
    f = found[0]
    assert (f["table"], f["row"], f["column"], f["expected"]) == ("t4", "suit_direct", "total", 39)
    assert f["cells"] == [["t4", "suit_direct", "total"], ["t4", "suit_after_review", "total"]]


def test_result_columns_follow_the_block_named_before(audit_json, write_report):
    sentence = "政府信息公开行政复议 11 件，其中尚未审结 6 件；政府信息公开行政诉讼 39 件，其中结果维持 11 件。"
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-T4-CASES")
    assert [(f["row"], f["column"], f["expected"], f["actual"]) for f in found] == [("review", "pending", 7, 6)]


def test_record_filing_cases_are_a_warning(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("全年收到政府信息公开类行政复议备案 134 件。"), "NARR-T4-CASES")
    assert [(f["severity"], f["status"]) for f in found] == [("warning", "uncertain")]
    assert "备案案件" in found[0]["message"]


def test_upheld_claim_against_corrected_cases(audit_json, write_report):
    sentence = "政府信息公开行政诉讼案件均获维持。"
    found, _ = _findings(audit_json, write_report, _report(sentence), "NARR-T4-UPHELD")
    assert len(found) == 1
    f = found[0]
    assert (f["severity"], f["table"], f["column"], f["actual"]) == ("error", "t4", "corrected", 8)
    assert "两者矛盾" in f["message"]
    passing, _ = _findings(audit_json, write_report, _report("政府信息公开行政复议案件均未被纠错。"), "NARR-T4-UPHELD")
    assert passing == []  # 复议 结果纠正 is 0
    # "均获维持" says more: 复议 其他结果 4 and 尚未审结 7 contradict it too
    other, _ = _findings(audit_json, write_report, _report("政府信息公开行政复议案件均获维持。"), "NARR-T4-UPHELD")
    assert [(f["column"], f["actual"]) for f in other] == [("other", 4)]
    assert "“尚未审结”列为 7 件" in other[0]["message"]


def test_without_table_four_nothing_is_compared(audit_json, write_report):
    rep = _report(["全年发生政府信息公开行政复议案件 13 件。", "政府信息公开行政诉讼案件均获维持。"], drop_t4=True)
    text = render(rep, "tabs")
    result = audit_json(write_report(text))
    assert not {f["rule"] for f in result["findings"]} & {"NARR-T4-CASES", "NARR-T4-UPHELD"}


# ---------------------------------------------------------------- 表二 and 全部办结


def test_documents_in_the_2019_format(audit_json, write_report):
    sentence = "全年新制作规范性文件 330 件，新公开 333 件。"
    found, _ = _findings(audit_json, write_report, _report(sentence, template="2019", year=2019), "NARR-T2-DOCS")
    assert [(f["table"], f["row"], f["column"], f["actual"]) for f in found] == [
        ("t2.art20_1", "normative_docs", "new_made", 330)]
    assert "表二“规范性文件”行“本年新制作数量”列为 333 件" in found[0]["message"]


def test_all_done_points_at_the_carried_forward_cell(audit_json, write_report):
    found, _ = _findings(audit_json, write_report, _report("全年收到政府信息公开申请 619 件，所有申请均已办结。"),
                         "NARR-ALL-DONE")
    assert [(f["severity"], f["table"], f["row"], f["actual"]) for f in found] == [("warning", "t3", "carry_fwd", 36)]
    assert "除 36 件结转下年度继续办理外" in found[0]["message"]


def test_all_done_against_the_text_when_the_table_has_no_such_row(audit_json, write_report):
    rep = _report(["所有申请均已按要求办理完成。", "所有办结的信息公开申请中同意公开答复 26 件，转下一年度办理答复的有 1 件。"])
    rep.drop_t3_rows.add("carry_fwd")
    found, _ = _findings(audit_json, write_report, rep, "NARR-ALL-DONE")
    assert len(found) == 1
    assert found[0]["table"] is None and found[0]["excerpt"] == "所有申请均已按要求办理完成。"
    assert "正文“转下一年度办理答复的有 1 件”所说的结转件数为 1 件" in found[0]["message"]


# ---------------------------------------------------------------- real reports


@pytest.mark.parametrize("path", [
    EXAMPLES / "淮安市人民政府-2024.pdf",  # 受理 3119, 答复 3050, 结转 34, 顺延 103, 复议 351, 诉讼 46 = 26 + 20
    REAL / "淮安市人民政府-2024.layout.txt",
    EXAMPLES / "沭阳县人民政府-2025.txt",  # 受理 749 = 713 + 36, 办理 718, 结转下一年 31, 相关案件 74
    EXAMPLES / "洪泽区人民政府-2023.pdf",  # 受理 21
    EXAMPLES / "镇海区民政局-2019-seed003.txt",
    EXAMPLES / "兴庆区民政局-2019-seed000.txt",
])
def test_real_reports_whose_text_agrees_with_their_tables(audit_json, path):
    result = audit_json(path)
    assert [f["message"] for f in result["findings"] if f["rule"] in NARRATIVE_TABLE_RULES] == []


def test_hongze_2024_office_count_is_only_a_warning_on_its_page(audit_json):
    result = audit_json(EXAMPLES / "洪泽区人民政府-2024.pdf")
    found = [f for f in result["findings"] if f["rule"] in NARRATIVE_TABLE_RULES]
    assert [(f["rule"], f["severity"], f["status"], f["page"]) for f in found] == [
        ("NARR-T3-COUNTS", "warning", "uncertain", 1)]
    f = found[0]
    assert f["excerpt"].startswith("2024年，区政府办代表区政府受理政府信息公开申请17件")
    assert (f["expected"], f["actual"]) == (95, 17)
