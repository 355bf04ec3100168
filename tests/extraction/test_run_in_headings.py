"""Section headings run into a line: web pages copied as text come out as one long line, or
one line a section ("一、总体情况 根据…… 二、主动公开政府信息情况 三、收到和处理……"), or a
heading glued to its first sentence ("一、总体情况2019年，我乡……"). Their sections are found
as in a report printed one heading a line; numbered phrases inside sentences, lists and table
rows are not taken for headings.
"""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.auditing import as_json, audit_text_result
from tests.support.real_openings import openings
from tests.support.reportgen import _t2_lines, _t3_lines, _t4_lines, narrative, render
from tests.support.strategies import consistent_reports

SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")
# Layouts whose table lines carry no tab or pipe: run into one line they stay prose-like text.
ONE_LINE_LAYOUTS = ("cells", "spaces")
TABLE_LINES = {"s2": _t2_lines, "s3": _t3_lines, "s4": _t4_lines}


def _audit(text: str):
    result = audit_text_result(text)
    assert result.error is None, result.error
    return result, as_json(result)


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"


def _prose_runs(rep, layout: str, glue: str) -> str:
    """The report with each run of paragraphs between two tables on one line (joined by
    `glue`), its tables printed as usual: a web page whose paragraphs ran together. The title
    lines above the first sentence and the sign-off lines after the last stay on their own."""
    items = narrative(rep)
    lines: list[str] = []
    run: list[str] = []

    def flush(last: bool = False) -> None:
        head = []
        if not lines:  # the title lines
            while run and "。" not in run[0]:
                head.append(run.pop(0))
        tail = []
        if last:  # the sign-off lines
            while run and "。" not in run[-1]:
                tail.insert(0, run.pop())
        lines.extend(head + ([glue.join(run)] if run else []) + tail)
        run.clear()

    for kind, content in items:
        if kind == "table":
            flush()
            lines.extend(TABLE_LINES[content](rep, layout))
        else:
            run.append(content)
    flush(last=True)
    return "\n".join(lines) + "\n"


def _summary(result: dict) -> Counter:
    return Counter((f["rule"], f["status"], f["severity"], f.get("table")) for f in result["findings"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from(("cells", "tabs", "markdown", "spaces")), st.sampled_from((" ", "")))
def test_paragraphs_run_together_give_the_same_audit(rep, layout, glue):
    """Headings inside long lines (after a space, or glued to the sentence before and after
    it) are found: sections, tables and findings are those of the report printed line by line."""
    normal = _audit(render(rep, layout))
    run_in = _audit(_prose_runs(rep, layout, glue))
    headings = {s: sec.heading for s, sec in run_in[0].report.sections.items()}
    assert headings == {s: sec.heading for s, sec in normal[0].report.sections.items()}
    assert run_in[1]["tables"] == normal[1]["tables"]
    assert _summary(run_in[1]) == _summary(normal[1])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from(ONE_LINE_LAYOUTS))
def test_a_report_run_into_one_line_has_its_six_sections(rep, layout):
    result, data = _audit(_one_line(render(rep, layout)))
    assert all(result.report.sections[s].heading for s in SECTIONS), result.report.sections
    rules = {f["rule"] for f in data["findings"]}
    assert not rules & {"STRUCT-SECTIONS", "STRUCT-SECTION-ORDER", "STRUCT-SECTION-TITLES", "READ-TRUNCATED"}, rules
    # every sentence belongs to the section whose heading comes before it
    sections = [s.section for s in result.report.sentences]
    assert sections.index("s6") > sections.index("s5") > sections.index("s1")


def test_real_web_page_on_one_line_kaiping():
    """开平市农业农村局 2020: the page's text is one line with the six headings run in (traditional
    script, folded before extraction); 二、三、四 have headings but no tables (attachments)."""
    opening = next(o for o in openings() if o.name == "2020_kaiping-nongyenongcunju.txt")
    result, data = _audit(opening.text)
    assert [result.report.sections[s].heading for s in SECTIONS] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    rules = [(f["rule"], f.get("table")) for f in data["findings"] if f["severity"] == "error"]
    assert sorted(rules) == [("STRUCT-TABLES", "t2"), ("STRUCT-TABLES", "t3"), ("STRUCT-TABLES", "t4")]
    five = [s.text for s in result.report.sentences if s.section == "s5"]
    assert five[0] == "五、存在的主要问题及改进情况" and five[1].startswith("我局2020年政府信息公开各项工作进展顺利")


TITLE = "甲县乙乡人民政府2019年政府信息公开工作年度报告\n"


def test_heading_glued_to_its_first_sentence():
    text = (TITLE + "一、总体情况2019年，我乡认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
            "五、存在的主要问题及改进情况一是公开内容不够全面。下一步将加强培训。\n六、其他需要报告的事项本年度无其他事项。\n")
    result, _ = _audit(text)
    assert result.report.sections["s1"].heading == "一、总体情况"
    assert result.report.sections["s5"].heading == "五、存在的主要问题及改进情况"
    assert result.report.sections["s6"].heading == "六、其他需要报告的事项"
    first = next(s for s in result.report.sentences if s.text.startswith("2019年，我乡"))
    assert first.section == "s1"


def test_short_heading_line_glued_to_a_wrapped_sentence():
    """A page wraps "一、总体情况2019年，我乡认真贯彻落实" short enough to pass for a heading: the
    clause after the title is the section's first sentence, joined with its next line."""
    text = (TITLE + "一、总体情况2019年，我乡认真贯彻落实\n《条例》，全面推进政务公开。\n"
            "二、主动公开政府信息情况（2019年）\n")
    result, _ = _audit(text)
    assert result.report.sections["s1"].heading == "一、总体情况"
    assert result.report.sections["s2"].heading == "二、主动公开政府信息情况（2019年）"  # no clause: all heading
    texts = [(s.text, s.section) for s in result.report.sentences]
    assert ("2019年，我乡认真贯彻落实《条例》，全面推进政务公开。", "s1") in texts


def test_sections_named_in_a_line_before_their_headings_are_not_begun_there():
    """A preamble that lists the parts with their numbers, spaced out, then the report with a
    heading a line: the headings are the lines, not the list."""
    text = (TITLE + "本报告由 一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
            "四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项 六个部分组成。\n"
            "一、总体情况\n2019年，我乡认真贯彻落实《条例》。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n一是公开内容不够全面。\n"
            "六、其他需要报告的事项\n本年度无其他事项。\n")
    result, _ = _audit(text)
    assert {s: sec.line for s, sec in result.report.sections.items()} == {
        "s1": 3, "s2": 5, "s3": 6, "s4": 7, "s5": 8, "s6": 10}


def test_numbered_phrases_lists_and_table_rows_are_not_headings():
    """"一是……"、a list after a colon and 表三's last row "四、结转下年度继续办理" keep their place:
    the headings found are the real ones only."""
    text = (TITLE + "一、总体情况 本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况。"
            "一是加强组织领导。二是完善工作制度。 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
            "（七）总计 0 0 0 0 0 0 0 四、结转下年度继续办理 0 0 0 0 0 0 0 "
            "四、政府信息公开行政复议、行政诉讼情况 本年度未发生行政复议、行政诉讼。 "
            "五、存在的主要问题及改进情况 一是公开内容不够全面。 二、主动公开政府信息情况仍需加强。 "
            "六、其他需要报告的事项 本年度无其他事项。\n")
    result, _ = _audit(text)
    headings = {s: sec.heading for s, sec in result.report.sections.items()}
    assert headings == {"s1": "一、总体情况", "s2": "二、主动公开政府信息情况", "s3": "三、收到和处理政府信息公开申请情况",
                        "s4": "四、政府信息公开行政复议、行政诉讼情况", "s5": "五、存在的主要问题及改进情况",
                        "s6": "六、其他需要报告的事项"}
    listing = next(s for s in result.report.sentences if s.text.startswith("本报告包括"))
    assert listing.section == "s1" and "三、收到和处理政府信息公开申请情况" in listing.text
    late = next(s for s in result.report.sentences if "仍需加强" in s.text)
    assert late.section == "s5"  # "二、" after 五 is out of order: a phrase, not section 二
    four = next(s for s in result.report.sentences if s.text.startswith("本年度未发生行政复议"))
    assert four.section == "s4"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=False), st.sampled_from(ONE_LINE_LAYOUTS), st.sampled_from(SECTIONS[1:5]))
def test_a_one_line_report_cut_after_a_heading_is_cut_there(rep, layout, section):
    """The cut is found in a one-line text too: it stops in section `section`'s heading, and
    only the sections after it are said to be lost."""
    spec = next(s for s in rep.spec.sections if s["id"] == section)
    line = _one_line(render(rep, layout))
    heading = f"{spec['no']}、{spec['title']}"
    _, data = _audit(line[:line.index(heading) + len(heading)] + "\n")
    [cut] = [f for f in data["findings"] if f["rule"] == "READ-TRUNCATED"]
    assert cut["message"].startswith(f"正文在第{spec['no']}部分的标题“"), cut["message"]
    assert not [f for f in data["findings"] if f["rule"] == "STRUCT-SECTIONS"]
