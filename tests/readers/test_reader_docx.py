"""The DOCX reader: generated reports read as their text rendering, merged cells resolved
from the XML, body order, Word's markup (revisions, fields, content controls, alternate
content, text boxes) and files that cannot be read."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
import regex as re

from auditor import audit_file
from auditor.model import Paragraph, TableBlock
from auditor.readers import read_document
from tests.support.reportgen import make_report, render
from tests.support.writers.docx_writer import WORDML_STRICT, document_xml, write_docx, write_raw_docx

VARIANTS = {
    "plain": {},
    "split_runs": {"split_runs": True},
    "grid_before": {"split_runs": True, "style": "grid_before"},
}
_HAN = re.compile(r"\p{Han}")


def _text_audit(rep, tmp_path: Path):
    path = tmp_path / "report.txt"
    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return audit_file(path)


def _finding_keys(result) -> set[tuple]:
    return {(f.rule, f.status, f.table, f.row, f.column) for f in result.findings}


def _assert_same_tables(result, reference) -> None:
    assert set(result.report.tables) == set(reference.report.tables)
    for table_id, table in reference.report.tables.items():
        got = result.report.tables[table_id].values
        assert got.equals(table.values), f"{table_id}:\n{got}\n!=\n{table.values}"


def _tables(doc) -> list[TableBlock]:
    return [b for b in doc.blocks if isinstance(b, TableBlock)]


def _paragraphs(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def _cells(table: TableBlock) -> list[list[tuple]]:
    return [[(c.text, c.rowspan, c.colspan, c.covered) for c in row] for row in table.rows]


# ---------------------------------------------------------------- generated reports


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_docx_gives_the_tables_and_findings_of_the_text_rendering(tmp_path, template, variant):
    rep = make_report(template, seed=11)
    reference = _text_audit(rep, tmp_path)
    result = audit_file(write_docx(rep, tmp_path / "report.docx", **VARIANTS[variant]))
    assert result.error is None and result.format == "docx"
    assert result.report.template == template and result.report.year == rep.year
    _assert_same_tables(result, reference)
    assert _finding_keys(result) == _finding_keys(reference)


@pytest.mark.parametrize("template, variant", [("2019", "split_runs"), ("2021", "grid_before")])
def test_a_changed_t3_cell_is_reported_at_that_cell_as_in_text(tmp_path, template, variant):
    rep = make_report(template, seed=5)
    rep.t3["new"]["biz"] += 7
    reference = _text_audit(rep, tmp_path)
    result = audit_file(write_docx(rep, tmp_path / "report.docx", **VARIANTS[variant]))
    failing = [f for f in result.findings if f.status == "fail" and f.table == "t3"]
    assert any(("t3", "new", "biz") in f.cells for f in failing)
    assert result.report.tables["t3"].value("new", "biz") == rep.t3["new"]["biz"]
    assert _finding_keys(result) == _finding_keys(reference)


def test_split_labels_and_numbers_are_joined_back(tmp_path):
    rep = make_report("2021", seed=2)
    doc = read_document(write_docx(rep, tmp_path / "r.docx", split_runs=True))
    cells = [c.text for t in _tables(doc) for row in t.rows for c in row]
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in cells
    assert "法人或其他组织" in cells and str(rep.t3["new"]["tot"]) in cells
    assert f"{rep.year}年政府信息公开工作年度报告" in _paragraphs(doc)


def test_grid_before_leaves_a_leading_empty_cell_in_the_last_row(tmp_path):
    doc = read_document(write_docx(make_report("2021", seed=2), tmp_path / "r.docx", style="grid_before"))
    t4 = _tables(doc)[-1]
    assert _cells(t4)[0][:2] == [("行政复议", 1, 6, False), ("", 1, 1, True)]
    assert _cells(t4)[3][0] == ("", 1, 1, False)
    assert len(t4.rows[3]) == 16


# ---------------------------------------------------------------- merged cells and order


def test_python_docx_merges_give_text_once_with_spans(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向"
    table.cell(1, 2).merge(table.cell(2, 3)).text = "块"
    for r, c, text in ((0, 2, "丙"), (0, 3, "丁"), (1, 1, "１２"), (2, 1, "3")):
        table.cell(r, c).text = text
    path = tmp_path / "merged.docx"
    document.save(path)
    [grid] = _tables(read_document(path))
    assert _cells(grid) == [
        [("横向", 1, 2, False), ("", 1, 1, True), ("丙", 1, 1, False), ("丁", 1, 1, False)],
        [("纵向", 2, 1, False), ("12", 1, 1, False), ("块", 2, 2, False), ("", 1, 1, True)],
        [("", 1, 1, True), ("3", 1, 1, False), ("", 1, 1, True), ("", 1, 1, True)],
    ]
    source = grid.rows[1][2].source
    assert (source.table, source.row, source.col, source.raw) == (0, 1, 2, "块")


def test_paragraph_table_paragraph_keep_body_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("表格之前")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "单元格"
    document.add_paragraph("表格之后")
    path = tmp_path / "order.docx"
    document.save(path)
    doc = read_document(path)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "TableBlock", "Paragraph"]
    assert (doc.blocks[0].text, doc.blocks[2].text) == ("表格之前", "表格之后")
    assert [b.source.line for b in doc.blocks if isinstance(b, Paragraph)] == [1, 2]
    assert doc.format == "docx"


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


_TEXT_BOX = (
    "<w:r><mc:AlternateContent>"
    "<mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
    f"<w:txbxContent>{_p(_run('文本框内容'))}</w:txbxContent>"
    "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox>"
    f"<w:txbxContent>{_p(_run('文本框内容'))}</w:txbxContent>"
    "</v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)

_TABLE = (
    "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
    '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
    + _tc(_p(_run("甲")), '<w:gridSpan w:val="2"/>') + _tc(_p(_run("乙"))) + "</w:tr>"
    "<w:tr>"
    + _tc(_p(_run("丙")), '<w:hMerge w:val="restart"/>') + _tc("<w:p/>", "<w:hMerge/>")
    + _tc(_p(_run("丁")), '<w:vMerge w:val="restart"/>')
    + _tc(_p(_run("戊")) + "<w:tbl><w:tr>" + _tc(_p(_run("内表"))) + "</w:tr></w:tbl><w:p/>") + "</w:tr>"
    '<w:tr><w:trPr><w:del w:id="9" w:author="审核人"/></w:trPr>' + _tc(_p(_run("删除的行"))) + "</w:tr>"
    '<w:tr><w:trPr><w:gridAfter w:val="1"/></w:trPr>'
    + _tc(_p(_run("本年新收政府信")) + _p(_run("息公开申请数量")))
    + _tc(_p(_run("合计")) + _p(_run("1"), _run("2")))
    + _tc("<w:p/>", "<w:vMerge/>") + "</w:tr>"
    "</w:tbl>"
)

_BODY = "".join([
    _p(_run("开头段落")),
    '<w:sdt><w:sdtPr><w:alias w:val="控件"/></w:sdtPr><w:sdtContent>' + _p(_run("控件中的段落")) + "</w:sdtContent></w:sdt>",
    "<w:customXml>" + _p(_run("自定义标记中的段落")) + "</w:customXml>",
    "<mc:AlternateContent><mc:Choice Requires=\"w14\">" + _p(_run("选择分支"))
    + "</mc:Choice><mc:Fallback>" + _p(_run("后备分支")) + "</mc:Fallback></mc:AlternateContent>",
    _p(_run("共收到申请 "), '<w:del w:id="1" w:author="a"><w:r><w:delText>99</w:delText></w:r></w:del>',
       '<w:ins w:id="2" w:author="a">' + _run("12") + "</w:ins>", _run(" 件"), _run("隐藏文字", "<w:rPr><w:vanish/></w:rPr>")),
    _p(_run("第"), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>',
       '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', _run("3"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>', _run("页")),
    _p(_run("20"), _run("23"), _run("年"), "<w:r><w:noBreakHyphen/></w:r>", _run("２０２４　年"),
       "<w:r><w:tab/></w:r>", _run("甲"), "<w:r><w:br/></w:r>", _run("换行之后")),
    _p(_run("锚定段落"), _TEXT_BOX),
    _TABLE,
    _p(_run("结尾段落")),
])


def test_word_markup_is_read_as_the_document_reads(tmp_path):
    doc = read_document(write_raw_docx(tmp_path / "raw.docx", document_xml(_BODY)))
    assert _paragraphs(doc)[:9] == [
        "开头段落", "控件中的段落", "自定义标记中的段落", "选择分支", "共收到申请 12 件", "第3页",
        "2023年-2024 年\t甲", "换行之后", "锚定段落",
    ]
    assert _paragraphs(doc)[9:] == ["文本框内容", "结尾段落"]
    assert [b.source.line for b in doc.blocks if isinstance(b, Paragraph)] == list(range(1, 12))
    assert doc.blocks[0].source.raw == "开头段落"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds[-4:] == ["Paragraph", "TableBlock", "TableBlock", "Paragraph"]


def test_grid_before_after_hmerge_vmerge_and_nested_tables_from_xml(tmp_path):
    doc = read_document(write_raw_docx(tmp_path / "raw.docx", document_xml(_BODY)))
    outer, nested = _tables(doc)
    assert _cells(outer) == [
        [("", 1, 1, False), ("甲", 1, 2, False), ("", 1, 1, True), ("乙", 1, 1, False)],
        [("丙", 1, 2, False), ("", 1, 1, True), ("丁", 2, 1, False), ("戊", 1, 1, False)],
        [("本年新收政府信息公开申请数量", 1, 1, False), ("合计 12", 1, 1, False), ("", 1, 1, True), ("", 1, 1, False)],
    ]
    assert _cells(nested) == [[("内表", 1, 1, False)]]
    assert (outer.source.table, nested.source.table) == (0, 1)
    assert nested.rows[0][0].source.table == 1


def test_strict_ooxml_namespace_is_read(tmp_path):
    body = _p(_run("严格模式")) + "<w:tbl><w:tr>" + _tc(_p(_run("单元格")), '<w:gridSpan w:val="2"/>') + "</w:tr></w:tbl>"
    doc = read_document(write_raw_docx(tmp_path / "strict.docx", document_xml(body, WORDML_STRICT)))
    assert _paragraphs(doc) == ["严格模式"]
    assert _cells(_tables(doc)[0]) == [[("单元格", 1, 2, False), ("", 1, 1, True)]]


# ---------------------------------------------------------------- files that cannot be read


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    for i in range(40):
        document.add_paragraph(f"第{i}段正文内容")
    document.save(buffer)
    return buffer.getvalue()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _encrypted_flag(data: bytes) -> bytes:
    """Mark every entry as encrypted (general purpose bit 0), as a password-protected zip is."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.find(signature)
        while start != -1:
            out[start + flag_at] |= 1
            start = out.find(signature, start + 4)
    return bytes(out)


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("说明.txt", "不是 Word 文档")
    return buffer.getvalue()


def _empty_docx() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _raw(body_or_document: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", body_or_document)
    return buffer.getvalue()


BAD_FILES = {
    "corrupt": (lambda: b"PK\x03\x04" + bytes(range(256)) * 8, "文件已损坏"),
    "truncated": (lambda: _truncated(_docx_bytes()), "文件已损坏"),
    "plain_zip": (_plain_zip, "ZIP 压缩文件"),
    "encrypted_entry": (lambda: _encrypted_flag(_docx_bytes()), "已加密"),
    "malformed_xml": (lambda: _raw('<w:document xmlns:w="x"><w:body><w:p>'), "不是有效的 XML"),
    "not_wordml": (lambda: _raw("<html><body>网页</body></html>"), "不是 Word 正文的结构"),
    "no_text": (_empty_docx, "没有可读取的文字"),
    "alt_chunk": (lambda: _raw(document_xml('<w:altChunk r:id="rId9"/>')), "altChunk"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_unreadable_docx_gives_a_chinese_error_naming_the_file(tmp_path, case):
    make, expected = BAD_FILES[case]
    path = tmp_path / f"{case}.docx"
    path.write_bytes(make())
    result = audit_file(path)
    assert result.report is None and result.findings == []
    assert result.error.startswith(f"{path}：")
    assert expected in result.error and _HAN.search(result.error.split("：", 1)[1])


def test_a_broken_docx_after_a_too_deep_one_is_called_broken(tmp_path):
    """lxml keeps earlier files' errors in its global log: a file read after a too-deep one must
    still be judged on its own errors."""
    from auditor import errors
    deep = tmp_path / "deep.docx"
    deep.write_bytes(_raw("<w:p>" * (errors.MAX_NESTING_DEPTH + 100) + "</w:p>" * (errors.MAX_NESTING_DEPTH + 100)))
    assert "嵌套超过" in audit_file(deep).error
    broken = tmp_path / "broken.docx"
    broken.write_bytes(BAD_FILES["malformed_xml"][0]())
    assert "不是有效的 XML" in audit_file(broken).error


def test_cli_exits_2_when_no_docx_could_be_audited(run_cli, tmp_path):
    corrupt = tmp_path / "损坏.docx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    empty = tmp_path / "空白.docx"
    empty.write_bytes(_empty_docx())
    code, out = run_cli("check", corrupt, empty, "--format", "json")
    assert code == 2
    assert "损坏.docx：" in out and "文件已损坏" in out
    assert "空白.docx：" in out and "没有可读取的文字" in out
