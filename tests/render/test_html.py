"""The HTML report: self-contained, escaped, summary first, failing cells marked and linked."""
from __future__ import annotations

import re

from tests.support.paths import EXAMPLES, REAL
from tests.support.reportgen import make_report, render

HZ_2023 = REAL / "洪泽区人民政府-2023.layout.txt"
SEED_000 = EXAMPLES / "兴庆区民政局-2019-seed000.txt"


def _page(run_cli, src, tmp_path):
    out = tmp_path / "r.html"
    code, _ = run_cli("check", src, "-o", out)
    return code, out.read_text(encoding="utf-8")


def test_page_is_self_contained_and_printable(run_cli, tmp_path):
    code, page = _page(run_cli, HZ_2023, tmp_path)
    assert code == 1
    assert not re.search(r"<(link|script)\b[^>]*(src|href)=", page)
    assert "http://" not in page and "https://" not in page and "@font-face" not in page
    assert "size: A4" in page


def test_summary_comes_before_findings_and_tables(run_cli, tmp_path):
    _, page = _page(run_cli, HZ_2023, tmp_path)
    agency, findings, t3 = page.index("洪泽区人民政府"), page.index("审查发现"), page.index("表三")
    assert agency < findings < t3
    assert "2021 年格式" in page


def test_failing_cell_is_marked_and_links_to_its_finding(run_cli, tmp_path):
    _, page = _page(run_cli, HZ_2023, tmp_path)
    cell = re.search(r'<td[^>]*id="c-t4-review-total"[^>]*>(.*?)</td>', page, re.S)
    assert cell and "cell-fix" in cell.group(0)  # pinpointed: the cell to correct, 0 → 11
    assert "应为 11" in cell.group(1)
    link = re.search(r'href="#(f-[0-9a-f]+)', cell.group(1))
    assert link and f'id="{link.group(1)}"' in page


def test_missing_rows_and_stale_year_sentence_are_shown(run_cli, tmp_path):
    _, page = _page(run_cli, SEED_000, tmp_path)
    assert "报告中缺少此行" in page
    assert "<mark>2018</mark>" in page


def test_report_text_is_escaped(run_cli, write_report, tmp_path):
    rep = make_report("2021", seed=5)
    rep.agency = "<script>alert(1)</script>局"
    rep.extra_s1.append(f"<img src=x onerror=alert(2)>{rep.year - 1}年度共发布信息 5 条。")
    code, page = _page(run_cli, write_report(render(rep)), tmp_path)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unreadable_file_page_says_why(run_cli, write_report, tmp_path):
    code, page = _page(run_cli, write_report("只有一行字，不是年报。"), tmp_path)
    assert code == 2
    assert "未识别为政府信息公开工作年度报告" in page
