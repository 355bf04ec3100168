"""Properties over generated reports of both formats (plain and realistic), in every text
layout and in the file formats: a consistent report raises nothing, and any single 表三
cell changed is reported by the identity rules at that cell."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from auditor.engine import load_catalogue
from tests.support.corpus.defects import t3_identities
from tests.support.corpus.variants import VARIANTS, fmt, write_variant
from tests.support.reportgen import render
from tests.support.strategies import cell_mutations, consistent_reports, text_layouts

RULES = load_catalogue()
T3_IDENTITY_RULES = {"T3-ROW-TOTAL", "T3-BALANCE", "T3-OUTCOME-SUM"}
FILE_VARIANTS = [v for v in VARIANTS if fmt(v) != "text"]
LAYOUTS = text_layouts()


def _audit_text(rep, layout):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.txt"
        path.write_text(render(rep, layout), encoding="utf-8")
        return audit_file(path, RULES)


def _audit_file(rep, variant):
    with tempfile.TemporaryDirectory() as d:
        return audit_file(write_variant(rep, variant, Path(d) / "r"), RULES)


def _assert_found_at(mutation, result):
    table, row, col = mutation.cell
    failing = [f for f in result.findings if f.status == "fail" and f.rule in T3_IDENTITY_RULES]
    assert {f.rule for f in failing} == set(t3_identities(mutation.report.template, row, col)), \
        f"{row}.{col}: {mutation.old} → {mutation.new}: {[f.message for f in failing]}"
    assert all(mutation.cell in f.cells for f in failing), [(f.rule, f.cells) for f in failing]
    assert result.report.tables["t3"].value(row, col) == mutation.new


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), LAYOUTS)
def test_consistent_report_has_no_finding(rep, layout):
    result = _audit_text(rep, layout)
    assert [(f.rule, f.excerpt or f.message) for f in result.findings] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(rich=True), st.sampled_from(FILE_VARIANTS))
def test_consistent_report_has_no_finding_in_any_file_format(rep, variant):
    result = _audit_file(rep, variant)
    assert result.error is None
    assert [(f.rule, f.excerpt or f.message) for f in result.findings] == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_mutations(tables=("t3",)), LAYOUTS)
def test_any_single_t3_cell_change_is_reported_at_that_cell(mutation, layout):
    _assert_found_at(mutation, _audit_text(mutation.report, layout))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_mutations(tables=("t3",), rich=True, max_change=50), st.sampled_from(FILE_VARIANTS))
def test_single_t3_cell_change_is_reported_at_that_cell_in_any_file_format(mutation, variant):
    _assert_found_at(mutation, _audit_file(mutation.report, variant))
