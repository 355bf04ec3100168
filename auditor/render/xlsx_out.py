"""findings.xlsx for a batch: the CSV's rows as a spreadsheet, written as results arrive.

xlsxwriter's constant_memory mode flushes each row to a per-sheet temporary file once a
later row is started, so memory stays flat over thousands of reports as long as every
sheet is written top to bottom. The findings sheet is appended to as results arrive; the
report sheet is written in close() from one small line per file, because a batch may add
a file's late (year-over-year) findings after the others and that file keeps one line.
Cells are written with the typed write_* calls, never write(): report text starting with
"=" must stay text, not become a formula.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Optional

import xlsxwriter
import xlsxwriter.exceptions

from ..model import AuditResult
from .csv_out import COLUMNS, finding_rows
from .dashboard import TEMPLATE_LABELS, ReportRow, report_row

FINDINGS_SHEET = "审查意见"
REPORTS_SHEET = "报告"
BATCH_SHEET = "名册核对"
INDICATORS_SHEET = "指标"
DEFINITIONS_SHEET = "指标说明"
BATCH_COLUMNS = [  # (id, Chinese header, width)
    ("rule", "规则", 22), ("severity", "级别", 8), ("status", "状态", 10), ("unit", "单位", 26), ("year", "年度", 8),
    ("message", "说明", 80), ("files", "文件", 40), ("fingerprint", "指纹", 18),
]

FINDING_HEADERS = {
    "file": "文件", "agency": "机关", "year": "年度", "rule": "规则", "severity": "级别", "status": "状态",
    "message": "说明", "table": "表", "row": "行", "column": "列", "line": "行号", "page": "页码",
    "expected": "应为", "actual": "实为", "fingerprint": "指纹", "location": "位置", "suppressed": "豁免",
    "explained_by": "归入（定位意见的指纹）",
}
FINDING_COLUMNS = COLUMNS + ["location"]
FINDING_WIDTHS = {"file": 36, "agency": 24, "rule": 18, "message": 70, "row": 14, "column": 12, "fingerprint": 18, "location": 10, "suppressed": 30, "explained_by": 18}

REPORT_COLUMNS = [  # (id, Chinese header, width)
    ("file", "文件", 36), ("agency", "机关", 24), ("year", "年度", 8), ("format", "文件格式", 10),
    ("template", "报告格式", 12), ("errors", "错误", 8), ("warnings", "警告", 8), ("infos", "提示", 8),
    ("uncertain", "无法核对", 10), ("unreadable", "无法审查的原因", 60),
]


class FindingsWorkbook:
    """Add results one by one, then close(). Findings go straight to disk; only one small
    line per file (its counts) is kept until close()."""

    def __init__(self, path: str | Path) -> None:
        self._book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        bold = self._book.add_format({"bold": True, "bg_color": "#E9EDF2", "text_wrap": True, "valign": "top"})
        self._bold = bold
        self._wrap = self._book.add_format({"text_wrap": True, "valign": "top"})
        self._findings = self._sheet(FINDINGS_SHEET, [_header(c) for c in FINDING_COLUMNS], bold)
        self._reports = self._sheet(REPORTS_SHEET, [f"{zh} {c}" for c, zh, _ in REPORT_COLUMNS], bold)
        for i, column in enumerate(FINDING_COLUMNS):
            wrap = self._wrap if column == "message" else None
            self._findings.set_column(i, i, FINDING_WIDTHS.get(column, 9), wrap)
        for i, (_, _, width) in enumerate(REPORT_COLUMNS):
            self._reports.set_column(i, i, width)
        self._finding_rows = 0
        self._report_lines: dict[str, ReportRow] = {}  # by file, in the order first added

    def _sheet(self, name: str, headers: list[str], header_format) -> Any:
        sheet = self._book.add_worksheet(name)
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, header_format)
        sheet.freeze_panes(1, 0)
        return sheet

    def add(self, result: AuditResult) -> None:
        """Write a result's findings; adding the same file again adds further findings to it."""
        # finding_rows yields one row per finding in order, or one INPUT-ERROR row.
        locations = [""] if result.error else [f.location for f in result.findings]
        rows = [[*values, location] for values, location in zip(finding_rows(result), locations)]
        self.add_rows(result.path, rows)
        line = replace(report_row(result, None), rule_counts={})  # keep only what the sheet shows
        earlier = self._report_lines.get(result.path)
        self._report_lines[result.path] = line if earlier is None else _combined(earlier, line)

    def add_rows(self, path: str, rows: list) -> None:
        """A result's finding rows (each finding_rows' values and the location) as a batch's
        worker process made them; the batch gives the report sheet's lines to close()."""
        for values in rows:
            self._finding_rows += 1
            _write_row(self._findings, self._finding_rows, values)

    def add_batch_findings(self, findings: list) -> None:
        """The findings about the batch (engine.kinds.office.BatchFinding): a sheet of their own."""
        if not findings:
            return
        sheet = self._sheet(BATCH_SHEET, [f"{zh} {c}" for c, zh, _ in BATCH_COLUMNS], self._bold)
        for i, (_, _, width) in enumerate(BATCH_COLUMNS):
            sheet.set_column(i, i, width, self._wrap if width > 40 else None)
        for row, f in enumerate(findings, start=1):
            d = f.to_dict()
            _write_row(sheet, row, [d["rule"], d["severity"], d["status"], d["unit"] or "", d["year"] or "",
                                    d["message"], "\n".join(d["files"]), d["fingerprint"]])
        sheet.autofilter(0, 0, len(findings), len(BATCH_COLUMNS) - 1)

    def add_indicators(self, rows: Iterable[ReportRow]) -> None:
        """The 指标 sheet (one line per readable report) and the definitions (指标说明)."""
        from ..indicators import INDICATORS, MIN_RANKED

        readable = (r for r in rows if r.indicators)
        first = next(readable, None)
        if first is None:
            return
        percent = self._book.add_format({"num_format": "0.0%"})
        heads = ["文件", "机关", "年度"] + [i.name for i in INDICATORS] + [f"{i.name}较上年" for i in INDICATORS] + ["实质公开率位次"]
        sheet = self._sheet(INDICATORS_SHEET, heads, self._bold)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 24)
        sheet.set_column(3, 2 + 2 * len(INDICATORS), 12, percent)
        n = 0
        for n, r in enumerate(chain([first], readable), start=1):
            values = [r.path, r.agency or "", r.year or ""] + [r.indicators.get(i.id) for i in INDICATORS] \
                + [r.changes.get(i.id) for i in INDICATORS] + [r.rank]
            _write_row(sheet, n, values)
        sheet.autofilter(0, 0, n, len(heads) - 1)
        notes = self._sheet(DEFINITIONS_SHEET, ["指标", "定义"], self._bold)
        notes.set_column(0, 0, 18)
        notes.set_column(1, 1, 100, self._wrap)
        lines = [(i.name, i.definition) for i in INDICATORS] + [
            ("较上年", "与本单位上一年度报告的同一指标之差（百分点，格式显示为百分数）；上一年度报告不在本批中时为空。"),
            ("实质公开率位次", f"按实质公开率从高到低的名次；本批少于 {MIN_RANKED} 份报告时不排名次（为空）。"),
            ("空白", "所需单元格空白或分母为 0 时不计算。")]
        for n, (name, text) in enumerate(lines, start=1):
            _write_row(notes, n, [name, text])

    def close(self, report_lines: Optional[Iterable[ReportRow]] = None) -> None:
        """Write the report sheet (from the lines given, one per file, else from the results
        added) and the file."""
        lines = self._report_lines.values() if report_lines is None else report_lines
        count = 0
        for count, line in enumerate(lines, start=1):
            _write_row(self._reports, count, _report_values(line))
        self._findings.autofilter(0, 0, self._finding_rows, len(FINDING_COLUMNS) - 1)
        self._reports.autofilter(0, 0, count, len(REPORT_COLUMNS) - 1)
        try:
            self._book.close()
        except xlsxwriter.exceptions.FileCreateError as exc:  # the file system's own error, said as such
            raise (exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc) from None

    def __enter__(self) -> "FindingsWorkbook":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _header(column: str) -> str:
    return f"{FINDING_HEADERS[column]} {column}"


def _combined(earlier: ReportRow, more: ReportRow) -> ReportRow:
    return replace(
        earlier,
        errors=earlier.errors + more.errors,
        warnings=earlier.warnings + more.warnings,
        infos=earlier.infos + more.infos,
        uncertain=earlier.uncertain + more.uncertain,
    )


def _report_values(row: ReportRow) -> list:
    readable = row.unreadable is None
    counts = [row.errors, row.warnings, row.infos, row.uncertain] if readable else ["", "", "", ""]
    template = TEMPLATE_LABELS.get(row.template or "", "") if readable else ""
    return [row.path, row.agency or "", row.year or "", row.format or "", template, *counts, row.unreadable or ""]


def _write_row(sheet: Any, row: int, values: list) -> None:
    for col, value in enumerate(values):
        _write_cell(sheet, row, col, value)


def _write_cell(sheet: Any, row: int, col: int, value: Optional[object]) -> None:
    if value is None or value == "":
        return  # a blank cell, as the CSV's empty field
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
