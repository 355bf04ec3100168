"""Suppression files through the command line: accepted findings stay visible, marked with the
reason, but no longer count; entries that match nothing are reported; mistakes stop the run."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.reportgen import make_report, render


def run(*args) -> tuple[int, str, str]:
    """The CLI with stdout and stderr apart: (exit code, stdout, stderr)."""
    from auditor.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def audit(path: Path, *options) -> tuple[int, dict, str]:
    code, out, err = run("check", path, "--format", "json", *options)
    assert code in (0, 1), err
    return code, json.loads(out), err


def entry(fingerprint: str, reason: str = "经核实，以台账为准", **more) -> str:
    lines = ["[[suppress]]", f'fingerprint = "{fingerprint}"', f'reason = "{reason}"']
    lines += [f"{k} = {v}" if k == "date" else f'{k} = "{v}"' for k, v in more.items()]
    return "\n".join(lines) + "\n\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def t4_report(tmp_path) -> Path:
    """Errors only about 表四 行政复议 (its total 3 more than its parts)."""
    rep = make_report("2019", seed=7)
    rep.t4["review"]["total"] += 3
    return write(tmp_path / "reports" / "t4-report.txt", render(rep, "tabs"))


@pytest.fixture
def t4_findings(t4_report) -> list[dict]:
    """All findings of t4_report, among them the T4-BLOCK-TOTAL error."""
    code, result, _ = audit(t4_report)
    assert code == 1 and any(f["rule"] == "T4-BLOCK-TOTAL" and f["severity"] == "error" for f in result["findings"])
    return result["findings"]


def test_suppressed_findings_are_marked_and_no_longer_fail(t4_report, t4_findings, tmp_path):
    waive = write(tmp_path / "waive.toml", "".join(
        entry(f["fingerprint"], by="张三", date="2026-01-05") for f in t4_findings))
    code, result, err = audit(t4_report, "--suppressions", waive)
    assert code == 0, err
    assert len(result["findings"]) == len(t4_findings)  # still shown
    for f in result["findings"]:
        assert f["suppressed"] == {"reason": "经核实，以台账为准", "by": "张三", "date": "2026-01-05"}
    assert result["summary"] == {"error": 0, "warning": 0, "info": 0, "suppressed": len(t4_findings), "explained": 0}
    assert "豁免条目未匹配" not in err


def test_only_the_named_finding_is_suppressed(t4_report, t4_findings, tmp_path):
    block = next(f for f in t4_findings if f["rule"] == "T4-BLOCK-TOTAL")
    waive = write(tmp_path / "waive.toml", entry(block["fingerprint"]))
    code, result, _ = audit(t4_report, "--suppressions", waive)
    marked = {f["fingerprint"]: f["suppressed"] for f in result["findings"]}
    assert marked[block["fingerprint"]] == {"reason": "经核实，以台账为准", "by": None, "date": None}
    others = [f for f in t4_findings if f["fingerprint"] != block["fingerprint"]]
    assert all(marked[f["fingerprint"]] is None for f in others)
    for level in ("error", "warning"):
        assert result["summary"][level] == sum(f["severity"] == level for f in others)
    assert result["summary"]["suppressed"] == 1
    assert code == (1 if any(f["severity"] == "error" for f in others) else 0)


def test_text_csv_and_html_show_the_mark_and_the_reason(t4_report, t4_findings, tmp_path):
    waive = write(tmp_path / "waive.toml", "".join(entry(f["fingerprint"], "台账另有说明") for f in t4_findings))
    code, out, _ = run("check", t4_report, "--suppressions", waive)
    assert code == 0
    assert f"已豁免 {len(t4_findings)}" in out and "[已豁免：台账另有说明]" in out and "错误 0" in out

    code, out, _ = run("check", t4_report, "--suppressions", waive, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == len(t4_findings) and all(r["suppressed"] == "已豁免：台账另有说明" for r in rows)

    page_path = tmp_path / "page.html"
    assert run("check", t4_report, "--suppressions", waive, "-o", page_path)[0] == 0
    page = page_path.read_text(encoding="utf-8")
    group = page[page.index("badge-suppressed"):]
    assert "已豁免" in group and "台账另有说明" in group
    assert page.count(' suppressed" id="f-') == len(t4_findings)
    assert f"另有 {len(t4_findings)} 项已豁免" in page
    assert not re.search(r'class="[^"]*cell-error', page)  # an accepted finding does not colour its cell


def test_file_pattern_limits_an_entry_to_matching_reports(t4_report, t4_findings, tmp_path):
    fp = t4_findings[0]["fingerprint"]
    other = write(tmp_path / "reports" / "other-report.txt", t4_report.read_text(encoding="utf-8"))
    waive = write(tmp_path / "waive.toml", entry(fp, file="t4-*.txt"))
    code, out, err = run("check", t4_report, other, "--suppressions", waive, "--format", "json")
    first, second = (json.loads(line) for line in out.splitlines())
    assert next(f for f in first["findings"] if f["fingerprint"] == fp)["suppressed"] is not None
    assert next(f for f in second["findings"] if f["fingerprint"] == fp)["suppressed"] is None
    assert "豁免条目未匹配" not in err


def test_rule_given_must_match_the_finding(t4_report, t4_findings, tmp_path):
    fp = next(f for f in t4_findings if f["rule"] == "T4-BLOCK-TOTAL")["fingerprint"]
    waive = write(tmp_path / "waive.toml", entry(fp, rule="T3-BALANCE"))
    _, result, err = audit(t4_report, "--suppressions", waive)
    assert all(f["suppressed"] is None for f in result["findings"])
    assert "豁免条目未匹配任何发现" in err and fp in err

    write(waive, entry(fp, rule="T4-BLOCK-TOTAL"))
    _, result, err = audit(t4_report, "--suppressions", waive)
    assert next(f for f in result["findings"] if f["fingerprint"] == fp)["suppressed"] is not None


def test_unused_entry_is_reported_on_stderr(t4_report, t4_findings, tmp_path):
    waive = write(tmp_path / "waive.toml", entry(t4_findings[0]["fingerprint"]) + entry("0123456789abcdef", "报告已改正"))
    code, out, err = run("check", t4_report, "--suppressions", waive, "--format", "json")
    assert json.loads(out)  # stdout stays clean JSON
    assert "豁免条目未匹配任何发现" in err and "0123456789abcdef" in err and "第 2 条" in err
    assert t4_findings[0]["fingerprint"] not in err


# ---------------------------------------------------------------- batches


def test_batch_marks_findings_lists_unused_entries_and_does_not_fail(t4_report, t4_findings, tmp_path):
    clean = write(tmp_path / "reports" / "clean.txt", render(make_report("2021", seed=3), "tabs"))
    assert clean.parent == t4_report.parent
    waive = write(tmp_path / "waive.toml",
                  "".join(entry(f["fingerprint"]) for f in t4_findings) + entry("fedcba9876543210", "去年的条目"))
    out = tmp_path / "out"
    code, stdout, err = run("check", t4_report.parent, "-o", out, "--format", "html", "--format", "json",
                            "--suppressions", waive)
    assert code == 0, stdout + err
    page = json.loads((out / "t4-report.json").read_text(encoding="utf-8"))
    assert all(f["suppressed"] for f in page["findings"]) and page["summary"]["error"] == 0
    jsonl = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(r["summary"]["suppressed"] for r in jsonl) == len(t4_findings)
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        assert all(row["suppressed"].startswith("已豁免") for row in csv.DictReader(f) if row["file"].endswith("t4-report.txt"))

    unused = json.loads((out / "unused-suppressions.json").read_text(encoding="utf-8"))
    assert [u["fingerprint"] for u in unused["unused"]] == ["fedcba9876543210"]
    assert unused["unused"][0]["reason"] == "去年的条目"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="unused-suppressions"' in index and "fedcba9876543210" in index and "去年的条目" in index
    assert f'data-count="suppressed"><b>{len(t4_findings)}</b>' in index
    assert "豁免条目未匹配任何发现" in err and "fedcba9876543210" in err


def test_batch_without_suppressions_writes_no_unused_file(t4_report, tmp_path):
    out = tmp_path / "out"
    run("check", t4_report.parent, "-o", out)
    assert not (out / "unused-suppressions.json").exists()
    assert 'id="unused-suppressions"' not in (out / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- mistakes


@pytest.mark.parametrize("text, words", [
    ('[[suppress]]\nfingerprint = "0123456789abcdef"\n', "缺少 reason"),
    ('[[suppress]]\nfingerprint = "0123456789abcdef"\nreason = "  "\n', "缺少 reason"),
    ('[[suppress]]\nreason = "x"\n', "fingerprint"),
    ('[[suppress]]\nfingerprint = "0123"\nreason = "x"\n', "16 位十六进制"),
    ('[[suppress]]\nfingerprint = "0123456789abcdef"\nreason = "x"\nwho = "y"\n', "未知的键 who"),
    ('[[suppress]]\nfingerprint = "0123456789abcdef"\nreason = "x"\ndate = "2026-01-05"\n', "TOML 日期"),
    ('[[suppress]]\nfingerprint = "0123456789abcdef"\nreason = "x"\n\n'
     '[[suppress]]\nfingerprint = "0123456789abcdef"\nreason = "y"\n', "与第 1 条重复"),
    ('[suppress]\nfingerprint = "0123456789abcdef"\n', "[[suppress]]"),
    ('ignore = ["0123456789abcdef"]\n', "未知的键 ignore"),
    ("[[suppress]\n", "不是有效的 TOML"),
])
def test_mistakes_stop_the_run_with_a_chinese_error(t4_report, tmp_path, text, words):
    waive = write(tmp_path / "waive.toml", text)
    code, out, err = run("check", t4_report, "--suppressions", waive)
    assert code == 2 and out == ""
    assert str(waive) in err and words in err, err


def test_missing_suppression_file_is_an_error(t4_report, tmp_path):
    code, _, err = run("check", t4_report, "--suppressions", tmp_path / "none.toml")
    assert code == 2 and "none.toml" in err and "不存在" in err
