"""A supervising office's January review, end to end through the command line: a roster of
generated units over two years with a late unit, a missing unit, a duplicate, a copied report,
a 汇总 parent whose children do not add up, and a filled-in 整改清单 read back into the
suppression file the next run uses."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest

from tests.support.reportgen import make_report, render

ROSTER = ("单位,层级,上级,发布日期,汇总\n"
          "乙县人民政府,县级政府,,2025-03-25,是\n"
          "乙县民政局,部门,乙县人民政府,2025-01-22,否\n"
          "乙县教育局,部门,乙县人民政府,2025-02-10,否\n"
          "乙县水利局,部门,乙县人民政府,,否\n"
          "乙县财政局,部门,,,否\n")
UNITS = {"乙县人民政府": 1, "乙县民政局": 2, "乙县教育局": 3, "乙县水利局": 4}


def _years_moved_on(text: str) -> str:
    """Last year's text with every year one later: a report copied and only its years changed."""
    for y in (2024, 2023, 2022):
        text = text.replace(str(y), f"<{y + 1}>")
    return text.replace("<", "").replace(">", "")


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    from click.testing import CliRunner

    from auditor.cli import main

    root = tmp_path_factory.mktemp("office")
    src = root / "reports"
    src.mkdir()
    for unit, seed in UNITS.items():
        for year in (2023, 2024):
            rep = make_report("2021", year=year, seed=seed * 100 + year, rich=True, agency=unit)
            (src / f"{unit}-{year}.txt").write_text(render(rep, "tabs"), encoding="utf-8")
    copied = _years_moved_on((src / "乙县水利局-2023.txt").read_text(encoding="utf-8"))
    (src / "乙县水利局-2024.txt").write_text(copied, encoding="utf-8")
    second = (src / "乙县民政局-2024.txt").read_text(encoding="utf-8").replace("认真贯彻落实", "全面贯彻落实", 1)
    (src / "乙县民政局-2024（更正版）.txt").write_text(second, encoding="utf-8")
    (root / "units.csv").write_bytes(ROSTER.encode("gbk"))  # as Excel saves it on a Chinese Windows
    out = root / "out"
    result = CliRunner().invoke(main, ["check", str(src), "-o", str(out), "--format", "html", "--format", "json",
                                       "--roster", str(root / "units.csv"), "--fixlist", "--jobs", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return root, out, result.output


def _findings(out: Path) -> dict[str, list[dict]]:
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(r["source"]["path"]).name: r["findings"] for r in map(json.loads, lines)}


def _batch(out: Path) -> list[dict]:
    return json.loads((out / "batch.json").read_text(encoding="utf-8"))["findings"]


def test_the_unit_without_a_report_is_named(review):
    _, out, printed = review
    missing = [f for f in _batch(out) if f["rule"] == "BATCH-ROSTER-MISSING"]
    assert [(f["unit"], f["year"]) for f in missing] == [("乙县财政局", 2024)]
    assert "名册第 6 行的单位“乙县财政局”" in missing[0]["message"] and "乙县财政局" in printed


def test_two_versions_of_one_unit_and_year(review):
    _, out, _ = review
    dup = [f for f in _batch(out) if f["rule"] == "BATCH-DUP-UNIT-YEAR"]
    assert len(dup) == 1 and dup[0]["unit"] == "乙县民政局" and dup[0]["year"] == 2024
    assert "内容不同（不同版本）" in dup[0]["message"] and len(dup[0]["files"]) == 2


def test_the_late_unit_and_only_it(review):
    _, out, _ = review
    late = {name: [f for f in found if f["rule"] == "PUB-DEADLINE"] for name, found in _findings(out).items()}
    assert {name for name, found in late.items() if found} == {"乙县教育局-2024.txt"}
    (f,) = late["乙县教育局-2024.txt"]
    assert f["severity"] == "error" and "名册第 4 行的发布日期为 2025年2月10日" in f["message"] and "晚了 10 天" in f["message"]


def test_the_copied_report_and_only_it(review):
    _, out, _ = review
    copied = {name: [f for f in found if f["rule"] == "XYEAR-COPIED-TEXT"] for name, found in _findings(out).items()}
    assert {name for name, found in copied.items() if found} == {"乙县水利局-2024.txt"}
    (f,) = copied["乙县水利局-2024.txt"]
    assert f["actual"] >= 0.5 and "重复率约为 100%" in f["message"]
    assert f["evidence"] and all(e["share"] >= 0.5 for e in f["evidence"])  # shown side by side
    page = (out / "乙县水利局-2024.html").read_text(encoding="utf-8")
    assert 'class="side-by-side"' in page and f["evidence"][0]["last_year"].split("，")[0] in page


def test_the_rollup_parent_does_not_add_up(review):
    _, out, _ = review
    rollup = [f for f in _batch(out) if f["rule"] == "ROLLUP-SUM" and f["year"] == 2024]
    assert len(rollup) == 1 and rollup[0]["status"] == "fail" and rollup[0]["severity"] == "info"
    assert "乙县民政局、乙县教育局、乙县水利局" in rollup[0]["message"]


def test_the_dashboard_puts_roster_findings_first_and_filters_by_level_and_parent(review):
    _, out, _ = review
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.index('id="roster"') < page.index('id="charts"') < page.index('id="reports"')
    assert '<select id="level">' in page and '<option value="部门">' in page and '<option value="乙县人民政府">' in page
    assert '<select id="family">' in page and '<option value="PUB">' in page
    body = page[page.index("<tbody>", page.index('id="report-table"')):page.index("</tbody>", page.index('id="report-table"'))]
    cells = [re.findall(r'<td class="num[^"]*" data-v="([^"]*)"', row) for row in body.split("<tr")[1:]]
    errors = [(int(c[1]), int(c[2])) for c in cells]  # year, errors, warnings, ...
    assert errors == sorted(errors, reverse=True)  # worst first
    assert "附：指标定义" in page and "不排名次" in page  # 9 reports: no ranks


def test_indicators_in_the_csv_and_the_workbook(review):
    _, out, _ = review
    rows = list(csv.DictReader((out / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 9 and all(r["实质公开率位次"] == "" for r in rows)
    now = next(r for r in rows if r["file"].endswith("乙县教育局-2024.txt"))
    before = next(r for r in rows if r["file"].endswith("乙县教育局-2023.txt"))
    assert float(now["实质公开率较上年（百分点）"]) == pytest.approx(float(now["实质公开率"]) - float(before["实质公开率"]), abs=0.11)
    book = openpyxl.load_workbook(out / "findings.xlsx", read_only=True)
    assert {"指标", "指标说明", "名册核对"} <= set(book.sheetnames)
    sheet = [r for r in book["名册核对"].iter_rows(values_only=True)]
    assert {r[0] for r in sheet[1:]} >= {"BATCH-ROSTER-MISSING", "BATCH-DUP-UNIT-YEAR", "ROLLUP-SUM"}


def test_a_filled_in_fix_list_comes_back_as_suppressions(review, tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    root, out, _ = review
    lists = sorted((out / "整改清单").glob("*.xlsx"))
    assert any(p.name == "乙县教育局-2024.xlsx" for p in lists) and (out / "整改清单" / "乙县教育局-2024.html").exists()
    book = openpyxl.load_workbook(out / "整改清单" / "乙县教育局-2024.xlsx")
    sheet = book["整改清单"]
    header = [c.value for c in sheet[5]]
    assert header == ["序号", "规则", "级别", "位置", "问题说明", "建议修改", "指纹", "整改情况", "复核结论", "复核意见"]
    late_row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(r, 2).value == "PUB-DEADLINE")
    sheet.cell(late_row, 8).value = "网站 1 月 28 日已发布，名册日期填错"
    sheet.cell(late_row, 9).value = "同意不改（豁免）"
    sheet.cell(late_row, 10).value = "经核对网站发布记录，按期发布"
    other = next(r for r in range(6, sheet.max_row + 1) if r != late_row and sheet.cell(r, 2).value)
    sheet.cell(other, 9).value = "已整改"  # corrected: stays a finding until the report changes
    filled = tmp_path / "乙县教育局-2024（已复核）.xlsx"
    book.save(filled)
    waived = tmp_path / "豁免.toml"
    result = CliRunner().invoke(main, ["review", "import", str(filled), "-o", str(waived), "--by", "李四"])
    assert result.exit_code == 0, result.output
    text = waived.read_text(encoding="utf-8")
    assert text.splitlines().count("[[suppress]]") == 1 and 'rule = "PUB-DEADLINE"' in text and 'by = "李四"' in text
    assert "经核对网站发布记录，按期发布（单位说明：网站 1 月 28 日已发布，名册日期填错）" in text
    again = CliRunner().invoke(main, ["review", "import", str(filled), "-o", str(waived)])
    assert again.exit_code == 0 and waived.read_text(encoding="utf-8").splitlines().count("[[suppress]]") == 1  # not twice
    # The next run remembers: the finding is shown as accepted, with the reason, and no longer counts.
    rerun = CliRunner().invoke(main, ["check", str(root / "reports" / "乙县教育局-2024.txt"), "--format", "json",
                                      "--roster", str(root / "units.csv"), "--suppressions", str(waived), "--fail-on", "never"])
    found = json.loads(rerun.output)["findings"]
    (late,) = [f for f in found if f["rule"] == "PUB-DEADLINE"]
    assert late["suppressed"]["reason"].startswith("经核对网站发布记录") and late["suppressed"]["by"] == "李四"


def test_a_fix_list_waiving_without_a_reason_is_refused(review, tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    _, out, _ = review
    book = openpyxl.load_workbook(out / "整改清单" / "乙县教育局-2024.xlsx")
    book["整改清单"].cell(6, 9).value = "同意不改（豁免）"
    filled = tmp_path / "no-reason.xlsx"
    book.save(filled)
    result = CliRunner().invoke(main, ["review", "import", str(filled), "-o", str(tmp_path / "x.toml")])
    assert result.exit_code == 2 and "第 6 行" in result.output and "复核意见”为空" in result.output
    assert not (tmp_path / "x.toml").exists()


def test_import_appends_to_an_existing_suppression_file_keeping_its_entries(review, tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main
    from auditor.suppressions import load_suppressions

    _, out, _ = review
    book = openpyxl.load_workbook(out / "整改清单" / "乙县教育局-2024.xlsx")
    sheet = book["整改清单"]
    sheet.cell(6, 9).value, sheet.cell(6, 10).value = "同意不改（豁免）", "以台账为准"
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    waived = tmp_path / "豁免.toml"
    waived.write_text('# 本办的豁免\n[[suppress]]\nfingerprint = "0a65f620b53e1d77"\nreason = "早先核实"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["review", "import", str(filled), "-o", str(waived)])
    assert result.exit_code == 0, result.output
    text = waived.read_text(encoding="utf-8")
    assert text.startswith("# 本办的豁免\n") and [e.reason for e in load_suppressions(waived).entries] == ["早先核实", "以台账为准"]
