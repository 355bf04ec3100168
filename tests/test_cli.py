"""The command line: options, outputs, exit codes, and bad input that never stops a batch."""
from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, REAL
from reportgen import make_report, render

SEED_003 = EXAMPLES / "镇海区民政局-2019-seed003.txt"
HZ_2023 = REAL / "洪泽区人民政府-2023.layout.txt"


def test_clean_report_exits_0_and_prints_summary(run_cli):
    code, out = run_cli("check", SEED_003)
    assert code == 0
    assert "镇海区民政局" in out and "错误 0" in out


def test_errors_exit_1_unless_fail_on_never(run_cli):
    assert run_cli("check", HZ_2023)[0] == 1
    assert run_cli("check", HZ_2023, "--fail-on", "never")[0] == 0


def test_fail_on_warning(run_cli, write_report):
    text = render(make_report("2021", seed=3)).replace("。", "。网站共发布信息 10 条，其中动态 4 条，政务 5 条。", 1)
    path = write_report(text)
    assert run_cli("check", path)[0] == 0  # a warning only
    assert run_cli("check", path, "--fail-on", "warning")[0] == 1


def test_json_lines_on_stdout_follow_design_shape(run_cli):
    code, out = run_cli("check", SEED_003, HZ_2023, "--format", "json")
    assert code == 1
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["source"]["path"] for o in objs] == [str(SEED_003), str(HZ_2023)]
    o = objs[1]
    assert set(o) == {"tool", "source", "report", "tables", "findings", "summary", "error"}
    assert o["tool"]["name"] == "report-auditor"
    assert len(o["source"]["sha256"]) == 64
    assert set(o["tables"]) == {"t2.art20_1", "t2.art20_5", "t2.art20_6", "t2.art20_8", "t3", "t4"}
    f = o["findings"][0]
    for key in ("rule", "severity", "status", "message", "table", "row", "column", "line", "page",
                "excerpt", "expected", "actual", "fingerprint"):
        assert key in f
    assert o["summary"] == {"error": 2, "warning": 1, "info": 0}


def test_fingerprints_are_stable_across_runs_and_moves(run_cli, write_report):
    text = HZ_2023.read_text(encoding="utf-8")
    a = write_report(text, "a.txt")
    b = write_report("\n\n\n" + text, "b.txt")  # same findings, other line numbers
    fa = [f["fingerprint"] for f in json.loads(run_cli("check", a, "--format", "json")[1])["findings"]]
    fb = [f["fingerprint"] for f in json.loads(run_cli("check", b, "--format", "json")[1])["findings"]]
    assert fa == fb and len(set(fa)) == len(fa)


def test_folder_batch_writes_one_page_per_report_and_goes_on_after_bad_files(run_cli, tmp_path):
    batch = tmp_path / "in"
    batch.mkdir()
    (batch / "good.txt").write_bytes(SEED_003.read_bytes())
    (batch / "empty.txt").write_bytes(b"")
    (batch / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    (batch / "sub").mkdir()
    (batch / "sub" / "hz.txt").write_bytes(HZ_2023.read_bytes())
    out = tmp_path / "out"
    code, text = run_cli("check", batch, "-o", out, "--format", "json", "--format", "csv")
    assert code == 1
    assert "empty.txt：" in text and "文件为空" in text
    assert "scan.txt：" in text and "PDF" in text
    assert sorted(p.name for p in out.glob("*.json")) == ["empty.json", "good.json", "hz.json", "scan.json"]
    csv = (out / "findings.csv").read_text(encoding="utf-8")
    assert csv.startswith("\ufeff") and "T4-BLOCK-TOTAL" in csv and "INPUT-ERROR" in csv


def test_nothing_auditable_exits_2_with_reason(run_cli, write_report):
    code, out = run_cli("check", write_report("", "empty.txt"))
    assert code == 2 and "文件为空" in out
    code, out = run_cli("check", "/no/such/report.txt")
    assert code == 2 and "文件不存在" in out


def test_empty_folder_exits_2(run_cli, tmp_path):
    code, out = run_cli("check", tmp_path)
    assert code == 2 and "未找到可审查的文件" in out


def test_html_needs_an_output_path(run_cli):
    code, out = run_cli("check", SEED_003, "--format", "html")
    assert code == 2 and "-o" in out


def test_inputs_are_never_modified(run_cli, tmp_path):
    src = tmp_path / "r.txt"
    src.write_bytes(HZ_2023.read_bytes())
    before = src.read_bytes()
    run_cli("check", src, "-o", tmp_path / "out.json", "--format", "json")
    assert src.read_bytes() == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings_give_the_same_tables(run_cli, write_report, encoding):
    text = render(make_report("2021", seed=1))
    ref = json.loads(run_cli("check", write_report(text, "ref.txt"), "--format", "json")[1])
    got = json.loads(run_cli("check", write_report(text, f"{encoding}.txt", encoding), "--format", "json")[1])
    assert got["tables"] == ref["tables"] and got["findings"] == ref["findings"]


def test_fullwidth_digits_and_spaces_are_normalised(run_cli, write_report):
    text = render(make_report("2021", seed=2), "cells")
    wide = text.translate(str.maketrans("0123456789 ", "０１２３４５６７８９\u3000"))
    ref = json.loads(run_cli("check", write_report(text, "a.txt"), "--format", "json")[1])
    got = json.loads(run_cli("check", write_report(wide, "b.txt"), "--format", "json")[1])
    assert got["tables"] == ref["tables"] and got["report"]["year"] == ref["report"]["year"]


def test_rules_lists_the_catalogue_and_explain_works_for_each(run_cli):
    code, out = run_cli("rules")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert {"T3-BALANCE", "T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-BLOCK-TOTAL", "YEAR-BODY"} <= set(ids)
    for rule_id in ids:
        code, text = run_cli("explain", rule_id)
        assert code == 0 and "检查什么" in text and "不通过的例子" in text
    assert run_cli("explain", "NO-SUCH")[0] == 2


def test_parallel_jobs_give_the_same_output_in_input_order(run_cli, tmp_path):
    paths = sorted(EXAMPLES.iterdir())
    one = run_cli("check", *paths, "--format", "json", "--jobs", "1")[1]
    two = run_cli("check", *paths, "--format", "json", "--jobs", "2")[1]
    assert one == two
    assert [json.loads(line)["source"]["path"] for line in two.splitlines()] == [str(p) for p in paths]
