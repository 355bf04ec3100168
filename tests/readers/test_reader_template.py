"""The national template as bureaus fill it in Word (tests/fixtures/template: the published
政务公开年报模版.docx filled with a generated report, exported by LibreOffice to .doc, PDF
and HTML by make_fixtures.py). Every format must give the generator's values exactly."""
from __future__ import annotations

import shutil

import pytest

from auditor import audit_file
from auditor.readers.doc import CONVERTER_VARIABLE
from tests.support.paths import ROOT
from tests.support.reportgen import ORG, make_report

HERE = ROOT / "tests" / "fixtures" / "template"
FILLED = "模板填报-2024"
EXPECTED = make_report("2021", year=2024, seed=11)  # the values make_fixtures.py wrote


def _assert_generator_values(result) -> None:
    assert result.error is None, result.error
    tables = result.report.tables
    for row_id, values in EXPECTED.t3.items():
        assert [tables["t3"].value(row_id, c) for c in ORG + ["tot"]] == [values[c] for c in ORG + ["tot"]], row_id
    for block, values in EXPECTED.t4.items():
        assert [tables["t4"].value(block, c) for c in values] == list(values.values()), block
    for (block, row_id), printed in EXPECTED.t2.items():
        table = tables[f"t2.{block}"]
        assert [table.value(row_id, c) for c in table.values.columns] == [float(v) for v in printed], (block, row_id)
    assert (result.report.agency, result.report.year, result.report.template) == ("测试市测试局", 2024, "2021")
    # The filled-in section 六 only states the fees: a hint (info) that the 2021 format asks for more.
    assert [(f.rule, f.severity) for f in result.findings] == [("STRUCT-SEC6-ELEMENTS", "info")]


@pytest.mark.parametrize("suffix", ["docx", "pdf", "html"])
def test_filled_template_exported_by_word_tools(suffix):
    result = audit_file(HERE / f"{FILLED}.{suffix}")
    assert result.format == suffix
    _assert_generator_values(result)


def test_blank_template_reports_blank_cells_not_zeros():
    result = audit_file(HERE / "政务公开年报模版.docx")
    t3 = result.report.tables["t3"]
    assert t3.rows_found >= set(EXPECTED.t3) and t3.values.isna().all().all()
    assert not [f for f in result.findings if f.status == "fail" and f.rule.startswith("T3-")]


@pytest.mark.parametrize("converter, program", [("soffice", "soffice"), ("wvhtml", "wvHtml")])
def test_legacy_doc_through_each_converter(monkeypatch, converter, program):
    """With the converter installed the .doc reads like the .docx; without it, a clear error."""
    monkeypatch.setenv(CONVERTER_VARIABLE, converter)
    result = audit_file(HERE / f"{FILLED}.doc")
    if shutil.which(program):
        assert result.format == "doc"
        _assert_generator_values(result)
    else:
        assert result.report is None and "另存为 .docx" in result.error and f"{FILLED}.doc" in result.error


def test_legacy_doc_without_any_converter_is_a_clear_error(monkeypatch, run_cli):
    monkeypatch.setenv("PATH", "/nonexistent")
    code, out = run_cli("check", HERE / f"{FILLED}.doc")
    assert code == 2
    assert "Word 97-2003" in out and "另存为 .docx" in out and "安装 LibreOffice" in out


def test_input_files_are_not_modified(tmp_path):
    before = {p.name: p.read_bytes() for p in HERE.iterdir() if p.is_file()}
    for name in before:
        audit_file(HERE / name)
    assert {p.name: p.read_bytes() for p in HERE.iterdir() if p.is_file()} == before
    assert not list(HERE.glob("*.html.*")) and not list(HERE.glob("input.*"))
