"""The JSON object of design.md, one per report."""
from __future__ import annotations

import json
from itertools import product
from typing import Any, Optional, Union

from .. import __version__
from ..model import AuditResult, Table


def table_dict(table: Table) -> dict[str, Any]:
    """The same cells as table.values, read from the cell dict (no DataFrame to build)."""
    rows, columns = list(table.row_labels), list(table.column_labels)
    # Row by row, in C (map, product): a report has some 200 cells. Table.numbers holds a
    # float or None per cell set (Table.set); a cell never set is blank.
    cells = list(map(_cell_number, map(table.numbers.get, product(rows, columns))))
    width = len(columns)
    out = {
        "rows": rows,
        "columns": columns,
        "values": [cells[i * width : (i + 1) * width] for i in range(len(rows))],
    }
    # Cells read from a scan by OCR: [row, column, score] (score null where nothing was recognised)
    if any(source.ocr is not None for source in table.sources.values()):
        out["ocr"] = [[r, c, table.sources[(r, c)].ocr[0]] for r in rows for c in columns
                      if (r, c) in table.sources and table.sources[(r, c)].ocr is not None]
    return out


def _cell_number(value: Optional[float]) -> Union[int, float, None]:
    """model.json_number of a cell's float (or None): 200 cells a report, so without its
    conversions for numpy's and pandas' values, which Table.numbers never holds."""
    if value is None or value != value:  # blank, or NaN
        return None
    return int(value) if value.is_integer() else round(value, 6)


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
