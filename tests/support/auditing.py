"""Shared test helpers: audit a text as a user's file would be audited, and compare what two
versions of the same report read to (a PDF and its text rendering)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable

from auditor import audit_file
from auditor.engine import load_catalogue
from auditor.render.json_out import result_dict
from tests.support.reportgen import GenReport, render

RULES = load_catalogue()


def audit_text_result(text: str):
    """The audit of a text file holding `text`, as the library returns it (AuditResult)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "report.txt"
        path.write_text(text, encoding="utf-8")
        return audit_file(path, RULES)


def as_json(result) -> dict:
    """The result as `--format json` prints it (through a JSON round trip)."""
    return json.loads(json.dumps(result_dict(result), ensure_ascii=False))


def audit_text(text: str) -> dict:
    """The report's JSON for a text file holding `text`; the text must be audited."""
    result = as_json(audit_text_result(text))
    assert result["error"] is None, result["error"]
    return result


def table_values(result) -> dict:
    """Every table's cells, blank as -1, for comparing two readings of one report."""
    return {tid: t.values.fillna(-1).values.tolist() for tid, t in result.report.tables.items()}


def finding_keys(result) -> list:
    return sorted((f.rule, f.status, f.table or "", f.row or "", f.column or "") for f in result.findings)


def pdf_and_text(tmp_path: Path, rep: GenReport, write: Callable[..., Path], **layout):
    """The audits of the report written as a PDF by `write` and as tab-separated text."""
    pdf = audit_file(write(rep, tmp_path / "report.pdf", **layout))
    txt = tmp_path / "report.txt"
    txt.write_text(render(rep, "tabs"), encoding="utf-8")
    return pdf, audit_file(txt)
