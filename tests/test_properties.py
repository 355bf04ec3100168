"""Properties over random consistent 表三 tables of both formats, in every text layout."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from auditor.engine import load_catalogue
from auditor.spec import format_spec
from reportgen import LAYOUTS, ORG, GenReport, consistent_t3, consistent_t4, default_t2, render

RULES = load_catalogue()
COLUMNS = ORG + ["tot"]


@st.composite
def reports(draw):
    template = draw(st.sampled_from(["2019", "2021"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    year = 2020 if template == "2019" else draw(st.integers(2021, 2025))
    rep = GenReport(template, year, t2=default_t2(template, rng), t3=consistent_t3(template, rng, high=draw(st.integers(1, 400))),
                    t4=consistent_t4(rng))
    return rep, draw(st.sampled_from(LAYOUTS))


def _audit(rep, layout):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.txt"
        path.write_text(render(rep, layout), encoding="utf-8")
        return audit_file(path, RULES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_consistent_report_has_no_failure(case):
    rep, layout = case
    result = _audit(rep, layout)
    assert [f.message for f in result.findings] == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_any_single_cell_change_is_reported_at_that_cell(case, data):
    rep, layout = case
    row = data.draw(st.sampled_from(list(format_spec(rep.template).t3_rows)))
    col = data.draw(st.sampled_from(COLUMNS))
    old = rep.t3[row][col]
    new = data.draw(st.integers(0, old + 500).filter(lambda v: v != old))
    rep.t3[row][col] = new
    result = _audit(rep, layout)
    failing = [f for f in result.findings if f.status == "fail" and f.table == "t3"]
    assert failing, f"{row}.{col}: {old} → {new} not reported"
    assert any(("t3", row, col) in f.cells for f in failing)
    assert result.report.tables["t3"].value(row, col) == new
