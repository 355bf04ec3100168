"""The command line: options, outputs, exit codes, and bad input that never stops a batch."""
from __future__ import annotations

import json

import pytest

from tests.support.paths import EXAMPLES, REAL
from tests.support.reportgen import make_report, render
from tests.support.rule_packs import t3_total_rule, write_pack

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
    errors = {"T4-BLOCK-TOTAL": 2, "T4-PINPOINT": 1}  # 行政复议 总计 0 must be 11; 复议后起诉 is undecided
    # the 行政复议 identity is explained by the pinpoint of its 总计: one problem, counted once
    explained = [f for f in o["findings"] if f["explained_by"]]
    assert [f["rule"] for f in explained] == ["T4-BLOCK-TOTAL"]
    assert o["summary"]["error"] == sum(errors.values()) - 1 and o["summary"]["suppressed"] == 0
    assert o["summary"]["explained"] == 1
    assert o["summary"]["warning"] == len([f for f in o["findings"] if f["severity"] == "warning"])


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
    assert sorted(p.name for p in out.glob("*.json")) == ["empty.json", "good.json", "scan.json", "sub_hz.json"]  # sub/hz.txt
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


# ---------------------------------------------------------------- local rule packs (--rules DIR)

LOCAL_RULE = t3_total_rule(
    "LOCAL-T3-NO-CARRY", "本机关要求当年办结：本年新收 + 上年结转 = 办理结果总计",
    "error", '["2019", "2021"]',
    "{table}“{line}”列：{left_terms} = {left_sum}，而 {right_terms} = {right_sum}，相差 {diff}。本机关要求申请当年办结，请核对结转下年度的申请。",
    '''[doc]
what = "本机关的申请应当年办结：表三总计列本年新收加上年结转等于办理结果总计。"
why = "本机关的工作要求（不在国家格式之内）。"
fix = "办结结转的申请，或说明未办结的原因。"

[[doc.examples]]
verdict = "pass"
says = "没有结转下年度的申请。"
set = { "t3.carry_fwd.tot" = 0 }

[[doc.examples]]
verdict = "fail"
says = "有申请结转下年度。"
message = "本机关要求申请当年办结"
''')


def _no_carry_forward(rep):
    """Every column's 结转下年度 moved into 予以公开: all official identities still hold."""
    for col, moved in rep.t3["carry_fwd"].items():
        rep.t3["carry_fwd"][col] = 0
        rep.t3["open"][col] += moved
        rep.t3["handled_total"][col] += moved


def test_a_local_rule_pack_adds_an_identity_that_fires_and_passes(run_cli, write_report, tmp_path):
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NO-CARRY.toml": LOCAL_RULE})
    carried = make_report("2021", seed=7)
    assert carried.t3["carry_fwd"]["tot"] > 0
    code, out = run_cli("check", write_report(render(carried), "carried.txt"), "--rules", pack, "--format", "json")
    hits = [f for f in json.loads(out)["findings"] if f["rule"] == "LOCAL-T3-NO-CARRY"]
    assert code == 1 and len(hits) == 1
    left = carried.t3["new"]["tot"] + carried.t3["carried"]["tot"]
    assert hits[0]["column"] == "tot" and hits[0]["actual"] == left
    assert f"相差 {carried.t3['carry_fwd']['tot']}" in hits[0]["message"]

    done = make_report("2021", seed=7)
    _no_carry_forward(done)
    code, out = run_cli("check", write_report(render(done), "done.txt"), "--rules", pack, "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []

    code, out = run_cli("check", write_report(render(carried), "carried.txt"), "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "LOCAL-T3-NO-CARRY"]  # only with --rules


def test_local_rules_are_listed_and_explained(run_cli, tmp_path):
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NO-CARRY.toml": LOCAL_RULE})
    code, out = run_cli("rules", "--rules", pack)
    assert code == 0 and "LOCAL-T3-NO-CARRY" in out and "T3-BALANCE" in out
    code, out = run_cli("explain", "LOCAL-T3-NO-CARRY", "--rules", pack)
    assert code == 0 and "本机关的申请应当年办结" in out
    assert "把表三“结转下年度继续办理”行“总计”列改为 0" in out


def test_several_rule_folders_can_be_given(run_cli, tmp_path):
    one = write_pack(tmp_path / "one", {"LOCAL-T3-NO-CARRY.toml": LOCAL_RULE})
    two = write_pack(tmp_path / "two", {"LOCAL-TWO.toml": LOCAL_RULE.replace("LOCAL-T3-NO-CARRY", "LOCAL-TWO")})
    ids = [line.split()[0] for line in run_cli("rules", "--rules", one, "--rules", two)[1].splitlines()]
    assert {"LOCAL-T3-NO-CARRY", "LOCAL-TWO"} <= set(ids)


@pytest.mark.parametrize("files, words", [
    ({"MINE.toml": LOCAL_RULE.replace("LOCAL-T3-NO-CARRY", "T3-BALANCE")}, "规则编号 T3-BALANCE 与"),
    ({"A.toml": LOCAL_RULE, "B.toml": LOCAL_RULE}, "规则编号 LOCAL-T3-NO-CARRY 与"),
    ({"BROKEN.toml": LOCAL_RULE.replace('title = "', 'title = ')}, "TOML 格式错误"),
    ({"BROKEN.toml": LOCAL_RULE.replace('kind = "identity"', 'kind = "identiti"')}, "未知的规则类型"),
    ({"BROKEN.toml": LOCAL_RULE.replace("[params]", "colour = 1\n[params]")}, "未知的键"),
    ({"BROKEN.toml": "\ufeff" + LOCAL_RULE.replace('severity = "error"', 'severity = "fatal"')}, "severity"),  # BOM read
    ({"BROKEN.toml": LOCAL_RULE.replace('right = ["handled_total"]\n', "")}, "需要参数 right"),
    ({"BROKEN.toml": LOCAL_RULE.replace('"handled_total"]', '"handled"]')}, "没有 ['handled']"),
    ({"BROKEN.toml": LOCAL_RULE.replace('table = "t3"', 'table = "t5"')}, "没有表格 't5'"),
    ({"BROKEN.toml": LOCAL_RULE.replace('along = "column"', 'along = "down"')}, "params.along"),
    # a misspelt placeholder fails when the rules load, not in the middle of a batch
    ({"BROKEN.toml": LOCAL_RULE.replace("lines = ", "lnes = ")}, "params 中的 lnes 不是规则类型 identity 的参数"),
    ({"BROKEN.toml": LOCAL_RULE.replace('kind = "identity"', 'kind = "tables_present"').replace(
        "{table}“{line}”列：{left_terms} = {left_sum}，而 {right_terms} = {right_sum}，相差 {diff}。", "{table}")},
     "params 中的 along、left、lines、right、table 不是规则类型 tables_present 的参数"),
    ({"BROKEN.toml": LOCAL_RULE.replace("{left_sum}", "{left_total}")}, "message 中的 {left_total} 不是规则类型 identity"),
    ({"BROKEN.toml": LOCAL_RULE.replace("相差 {diff}", "相差 {}")}, "message 中的 {} 不是"),
    ({"BROKEN.toml": LOCAL_RULE.replace("相差 {diff}", "相差 {diff")}, "message 中的花括号写法有误"),
    ({"BROKEN.toml": LOCAL_RULE.replace('kind = "identity"', 'kind = "body_year"').replace(
        "[params]\ntable", "[params]\nscope_message = \"{yeer}\"\ntable")}, "不是规则类型 body_year"),
])
def test_a_bad_rule_pack_is_a_chinese_error_with_exit_2(run_cli, write_report, tmp_path, files, words):
    pack = write_pack(tmp_path / "pack", files)
    report = write_report(render(make_report("2021", seed=7)))
    for args in (("check", report, "--rules", pack), ("rules", "--rules", pack), ("explain", "T3-BALANCE", "--rules", pack)):
        code, out = run_cli(*args)
        assert code == 2 and "规则目录有误" in out and words in out and str(pack) in out, out


def test_every_kind_declares_its_message_fields_and_shipped_rules_use_only_those():
    from auditor.engine import load_catalogue
    from auditor.engine.catalogue import _placeholders
    from auditor.engine.kind import kind_named

    for rule in load_catalogue():
        declared = kind_named(rule.kind)
        used = _placeholders(rule.message, rule.id)
        assert used <= set(declared.fields), (rule.id, used - set(declared.fields))
        assert set(rule.params) <= set(declared.params), (rule.id, set(rule.params) - set(declared.params))


def test_a_missing_rule_folder_is_an_error(run_cli, write_report, tmp_path):
    code, out = run_cli("check", write_report("x"), "--rules", tmp_path / "nowhere")
    assert code == 2 and "规则文件夹" in out and "nowhere" in out


@pytest.mark.parametrize("formats", [(), ("--format", "json"), ("--format", "csv", "--format", "text")])
def test_command_line_path_does_not_import_pandas(tmp_path, formats):
    # pandas is over half the start-up of a one-file check; the library loads it only when a
    # table's DataFrame (`.values`) is asked for. numpy is not needed either, not even for the
    # year-over-year comparison at the batch's end: the 2024 report here copies the 2023 one.
    import subprocess
    import sys

    copy = tmp_path / "洪泽区人民政府-2024-copy.txt"
    copy.write_text(HZ_2023.read_text(encoding="utf-8").replace("2023", "2024").replace("2022", "2023"),
                    encoding="utf-8")

    probe = ("import sys\nfrom auditor.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules), file=sys.stderr)\n")
    args = ["check", str(HZ_2023), str(copy), str(SEED_003), "-o", str(tmp_path / "out"), "--jobs", "1", *formats]
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert "XYEAR-COPIED-TEXT" in (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("report", [SEED_003, EXAMPLES / "洪泽区人民政府-2023.pdf"])
@pytest.mark.parametrize("formats", [(), ("--format", "json"), ("--format", "csv")])
def test_one_file_check_imports_neither_pandas_nor_numpy(report, formats):
    # `auditor check one.txt` should start faster than `import pandas`: numpy alone is a
    # quarter of a second, and a single report needs no year-over-year window hashes.
    import subprocess
    import sys

    probe = ("import sys\nfrom auditor.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, "check", str(report), *formats],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip(), done.stderr  # the report was audited and printed
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_library_still_gives_dataframes():
    from auditor import audit_file

    table = audit_file(SEED_003).report.tables["t3"]
    frame = table.values
    assert list(frame.index) == list(table.row_labels) and list(frame.columns) == list(table.column_labels)
    assert frame.at["new", "tot"] == table.value("new", "tot")
