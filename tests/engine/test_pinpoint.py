"""Pinpointing the wrong cell: properties over random consistent tables of both formats."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from auditor.engine import load_catalogue
from auditor.spec import format_spec
from tests.support.reportgen import LAYOUTS, ORG, GenReport, consistent_t3, consistent_t4, default_t2, render

RULES = load_catalogue()
COLUMNS = ORG + ["tot"]
T4_COLUMNS = ["maintained", "corrected", "other", "pending", "total"]


@st.composite
def consistent_reports(draw):
    template = draw(st.sampled_from(["2019", "2021"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    year = 2020 if template == "2019" else draw(st.integers(2021, 2025))
    t3 = consistent_t3(template, rng, high=draw(st.integers(1, 400)))
    rep = GenReport(template, year, t2=default_t2(template, rng), t3=t3, t4=consistent_t4(rng))
    return rep, draw(st.sampled_from(LAYOUTS))


def _audit(rep: GenReport, layout: str):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.txt"
        path.write_text(render(rep, layout), encoding="utf-8")
        return audit_file(path, RULES)


def _pinpoints(result, rule: str):
    return [f for f in result.findings if f.rule == rule]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_a_consistent_table_points_at_nothing(case):
    result = _audit(*case)
    assert _pinpoints(result, "T3-PINPOINT") == [] and _pinpoints(result, "T4-PINPOINT") == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.data())
def test_any_single_t3_cell_change_is_pinpointed_with_the_value_that_repairs_it(case, data):
    rep, layout = case
    row = data.draw(st.sampled_from(list(format_spec(rep.template).t3_rows)))
    col = data.draw(st.sampled_from(COLUMNS))
    old = rep.t3[row][col]
    rep.t3[row][col] = data.draw(st.integers(0, old + 500).filter(lambda v: v != old))
    found = _pinpoints(_audit(rep, layout), "T3-PINPOINT")
    assert [(f.status, f.row, f.column, f.expected, f.actual) for f in found] == [
        ("fail", row, col, old, rep.t3[row][col])
    ], [f.message for f in found]
    assert f"填的是 {rep.t3[row][col]}" in found[0].message and f"改为 {old}" in found[0].message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.data())
def test_a_t4_pinpoint_is_never_wrong_and_a_total_no_part_can_explain_is_always_found(case, data):
    rep, layout = case
    block = data.draw(st.sampled_from(["review", "suit_direct", "suit_after_review"]))
    col = data.draw(st.sampled_from(T4_COLUMNS))
    old = rep.t4[block][col]
    rep.t4[block][col] = new = data.draw(st.integers(0, old + 30).filter(lambda v: v != old))
    found = _pinpoints(_audit(rep, layout), "T4-PINPOINT")
    assert len(found) == 1
    decided = found[0].status == "fail"
    if decided:
        assert (found[0].row, found[0].column, found[0].expected) == (block, col, old)
    else:
        assert (("t4", block, col) in found[0].cells) and found[0].severity == "warning"
    parts = [rep.t4[block][c] for c in T4_COLUMNS[:4]]
    if col == "total" and new < sum(parts) - max(parts):
        assert decided  # lowering any one part to fit the total would make it negative


def test_two_swapped_values_in_a_row_are_named_as_a_transposition(tmp_path):
    rep = GenReport("2021", 2023, t2=default_t2("2021", random.Random(1)),
                    t3=consistent_t3("2021", random.Random(3), high=90), t4=consistent_t4(random.Random(1)))
    row = "open"
    a, b = rep.t3[row]["np"], rep.t3[row]["law"]
    assert a != b
    rep.t3[row]["np"], rep.t3[row]["law"] = b, a
    found = _pinpoints(_audit(rep, "tabs"), "T3-PINPOINT")
    assert {(f.row, f.column, f.expected, f.actual) for f in found} == {(row, "np", a, b), (row, "law", b, a)}
    assert all("填反" in f.message and f.status == "fail" for f in found)


def test_many_errors_are_said_to_be_undecidable(tmp_path):
    rep = GenReport("2019", 2019, t2=default_t2("2019", random.Random(2)),
                    t3=consistent_t3("2019", random.Random(5), high=60), t4=consistent_t4(random.Random(2)))
    for row, col in [("new", "np"), ("open", "biz"), ("carry_fwd", "sci")]:
        rep.t3[row][col] += 7
    found = _pinpoints(_audit(rep, "cells"), "T3-PINPOINT")
    assert len(found) == 1 and found[0].status == "uncertain" and "多处错误" in found[0].message
