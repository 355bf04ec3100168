"""A text cut off before the report's end (a web page excerpt, a truncated copy) is reported
once by READ-TRUNCATED: nothing after the cut is reported missing section by section, table by
table or row by row, and no arithmetic failure is made up from it. A complete report that lacks
a part is still told so.

The cut texts are generated reports (tests/support/reportgen.py) whose every table adds up, cut at a
random point: anything reported beyond READ-TRUNCATED and "cannot be checked" is false.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import regex as re
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from tests.support.real_openings import openings
from tests.support.auditing import RULES, audit_text as _audit_text
from tests.support.reportgen import make_report, render
from tests.support.strategies import consistent_reports, text_layouts

OPENINGS = {o.name: o for o in openings()}
_UNFINISHED_END = re.compile(r"[\p{Han}\d]$")
_MARKDOWN_RULE = re.compile(r"^[|:\- ]+$")



def _line_starting(lines: list[str], prefix: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


@st.composite
def cut_texts(draw, rich=None):
    """(text cut at a random point between section 一's heading and section 六's, the layout).
    In section 五 the cut leaves an unfinished end (a character or a digit): a text that ends
    with a full sentence in 五 may be a complete report without 六, and is told so."""
    rep = draw(consistent_reports(rich=rich))
    layout = draw(text_layouts())
    lines = render(rep, layout).split("\n")
    first, five, six = (_line_starting(lines, p) for p in ("一、", "五、", "六、"))
    i = draw(st.integers(first, six - 1))
    if not lines[i]:
        i -= 1
    p = draw(st.integers(1, len(lines[i])))
    kept = lines[i][:p]
    assume(i <= five or _UNFINISHED_END.search(kept))
    # Markdown's "|---|---|" line is markup of this test layout, not text a report prints: a
    # copy is never cut inside it.
    assume(not (_MARKDOWN_RULE.match(lines[i]) and p < len(lines[i])))
    return "\n".join(lines[:i] + [kept]) + "\n", layout


def _report_only_the_cut(result: dict) -> None:
    findings = result["findings"]
    summary = [(f["rule"], f["status"], f["message"]) for f in findings]
    truncated = [f for f in findings if f["rule"] == "READ-TRUNCATED"]
    assert len(truncated) == 1, summary
    assert truncated[0]["severity"] == "warning"
    others = [f for f in findings if f["rule"] != "READ-TRUNCATED"]
    # the tables add up and every part before the cut is there: the rest can at most not be checked
    assert all(f["status"] == "uncertain" and f["severity"] != "error" for f in others), summary
    assert not [f for f in others if f["rule"].startswith("STRUCT-")], summary


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut_texts())
def test_a_text_cut_anywhere_is_reported_once_and_nothing_after_it(cut):
    text, layout = cut
    _report_only_the_cut(_audit_text(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut_texts(rich=True))
def test_a_realistic_text_cut_anywhere_invents_no_narrative_mismatch(cut):
    """Sentences before the cut state counts of tables after it, and the cut may fall inside a
    number ("共收到申请 6" of 619): none of it is compared."""
    text, layout = cut
    _report_only_the_cut(_audit_text(text))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), text_layouts(), st.sampled_from(["s1", "s2", "s3", "s4", "s5", "s6"]))
def test_a_complete_report_missing_a_section_heading_is_not_a_cut(rep, layout, section):
    rep.drop_sections.add(section)
    result = _audit_text(render(rep, layout))
    assert "READ-TRUNCATED" not in {f["rule"] for f in result["findings"]}
    missing = [f for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"]
    number = "一二三四五六"[int(section[1]) - 1]
    assert len(missing) == 1 and f"缺少第{number}部分" in missing[0]["message"], missing


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=False), text_layouts(), st.integers(1, 4))
def test_a_complete_report_missing_the_last_rows_of_t3_is_not_a_cut(rep, layout, k):
    """表三 stops short of its last rows, but the report goes on to 表四, 五、六 and its date: the
    rows are missing from the report, not cut from the text."""
    rows = list(rep.spec.t3_rows)[-k:]
    rep.drop_t3_rows.update(rows)
    result = _audit_text(render(rep, layout))
    assert "READ-TRUNCATED" not in {f["rule"] for f in result["findings"]}
    missing = [f for f in result["findings"] if f["rule"] == "STRUCT-ROWS" and f["severity"] == "error"]
    assert len(missing) == 1 and f"缺少 {k} 行" in missing[0]["message"], missing


def _cut_after(text: str, kept: str) -> str:
    return text[:text.index(kept) + len(kept)] + "\n"


def test_cut_inside_t3_names_the_row_and_what_is_lost(audit_json, write_report):
    text = _cut_after(render(make_report("2021", seed=3), "tabs"), "（二）部分公开")
    result = audit_json(write_report(text))
    [cut] = [f for f in result["findings"] if f["rule"] == "READ-TRUNCATED"]
    assert cut["message"].startswith("表三在“（二）部分公开”一行之后中断，可能不完整：其后各行、表四及第四至六部分未能审查")
    assert "请核对原件是否完整" in cut["message"]
    assert cut["line"] == len(text.splitlines()) and cut["excerpt"] == "（二）部分公开"
    assert not [f for f in result["findings"] if f["rule"].startswith("STRUCT-")]
    # relations needing the rows after the cut cannot be checked, and say why
    balance = [f for f in result["findings"] if f["rule"] == "T3-BALANCE"]
    assert [f["status"] for f in balance] == ["uncertain"]
    assert "文本在表格中途中断" in balance[0]["message"]


def test_cut_inside_a_number_leaves_that_cell_blank(audit_json, write_report):
    """"61" may be the start of 619: the cell is blank (never a made-up 61), and the finding
    says which number it left out."""
    rep = make_report("2021", seed=3)
    rep.t3["new"]["tot"] = 619
    rep.t3["new"]["np"] += 619 - sum(rep.t3["new"][c] for c in ("np", "biz", "sci", "pub", "law", "oth"))
    text = render(rep, "tabs")
    line = next(ln for ln in text.splitlines() if ln.startswith("一、本年新收"))
    result = audit_json(write_report(_cut_after(text, line[:-1])))
    t3 = result["tables"]["t3"]
    assert t3["values"][t3["rows"].index("new")][t3["columns"].index("tot")] is None
    [cut] = [f for f in result["findings"] if f["rule"] == "READ-TRUNCATED"]
    assert "文本末尾的数字“61”" in cut["message"] and "“总计”列" in cut["message"]
    assert not [f for f in result["findings"] if f["status"] == "fail" and f["rule"] != "READ-TRUNCATED"]


def test_cut_in_a_sentence_of_section_one(audit_json, write_report):
    text = _cut_after(render(make_report("2019", seed=1), "cells"), "全面推进政务")
    result = audit_json(write_report(text))
    assert [f["rule"] for f in result["findings"]] == ["READ-TRUNCATED"]
    message = result["findings"][0]["message"]
    assert message.startswith("正文在第一部分（总体情况）的“……")
    assert "全面推进政务”处中断" in message and "表二、表三、表四及第二至六部分未能审查" in message


def test_cut_in_a_heading(audit_json, write_report):
    text = _cut_after(render(make_report("2021", seed=2), "markdown"), "五、存在的主")
    result = audit_json(write_report(text))
    assert [f["rule"] for f in result["findings"]] == ["READ-TRUNCATED"]
    assert result["findings"][0]["message"].startswith("正文在第五部分的标题“五、存在的主”处中断，可能不完整：第五、六部分未能审查")


def test_sections_without_their_tables_before_a_cut_still_lack_the_tables(audit_json, write_report):
    """Headings 二、三、四 one after another (the tables were pictures or attachments), then the
    text stops in 五: the tables are missing, section 六 is what the cut removed."""
    text = "\n".join([
        "测试市测试局2022年政府信息公开工作年度报告",
        "一、总体情况",
        "2022年，测试市测试局认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "一是公开内容的深度有待提升。下一步，将严格按照《中华人民共和国政",
    ]) + "\n"
    result = audit_json(write_report(text))
    tables = sorted(f["table"] for f in result["findings"] if f["rule"] == "STRUCT-TABLES")
    assert tables == ["t2", "t3", "t4"]
    assert not [f for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"]
    [cut] = [f for f in result["findings"] if f["rule"] == "READ-TRUNCATED"]
    assert "第五部分（存在的主要问题及改进情况）" in cut["message"] and "第六部分未能审查" in cut["message"]


def test_a_report_that_ends_with_a_full_sentence_in_section_five_lacks_section_six(audit_json, write_report):
    """No section 六 and no sign-off, but section 五 ends with a finished sentence: nothing shows
    the text was cut, so the missing section is reported as before."""
    text = render(make_report("2021", seed=4), "tabs")
    text = text[:text.index("六、其他需要报告的事项")]
    result = audit_json(write_report(text))
    assert "READ-TRUNCATED" not in {f["rule"] for f in result["findings"]}
    assert [f["message"][:5] for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"] == ["缺少第六部"]


@pytest.mark.parametrize("first_item", ["1.", "1、", "（一）", "(1)"])
def test_a_text_that_stops_after_the_first_item_of_a_list_in_section_five_is_cut(audit_json, write_report, first_item):
    """Section 五 opened a numbered list and the text stops after its first item: a list of one
    item is a list cut short, not a complete report without 六."""
    text = render(make_report("2021", seed=4), "tabs")
    text = text[:text.index("六、其他需要报告的事项")].rstrip("\n") + f"\n{first_item}信息公开栏目建设有待优化。\n"
    rules = {f["rule"] for f in audit_json(write_report(text))["findings"]}
    assert "READ-TRUNCATED" in rules and "STRUCT-SECTIONS" not in rules


def test_a_list_in_section_five_with_its_second_item_is_not_a_cut(audit_json, write_report):
    text = render(make_report("2021", seed=4), "tabs")
    text = text[:text.index("六、其他需要报告的事项")].rstrip("\n") + "\n1.栏目有待优化。\n2.解读有待加强。\n"
    result = audit_json(write_report(text))
    assert "READ-TRUNCATED" not in {f["rule"] for f in result["findings"]}
    assert [f["message"][:5] for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"] == ["缺少第六部"]


def _cut_in_section_one(tail: str) -> tuple[str, int]:
    rep = make_report("2021", seed=4)
    text = render(rep, "tabs")
    return text[:text.index("二、主动公开政府信息情况")] + tail.format(last=rep.year - 1, year=rep.year), rep.year


def test_a_year_the_cut_leaves_without_its_words_is_not_judged(audit_json, write_report):
    """"…、2022年" where the text stops may have gone on "2022年信息公开年报1条" (a document's
    name): the unfinished clause is not judged, the rest of the sentence is."""
    text, _ = _cut_in_section_one("主动公开政府信息32条，包括工作动态类6条、{last}年")
    rules = {f["rule"] for f in audit_json(write_report(text))["findings"]}
    assert "READ-TRUNCATED" in rules and "YEAR-BODY" not in rules
    text, year = _cut_in_section_one("{last}年，主动公开政府信息32条，包括工作动态类6条、规章")
    stale = [f for f in audit_json(write_report(text))["findings"] if f["rule"] == "YEAR-BODY"]
    assert [f["actual"] for f in stale] == [year - 1]


def test_a_signed_report_missing_its_last_sections_is_not_a_cut(audit_json, write_report):
    rep = make_report("2021", seed=5)
    rep.drop_sections.update({"s5", "s6"})
    text = render(rep, "cells")
    result = audit_json(write_report(text))
    assert "READ-TRUNCATED" not in {f["rule"] for f in result["findings"]}
    assert {f["message"][:5] for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"} == {"缺少第五部", "缺少第六部"}


def test_html_page_marks_the_rows_after_the_cut_as_not_read(run_cli, write_report, tmp_path):
    text = _cut_after(render(make_report("2021", seed=3), "tabs"), "3.危及“三安全一稳定”")
    page = tmp_path / "page.html"
    code, _ = run_cli("check", write_report(text), "-o", page, "--fail-on", "never")
    html = page.read_text(encoding="utf-8")
    assert code == 0 and "报告中缺少此行" not in html
    # 4.–8. of 不予公开, the 3 of 无法提供, 5 of 不予处理, 3 of 其他处理, （七）总计 and 结转下年度
    assert html.count("文本在此行之前中断") == 5 + 3 + 5 + 3 + 2


# ---------------------------------------------------------------- real cut-off copies


def _real(name: str, folder: Path):
    return audit_file(OPENINGS[name].write(folder), RULES)


def test_real_copy_cut_inside_t3(tmp_path):
    """西咸新区太平镇 2022: 表三 stops after 3.危及“三安全一稳定”, on a “0” that may be cut short."""
    result = _real("2022_xixian-taiping-town.txt", tmp_path)
    [cut] = [f for f in result.findings if f.rule == "READ-TRUNCATED"]
    assert cut.message.startswith("表三在“（三）不予公开”的“3.危及“三安全一稳定””一行之后中断，可能不完整："
                                  "其后各行、表四及第四至六部分未能审查；文本末尾的数字“0”")
    assert not [f for f in result.findings if f.rule.startswith("STRUCT-") and f.severity == "error"]
    assert "文本在这个数字处中断，数字可能不完整" in [u.reason for u in result.report.tables["t3"].unread]


def test_real_copy_with_headings_but_no_tables_then_cut_in_section_five(tmp_path):
    """广东省教育考试院 2022: headings 二、三、四 follow each other with no table (a genuine defect),
    then the copy stops inside 五: the tables are missing, 六 is what the cut removed."""
    result = _real("2022_guangdong-jiaoyukaoshiyuan.txt", tmp_path)
    assert sorted(f.table for f in result.findings if f.rule == "STRUCT-TABLES") == ["t2", "t3", "t4"]
    assert not [f for f in result.findings if f.rule == "STRUCT-SECTIONS"]
    [cut] = [f for f in result.findings if f.rule == "READ-TRUNCATED"]
    assert "第五部分（存在的主要问题及改进情况）" in cut.message and "第六部分未能审查" in cut.message


def test_real_copy_cut_in_a_heading(tmp_path):
    """雄县 某乡 2019: the copy stops in the heading “五、存在的主”, right after 表四's labels."""
    result = _real("2019_xiongxian-township.txt", tmp_path)
    [cut] = [f for f in result.findings if f.rule == "READ-TRUNCATED"]
    assert cut.message.startswith("正文在第五部分的标题“五、存在的主”处中断，可能不完整：第五、六部分未能审查")
    assert not [f for f in result.findings if f.rule == "STRUCT-SECTIONS"]


def test_real_copies_of_openings_are_each_reported_cut_once(tmp_path):
    """Every real opening is a copy cut off part-way, except 开平 2020, which reaches section 六
    (its tables are attachments). Each recognised one gets exactly one READ-TRUNCATED and no
    missing section after the cut. A copy whose last line ends in a closing bracket (国管局 2021:
    "進(jìn)", an encoding artefact) shows no cut by its end: it is found cut only when its headings
    are read and show that 二 to 六 are not there."""
    for name, opening in OPENINGS.items():
        result = audit_file(opening.write(tmp_path), RULES)
        if result.error is not None:
            continue  # not recognised as a report: nothing to say about its end
        cuts = [f for f in result.findings if f.rule == "READ-TRUNCATED"]
        if name.startswith("2020_kaiping"):
            assert cuts == [], name
        elif opening.text.rstrip()[-1] in ")）":
            assert len(cuts) <= 1, name
        else:
            assert len(cuts) == 1, name
        if cuts and result.report.cut.section is not None:
            later = [f"缺少第{'一二三四五六'[int(s[1]) - 1]}部分" for s in result.report.cut.sections_after]
            assert not [f for f in result.findings if f.rule == "STRUCT-SECTIONS" and f.message.startswith(tuple(later))]


@pytest.mark.parametrize("comma", [",", "，"])
def test_a_cut_sentence_naming_table_rows_is_prose_whatever_its_commas(tmp_path, comma):
    """Web pages often type ASCII commas in prose. A sentence of section 一 cut before its full
    stop ("…办结146件,结转下年度继续办理5件") names 表三's rows, but it is not 表三: the cut is
    in section 一, and the later sections are not reported missing."""
    text = ("某某县生态环境局2021年政府信息公开工作年度报告\n\n一、总体情况\n\n"
            "2021年,我局坚持以习近平新时代中国特色社会主义思想为指导,认真做好政府信息公开工作。\n\n"
            "(二)依申请公开。\n\n"
            f"2021年依法办理政府信息公开申请151件(含上年结转13件){comma}办结146件{comma}结转下年度继续办理5件")
    path = tmp_path / "cut.txt"
    path.write_text(text, encoding="utf-8")
    result = audit_file(path)
    assert "t3" not in result.report.tables or not result.report.tables["t3"].rows_found
    assert [f.rule for f in result.findings if f.severity == "error"] == []


@pytest.mark.parametrize("layout", ["cells", "tabs", "markdown", "spaces", "pipes"])
def test_a_text_cut_after_a_numbers_decimal_point_reports_only_the_cut(layout):
    """The copy stops inside 表二's 采购总金额 "293.81" (2019 format), after its point: "293." is
    no number, and what cannot be read on the line the text stops in is the cut's to report
    (found by the cut-anywhere property above)."""
    rep = make_report("2019", seed=3)
    count, _ = rep.t2[("art20_9", "central_procurement")]
    rep.t2[("art20_9", "central_procurement")] = [count, "293.81"]
    text = render(rep, layout)
    result = _audit_text(text[:text.index("293.81") + len("293.")] + "\n")
    _report_only_the_cut(result)
    assert not [f for f in result["findings"] if f["rule"] == "READ-UNREAD-CELLS"]
