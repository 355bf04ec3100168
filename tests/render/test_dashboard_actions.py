"""The batch pages a reader acts on: report pages link back to index.html; the dashboard has
a 主要问题 column, filters by rule and severity (lists without script, selects with it),
links to findings.xlsx/.csv, notes an agency and year submitted twice, and keeps input
sub-folders in page names."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.support.paths import EXAMPLES
from tests.support.reportgen import make_report, render


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("dash")
    src = root / "in"
    for folder in ("区县", "部门"):
        (src / folder).mkdir(parents=True)
    wrong = make_report("2021", year=2023, seed=31)
    wrong.agency = "甲县教育局"
    wrong.t3["deny_4"]["np"] += 2
    (src / "区县" / "报告.txt").write_text(render(wrong), encoding="utf-8")
    again = make_report("2021", year=2023, seed=32)
    again.agency = "甲县教育局"
    (src / "部门" / "报告.txt").write_text(render(again), encoding="utf-8")  # same name, same agency and year
    shutil.copy(EXAMPLES / "兴庆区民政局-2019-seed000.txt", src / "兴庆.txt")
    out = root / "out"
    from click.testing import CliRunner

    from auditor.cli import main

    result = CliRunner().invoke(main, ["check", str(src), "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return out


def _index(out):
    return (out / "index.html").read_text(encoding="utf-8")


def test_pages_keep_sub_folders_and_link_back_to_the_index(batch):
    assert {p.name for p in batch.glob("*.html")} == {"index.html", "区县_报告.html", "部门_报告.html", "兴庆.html"}
    for name in ("区县_报告.html", "兴庆.html"):
        page = (batch / name).read_text(encoding="utf-8")
        assert page.count('href="index.html"') == 2  # at the top and at the bottom


def test_main_problem_column(batch):
    index = _index(batch)
    assert "<th scope=\"col\">主要问题</th>" in index
    row = re.search(r'<tr[^>]*>\s*<td><a href="%E5%8C%BA%E5%8E%BF_%E6%8A%A5%E5%91%8A.html">.*?</tr>', index, re.S)
    main = re.search(r'<td class="main">(.*?)</td>', row.group(0), re.S).group(1)
    assert "<code>T3-PINPOINT</code>" in main and "填的是" in main


def test_filters_by_rule_and_severity(batch):
    index = _index(batch)
    assert re.search(r'<select id="severity-filter">.*<option value="error">有错误</option>', index)
    assert re.search(r'<select id="rule-filter">.*<option value="T3-PINPOINT">', index)
    statuses = re.findall(r'data-status="(\w+)" data-rules=" ([^"]*) "', index)
    assert ("error", ) == tuple({s for s, rules in statuses if "T3-PINPOINT" in rules})
    # without script: one list per rule, linked from the rule chart
    assert 'href="#rule-T3-PINPOINT"' in index and 'id="rule-T3-PINPOINT"' in index
    listed = index[index.index('id="rule-T3-PINPOINT"'):]
    listed = listed[:listed.index("</ul>")]
    assert "区县_报告" in listed.replace("%E5%8C%BA%E5%8E%BF", "区县").replace("%E6%8A%A5%E5%91%8A", "报告") \
        and "兴庆" not in listed


def test_download_links_and_duplicate_submissions(batch):
    index = _index(batch)
    for name in ("findings.xlsx", "findings.csv"):
        assert f'<a href="{name}">{name}</a>' in index and (batch / name).exists()
    notice = re.search(r'<div class="notice" id="duplicates".*?</div>', index, re.S).group(0)
    assert "甲县教育局 2023 年度：2 份" in notice
    assert index.count('<span class="dup"') == 2
