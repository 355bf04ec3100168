"""The JSON object of design.md, one per report."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .. import __version__
from ..model import AuditResult, Table, json_number


def table_dict(table: Table) -> dict[str, Any]:
    return {
        "rows": list(table.values.index),
        "columns": list(table.values.columns),
        "values": [[json_number(v) if not pd.isna(v) else None for v in row] for row in table.values.to_numpy()],
    }


def result_dict(result: AuditResult) -> dict[str, Any]:
    report = result.report
    return {
        "tool": {"name": "report-auditor", "version": __version__},
        "source": {"path": result.path, "format": result.format, "sha256": result.sha256},
        "report": {
            "title": report.title if report else None,
            "agency": report.agency if report else None,
            "year": report.year if report else None,
            "template": report.template if report else None,
        },
        "tables": {tid: table_dict(t) for tid, t in report.tables.items() if t.rows_found} if report else {},
        "findings": [f.to_dict() for f in result.findings],
        "summary": {**result.summary, "suppressed": result.suppressed},
        "error": result.error,
    }


def render_json(result: AuditResult, indent: int | None = None) -> str:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=indent)
