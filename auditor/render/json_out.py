"""The JSON object of design.md, one per report."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..model import AuditResult, Table, json_number


def table_dict(table: Table) -> dict[str, Any]:
    """The same cells as table.values, read from the cell dict (no DataFrame to build)."""
    rows, columns = list(table.row_labels), list(table.column_labels)
    out = {
        "rows": rows,
        "columns": columns,
        "values": [[json_number(table.value(r, c)) for c in columns] for r in rows],
    }
    # Cells read from a scan by OCR: [row, column, score] (score null where nothing was recognised)
    scanned = [[r, c, table.sources[(r, c)].ocr[0]] for r in rows for c in columns
               if (r, c) in table.sources and table.sources[(r, c)].ocr is not None]
    if scanned:
        out["ocr"] = scanned
    return out


def result_dict(result: AuditResult) -> dict[str, Any]:
    report = result.report
    return {
        "tool": {"name": "report-auditor", "version": __version__},
        "source": {"path": result.path, "format": result.format, "sha256": result.sha256,
                   **_ocr_source(report)},
        "report": {
            "title": report.title if report else None,
            "agency": report.agency if report else None,
            "year": report.year if report else None,
            "template": report.template if report else None,
        },
        "tables": {tid: table_dict(t) for tid, t in report.tables.items() if t.rows_found} if report else {},
        "findings": [f.to_dict() for f in result.findings],
        "summary": {**result.summary, "suppressed": result.suppressed, "explained": result.explained},
        "error": result.error,
    }


def _ocr_source(report) -> dict[str, Any]:
    """Pages read from their images by OCR, and the time it took (only for such files)."""
    document = getattr(report, "document", None) if report else None
    if document is None or not document.ocr_pages:
        return {}
    return {"ocr_pages": list(document.ocr_pages), "ocr_seconds": round(document.ocr_seconds, 2)}


def render_json(result: AuditResult, indent: int | None = None) -> str:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=indent)
