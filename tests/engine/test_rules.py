"""Finer behaviour of the table rules. Each rule's passing and failing cases are data: see
tests/rule_cases/ and test_rule_cases.py."""
from __future__ import annotations

import json

import pytest

from tests.support.reportgen import LAYOUTS, make_report, render


def _balance_broken(rep):
    rep.t3["carried"]["np"] += 1
    rep.t3["carried"]["tot"] += 1  # rows still add up; only 勾稽 is off


def _audit(run_cli, write_report, rep, layout):
    code, out = run_cli("check", write_report(render(rep, layout)), "--format", "json", "--fail-on", "never")
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_clean_report_has_no_finding_at_all(run_cli, write_report, template, layout):
    result = _audit(run_cli, write_report, make_report(template, seed=7), layout)
    assert result["findings"] == [], [f["message"] for f in result["findings"]]


def test_balance_message_names_column_values_and_difference(run_cli, write_report):
    rep = make_report("2021", seed=7)
    _balance_broken(rep)
    result = _audit(run_cli, write_report, rep, "tabs")
    f = next(f for f in result["findings"] if f["rule"] == "T3-BALANCE" and f["column"] == "np")
    t3 = rep.t3
    left = t3["new"]["np"] + t3["carried"]["np"]
    right = t3["handled_total"]["np"] + t3["carry_fwd"]["np"]
    assert f["table"] == "t3" and "“自然人”列" in f["message"]
    assert f"本年新收（{t3['new']['np']}）" in f["message"] and f"= {left}" in f["message"]
    assert f"= {right}" in f["message"] and "相差 1" in f["message"]
    assert (f["actual"], f["expected"]) == (left, right)
    assert ["t3", "carried", "np"] in f["cells"]


def test_blank_cells_that_could_explain_a_gap_are_uncertain_not_errors(run_cli, write_report):
    rep = make_report("2021", seed=4)
    rep.t3["carry_fwd"]["tot"] = None  # total left blank: any count could stand there
    rep.t3["carry_fwd"]["np"] += 1
    rep.t3["new"]["np"] += 1
    rep.t3["new"]["tot"] += 1
    result = _audit(run_cli, write_report, rep, "tabs")
    fails = [f for f in result["findings"] if f["rule"] == "T3-BALANCE" and f["status"] == "fail"]
    assert not [f for f in fails if f["column"] == "tot"]
    assert any(f["rule"] == "T3-BALANCE" and f["status"] == "uncertain" for f in result["findings"])


@pytest.mark.parametrize("layout", ["cells", "spaces", "tabs"])
def test_page_numbers_and_running_headers_inside_a_table_are_ignored(run_cli, write_report, layout):
    rep = make_report("2021", seed=11)
    text = render(rep, layout)
    label = "5.属于三类内部事务信息"
    page_break = f"\n- 3 -\n{rep.agency}{rep.year}年政府信息公开工作年度报告\n第 4 页 共 6 页\n"
    cut = text.index(label)
    broken = text[:cut] + page_break.lstrip("\n") + text[cut:]
    code, out = run_cli("check", write_report(broken), "--format", "json", "--fail-on", "never")
    got = json.loads(out)
    t3 = got["tables"]["t3"]
    for row_id, cols in rep.t3.items():
        assert t3["values"][t3["rows"].index(row_id)] == [cols[c] for c in t3["columns"]], row_id
    assert got["findings"] == []
