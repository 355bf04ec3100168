"""One passing and one failing case per rule, on generated reports in every text layout."""
from __future__ import annotations

import json

import pytest

from auditor.engine import load_catalogue
from reportgen import LAYOUTS, make_report, render


def _balance_broken(rep):
    rep.t3["carried"]["np"] += 1
    rep.t3["carried"]["tot"] += 1  # rows still add up; only 勾稽 is off


def _outcome_broken(rep):
    rep.t3["handled_total"]["np"] += 2
    rep.t3["handled_total"]["tot"] += 2
    rep.t3["new"]["np"] += 2
    rep.t3["new"]["tot"] += 2  # 勾稽 holds, outcome rows no longer add up


def _row_total_broken(rep):
    rep.t3["deny_4"]["tot"] += 1
    rep.t3["handled_total"]["tot"] += 1
    rep.t3["new"]["tot"] += 1


def _t4_broken(rep):
    rep.t4["review"]["total"] += 3


def _drop_section_5(rep):
    rep.drop_sections.add("s5")


def _drop_t4(rep):
    rep.drop_t4 = True


def _drop_rows(rep):
    rep.drop_t3_rows.update({"deny_7", "deny_8"})


def _wrong_format(rep):
    rep.year = 2022  # 2019-format tables in a 2022 report


def _title_year(rep):
    rep.title_year = rep.year - 1


def _period_year(rep):
    rep.period_year = rep.year - 1


def _stale_body_year(rep):
    rep.extra_s1.append(f"二是做好政务微博发布工作，{rep.year - 1} 年度共发布政务微博 150 条，微博答复 16 条。")


def _legit_years(rep):
    y = rep.year
    rep.extra_s1.extend([
        f"全年办理申请较{y - 1}年增长 15%，其中上年结转申请已全部办结。",
        f"按照《{y - 1}年政务公开工作要点》（银兴政办〔{y - 1}〕59 号）要求推进工作。",
        f"自{y - 5}年以来，累计公开信息 3000 余条。",
    ])


def _parts_wrong(rep):
    rep.extra_s1.append("全年共受理政府信息公开申请 10 件，其中自然人申请 7 件，法人或其他组织申请 2 件。")


def _parts_right(rep):
    rep.extra_s1.append("全年共受理政府信息公开申请 10 件，其中自然人申请 8 件，法人或其他组织申请 2 件。")
    rep.extra_s1.append("全年发布信息 393 件，其中包括：行政规范性文件 13 件，规划计划文件 2 件。")


# rule id -> (template, how to break it, how to keep it passing beyond the clean report)
CASES = {
    "T3-BALANCE": ("2021", _balance_broken, None),
    "T3-OUTCOME-SUM": ("2019", _outcome_broken, None),
    "T3-ROW-TOTAL": ("2021", _row_total_broken, None),
    "T4-BLOCK-TOTAL": ("2019", _t4_broken, None),
    "STRUCT-SECTIONS": ("2021", _drop_section_5, None),
    "STRUCT-TABLES": ("2021", _drop_t4, None),
    "STRUCT-ROWS": ("2021", _drop_rows, None),
    "STRUCT-FORMAT-YEAR": ("2019", _wrong_format, None),
    "YEAR-TITLE": ("2021", _title_year, None),
    "YEAR-PERIOD": ("2019", _period_year, None),
    "YEAR-BODY": ("2019", _stale_body_year, _legit_years),
    "NARR-PARTS-SUM": ("2021", _parts_wrong, _parts_right),
}


# Rules that text cannot trigger, with the test that holds their passing and failing cases.
CASES_ELSEWHERE = {
    "READ-UNREAD-PAGES": "test_reader_pdf.py: test_picture_page_inside_a_text_pdf_is_a_finding (fails), "
                         "test_pdf_reads_like_the_text_of_the_same_report (passes)",
    # Year-over-year rules need two reports of one agency in a batch.
    "XYEAR-CARRY-OVER": "test_batch.py: test_hongze_pair_passes_carry_over_and_a_changed_cell_fails_on_its_column",
    "XYEAR-VALID-DOCS": "test_batch.py: test_valid_documents_chain_over_years",
    "XYEAR-COPIED-TEXT": "test_batch.py: test_copied_text_between_consecutive_years_is_a_warning (fails), "
                         "test_hongze_pair_passes_carry_over_and_a_changed_cell_fails_on_its_column (passes)",
}


def test_every_rule_has_cases():
    assert set(CASES) | set(CASES_ELSEWHERE) == {r.id for r in load_catalogue()}
    assert not set(CASES) & set(CASES_ELSEWHERE)


def _audit(run_cli, write_report, rep, layout):
    code, out = run_cli("check", write_report(render(rep, layout)), "--format", "json", "--fail-on", "never")
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_and_fails(run_cli, write_report, rule_id, layout):
    template, breaks, keeps = CASES[rule_id]
    good = make_report(template, seed=7)
    if keeps:
        keeps(good)
    result = _audit(run_cli, write_report, good, layout)
    assert result["findings"] == [], [f["message"] for f in result["findings"]]

    bad = make_report(template, seed=7)
    breaks(bad)
    result = _audit(run_cli, write_report, bad, layout)
    hits = [f for f in result["findings"] if f["rule"] == rule_id and f["status"] == "fail"]
    assert hits, [f["message"] for f in result["findings"]]
    assert all(f["message"] and f["severity"] in ("error", "warning") for f in hits)


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
