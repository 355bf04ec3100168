"""The HTML reader: web pages and Word-exported HTML read as the text rendering of the same
report is, merged cells expanded, page chrome left out, encodings decoded before parsing."""
from __future__ import annotations

import codecs

import pandas as pd
import pytest
import regex as re

from tests.support import docgen
from auditor import audit_file
from auditor.model import Paragraph, TableBlock
from auditor.readers import read_document
from tests.support.reportgen import make_report, render
from tests.support.writers.html_writer import write_html

AGENCY = "测试市堃山区数据局"  # 堃 is in GBK but not in GB2312
VARIANTS = {
    "utf8": {},
    "gb2312-declared": {"encoding": "gb18030", "declared": "gb2312"},
    "spans": {"spans": True},
    "word": {"word": True},
    "chrome": {"chrome": True},
    "everything": {"chrome": True, "word": True, "spans": True, "encoding": "gb18030", "declared": "gbk"},
}
CHROME_TEXTS = ("版权所有", "ICP", "当前位置", "首页", "分享到", "阅读次数", "siteName", "document.write",
                "政务服务热线", "搜索", "网站标识码", "导航")


def _report(template: str, defect: bool = False):
    rep = make_report(template, seed=7)
    rep.agency = AGENCY
    if defect:
        rep.t3["carried"]["sci"] += 4  # breaks 勾稽 in one column and the row total of 上年结转
    return rep


def _as_text_file(rep, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return path


def _comparable(finding) -> tuple:
    message = re.sub(r"第\s*\d+\s*行", "第#行", finding.message)  # line numbers differ between formats
    return (finding.rule, finding.severity, finding.status, finding.table, finding.row, finding.column,
            message, finding.expected, finding.actual, tuple(map(tuple, finding.cells)))


def _metadata(report) -> tuple:
    headings = {sid: s.heading for sid, s in report.sections.items()}
    return report.title, report.agency, report.year, report.template, report.period.text, headings


# ---------------------------------------------------------------- same audit as the text rendering


@pytest.mark.parametrize("defect", [False, True], ids=["consistent", "defect"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_html_audits_like_the_text_rendering(tmp_path, template, variant, defect):
    rep = _report(template, defect)
    html_result = audit_file(write_html(rep, tmp_path / "report.html", **VARIANTS[variant]))
    text_result = audit_file(_as_text_file(rep, tmp_path))
    assert html_result.error is None and html_result.format == "html"
    html_report, text_report = html_result.report, text_result.report

    assert html_report.template == template
    assert _metadata(html_report) == _metadata(text_report)
    assert set(html_report.tables) == set(text_report.tables)
    for table_id, table in text_report.tables.items():
        assert table.has_values, table_id
        pd.testing.assert_frame_equal(html_report.tables[table_id].values, table.values, obj=table_id)

    html_findings = sorted(map(_comparable, html_result.findings))
    assert html_findings == sorted(map(_comparable, text_result.findings))
    failing_cells = {(f.table, f.row, f.column) for f in html_result.findings if f.status == "fail"}
    if defect:
        assert ("t3", None, "sci") in failing_cells and ("t3", "carried", None) in failing_cells
    else:
        assert failing_cells == set()


def _shape(document) -> list:
    """Paragraph texts and table grids as (text, covered): what a perfect reader produces."""
    out = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.append([[(c.text, c.covered) for c in row] for row in block.rows])
    return out


@pytest.mark.parametrize("variant", VARIANTS)
def test_document_matches_the_perfect_reader(tmp_path, variant):
    rep = _report("2021")
    doc = read_document(write_html(rep, tmp_path / "report.html", **VARIANTS[variant]))
    expected = _shape(docgen.to_document(rep))
    got = _shape(doc)
    if VARIANTS[variant].get("chrome"):
        # The article's own title and 发布时间 line precede the report on a CMS page.
        assert got[0] == f"{AGENCY}{rep.year}年政府信息公开工作年度报告" and got[1].startswith("发布时间：")
        got = got[2:]
    assert got == expected
    paragraph_lines = [b.source.line for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraph_lines == [i for i, b in enumerate(doc.blocks, start=1) if isinstance(b, Paragraph)]
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert [t.source.table for t in tables] == list(range(len(tables)))
    assert all(c.source.table == t.source.table for t in tables for row in t.rows for c in row)


def test_gb2312_declared_page_keeps_characters_outside_gb2312(tmp_path):
    path = write_html(_report("2021"), tmp_path / "gbk.html", encoding="gb18030", declared="gb2312")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("gb2312")  # the page really is outside what it declares
    result = audit_file(path)
    assert "堃" in result.report.agency and "堃" in result.report.title
    assert "encoding=gb18030" in result.report.document.notes
    assert result.report.document.blocks[-1].text == "2024年1月20日"  # nothing truncated


@pytest.mark.parametrize("variant", ["chrome", "everything"])
def test_scripts_menus_and_footer_are_left_out(tmp_path, variant):
    rep = _report("2021")
    doc = read_document(write_html(rep, tmp_path / "cms.html", **VARIANTS[variant]))
    text = _all_text(doc)
    for chrome in CHROME_TEXTS:
        assert chrome not in text, chrome
    for year in (rep.year - 1, rep.year - 2, rep.year - 3, rep.year - 4):  # related links, scripts, hidden copy
        assert f"{year}年政府信息公开工作年度报告" not in text


def _all_text(doc) -> str:
    parts = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(c.text for row in block.rows for c in row)
    return "\n".join(parts)


# ---------------------------------------------------------------- hand-written pages


def _page(tmp_path, body: str, name: str = "page.html", head: str = '<meta charset="utf-8">') -> str:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return str(path)


def _grid(block: TableBlock) -> list[list[tuple]]:
    """Anchors as (text, rowspan, colspan), covered positions as None."""
    return [[None if c.covered else (c.text, c.rowspan, c.colspan) for c in row] for row in block.rows]


def test_merged_cells_expand_into_a_full_rectangle(tmp_path):
    path = _page(tmp_path, """
      <p>前文</p>
      <table border="1">
        <tfoot><tr><td colspan="2">合计</td><td>9</td></tr></tfoot>
        <thead><tr><th colspan="3">合并表头</th><th>总计</th></tr></thead>
        <tbody>
          <tr><td rowspan="2px">纵向<br>合并</td><td colspan="0">1</td><td>2</td><td rowspan="x">3</td></tr>
          <tr><td>4</td></tr>
          <tr><td>5</td><td>6</td><td>7</td><td>8</td><td>9</td></tr>
        </tbody>
      </table>
      <table><tr><td rowspan="2">整列</td><td>a</td><td rowspan="0">零</td></tr>
        <tr><td rowspan="0" colspan="1"></td><td>b</td><td>e</td></tr>
        <tr><td>d</td><td rowspan="9">c</td></tr></table>""")
    doc = read_document(path)
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "TableBlock", "TableBlock"]
    first, second = doc.blocks[1], doc.blocks[2]
    assert _grid(first) == [
        [("合并表头", 1, 3), None, None, ("总计", 1, 1), ("", 1, 1)],
        [("纵向合并", 2, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1), ("", 1, 1)],
        [None, ("4", 1, 1), ("", 1, 1), ("", 1, 1), ("", 1, 1)],
        [("5", 1, 1), ("6", 1, 1), ("7", 1, 1), ("8", 1, 1), ("9", 1, 1)],
        [("合计", 1, 2), None, ("9", 1, 1), ("", 1, 1), ("", 1, 1)],  # tfoot comes last whatever its place
    ]
    assert all(c.text == "" for row in first.rows for c in row if c.covered)
    cell = first.rows[1][0]
    assert (cell.source.table, cell.source.row, cell.source.col, cell.source.raw) == (0, 1, 0, "纵向合并")
    assert (first.rows[3][4].source.row, first.rows[3][4].source.col) == (3, 4)
    # rowspan="0" on a position merged from above is a converter's placeholder (wvHtml) and
    # takes no place; elsewhere it means no span. A rowspan past the end is clipped.
    assert _grid(second) == [[("整列", 2, 1), ("a", 1, 1), ("零", 1, 1)],
                             [None, ("b", 1, 1), ("e", 1, 1)],
                             [("d", 1, 1), ("c", 1, 1), ("", 1, 1)]]
    assert second.source.table == 1 and second.rows[2][1].source.table == 1


def test_text_inside_cells_and_paragraphs_is_joined_like_a_browser_shows_it(tmp_path):
    path = _page(tmp_path, """
      <p class=MsoNormal><span>20</span><span>23</span>年，本机关<span style="color:red">认真</span>
        贯彻落实条例。<o:p></o:p></p>
      <p>第一行<br>第二行&nbsp;&nbsp;and&nbsp; more</p>
      <div>直接文字<p>段落</p>尾随文字</div>
      <pre>项目\t数量\n规章\t12</pre>
      <table border="1">
        <tr><td>本年新收政府信<br>息公开申请数量</td><td><span>1</span><span>2</span><span>3</span></td><td>１２</td></tr>
        <tr><td><p>Total</p><p>count</p></td><td><p class=MsoNormal><span>政府信息公开
              申请</span></p></td><td>  4 5\u3000</td></tr>
        <tr><td><p><o:p>&nbsp;</o:p></p></td><td>a<b>b</b>c</td><td>x</td></tr>
      </table>""")
    doc = read_document(path)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["2023年，本机关认真贯彻落实条例。", "第一行", "第二行 and more", "直接文字", "段落", "尾随文字",
                          "项目\t数量", "规章\t12"]
    table = next(b for b in doc.blocks if isinstance(b, TableBlock))
    assert [[c.text for c in row] for row in table.rows] == [
        ["本年新收政府信息公开申请数量", "123", "12"],
        ["Total count", "政府信息公开申请", "4 5"],
        ["", "abc", "x"],
    ]
    assert [b.source.line for b in doc.blocks if isinstance(b, Paragraph)] == list(range(1, 9))


def test_layout_tables_are_unwrapped_and_inner_tables_kept(tmp_path):
    data_table = "<table><tr><td>项目</td><td>数量</td></tr><tr><td>规章</td><td>5</td></tr></table>"
    path = _page(tmp_path, f"""
      <table width="1000"><tr>
        <td><p>第一段正文。</p>{data_table}<p>第二段正文。</p>
            <table><tr><td><div>单格包裹的正文。</div><div>另一段。</div></td></tr></table></td>
        <td>右栏文字</td>
      </tr></table>""")
    doc = read_document(path)
    assert [b.text if isinstance(b, Paragraph) else [[c.text for c in r] for r in b.rows] for b in doc.blocks] == [
        "第一段正文。", [["项目", "数量"], ["规章", "5"]], "第二段正文。", "单格包裹的正文。", "另一段。", "右栏文字",
    ]
    assert doc.blocks[1].source.table == 0


def test_chrome_is_dropped_but_never_the_report(tmp_path):
    rows = "".join(f"<tr><td>行{i}</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(3))
    path = _page(tmp_path, f"""
      <div class="navbar">首页 机构概况</div>
      <div id="footer-wrap">版权所有 京ICP备1号</div>
      <div style="display: none">隐藏的旧数据 999</div>
      <article><header><h1>文章内标题</h1></header><p>正文第一段。</p></article>
      <div class="footer"><table>{rows}</table></div>
      <div class="content-nav-box">这里是正文区域。</div>
      <table><tr class="top"><th class="header">项目</th><th id="nav">数量</th></tr>
        <tr><td class="footer">规章</td><td><span class="share">7</span></td></tr></table>""")
    doc = read_document(path)
    text = _all_text(doc)
    assert [[c.text for c in row] for row in doc.blocks[-1].rows] == [["项目", "数量"], ["规章", "7"]]
    assert "首页" not in text and "版权所有" not in text and "隐藏" not in text
    assert "文章内标题" in text and "正文第一段。" in text
    assert "行2" in text  # a figure table is kept even inside something named footer
    assert "这里是正文区域。" in text  # a content container is not chrome because its name says nav


@pytest.mark.parametrize("head, encoding, expected", [
    ('<meta charset="gb2312">', "gb18030", "gb18030"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gb18030", "gb18030"),
    ("", "gb18030", "gb18030"),  # nothing declared: UTF-8 fails, GB18030 reads it
    ('<meta charset="utf-8">', "gb18030", "gb18030"),  # wrong declaration
    ('<meta charset="gb2312">', "utf-8", "utf-8"),  # stale declaration on a UTF-8 page
])
def test_encodings_are_found_before_parsing(tmp_path, head, encoding, expected):
    # Even runs of Chinese characters: these UTF-8 bytes also decode as GB18030, so only the
    # right choice of codec gives the text back.
    page = f"<html><head>{head}</head><body><p>堃山区数据局年度报告</p><p>２０２３年度 5 件数</p></body></html>"
    data = page.encode(encoding)
    data.decode("gb18030")
    path = tmp_path / "enc.html"
    path.write_bytes(data)
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["堃山区数据局年度报告", "2023年度 5 件数"]
    assert f"encoding={expected}" in doc.notes


def test_xml_declaration_and_bom(tmp_path):
    xhtml = tmp_path / "x.xhtml"
    xhtml.write_bytes('<?xml version="1.0" encoding="gb2312"?>\n<html><body><p>堃山区</p></body></html>'.encode("gb18030"))
    assert [b.text for b in read_document(xhtml).blocks] == ["堃山区"]
    bom = tmp_path / "bom.html"
    bom.write_bytes(codecs.BOM_UTF8 + '<html><head><meta charset="gb2312"></head><body><p>堃山区</p></body></html>'.encode())
    doc = read_document(bom)
    assert [b.text for b in doc.blocks] == ["堃山区"] and "encoding=utf-8" in doc.notes


# ---------------------------------------------------------------- bad input


def test_page_without_text_is_an_input_error_in_chinese(tmp_path):
    path = _page(tmp_path, '<div class="main"><img src="scan1.png"><script>var n = "加载中";</script></div>',
                 name="empty.html")
    result = audit_file(path)
    assert result.report is None and result.findings == []
    assert path in result.error and "没有可审查的文字内容" in result.error and "图片" in result.error


def test_undecodable_page_is_an_input_error(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><head><meta charset='gb2312'></head><body><p>" + b"\x80\xff" * 200 + b"</p></body></html>")
    result = audit_file(path)
    assert result.report is None and str(path) in result.error and "编码" in result.error


def test_html_named_file_with_plain_text_is_read_as_text(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(_report("2021"), "tabs"), encoding="utf-8")
    result = audit_file(path)
    assert result.error is None and result.format == "text"
    assert result.report.tables["t3"].has_values


def test_batch_of_unreadable_pages_exits_2(run_cli, tmp_path):
    empty = _page(tmp_path, "<div><script>var a = 1;</script></div>", name="empty.html")
    broken = tmp_path / "broken.htm"
    broken.write_bytes(b"<html><body>" + b"\x80\xff" * 100 + b"</body></html>")
    code, out = run_cli("check", empty, broken, "--format", "json")
    assert code == 2
    assert "没有可审查的文字内容" in out and "编码" in out
