"""Report pages a reader acts on: the cell to fix stands out with its value printed in it, a
problem a pinpoint explains is counted once, every quoted value says what it is, A4 print."""
from __future__ import annotations

import json
import re

from tests.support.paths import REAL
from tests.support.reportgen import make_report, render

HZ_2023 = REAL / "洪泽区人民政府-2023.layout.txt"


def _report_with_wrong_cell(tmp_path, delta=3):
    rep = make_report("2021", seed=11)
    rep.t3["deny_4"]["np"] += delta  # one cell wrong: its row total and its column fail
    path = tmp_path / "report.txt"
    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return path, rep.t3["deny_4"]["np"]


def _cell(page: str, cell_id: str) -> re.Match:
    cell = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', page, re.S)
    assert cell, cell_id
    return cell


def _json(run_cli, path) -> dict:
    code, out = run_cli("check", path, "--format", "json", "--fail-on", "never")
    return json.loads(out.strip().splitlines()[-1])


def test_pinpointed_cell_is_drawn_apart_with_its_value_printed_and_linked(run_cli, tmp_path):
    src, printed = _report_with_wrong_cell(tmp_path)
    run_cli("check", src, "-o", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    fixed = _cell(page, "c-t3-deny_4-np")
    assert "cell-fix" in fixed.group(0)
    assert f"应为 {printed - 3}" in fixed.group(1)  # printed in the cell, not only in a title
    link = re.search(r'href="#(f-[0-9a-f]+)"', fixed.group(1)).group(1)
    target = re.search(rf'<article[^>]*id="{link}"[^>]*>.*?</article>', page, re.S).group(0)
    assert "T3-PINPOINT" in target
    # the other cells of the failing row and column are drawn as the line, not as the fix
    same_row = _cell(page, "c-t3-deny_4-tot")
    same_col = _cell(page, "c-t3-handled_total-np")
    for other in (same_row, same_col):
        assert "cell-line" in other.group(0) and "cell-fix" not in other.group(0)
        assert "应为" not in other.group(1)


def test_a_problem_a_pinpoint_explains_is_counted_once(run_cli, tmp_path):
    src, _ = _report_with_wrong_cell(tmp_path)
    data = _json(run_cli, src)
    pin = [f for f in data["findings"] if f["rule"] == "T3-PINPOINT"]
    assert len(pin) == 1 and pin[0]["explained_by"] is None
    explained = [f for f in data["findings"] if f["explained_by"]]
    # the JSON keeps every rule hit: the row total and the column identities, marked
    assert {f["rule"] for f in explained} >= {"T3-ROW-TOTAL", "T3-OUTCOME-SUM"}
    assert all(f["explained_by"] == pin[0]["fingerprint"] for f in explained)
    assert data["summary"]["error"] == 1 and data["summary"]["explained"] == len(explained)
    code, _ = run_cli("check", src, "-o", tmp_path / "r.html")
    assert code == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="count count-error"><b>1</b>错误</div>', page)
    # the identities are listed under the pinpoint, not as findings of their own
    article = re.search(r'<article[^>]*>(?:(?!</article>).)*T3-PINPOINT.*?</article>', page, re.S).group(0)
    for f in explained:
        assert f'id="f-{f["fingerprint"]}"' in article
    assert page.count("<article") == sum(1 for f in data["findings"] if not f["explained_by"])
    # text output counts one problem too
    _, text = run_cli("check", src)
    assert "错误 1 ·" in text
    # and the CSV names the pinpoint each explained row is counted under
    run_cli("check", src, "--format", "csv", "-o", tmp_path / "f.csv")
    import csv
    with open(tmp_path / "f.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["fingerprint"] for r in rows if r["explained_by"]} == {f["fingerprint"] for f in explained}
    assert {r["explained_by"] for r in rows if r["explained_by"]} == {pin[0]["fingerprint"]}


def test_identities_without_a_pinpoint_still_count(run_cli, tmp_path):
    src, _ = _report_with_wrong_cell(tmp_path)
    code, out = run_cli("check", src, "--format", "json", "--ignore", "T3-PINPOINT", "--fail-on", "never")
    data = json.loads(out.strip().splitlines()[-1])
    assert all(f["explained_by"] is None for f in data["findings"])
    assert data["summary"]["error"] >= 2 and data["summary"]["explained"] == 0


def test_quoted_values_say_what_they_are(run_cli, tmp_path):
    out = tmp_path / "hz.html"
    run_cli("check", HZ_2023, "-o", out)
    page = out.read_text(encoding="utf-8")
    values = re.findall(r'<p class="values">(.*?)</p>', page, re.S)
    assert values
    for v in values:
        for label in re.findall(r"<span>(.*?)：<b>", v):
            assert label not in ("应为", "实为")  # never a bare number
    assert "表四“行政复议”栏“总计”报告填写：<b>0</b>" in page
    assert "表四“行政复议”栏“总计”应为：<b>11</b>" in page
    assert "“复议后起诉”栏“总计”：<b>0</b>" in page
    assert "“复议后起诉”栏结果维持、结果纠正、其他结果、尚未审结之和：<b>5</b>" in page


def test_print_css_keeps_tables_on_an_a4_page(run_cli, tmp_path):
    out = tmp_path / "hz.html"
    run_cli("check", HZ_2023, "-o", out)
    page = out.read_text(encoding="utf-8")
    css = page[page.index("<style>"):page.index("</style>")]
    assert re.search(r"@page\s*\{\s*size:\s*A4", css)
    printed = css[css.index("@media print"):]
    assert "table-layout: fixed" in printed and "width: calc(100% - 2px)" in printed
    assert "break-inside: avoid" in printed
    assert "overflow: visible" in printed  # no scroll box cuts the table's right border


def test_a_narrative_findings_numbers_are_the_texts_and_the_tables(run_cli, tmp_path):
    out = tmp_path / "hz24.html"
    run_cli("check", REAL / "洪泽区人民政府-2024.layout.txt", "-o", out)
    page = out.read_text(encoding="utf-8")
    assert "<span>正文所写：<b>17</b></span>" in page
    assert "<span>表三“一、本年新收政府信息公开申请数量”行“总计”列为：<b>95</b></span>" in page


def test_a_sentence_saying_all_were_upheld_shows_the_tables_number_as_the_tables(run_cli, tmp_path):
    rep = make_report("2019", seed=2)
    claim = "全年发生政府信息公开行政复议案件 20 件，均获维持。\n"
    src = tmp_path / "upheld.txt"
    src.write_text(render(rep, "tabs").replace("二、主动公开政府信息情况", claim + "二、主动公开政府信息情况", 1),
                   encoding="utf-8")
    run_cli("check", src, "-o", tmp_path / "upheld.html", "--fail-on", "never")
    page = (tmp_path / "upheld.html").read_text(encoding="utf-8")
    values = re.findall(r'<p class="values"><span>([^<]*)：<b>([^<]*)</b></span><span>([^<]*)：<b>([^<]*)</b>', page)
    upheld = [v for v in values if v[2] == "按正文所写应为"]
    assert upheld and upheld[0][0].startswith("表四“行政复议”行") and upheld[0][3] == "0", values
    assert "正文所写：" not in page.split("均获维持")[-1]  # the table's number is not called the text's


def test_a_copied_reports_share_is_named_as_a_share(run_cli, tmp_path):
    before = HZ_2023.read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hz-2023.txt").write_text(before, encoding="utf-8")
    (tmp_path / "in" / "hz-2024.txt").write_text(before.replace("2023", "2024").replace("2022", "2023"),
                                                 encoding="utf-8")
    run_cli("check", tmp_path / "in", "-o", tmp_path / "out", "--fail-on", "never")
    page = (tmp_path / "out" / "hz-2024.html").read_text(encoding="utf-8")
    assert "XYEAR-COPIED-TEXT" in page
    assert re.search(r"<span>本年正文与上一年重复的比例：<b>[01](\.\d+)?</b></span><span>提示的界限：<b>0\.5</b>", page)
