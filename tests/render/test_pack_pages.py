"""A local rule pack's rule shows on the report page like the built-in rule of the same kind,
whatever its id: the page reads what a finding is from the finding, never from its rule id.

Each test runs once with the built-in rule and once with a copy of it under a local id (the
built-in one ignored), and asserts the same page for both."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from tests.support.reportgen import make_report, render

RULES = ROOT / "rules"


def _pack_args(tmp_path: Path, builtin: str, local: str | None) -> list:
    """--rules and --ignore to run `local` (a copy of the built-in rule under another id) in
    place of `builtin`; nothing when local is None (the built-in rule runs)."""
    if local is None:
        return []
    text = (RULES / f"{builtin}.toml").read_text(encoding="utf-8")
    assert text.startswith(f'id = "{builtin}"\n')
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / f"{local}.toml").write_text(text.replace(f'id = "{builtin}"', f'id = "{local}"', 1), encoding="utf-8")
    return ["--rules", pack, "--ignore", builtin]


def _findings(run_cli, src: Path, args: list, rule: str) -> list[dict]:
    code, out = run_cli("check", src, "--format", "json", "--fail-on", "never", *args)
    assert code == 0, out
    return [f for f in json.loads(out.strip().splitlines()[-1])["findings"] if f["rule"] == rule]


def _article(page: str, fingerprint: str) -> str:
    found = re.search(rf'<article[^>]*id="f-{fingerprint}"[^>]*>.*?</article>', page, re.S)
    assert found, fingerprint
    return found.group(0)


def _values(article: str) -> list[tuple[str, str]]:
    """The finding's numbers as the page labels them: (label, number)."""
    line = re.search(r'<p class="values">(.*?)</p>', article, re.S)
    assert line, article
    return re.findall(r"<span>(.*?)：<b>(.*?)</b></span>", line.group(1))


@pytest.mark.parametrize("local", [None, "LOCAL-T3-FIX"])
def test_a_pinpoint_rule_marks_the_cell_to_fix_whatever_its_id(run_cli, tmp_path, local):
    rep = make_report("2021", seed=11)
    rep.t3["deny_4"]["np"] += 3  # one cell wrong: its row total and its column fail
    src = tmp_path / "report.txt"
    src.write_text(render(rep, "tabs"), encoding="utf-8")
    rule = local or "T3-PINPOINT"
    args = _pack_args(tmp_path, "T3-PINPOINT", local)

    [pin] = _findings(run_cli, src, args, rule)
    run_cli("check", src, "-o", tmp_path / "r.html", *args)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    cell = re.search(r'<td id="c-t3-deny_4-np"([^>]*)>(.*?)</td>', page, re.S)
    assert cell and "cell-fix" in cell.group(1)
    assert f'href="#f-{pin["fingerprint"]}"' in cell.group(2)
    assert f"应为 {rep.t3['deny_4']['np'] - 3}" in cell.group(2)
    assert f"<code class=\"rule\">{rule}</code>" in _article(page, pin["fingerprint"])


@pytest.mark.parametrize("local", [None, "LOCAL-SAID-COUNTS"])
def test_a_narrative_rule_labels_the_texts_number_and_the_cells_whatever_its_id(run_cli, tmp_path, local):
    rep = make_report("2021", seed=3)
    new = rep.t3["new"]["tot"]
    rep.extra_s1.append(f"本年度新收政府信息公开申请 {new + 5} 件。")
    src = tmp_path / "report.txt"
    src.write_text(render(rep), encoding="utf-8")
    rule = local or "NARR-T3-COUNTS"
    args = _pack_args(tmp_path, "NARR-T3-COUNTS", local)

    [said] = _findings(run_cli, src, args, rule)
    run_cli("check", src, "-o", tmp_path / "r.html", *args)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert _values(_article(page, said["fingerprint"])) == [
        ("正文所写", str(new + 5)),
        ("表三“一、本年新收政府信息公开申请数量”行“总计”列为", str(new)),
    ]


@pytest.mark.parametrize("local", [None, "LOCAL-CARRIED"])
def test_a_cross_year_rule_labels_this_years_cell_and_last_years_whatever_its_id(run_cli, tmp_path, local):
    src = tmp_path / "in"
    src.mkdir()
    last = make_report("2021", year=2022, seed=1, agency="某县人民政府办公室")
    this = make_report("2021", year=2023, seed=2, agency="某县人民政府办公室")
    (src / "2022.txt").write_text(render(last), encoding="utf-8")
    (src / "2023.txt").write_text(render(this), encoding="utf-8")
    column = next(c for c in this.t3["carried"] if this.t3["carried"][c] != last.t3["carry_fwd"][c])
    rule = local or "XYEAR-CARRY-OVER"
    args = _pack_args(tmp_path, "XYEAR-CARRY-OVER", local)

    code, out = run_cli("check", src, "-o", tmp_path / "json", "--format", "json", "--fail-on", "never", *args)
    assert code == 0, out
    data = json.loads((tmp_path / "json" / "2023.json").read_text(encoding="utf-8"))
    found = {f["column"]: f for f in data["findings"] if f["rule"] == rule}
    assert column in found, data["findings"]
    run_cli("check", src, "-o", tmp_path / "out", "--fail-on", "never", *args)
    page = (tmp_path / "out" / "2023.html").read_text(encoding="utf-8")
    [(this_label, now), (last_label, before)] = _values(_article(page, found[column]["fingerprint"]))
    assert this_label.startswith("本年报告表三“二、上年结转政府信息公开申请数量”行") and this_label.endswith("列填写")
    assert (now, last_label, before) == (str(this.t3["carried"][column]), "按上一年报告应为",
                                         str(last.t3["carry_fwd"][column]))
