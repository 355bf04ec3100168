"""Reports republished in traditional script (mirror sites), some with the pinyin of a few
characters injected after them ("機(jī)關(guān)"), are read like the simplified original: the same
tables, year, agency and findings, whatever the file format. The sources keep the text as
printed, and a simplified report never loads the converter."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from auditor import audit_file
from auditor.engine import load_catalogue
from auditor.readers import read_document
from auditor.render.json_out import result_dict
from tests.support.auditing import audit_text_result as _audit_text
from tests.support.reportgen import make_report, render
from tests.support.writers.docx_writer import write_docx
from tests.support.writers.html_writer import write_html

RULES = load_catalogue()
TO_TRADITIONAL = opencc.OpenCC("s2t").convert
# Pinyin that mirror sites inject after some traditional characters.
PINYIN = {"機": "jī", "關": "guān", "務": "wù", "報": "bào", "統": "tǒng", "項": "xiàng", "請": "qǐng", "發": "fā"}


def _with_pinyin(text: str) -> str:
    return "".join(ch + f"({PINYIN[ch]})" if ch in PINYIN else ch for ch in text)


def _comparable(result) -> dict:
    """What the JSON output says about the report, without the file it came from."""
    out = result_dict(result)
    findings = sorted((f["rule"], f["status"], f["table"], f["row"], f["column"], f["actual"], f["expected"])
                      for f in out["findings"])
    return {"report": out["report"], "tables": out["tables"], "findings": findings}


@settings(max_examples=12, deadline=None)
@given(template=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 500), pinyin=st.booleans(),
       agency=st.sampled_from(["测试市测试局", "甲县机关事务服务中心", "乙区人民政府办公室"]))
def test_a_report_in_traditional_script_reads_like_the_simplified_one(template, seed, pinyin, agency):
    rep = make_report(template, seed=seed, agency=agency)
    simplified = _audit_text(render(rep, "tabs"))
    traditional_text = TO_TRADITIONAL(render(rep, "tabs"))
    assert traditional_text != render(rep, "tabs")
    traditional = _audit_text(_with_pinyin(traditional_text) if pinyin else traditional_text)
    assert traditional.error is None and simplified.error is None
    assert _comparable(traditional) == _comparable(simplified)


def test_a_web_page_in_traditional_script_reads_like_the_simplified_one(tmp_path):
    rep = make_report("2021", seed=7, agency="国家机关事务管理局")
    simplified = audit_file(write_html(rep, tmp_path / "simplified.html"), RULES)
    page = write_html(rep, tmp_path / "page.html")
    page.write_text(_with_pinyin(TO_TRADITIONAL(page.read_text(encoding="utf-8"))), encoding="utf-8")
    traditional = audit_file(page, RULES)
    assert traditional.format == "html" and traditional.report.agency == "国家机关事务管理局"
    assert _comparable(traditional) == _comparable(simplified)


def test_a_word_document_in_traditional_script_reads_like_the_simplified_one(tmp_path):
    rep = make_report("2019", seed=11, agency="甲县机关事务服务中心")
    simplified = audit_file(write_docx(rep, tmp_path / "simplified.docx"), RULES)
    source = write_docx(rep, tmp_path / "source.docx")
    converted = tmp_path / "traditional.docx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(converted, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":
                data = TO_TRADITIONAL(data.decode("utf-8")).encode("utf-8")  # the markup is ASCII
            out.writestr(item, data)
    traditional = audit_file(converted, RULES)
    assert traditional.format == "docx" and traditional.report.agency == "甲县机关事务服务中心"
    assert _comparable(traditional) == _comparable(simplified)


def test_an_opening_in_traditional_script_with_pinyin(audit_json, write_report):
    text = ("本年度報告由國家機(jī)關(guān)事務(wù)管理局根據(jù)《中華人民共和國政府信息公開條例》要求編制而成。"
            "本年度報告中所列數據統計期限從2021年1月1日起至2021年12月31日止。\n一、總體情況\n"
            "2021年，本機(jī)關(guān)深入貫徹落實《中華人民共和國政府信息公開條例》，著力提升政府信息公開工作規範化水平。\n")
    result = audit_json(write_report(text))
    assert result["error"] is None
    assert (result["report"]["year"], result["report"]["agency"]) == (2021, "国家机关事务管理局")


def test_the_source_keeps_the_text_as_printed(write_report):
    doc = read_document(write_report("政府信息公開工作年度報告\n本機(jī)關(guān)統計期限\n"))
    assert [b.text for b in doc.blocks[:2]] == ["政府信息公开工作年度报告", "本机关统计期限"]
    assert [b.source.raw for b in doc.blocks[:2]] == ["政府信息公開工作年度報告", "本機(jī)關(guān)統計期限"]


@pytest.mark.parametrize("text", ["情况(a)说明", "张三(zhangsan)同志", "图表(见附件)", "Café(é)菜单", "(ā)开头"])
def test_parentheses_that_are_not_injected_pinyin_are_kept(write_report, text):
    assert read_document(write_report(text + "\n")).blocks[0].text == text


def test_a_simplified_report_does_not_load_the_converter(write_report):
    path = write_report(render(make_report("2021", seed=3)))
    code = ("import json, sys\nfrom auditor import audit_file\nr = audit_file(sys.argv[1])\n"
            "print(json.dumps([r.error, 'opencc' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [None, False]
