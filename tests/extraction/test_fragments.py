"""A text that starts part-way (a web page's excerpt from section 三 on, a copy that begins
inside 表二) is reported once by READ-TRUNCATED: where it starts and what lies before it. The
sections, tables and rows before the start are not reported missing one by one. A complete
report that lacks section 一 (it has its title and preamble) is still told so.

The fragments are generated reports (tests/support/reportgen.py) whose every table adds up, started at
a random section heading or 表二 block: anything reported beyond the start and "cannot be
checked" is false.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.auditing import audit_text as _audit_text
from tests.support.reportgen import make_report, render
from tests.support.strategies import consistent_reports, text_layouts

NUMBERS = "一二三四五六"


def _starts(result: dict) -> list[dict]:
    return [f for f in result["findings"] if f["rule"] == "READ-TRUNCATED" and f["message"].startswith("文本从")]


@st.composite
def fragments(draw):
    """(text from a section heading or a 表二 block's caption on, what it starts at)."""
    rep = draw(consistent_reports())
    layout = draw(text_layouts())
    lines = render(rep, layout).split("\n")
    starts = [i for i, line in enumerate(lines)
              if line[:2] in ("二、", "三、", "四、", "五、") and any(s["title"] in line for s in rep.spec.sections)]
    starts += [i for i, line in enumerate(lines) if line.strip("| ").startswith("第二十条第") and line.strip("| ").endswith("项")]
    i = draw(st.sampled_from(sorted(starts)))
    return "\n".join(lines[i:]), lines[i].strip("| ")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_a_text_starting_part_way_is_reported_once_and_nothing_before_it(fragment):
    text, first = fragment
    result = _audit_text(text)
    summary = [(f["rule"], f["status"], f["message"]) for f in result["findings"]]
    [start] = _starts(result)
    assert start["severity"] == "warning" and start["line"] == 1, summary
    if first.startswith("第二十条"):
        assert start["message"].startswith(f"文本从表二{first}的“"), summary
    else:
        assert start["message"].startswith(f"文本从第{first[0]}部分"), summary
    assert "之前的第一" in start["message"]
    # the text runs to the report's end and every table adds up: nothing else fails
    assert [f["rule"] for f in result["findings"] if f["rule"] == "READ-TRUNCATED"] == ["READ-TRUNCATED"], summary
    assert not [f for f in result["findings"] if f["rule"].startswith("STRUCT-")], summary
    assert all(f["status"] == "uncertain" or f is start for f in result["findings"]), summary


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), text_layouts())
def test_a_complete_report_without_heading_one_is_not_a_fragment(rep, layout):
    """Its title and preamble open it: section 一 is missing from the report, not from the copy."""
    rep.drop_sections.add("s1")
    result = _audit_text(render(rep, layout))
    assert not _starts(result)
    missing = [f for f in result["findings"] if f["rule"] == "STRUCT-SECTIONS"]
    assert len(missing) == 1 and "缺少第一部分" in missing[0]["message"], missing


def test_a_fragment_cut_off_too_is_told_both_ends():
    text = render(make_report("2021", seed=3), "tabs")
    text = text[text.index("三、收到和处理政府信息公开申请情况"):text.index("（二）部分公开") + len("（二）部分公开")] + "\n"
    result = _audit_text(text)
    start, cut = [f for f in result["findings"] if f["rule"] == "READ-TRUNCATED"]
    assert start["message"].startswith("文本从第三部分（收到和处理政府信息公开申请情况）的标题开始，之前的第一、二部分及表二不在文本中")
    assert cut["message"].startswith("表三在“（二）部分公开”一行之后中断，可能不完整：其后各行、表四及第四至六部分未能审查")
    assert not [f for f in result["findings"] if f["rule"].startswith("STRUCT-")]


def test_a_fragment_starting_inside_t3_leaves_out_the_rows_before():
    """A copy that begins at 表三's "（一）予以公开": its first rows and everything before are
    said once; the rows it shows are audited."""
    text = render(make_report("2021", seed=5), "tabs")
    text = text[text.index("（一）予以公开"):]
    result = _audit_text(text)
    [start] = _starts(result)
    assert start["message"].startswith("文本从表三的“（一）予以公开”一行开始，之前的第一至三部分、表二及表三此前各行不在文本中")
    assert not [f for f in result["findings"] if f["rule"].startswith("STRUCT-")]
    assert result["tables"]["t4"]["values"]
