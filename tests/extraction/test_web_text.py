"""Web pages turned into text (tests/support/reportgen.py WEB_TEXT_LAYOUTS): one cell a line closed by
"|", pipes padding rows, one paragraph a cell with empty lines for empty cells, filling hints
in labels, cells run together. They read exactly like the plain rendering of the same report;
where cells run together and cannot be cut one way, the numbers are reported unread
(READ-UNREAD-CELLS), never read wrong and never a false failure."""
from __future__ import annotations

import copy
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.auditing import audit_text_result as _audit, finding_keys as _keys, table_values as _tables
from tests.support.corpus.defects import t3_identities
from tests.support.real_openings import account, openings
from tests.support.reportgen import ORG, TEXT_LAYOUTS, WEB_TEXT_LAYOUTS, make_report, render
from tests.support.strategies import cell_mutations, consistent_reports

EXACT_LAYOUTS = [layout for layout in WEB_TEXT_LAYOUTS if layout != "web_runs"]
T3_IDENTITY_RULES = {"T3-ROW-TOTAL", "T3-BALANCE", "T3-OUTCOME-SUM"}
OPENINGS = {o.name: o for o in openings()}


@st.composite
def reports_with_blank_cells(draw):
    """A consistent report, some of whose 表三 cells are left blank (as real reports leave the
    organisation columns, or fill only 总计)."""
    rep = copy.deepcopy(draw(consistent_reports()))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    share = draw(st.sampled_from([0.0, 0.2, 0.6]))
    only_total = draw(st.booleans())
    for row, cells in rep.t3.items():
        for col in ORG + ["tot"]:
            if (only_total and col != "tot") or rng.random() < share:
                cells[col] = None
    return rep


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from(EXACT_LAYOUTS))
def test_web_text_reads_like_the_plain_text(rep, layout):
    web, plain = _audit(render(rep, layout)), _audit(render(rep, "tabs"))
    assert web.error is None
    assert _tables(web) == _tables(plain)
    assert _keys(web) == _keys(plain) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports_with_blank_cells(), st.sampled_from(EXACT_LAYOUTS))
def test_empty_cells_keep_their_place(rep, layout):
    """An empty cell is a "|" line or one more empty line: the numbers after it stay in their columns."""
    web, plain = _audit(render(rep, layout)), _audit(render(rep, "tabs"))
    assert _tables(web)["t3"] == _tables(plain)["t3"]
    assert not web.report.tables["t3"].unread
    assert [k for k in _keys(web) if k[2] == "t3"] == [k for k in _keys(plain) if k[2] == "t3"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_mutations(tables=("t3",)), st.sampled_from(EXACT_LAYOUTS))
def test_a_changed_cell_is_found_at_that_cell_in_web_text(mutation, layout):
    result = _audit(render(mutation.report, layout))
    table, row, col = mutation.cell
    failing = [f for f in result.findings if f.status == "fail" and f.rule in T3_IDENTITY_RULES]
    assert {f.rule for f in failing} == set(t3_identities(mutation.report.template, row, col))
    assert all(mutation.cell in f.cells for f in failing)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_cells_run_together_are_read_right_or_reported_unread(rep):
    """"规章303303303": cut when only one cut gives the row's columns, else reported unread.
    No number is read into a wrong cell and no identity fails for it."""
    text = render(rep, "web_runs")
    web, plain = _audit(text), _audit(render(rep, "tabs"))
    for tid, table in web.report.tables.items():
        reference = plain.report.tables[tid]
        for (row, col), value in table.numbers.items():
            if value is not None:
                assert value == reference.value(row, col), (tid, row, col)
        unread_rows = {u.row for u in table.unread}
        for row in table.rows_found:
            read = [table.value(row, c) for c in table.column_labels]
            if any(v is None for v in read) and any(reference.value(row, c) is not None for c in table.column_labels):
                assert row in unread_rows or None in unread_rows, (tid, row)
    assert not [f.message for f in web.findings if f.status == "fail" and f.rule[:3] in ("T2-", "T3-", "T4-")]
    assert account(web, text).lost_lines == []
    if any(t.unread for t in web.report.tables.values()):
        assert "READ-UNREAD-CELLS" in {f.rule for f in web.findings}


def test_cells_run_together_with_one_digit_each_are_read():
    rep = make_report("2019", seed=1)
    rep.t2 = {key: ["0"] * len(values) for key, values in rep.t2.items()}
    web, plain = _audit(render(rep, "web_runs")), _audit(render(rep, "tabs"))
    assert {k: v for k, v in _tables(web).items() if k.startswith("t2")} == \
           {k: v for k, v in _tables(plain).items() if k.startswith("t2")}
    assert not any(t.unread for tid, t in web.report.tables.items() if tid.startswith("t2"))


# ---------------------------------------------------------------- the real openings


def _opening(name: str):
    opening = next(o for n, o in OPENINGS.items() if n.startswith(name))
    return _audit(opening.text), opening


def test_real_one_cell_a_line_closed_by_a_pipe():
    result, _ = _opening("2023_haizhu")
    t3 = result.report.tables["t3"]
    assert {t3.value(r, c) for r in ("new", "carried", "open", "partial", "deny_1", "deny_2") for c in t3.column_labels} == {0}
    assert result.report.tables["t2.art20_8"].value("fees", "amount_wan_yuan") == 0


def test_real_pipe_lines_are_empty_cells_or_row_ends():
    result, opening = _opening("2019_lzq")
    art20_1 = result.report.tables["t2.art20_1"]
    assert [art20_1.value("normative_docs", c) for c in art20_1.column_labels] == [2, 2, 2]
    # 表三 rows print an empty cell and a 0 for seven columns: where the 0 belongs is unknown
    t3 = result.report.tables["t3"]
    assert {u.row for u in t3.unread} == {"new", "carried", "open", "partial"}
    assert not t3.has_values
    finding = next(f for f in result.findings if f.rule == "READ-UNREAD-CELLS")
    assert finding.severity == "warning" and "请核对原件，将这些数字填入对应单元格" in finding.message
    assert "一、本年新收政府信息公开申请数量" in finding.message and "少于 7 个栏目" in finding.message
    uncertain = [f for f in result.findings if f.rule == "T3-ROW-TOTAL"]
    assert uncertain and all(f.status == "uncertain" for f in uncertain)
    assert account(result, opening.text).lost_lines == []


def test_real_one_paragraph_a_cell_only_the_total_filled():
    result, _ = _opening("2020_yuyang")
    t3 = result.report.tables["t3"]
    for row in ("new", "carried"):
        assert t3.value(row, "tot") == 0
        assert [t3.value(row, c) for c in ORG] == [None] * 6
    assert not t3.unread


def test_real_labels_with_filling_hints():
    result, _ = _opening("2020_huangpi")
    art20_1 = result.report.tables["t2.art20_1"]
    assert [art20_1.value("normative_docs", c) for c in art20_1.column_labels] == [87, 0, 0]
    assert [art20_1.value("regulations", c) for c in art20_1.column_labels] == [0, 0, 0]
    assert result.report.tables["t2.art20_5"].value("other_services", "decisions") == 0
    # the local row 其他主动公开文件 is not in the format: its numbers are reported, not dropped
    unread = result.report.tables["t2.art20_1"].unread
    assert [u.label[:8] for u in unread] == ["其他主动公开文件"] * 3 and {u.row for u in unread} == {None}


def test_real_cells_run_together():
    result, _ = _opening("2019_dazhu")
    tables = result.report.tables
    assert [tables["t2.art20_1"].value("regulations", c) for c in tables["t2.art20_1"].column_labels] == [0, 0, 0]
    # the copy stops on "行政事业性收费00": its last digit may have lost the rest of its number,
    # so that cell is left blank and the cut names it (READ-TRUNCATED), never read as 0
    assert [tables["t2.art20_8"].value("fees", c) for c in tables["t2.art20_8"].column_labels] == [0, None]
    assert [u.cut for t in tables.values() for u in t.unread] == [True]
    assert any(f.rule == "READ-TRUNCATED" and "可能不完整" in f.message for f in result.findings)
    assert not any(f.rule == "READ-UNREAD-CELLS" for f in result.findings)


def test_real_lone_number_in_a_skeleton_is_reported():
    result, _ = _opening("2019_xiongxian")
    unread = result.report.tables["t2.art20_1"].unread
    assert [(u.row, u.count) for u in unread] == [("regulations", 1)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=False), st.sampled_from(TEXT_LAYOUTS + tuple(EXACT_LAYOUTS)), st.data())
def test_a_text_starting_in_the_middle_of_table_three_is_read(rep, layout, data):
    """A copy that starts at some row of 表三, without the section heading or the header."""
    rows = list(rep.spec.t3_rows)
    first = data.draw(st.sampled_from(rows[1:]))
    label = rep.spec.t3_rows[first]
    text = render(rep, layout)
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if label in line and "三、收到" not in line)
    cut = "\n".join(lines[start:])
    web, plain = _audit(cut), _audit(render(rep, "tabs"))
    t3, reference = web.report.tables["t3"], plain.report.tables["t3"]
    for row in rows[rows.index(first):]:
        assert [t3.value(row, c) for c in t3.column_labels] == [reference.value(row, c) for c in t3.column_labels], row
    assert not t3.unread
    assert not [f.message for f in web.findings if f.status == "fail" and f.rule[:3] in ("T3-", "T4-")]


# ---------------------------------------------------------------- unread numbers in the identities


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=False), st.data())
def test_a_row_with_unread_numbers_is_missing_for_the_identities(rep, data):
    """Two numbers printed in one 表三 cell: the row cannot be placed. The identities over it say
    they cannot be checked (never a failure, never silently clean), and READ-UNREAD-CELLS names
    the row."""
    rep = copy.deepcopy(rep)
    row = data.draw(st.sampled_from(list(rep.spec.t3_rows)))
    col = data.draw(st.sampled_from(ORG + ["tot"]))
    layout = data.draw(st.sampled_from(["cells", "spaces", "web_cells", "web_paragraphs"]))
    rep.t3[row][col] = f"{data.draw(st.integers(0, 9))} {data.draw(st.integers(0, 9))}"
    result = _audit(render(rep, layout))
    t3 = result.report.tables["t3"]
    assert [u.row for u in t3.unread] and {u.row for u in t3.unread} == {row}
    assert not [f.message for f in result.findings if f.status == "fail" and f.rule[:3] in ("T3-", "T4-")]
    uncertain = {f.rule for f in result.findings if f.status == "uncertain"}
    assert "T3-ROW-TOTAL" in uncertain
    assert ("T3-BALANCE" in uncertain) == (row in ("new", "carried", "handled_total", "carry_fwd"))
    unread = next(f for f in result.findings if f.rule == "READ-UNREAD-CELLS")
    assert f"“{rep.spec.t3_rows[row]}”"[:6] in unread.message and unread.severity == "warning"


def test_digits_with_a_leading_zero_are_cells_run_together():
    """"规章 000" and a line "000": three cells of 0, not one number 0 in a three-column row."""
    text = render(make_report("2019", seed=4), "spaces")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("规章"))
    lines[at] = "规章    000"
    result = _audit("\n".join(lines))
    table = result.report.tables["t2.art20_1"]
    assert [table.value("regulations", c) for c in table.column_labels] == [0, 0, 0]
    assert not table.unread


def test_a_long_run_of_glued_digits_is_judged_at_once():
    """Cutting glued digits counts the ways from each position once: a long run printed for a
    table of fifteen cells does not take exponential time."""
    lines = render(make_report("2021", seed=2), "cells").split("\n")
    first = lines.index("四、政府信息公开行政复议、行政诉讼情况") + 20  # 表四's first value, after its 19 headers
    lines[first:first + 15] = ["0" + "1" * 60]
    result = _audit("\n".join(lines))
    t4 = result.report.tables["t4"]
    assert not t4.has_values and [u.count for u in t4.unread] == [1]
    assert "有多种拆法" in t4.unread[0].reason


def test_a_number_with_its_unit_or_thousands_separator_run_into_the_label():
    """"行政许可5件" and "行政事业性收费1,234.5": the label's number; "第二十条第5项" stays a caption."""
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第5项", "信息内容本年处理决定数量", "行政许可5件",
        "第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费1,234.5",
        "三、收到和处理政府信息公开申请情况",  # the text goes on: the last number is not where it stops
    ])
    tables = _audit(text + "\n").report.tables
    assert tables["t2.art20_5"].value("licensing", "decisions") == 5
    assert tables["t2.art20_8"].value("fees", "amount_wan_yuan") == 1234.5
    assert not any(t.unread for t in tables.values())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=False))
def test_pipe_rows_without_their_closing_pipe_read_like_the_plain_text(rep):
    """"规章 | 0 | 0 | 0" and "行政许可 | 0": `a | b |` rows written (or cut) without the last pipe."""
    open_rows = "\n".join(line.rstrip().removesuffix("|").rstrip() for line in render(rep, "pipes").split("\n"))
    assert _tables(_audit(open_rows)) == _tables(_audit(render(rep, "tabs")))
