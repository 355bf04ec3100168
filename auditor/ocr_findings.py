"""Findings that rest on values read from a scan by OCR: never more than warnings.

A recogniser can misread a digit, and a misread digit makes sums disagree: such a finding
says where to look, not that the report is wrong. So after the rules ran, every finding
whose cells (or whose page, for prose) were read from an image is lowered to a warning,
says so, and carries the pictures of those cells for the reader to compare.
"""
from __future__ import annotations

from .model import Finding, Report

NOTE = "（据扫描件识别，请核对原件）"


def mark(report: Report, findings: list[Finding]) -> list[Finding]:
    scanned_pages = set(report.document.ocr_pages)
    if not scanned_pages:
        return findings
    all_scanned = _all_scanned(report, scanned_pages)
    for finding in findings:
        marks = _cell_marks(report, finding)
        if not (marks or all_scanned or finding.page in scanned_pages or _scanned_table(report, finding.table)):
            continue
        finding.ocr = marks
        if finding.severity == "error":
            finding.severity = "warning"
        if NOTE not in finding.message:
            finding.message += NOTE
    return findings


def _all_scanned(report: Report, scanned_pages: set[int]) -> bool:
    """Every page of the document was read from its image (a scan, an image file)."""
    pages = {b.source.page for b in report.document.blocks if getattr(b, "source", None) is not None}
    pages.discard(None)
    return report.document.format == "image" or (bool(pages) and pages <= scanned_pages)


def _scanned_table(report: Report, table_id: str | None) -> bool:
    """A table whose cells were read from a scan (a finding about it as a whole rests on them)."""
    if not table_id:
        return False
    table = report.tables.get(table_id) or report.tables.get(table_id.split(".")[0])
    if table is None or not table.sources:
        return False
    return any(source.ocr is not None for source in table.sources.values())


def _cell_marks(report: Report, finding: Finding) -> list[dict]:
    cells = list(finding.cells)
    if finding.table and finding.row and finding.column and (finding.table, finding.row, finding.column) not in cells:
        cells.append((finding.table, finding.row, finding.column))
    out: list[dict] = []
    for table_id, row, column in cells:
        table = report.tables.get(table_id) or report.tables.get(table_id.split(".")[0])
        source = table.sources.get((row, column)) if table is not None else None
        if source is None or source.ocr is None:
            continue
        score, image = source.ocr
        out.append({"table": table_id, "row": row, "column": column, "text": table.raw.get((row, column), ""),
                    "page": source.page, "score": score, "image": image})
    return out
