"""`auditor explain`: every rule explains itself with its examples, edits in plain Chinese, and
the catalogue refuses rule documentation it cannot show or run."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.engine import load_catalogue


def run(*args) -> tuple[int, str, str]:
    """The CLI with stdout and stderr apart: (exit code, stdout, stderr)."""
    from auditor.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_explain_works_for_every_rule_listed_by_rules():
    code, out, _ = run("rules")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    catalogue = {r.id: r for r in load_catalogue()}
    assert ids and set(ids) == set(catalogue)
    for rule_id in ids:
        code, text, err = run("explain", rule_id)
        rule = catalogue[rule_id]
        assert code == 0, err
        assert text.startswith(f"{rule_id}：{rule.title}\n")
        for heading in ("检查什么", "为什么", "怎么改", "通过的例子", "不通过的例子"):
            assert f"\n{heading}\n" in text, (rule_id, heading)
        assert rule.doc.what.strip() in text and rule.doc.fix.strip() in text
        for example in rule.doc.examples:
            assert f"情况：{example.says}" in text, (rule_id, example.says)
            if example.message:
                assert f"审查意见应包含：{example.message}" in text
        assert "{" not in text.replace(rule.title, "")  # no edit shown as raw TOML


def test_explain_accepts_lower_case_and_unknown_rule_is_exit_2():
    assert run("explain", "t3-balance")[0] == 0
    code, out, err = run("explain", "NO-SUCH")
    assert code == 2 and out == ""
    assert "没有编号为 NO-SUCH 的规则" in err and "T3-BALANCE" in err


def test_described_only_examples_say_why_they_are_not_run():
    code, text, _ = run("explain", "XYEAR-CARRY-OVER")
    assert code == 0 and "相邻两年的报告一起批量审查" in text
    code, text, _ = run("explain", "READ-UNREAD-PAGES")
    assert code == 0 and "需要 PDF 文件" in text


# ---------------------------------------------------------------- edits in words (a local rule pack)


RULE_HEAD = '''id = "LOCAL-DEMO"
title = "演示规则"
severity = "warning"
formats = ["2021"]
kind = "identity"
message = "{table}“{line}”列不符。"

[params]
table = "t3"
along = "column"
left = ["new"]
right = ["handled_total"]

[doc]
what = "演示。"
why = "演示。"
fix = "演示。"
'''

DEMO_EXAMPLES = '''
[[doc.examples]]
verdict = "pass"
says = "干净的报告。"

[[doc.examples]]
verdict = "fail"
says = "表格各处改动。"
set = { "t3.carried.np" = 35, "t3.deny_1.tot" = "-2", "t3.new.biz" = "+1", "t4.review.total" = "", "t2.art20_1.normative_docs.made" = "无" }
drop_rows = ["deny_7"]
drop_t4 = true
message = "“自然人”列不符"

[[doc.examples]]
verdict = "fail"
says = "正文和年份改动。"
sentence = "全年共受理申请 10 件，其中自然人 7 件。"
replace = [["五、存在的主要问题及改进情况", "五、存在的问题"], ["本年度未收取信息处理费。", ""]]
drop_sections = ["s6"]
year = 2022
title_year = 2021
period_year = 2020

[[doc.examples]]
verdict = "fail"
says = "第五部分加一句。"
sentence = "2022年的问题已整改。"
section = "s5"
'''


def _pack(tmp_path: Path, text: str, name: str = "LOCAL-DEMO.toml") -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_edits_are_shown_in_plain_chinese_with_the_formats_labels(tmp_path):
    code, text, err = run("explain", "LOCAL-DEMO", "--rules", _pack(tmp_path, RULE_HEAD + DEMO_EXAMPLES))
    assert code == 0, err
    lines = [line.strip(" ·") for line in text.splitlines()]
    for expected in [
        "LOCAL-DEMO：演示规则",
        "级别：警告（warning）    适用：2021 年格式",
        "1. 通过 · 2021 年格式",
        "做法：一份按格式填写、各项数字一致的报告，不作改动",
        "把表三“上年结转”行“自然人”列改为 35",
        "把表三“（三）不予公开 1.属于国家秘密”行“总计”列减 2",
        "把表三“本年新收”行“商业企业”列加 1",
        "把表四“行政复议”栏“总计”列留空",
        "把表二第二十条第（一）项“行政规范性文件”行“本年制发件数”列填为“无”",
        "删去表三的 “（三）不予公开 7.属于行政执法案卷” 行",
        "删去表四（第四部分只留标题和文字）",
        "审查意见应包含：“自然人”列不符",
        "在第一部分（总体情况）加入：“全年共受理申请 10 件，其中自然人 7 件。”",
        "把“五、存在的主要问题及改进情况”改为“五、存在的问题”",
        "删去“本年度未收取信息处理费。”",
        "删去第六部分的标题“六、其他需要报告的事项”（该部分的文字保留）",
        "报告年度改为 2022 年（标题、统计期限和正文一起改）",
        "标题中的年份改为 2021 年",
        "统计期限的年份改为 2020 年",
        "在第五部分（存在的主要问题及改进情况）加入：“2022年的问题已整改。”",
    ]:
        assert expected in lines, (expected, text)
    assert "t3." not in text and "deny_" not in text  # ids never shown to readers


# ---------------------------------------------------------------- documentation the catalogue refuses


@pytest.mark.parametrize("examples, words", [
    ('\n[[doc.examples]]\nverdict = "pass"\nsays = "x"\n', "至少要有一个不通过的例子"),
    ('\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\n', "至少要有一个通过的例子"),
    ("", "缺少例子"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "maybe"\nsays = "x"\n', "verdict"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nsett = { "t3.new.np" = 1 }\n', "未知的键 sett"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\ntemplate = "2019"\n', "template"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nrunnable = false\n', "runnable = false"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nset = { "t3.nope.np" = 1 }\n', "t3.nope.np"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nset = { "t3.new.np" = true }\n', "t3.new.np"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\ndrop_rows = ["deny_9"]\n', "drop_rows"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nsection = "s2"\n', "section"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\nsays = "x"\nyear = "2022"\n', "year"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "pass"\nsays = "x"\nmessage = "y"\n', "message"),
    (DEMO_EXAMPLES + '\n[[doc.examples]]\nverdict = "fail"\n', "says"),
    ('pass_example = "旧写法"\nfail_example = "旧写法"\n' + DEMO_EXAMPLES, "pass_example"),
])
def test_bad_documentation_is_a_chinese_error_naming_file_and_key(tmp_path, examples, words):
    folder = _pack(tmp_path, RULE_HEAD + examples)
    for args in (("rules", "--rules", folder), ("explain", "T3-BALANCE", "--rules", folder)):
        code, out, err = run(*args)
        assert code == 2 and out == ""
        assert "LOCAL-DEMO.toml" in err and words in err, err


def test_runnable_false_is_accepted_for_year_over_year_and_picture_page_kinds(tmp_path):
    text = RULE_HEAD.replace('kind = "identity"', 'kind = "carry_over"').replace(
        "{table}“{line}”列不符。", "“{column}”列与上年不衔接。").replace(
        '[params]\ntable = "t3"\nalong = "column"\nleft = ["new"]\nright = ["handled_total"]\n', "") + '''
[[doc.examples]]
verdict = "pass"
runnable = false
says = "两年衔接。"

[[doc.examples]]
verdict = "fail"
runnable = false
says = "两年不衔接。"
'''
    code, out, err = run("explain", "LOCAL-DEMO", "--rules", _pack(tmp_path, text))
    assert code == 0, err
    assert "情况：两年不衔接。" in out and "批量审查" in out
    bad = text + '\n[[doc.examples]]\nverdict = "fail"\nrunnable = false\nsays = "x"\nyear = 2020\n'
    code, _, err = run("explain", "LOCAL-DEMO", "--rules", _pack(tmp_path, bad))
    assert code == 2 and "只有 says" in err
