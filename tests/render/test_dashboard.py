"""The batch dashboard (index.html) and findings.xlsx, from audits of generated reports."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

import auditor
from auditor.engine import load_catalogue
from auditor.render.csv_out import COLUMNS, csv_rows, finding_rows, render_csv
from auditor.render.dashboard import render_index, report_row
from auditor.render.xlsx_out import FindingsWorkbook
from tests.support.reportgen import make_report, render

EVIL = "=1+2<script>alert(1)</script>局"
PARTS_MISMATCH = "网站全年累计发布信息 2139 条，其中动态类信息 1744 条，政务信息 393 条，解读类信息 21 条，回应关注 2 条。"


def _clean():
    rep = make_report("2021", seed=1)
    rep.agency = "甲市教育局"
    return rep


def _wrong_balance():
    rep = make_report("2019", seed=2)
    rep.agency = "乙市民政局"
    rep.t3["carried"]["np"] += 1
    return rep


def _warning_only():
    rep = make_report("2021", seed=4)
    rep.agency = "丙区财政局"
    rep.extra_s1.append(PARTS_MISMATCH)
    return rep


def _evil_with_missing_row():
    rep = make_report("2021", seed=3)
    rep.agency = EVIL
    rep.drop_t3_rows = {"carried"}  # an error, and T3-BALANCE cannot be assessed
    return rep


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    made = {"clean": _clean(), "bad": _wrong_balance(), "warn": _warning_only(), "evil": _evil_with_missing_row()}
    for name, rep in made.items():
        (folder / f"{name}.txt").write_text(render(rep), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    audited = {name: auditor.audit_file(folder / f"{name}.txt") for name in [*made, "empty"]}
    # Extraction takes only an organisation's name for the agency; the hostile name stands for
    # any report text the outputs show, so it is set on the audited report.
    audited["evil"].report.agency = EVIL
    # The scenario the assertions below rely on.
    assert audited["clean"].summary == {"error": 0, "warning": 0, "info": 0}
    assert audited["bad"].summary["error"] and audited["evil"].summary["error"]
    assert not audited["warn"].summary["error"] and audited["warn"].summary["warning"]
    assert any(f.status == "uncertain" for f in audited["evil"].findings)
    assert audited["empty"].error
    return audited


def _rows(results, baseline=None):
    return [report_row(r, f"{name}.html", (baseline or {}).get(name)) for name, r in results.items()]


def _card(page: str, key: str) -> int:
    found = re.search(rf'data-count="{key}"><b>(\d+)</b>', page)
    assert found, key
    return int(found.group(1))


# ---------------------------------------------------------------- rows


def test_report_row_counts_come_from_the_result(results):
    bad = report_row(results["bad"], "bad.html")
    failing = Counter(f.rule for f in results["bad"].findings if f.status == "fail" and f.explained_by is None)
    assert (bad.agency, bad.year, bad.template, bad.format) == ("乙市民政局", 2019, "2019", results["bad"].format)
    assert (bad.errors, bad.warnings, bad.infos) == tuple(results["bad"].summary.values())
    # the wrong 上年结转 cell is pinpointed; the identities it explains are counted under it
    assert bad.rule_counts == dict(failing) and "T3-PINPOINT" in bad.rule_counts
    assert "T3-BALANCE" not in bad.rule_counts and any(f.rule == "T3-BALANCE" for f in results["bad"].findings)
    assert bad.main_rule == "T3-PINPOINT" and "填的是" in bad.main_problem
    evil = report_row(results["evil"], None)
    assert evil.uncertain == sum(f.status == "uncertain" for f in results["evil"].findings) > 0
    assert evil.rule_counts.get("T3-BALANCE") is None  # uncertain findings are not failures
    empty = report_row(results["empty"], "empty.html")
    assert empty.unreadable == results["empty"].error and empty.agency is None and empty.rule_counts == {}
    assert (empty.new, empty.still, empty.fixed) == (None, None, None)


def test_report_row_takes_the_baseline_counts(results):
    row = report_row(results["bad"], "bad.html", {"new": 1, "still": 2, "fixed": 3})
    assert (row.new, row.still, row.fixed) == (1, 2, 3)


# ---------------------------------------------------------------- index.html


def test_index_lists_every_report_with_a_link_to_its_page(results):
    page = render_index(_rows(results), generated="2024-03-01 09:00")
    for name, result in results.items():
        assert f'href="{name}.html"' in page
        if result.report is not None:
            assert str(escape(result.report.agency)) in page
    assert "2024-03-01 09:00" in page
    assert page.index('id="summary"') < page.index('id="charts"') < page.index('id="report-table"')


def test_summary_cards_count_reports_by_outcome(results):
    page = render_index(_rows(results))
    assert _card(page, "total") == 5
    assert _card(page, "with_errors") == 2  # bad, evil
    assert _card(page, "warnings_only") == 1  # warn
    assert _card(page, "clean") == 1
    assert _card(page, "unreadable") == 1


def test_charts_show_totals_per_severity_and_per_rule_with_titles(results):
    page = render_index(_rows(results), rule_titles={rule.id: rule.title for rule in load_catalogue()})
    chart = page[page.index('id="charts"') : page.index('id="reports"')]
    errors = sum(r.summary["error"] for r in results.values())
    assert re.search(rf"错误</span>\s*<span class=\"bar-track\"><span class=\"bar bar-error\"[^>]*></span></span>\s*<b class=\"bar-count\">{errors}</b>", chart)
    titles = {rule.id: rule.title for rule in load_catalogue()}
    failing = Counter(f.rule for r in results.values() for f in r.findings
                      if f.status == "fail" and f.explained_by is None)
    for rule, n in failing.items():
        item = re.search(rf"<code>{rule}</code></a>(.*?)</li>", chart, re.S)
        assert item, rule
        assert str(escape(titles[rule])) in item.group(1) and f'<b class="bar-count">{n}</b>' in item.group(1)


def test_unreadable_file_shows_its_reason(results):
    page = render_index(_rows(results))
    row = re.search(r'<tr class="unreadable"[^>]*>(.*?)</tr>', page, re.S)
    assert row and 'href="empty.html"' in row.group(1)
    assert str(escape(results["empty"].error)) in row.group(1)


def test_report_text_and_links_are_escaped(results):
    rows = _rows(results)
    rows[0].link = "javascript:alert(1)"
    rows[1].link = "子目录/a b#1.html"
    page = render_index(rows, title="<b>批次</b>")
    assert "<script>alert" not in page and "<b>批次</b>" not in page
    assert "=1+2&lt;script&gt;alert(1)&lt;/script&gt;局" in page
    assert 'href="javascript:' not in page and 'href="javascript%3Aalert%281%29"' in page
    assert 'href="%E5%AD%90%E7%9B%AE%E5%BD%95/a%20b%231.html"' in page


def test_page_is_self_contained_and_readable_without_script(results):
    page = render_index(_rows(results))
    assert "http://" not in page and "https://" not in page and "@font-face" not in page
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", page)
    assert page.count("<script>") == 1
    # Without JS the controls stay hidden and every row is in the table, unsorted and unfiltered.
    assert re.search(r'<div class="controls" id="controls" hidden>', page)
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert body.count("<tr") == len(results)
    assert "只看有错误的" in page and 'id="filter"' in page


def test_rows_carry_what_the_filter_and_sort_need(results):
    page = render_index(_rows(results))
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    flags = {name: bad for bad, name in re.findall(r'data-bad="(\d)">\s*<td><a href="(\w+)\.html"', body)}
    assert flags == {"clean": "0", "bad": "1", "warn": "0", "evil": "1", "empty": "1"}
    assert f'data-v="{results["bad"].summary["error"]}"' in body


def test_baseline_is_shown_only_when_given(results):
    plain = render_index(_rows(results))
    assert "新出现" not in plain and 'id="baseline"' not in plain
    per_report = {name: {"new": 1, "still": 0, "fixed": 0} for name in results}
    summary = {"new": 5, "still": 3, "fixed": 2, "baseline": "上次/findings.json"}
    page = render_index(_rows(results, per_report), baseline_summary=summary)
    assert (_card(page, "new"), _card(page, "still"), _card(page, "fixed")) == (5, 3, 2)
    assert "上次/findings.json" in page and "已修复" in page and "仍存在" in page
    assert "<th scope=\"col\" data-type=\"num\">新出现</th>" in page


# ---------------------------------------------------------------- findings.xlsx


@pytest.fixture(scope="module")
def workbook(results, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "findings.xlsx"
    book = FindingsWorkbook(path)
    for result in results.values():
        book.add(result)
    book.close()
    return openpyxl.load_workbook(path)


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_findings_sheet_matches_the_csv_rows(results, workbook):
    assert workbook.sheetnames == ["审查意见", "报告"]
    sheet = workbook["审查意见"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "文件 file" and header[-1] == "位置 location"
    assert [h.split(" ")[1] for h in header] == COLUMNS + ["location"]
    expected = []
    for result in results.values():
        locations = [""] if result.error else [f.location for f in result.findings]
        expected += [[v if v != "" else None for v in [*row, loc]] for row, loc in zip(finding_rows(result), locations)]
    assert _values(sheet) == expected
    assert len(expected) == sum(max(len(r.findings), 1 if r.error else 0) for r in results.values())


def test_report_text_that_a_spreadsheet_would_run_is_plain_text_in_the_csv(results, workbook):
    """The agency "=1+2<script>…" comes from the report: in findings.csv it gets a leading
    apostrophe (Excel and WPS then show it as text); the XLSX keeps it as typed text; numbers
    and ordinary text are left alone."""
    evil = [row for row in csv_rows(results["evil"])]
    assert evil and all(row[1] == "'" + EVIL for row in evil)
    assert all(row[1] == EVIL for row in finding_rows(results["evil"]))
    assert f"'{EVIL}" in render_csv([results["evil"]])
    bad = next(row for row in csv_rows(results["bad"]) if row[3] == "T3-BALANCE")
    assert bad[1] == "乙市民政局" and isinstance(bad[12], int) and isinstance(bad[13], int)
    agencies = {c.value for c in workbook["审查意见"]["B"]}
    assert EVIL in agencies and "'" + EVIL not in agencies


def test_findings_sheet_types_and_layout(results, workbook):
    sheet = workbook["审查意见"]
    col = {c.value.split(" ")[1]: c.column for c in sheet[1]}
    data = list(sheet.iter_rows(min_row=2))
    lines = [r[col["line"] - 1] for r in data if r[col["line"] - 1].value is not None]
    assert lines and all(c.data_type == "n" and isinstance(c.value, int) for c in lines)
    years = [r[col["year"] - 1].value for r in data if r[col["year"] - 1].value is not None]
    assert years and all(isinstance(y, int) for y in years)
    evil = [r[col["agency"] - 1] for r in data if r[col["agency"] - 1].value == EVIL]
    assert evil and all(c.data_type == "s" for c in evil)  # "=1+2…" stays text, not a formula
    error_row = [r for r in data if r[col["rule"] - 1].value == "INPUT-ERROR"]
    assert len(error_row) == 1 and error_row[0][col["message"] - 1].value == results["empty"].error
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{len(data) + 1}"  # 18 columns: COLUMNS and 位置
    assert sheet.column_dimensions["G"].width > sheet.column_dimensions["C"].width  # message is wide


def test_report_sheet_has_one_row_per_report(results, workbook):
    sheet = workbook["报告"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["文件 file", "机关 agency"]
    rows = {r[0]: dict(zip([h.split(" ")[1] for h in header], r)) for r in _values(sheet)}
    assert set(rows) == {r.path for r in results.values()}
    bad = rows[results["bad"].path]
    assert (bad["agency"], bad["year"], bad["errors"], bad["warnings"]) == ("乙市民政局", 2019, results["bad"].summary["error"], 0)
    assert isinstance(bad["errors"], int) and bad["template"] == "2019 年格式"
    empty = rows[results["empty"].path]
    assert empty["unreadable"] == results["empty"].error and empty["errors"] is None
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:J{len(rows) + 1}"


def test_findings_added_later_for_a_file_keep_one_report_row(results, tmp_path):
    bad = results["bad"]
    late = replace(bad, findings=bad.findings[:1])  # as a batch adds year-over-year findings at the end
    path = tmp_path / "late.xlsx"
    book = FindingsWorkbook(path)
    for result in (bad, results["clean"], late):
        book.add(result)
    book.close()
    read = openpyxl.load_workbook(path)
    assert len(_values(read["审查意见"])) == len(bad.findings) + 1
    reports = _values(read["报告"])
    assert [r[0] for r in reports] == [bad.path, results["clean"].path]
    assert reports[0][5] == bad.summary["error"] + late.summary["error"]


_ROW_TAGS = {"tr", "td", "a", "span", "code", "br"}
_HOSTILE = ["<b>", "<script>", "</td>", "&amp;", "&#60;", '"', "'", "=", "<"]
_REPORT_TEXT = st.lists(st.one_of(st.sampled_from(_HOSTILE), st.text(max_size=3)), max_size=4).map("".join)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_REPORT_TEXT, min_size=7, max_size=7),
       unreadable=st.booleans(), numbers=st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=3, max_size=3))
def test_any_report_text_in_a_table_line_stays_text(texts, unreadable, numbers):
    """Whatever a report's name, agency, level, problem or reason holds, the table line shows it
    as text: the line has the same cells and no element the page did not write."""
    from html.parser import HTMLParser

    from auditor.indicators import INDICATORS
    from auditor.render.dashboard import ReportRow

    path, agency, level, parent, problem, reason, link = texts
    row = ReportRow(path="d/" + path.replace("/", "").replace("\\", ""), link=link or None, agency=agency or None, year=numbers[0], format="txt",
                    template="2021", errors=1, rule_counts={"T3-BALANCE": 1}, main_problem=problem or None,
                    main_rule="T3-BALANCE", rules=("T3-BALANCE",), level=level or None, parent=parent or None,
                    unreadable=(reason or "原因") if unreadable else None, new=numbers[1], rank=numbers[2] or 1,
                    indicators={i.id: 0.5 for i in INDICATORS})
    page = render_index([row], baseline_summary={"new": 1})
    line = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags, self.text = Counter(), []

        def handle_starttag(self, tag, attrs):
            self.tags[tag] += 1
            self.text += [value or "" for _, value in attrs]

        def handle_data(self, data):
            self.text.append(data)

    parsed = Tags()
    parsed.feed(line)
    assert set(parsed.tags) <= _ROW_TAGS and parsed.tags["tr"] == 1
    assert parsed.tags["td"] == 9 + 1 + len(INDICATORS) + 1  # and 新出现, the indicators, the rank
    shown = "".join(parsed.text)
    for text in (path.replace("/", "").replace("\\", ""), agency, level, parent, problem, reason if unreadable else ""):
        assert text.replace("\r", "\n") in shown.replace("\r", "\n")  # HTML reads a lone CR as a line break
