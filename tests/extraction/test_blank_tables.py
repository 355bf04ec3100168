"""Tables printed without numbers (a template left unfilled, numbers lost on a web page) are
said to be unchecked, once per table, in every text layout: never a clean result, never an
arithmetic error."""
from __future__ import annotations

import pytest

from auditor import audit_file
from tests.support.reportgen import TEXT_LAYOUTS, WEB_TEXT_LAYOUTS, make_report, render


def _blank(rep, tables: set[str]):
    if "t2" in tables:
        rep.t2 = {key: ["" for _ in values] for key, values in rep.t2.items()}
    for tid in {"t3", "t4"} & tables:
        setattr(rep, tid, {row: {col: "" for col in cells} for row, cells in getattr(rep, tid).items()})
    return rep


@pytest.mark.parametrize("layout", [l for l in TEXT_LAYOUTS + WEB_TEXT_LAYOUTS if l != "web_runs"])
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("blank", [{"t2", "t3", "t4"}, {"t3"}, {"t4"}])
def test_blank_tables_are_named_and_nothing_else_is_claimed(tmp_path, layout, template, blank):
    rep = _blank(make_report(template, seed=3), blank)
    path = tmp_path / "report.txt"
    path.write_text(render(rep, layout), encoding="utf-8")
    result = audit_file(path)
    named = {f.table for f in result.findings if f.rule == "CELL-TABLE-BLANK"}
    assert named == blank
    assert not [f.message for f in result.findings if f.severity == "error"]
    assert not [f for f in result.findings if f.rule in ("STRUCT-TABLES", "STRUCT-ROWS")]
