"""Office settings (auditor.toml or [tool.auditor]) through the command line: which rules run,
at which level, with which arithmetic tolerance, and clear errors for every mistake."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.reportgen import make_report, render


def run(*args) -> tuple[int, str, str]:
    """The CLI with stdout and stderr apart: (exit code, stdout, stderr)."""
    from auditor.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def audit(path: Path, *options) -> tuple[int, dict]:
    code, out, err = run("check", path, "--format", "json", *options)
    assert code in (0, 1), err
    return code, json.loads(out)


def hits(result: dict, rule: str) -> list[dict]:
    return [f for f in result["findings"] if f["rule"] == rule]


@pytest.fixture
def broken_report(tmp_path) -> Path:
    """One 勾稽 error in 表三 (上年结转 +1 in the 自然人 and 总计 columns) and one stale year in the text."""
    rep = make_report("2021", seed=7)
    rep.t3["carried"]["np"] += 1
    rep.t3["carried"]["tot"] += 1
    rep.extra_s1.append(f"二是做好政务微博发布工作，{rep.year - 1} 年度共发布政务微博 150 条。")
    path = tmp_path / "report.txt"
    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- select, ignore, severity


def test_without_a_configuration_every_rule_runs(broken_report):
    code, result = audit(broken_report)
    assert code == 1
    assert hits(result, "T3-BALANCE") and hits(result, "YEAR-BODY")


def test_select_runs_only_the_named_rules_and_prefixes(broken_report, tmp_path):
    config = write(tmp_path / "auditor.toml", 'select = ["T3-BALANCE", "YEAR-"]\n')
    _, result = audit(broken_report, "--config", config)
    assert {f["rule"] for f in result["findings"]} == {"T3-BALANCE", "YEAR-BODY"}

    write(config, 'select = ["t3"]\n')  # a prefix without the dash, in lower case
    _, result = audit(broken_report, "--config", config)
    assert hits(result, "T3-BALANCE") and not hits(result, "YEAR-BODY")
    assert all(f["rule"].startswith("T3-") for f in result["findings"])


def test_ignore_drops_rules(broken_report, tmp_path):
    config = write(tmp_path / "auditor.toml", 'ignore = ["YEAR-BODY", "T3-"]\n')
    code, result = audit(broken_report, "--config", config)
    assert not hits(result, "YEAR-BODY") and not [f for f in result["findings"] if f["rule"].startswith("T3-")]
    assert code == 0  # nothing else is wrong with the report


def test_severity_override_changes_the_level_and_the_exit_code(broken_report, tmp_path):
    config = write(tmp_path / "auditor.toml", 'select = ["T3-BALANCE"]\n[severity]\n"T3-BALANCE" = "warning"\n')
    code, result = audit(broken_report, "--config", config)
    assert hits(result, "T3-BALANCE") and all(f["severity"] == "warning" for f in hits(result, "T3-BALANCE"))
    assert result["summary"]["error"] == 0 and result["summary"]["warning"] == len(hits(result, "T3-BALANCE"))
    assert code == 0
    assert run("check", broken_report, "--config", config, "--fail-on", "warning")[0] == 1


def test_severity_of_an_exact_id_beats_a_prefix(broken_report, tmp_path):
    config = write(tmp_path / "auditor.toml",
                   'select = ["T3-BALANCE", "YEAR-BODY"]\n[severity]\n"T3-" = "info"\n"T3-BALANCE" = "warning"\n'
                   '"YEAR-" = "info"\n')
    _, result = audit(broken_report, "--config", config)
    assert {f["severity"] for f in hits(result, "T3-BALANCE")} == {"warning"}
    assert {f["severity"] for f in hits(result, "YEAR-BODY")} == {"info"}


def test_rules_command_shows_configured_levels_and_rules_left_out(tmp_path):
    config = write(tmp_path / "auditor.toml", 'ignore = ["YEAR-BODY"]\n[severity]\n"T3-BALANCE" = "info"\n')
    code, out, _ = run("rules", "--config", config)
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0
    assert lines["T3-BALANCE"].split()[1] == "info"
    assert "按配置未启用" in lines["YEAR-BODY"] and "按配置未启用" not in lines["T3-BALANCE"]


# ---------------------------------------------------------------- tolerance


def _t4_off_by(tmp_path: Path, amount: int) -> Path:
    rep = make_report("2019", seed=7)
    rep.t4["review"]["total"] += amount
    return write(tmp_path / f"t4-off-by-{amount}.txt", render(rep, "tabs"))


def test_tolerance_lets_an_off_by_one_pass_but_not_more(tmp_path):
    config = write(tmp_path / "auditor.toml", "tolerance = 1\n")
    one, two = _t4_off_by(tmp_path, 1), _t4_off_by(tmp_path, 2)
    code, result = audit(one)
    assert code == 1 and hits(result, "T4-BLOCK-TOTAL")
    code, result = audit(one, "--config", config)
    assert code == 0 and result["findings"] == []
    code, result = audit(two, "--config", config)
    assert code == 1 and hits(result, "T4-BLOCK-TOTAL")
    assert "相差 2" in hits(result, "T4-BLOCK-TOTAL")[0]["message"]


def test_a_rules_own_tolerance_wins_over_the_configured_one(tmp_path):
    pack = tmp_path / "pack"
    write(pack / "LOCAL-T4-REVIEW.toml", _t4_review_rule(tolerance=0))
    config = write(tmp_path / "auditor.toml", 'tolerance = 5\nrules = ["pack"]\n')
    code, result = audit(_t4_off_by(tmp_path, 1), "--config", config)
    assert not hits(result, "T4-BLOCK-TOTAL")  # loosened by the configuration
    assert hits(result, "LOCAL-T4-REVIEW") and code == 1  # its own tolerance = 0 kept


def test_a_rule_file_changed_between_two_loads_is_read_again(tmp_path):
    """The catalogue is kept between loads only while its files' bytes are the same: a
    change of one digit (same size, maybe the same timestamp) is seen at once."""
    from auditor.engine import load_catalogue

    pack = tmp_path / "pack"
    write(pack / "LOCAL-T4-REVIEW.toml", _t4_review_rule(tolerance=0))
    first = {r.id: r for r in load_catalogue([pack])}
    assert first["LOCAL-T4-REVIEW"].params["tolerance"] == 0
    assert load_catalogue([pack]) == list(first.values()) and load_catalogue([pack]) is not load_catalogue([pack])
    write(pack / "LOCAL-T4-REVIEW.toml", _t4_review_rule(tolerance=3))
    assert {r.id: r for r in load_catalogue([pack])}["LOCAL-T4-REVIEW"].params["tolerance"] == 3
    assert "LOCAL-T4-REVIEW" not in {r.id for r in load_catalogue()}


def _t4_review_rule(tolerance: int) -> str:
    return f'''id = "LOCAL-T4-REVIEW"
title = "表四行政复议一栏总计（本地规则）"
severity = "error"
formats = ["2019", "2021"]
kind = "identity"
message = "{{table}}“{{line}}”栏总计 {{left_sum}} 与各项之和 {{right_sum}} 不符，相差 {{diff}}。"

[params]
table = "t4"
along = "row"
lines = ["review"]
left = ["total"]
right = ["maintained", "corrected", "other", "pending"]
tolerance = {tolerance}

[doc]
what = "表四行政复议一栏的总计等于四项之和，不允许任何误差。"
why = "本机关要求行政复议数字与台账完全一致。"
fix = "核对行政复议一栏。"

[[doc.examples]]
verdict = "pass"
says = "各项之和等于总计。"

[[doc.examples]]
verdict = "fail"
says = "总计多 1。"
set = {{ "t4.review.total" = "+1" }}
'''


# ---------------------------------------------------------------- where the file is found


def test_auditor_toml_is_found_in_a_parent_folder(broken_report, tmp_path, monkeypatch):
    write(tmp_path / "auditor.toml", 'ignore = ["YEAR-BODY"]\n')
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    _, result = audit(broken_report)
    assert not hits(result, "YEAR-BODY") and hits(result, "T3-BALANCE")


@pytest.mark.parametrize("outer_ignores, inner_pyproject", [
    # the nearest file wins, and the outer one is not merged into it
    ("T3-BALANCE", '[project]\nname = "x"\n\n[tool.auditor]\nignore = ["YEAR-BODY"]\n'),
    # a pyproject.toml without [tool.auditor] is passed over: the outer file is the one found
    ("YEAR-BODY", '[project]\nname = "x"\n'),
])
def test_pyproject_tool_auditor_is_read_and_the_nearest_file_wins(broken_report, tmp_path, monkeypatch,
                                                                   outer_ignores, inner_pyproject):
    write(tmp_path / "auditor.toml", f'ignore = ["{outer_ignores}"]\n')
    inner = tmp_path / "inner"
    write(inner / "pyproject.toml", inner_pyproject)
    monkeypatch.chdir(inner)
    _, result = audit(broken_report)
    assert not hits(result, "YEAR-BODY") and hits(result, "T3-BALANCE")


def test_config_option_beats_the_file_found(broken_report, tmp_path, monkeypatch):
    write(tmp_path / "auditor.toml", 'ignore = ["YEAR-BODY"]\n')
    other = write(tmp_path / "other" / "office.toml", 'ignore = ["T3-BALANCE"]\n')
    monkeypatch.chdir(tmp_path)
    _, result = audit(broken_report, "--config", other)
    assert hits(result, "YEAR-BODY") and not hits(result, "T3-BALANCE")


def test_rules_and_suppressions_paths_are_relative_to_the_config_file(broken_report, tmp_path, monkeypatch):
    office = tmp_path / "office"
    write(office / "pack" / "LOCAL-T4-REVIEW.toml", _t4_review_rule(tolerance=0))
    fingerprint = hits(audit(broken_report)[1], "YEAR-BODY")[0]["fingerprint"]
    write(office / "waive.toml", f'[[suppress]]\nfingerprint = "{fingerprint}"\nreason = "已核实"\n')
    config = write(office / "auditor.toml", 'rules = ["pack"]\nsuppressions = "waive.toml"\n')
    monkeypatch.chdir(tmp_path)  # not the config's folder
    code, out, err = run("check", broken_report, "--config", config, "--format", "json")
    result = json.loads(out)
    assert hits(result, "YEAR-BODY")[0]["suppressed"]["reason"] == "已核实"
    assert "LOCAL-T4-REVIEW" in run("rules", "--config", config)[1]


# ---------------------------------------------------------------- mistakes


@pytest.mark.parametrize("text, key, words", [
    ('selct = ["T3-"]\n', "selct", "未知的键"),
    ('select = ["T9-"]\n', "T9-", "不是任何规则的编号或前缀"),
    ('ignore = ["NO-SUCH-RULE"]\n', "NO-SUCH-RULE", "不是任何规则的编号或前缀"),
    ('select = "T3-"\n', "select", "列表"),
    ('[severity]\n"T3-BALANCE" = "fatal"\n', "T3-BALANCE", "error（错误）、warning（警告）或 info（提示）"),
    ('[severity]\n"T3-BALANCX" = "info"\n', "T3-BALANCX", "不是任何规则的编号或前缀"),
    ("tolerance = -1\n", "tolerance", "不小于 0"),
    ('tolerance = "1"\n', "tolerance", "不小于 0"),
    ('rules = ["no-such-folder"]\n', "no-such-folder", "不存在"),
    ('suppressions = "no-such.toml"\n', "no-such.toml", "不存在"),
    ('select = ["T3-"]\nignore = ["T3-"]\n', "select", "没有剩下任何规则"),
    ("select = [\n", "auditor.toml", "不是有效的 TOML"),
])
def test_mistakes_are_chinese_errors_naming_file_and_key_with_exit_2(broken_report, tmp_path, text, key, words):
    config = write(tmp_path / "auditor.toml", text)
    code, out, err = run("check", broken_report, "--config", config)
    assert code == 2 and out == ""
    assert str(config) in err and key in err and words in err, err
    assert "Traceback" not in err


def test_a_broken_config_found_by_lookup_stops_every_command(broken_report, tmp_path, monkeypatch):
    write(tmp_path / "auditor.toml", "colour = 1\n")
    monkeypatch.chdir(tmp_path)
    for args in (("check", broken_report), ("rules",), ("explain", "T3-BALANCE")):
        code, _, err = run(*args)
        assert code == 2 and "colour" in err and "auditor.toml" in err


def test_missing_config_file_and_pyproject_without_the_table(broken_report, tmp_path):
    code, _, err = run("check", broken_report, "--config", tmp_path / "nope.toml")
    assert code == 2 and "nope.toml" in err and "不存在" in err
    pyproject = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    code, _, err = run("check", broken_report, "--config", pyproject)
    assert code == 2 and "[tool.auditor]" in err
