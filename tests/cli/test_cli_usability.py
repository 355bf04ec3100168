"""The command line as users of ruff or sqlfluff expect it: help in Chinese with examples,
exit codes and real defaults; colour on a terminal only; `-` for standard input; the
configuration in force and the outputs written named on stderr; --select/--ignore."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from auditor.cli import main
from tests.support.paths import EXAMPLES, REAL

HZ_2023 = REAL / "洪泽区人民政府-2023.layout.txt"
ENGLISH = ("Usage:", "Options:", "Show this message", "Error:", "Commands:", "Try '", "Missing argument",
           "No such", "is not one of", "[default", "[OPTIONS]", "COMMAND [ARGS]", "integer", "is not a valid",
           "requires an argument", "Did you mean")


def _invoke(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def test_help_is_chinese_with_examples_exit_codes_and_real_defaults():
    for args in (["--help"], ["check", "--help"], ["rules", "--help"], ["explain", "-h"]):
        result = _invoke(*args)
        assert result.exit_code == 0
        assert result.output.startswith("用法：auditor")
        assert not any(word in result.output for word in ENGLISH), result.output
    text = _invoke("check", "--help").output
    assert "例子：" in text and "auditor check 报告.pdf -o 审查结果.html" in text
    assert "退出码：" in text and "  2  " in text
    flat = "".join(text.split())  # wherever the help wraps
    assert f"本机{os.cpu_count() or 1}核" in flat  # --jobs 0 means every core of this machine
    assert "[默认：120.0]" in flat and "[默认：error]" in flat
    assert "有-o时为html，否则为text" in flat


def test_click_errors_are_chinese():
    for args in (["check"], ["check", "--format", "xml", "a.txt"], ["chek"], ["check", "--nope", "a.txt"],
                 ["check", "--jobs", "x", "a.txt"], ["explain"]):
        result = _invoke(*args)
        assert result.exit_code == 2
        assert "错误：" in result.output and "用法：" in result.output
        assert not any(word in result.output for word in ENGLISH), result.output
    assert "不是有效的整数。" in _invoke("check", "--jobs", "x", "a.txt").output
    assert "缺少参数 '规则编号'。" in _invoke("explain").output


def test_help_lines_fit_the_terminal_in_display_columns():
    from auditor.cli_zh import width

    text = _invoke("check", "--help", terminal_width=80).output
    assert max(width(line) for line in text.splitlines()) <= 120


def test_colour_on_a_terminal_respects_no_color_and_is_plain_in_a_pipe():
    coloured = _invoke("check", HZ_2023, color=True)
    assert "\x1b[" in coloured.output and "[错误]" in coloured.output
    plain = _invoke("check", HZ_2023, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output and "[错误]" in plain.output
    piped = _invoke("check", HZ_2023)  # not a terminal
    assert "\x1b[" not in piped.output


def test_dash_reads_the_report_from_standard_input(tmp_path):
    data = HZ_2023.read_bytes()
    result = _invoke("check", "-", "--format", "json", input=data)
    assert result.exit_code == 1
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["report"]["agency"] == "洪泽区人民政府" and report["source"]["path"] == "（标准输入）"
    page = tmp_path / "r.html"
    result = _invoke("check", "-", "-o", page, input=data)
    assert result.exit_code == 1 and "洪泽区人民政府" in page.read_text(encoding="utf-8")
    # a real pipe into the installed command, too
    proc = subprocess.run([sys.executable, "-m", "auditor", "check", "-"], input=data, capture_output=True)
    assert proc.returncode == 1 and "T4-PINPOINT" in proc.stdout.decode("utf-8")


def test_the_configuration_in_force_is_named_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "在此处运行时没有找到，使用默认设置" in "".join(_invoke("check", "--help").output.split())
    (tmp_path / "auditor.toml").write_text('ignore = ["YEAR-BODY"]\n', encoding="utf-8")
    assert f"在此处运行将使用{tmp_path / 'auditor.toml'}" in "".join(_invoke("check", "--help").output.split())
    result = _invoke("check", HZ_2023, "--format", "json")
    assert f"使用配置 {tmp_path / 'auditor.toml'}" in result.stderr
    assert "使用配置" not in result.stdout
    json.loads(result.stdout.strip().splitlines()[-1])  # stdout stays the findings


def test_select_and_ignore_on_the_command_line(tmp_path):
    def rules_hit(*args):
        result = _invoke("check", EXAMPLES / "兴庆区民政局-2019-seed000.txt", "--format", "json", *args)
        return {f["rule"] for f in json.loads(result.stdout.strip().splitlines()[-1])["findings"]}

    everything = rules_hit()
    assert "YEAR-BODY" in everything and any(r.startswith("STRUCT-") for r in everything)
    assert rules_hit("--select", "YEAR-") == {r for r in everything if r.startswith("YEAR-")}
    assert rules_hit("--select", "YEAR-,STRUCT-", "--ignore", "YEAR-BODY") == {
        r for r in everything if r.startswith(("YEAR-", "STRUCT-")) and r != "YEAR-BODY"}
    assert "YEAR-BODY" not in rules_hit("--ignore", "year-body")
    bad = _invoke("check", HZ_2023, "--select", "T9-")
    assert bad.exit_code == 2 and "--select 中的 'T9-' 不是任何规则的编号或前缀" in bad.output
    nothing = _invoke("check", HZ_2023, "--select", "T3-BALANCE", "--ignore", "T3-")
    assert nothing.exit_code == 2 and "按 --select 和 --ignore 选择后没有剩下任何规则" in nothing.output


def test_where_outputs_were_written_is_said(tmp_path):
    page = tmp_path / "审查结果.html"
    result = _invoke("check", HZ_2023, "-o", page)
    assert f"已写出：{page}" in result.stderr and page.exists()
    folder = tmp_path / "out"
    result = _invoke("check", EXAMPLES / "镇海区民政局-2019-seed003.txt", HZ_2023, "-o", folder)
    assert f"已写出：{folder / 'index.html'}" in result.stderr
    for name in ("index.html", "findings.xlsx", "findings.csv", "results.jsonl"):
        assert str(folder / name) in result.stderr and (folder / name).exists()
