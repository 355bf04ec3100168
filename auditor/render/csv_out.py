"""One CSV row per finding (UTF-8 with BOM so that Excel opens it).

Text cells come from the report (the agency's name, quoted sentences) and from file names:
one starting with =, +, -, @ or a tab would be run as a formula by Excel or WPS, so it is
written with a leading apostrophe, which spreadsheets show as plain text. Numbers stay
numbers."""
from __future__ import annotations

import csv
import io
from typing import Iterable, TextIO

from ..model import AuditResult, json_number

COLUMNS = ["file", "agency", "year", "rule", "severity", "status", "message", "table", "row", "column", "line", "page", "expected", "actual", "fingerprint", "suppressed", "explained_by"]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(result: AuditResult) -> Iterable[list]:
    """finding_rows made safe for a CSV file."""
    for row in finding_rows(result):
        yield inert_row(row)


def inert_row(row: list) -> list:
    """One of finding_rows made safe for a CSV file."""
    return [_inert(value) for value in row]


def _inert(value):
    """Text a spreadsheet would take for a formula, made plain text; everything else as is."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def finding_rows(result: AuditResult) -> Iterable[list]:
    """The values of COLUMNS, one row per finding (or one INPUT-ERROR row), as they are: for
    typed outputs such as findings.xlsx, whose text cells are never formulas."""
    report = result.report
    if result.error:
        yield [result.path, "", "", "INPUT-ERROR", "error", "fail", result.error, "", "", "", "", "", "", "", "", "", ""]
        return
    for f in result.findings:
        expected, actual = json_number(f.expected), json_number(f.actual)  # as in the JSON
        yield [result.path, report.agency or "", report.year or "", f.rule, f.severity, f.status, f.message,
               f.table or "", f.row or "", f.column or "", f.line or "", f.page or "", expected if expected is not None else "",
               actual if actual is not None else "", f.fingerprint, _suppressed(f), f.explained_by or ""]


def _suppressed(f) -> str:
    """The reason an office accepted the finding ("" when it counts)."""
    if f.suppressed is None:
        return ""
    who = "，".join(x for x in (f.suppressed.by, f.suppressed.date) if x)
    return f"已豁免：{f.suppressed.reason}" + (f"（{who}）" if who else "")


def render_csv(results: Iterable[AuditResult]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for result in results:
        writer.writerows(csv_rows(result))
    return "\ufeff" + buf.getvalue()


def write_indicator_csv(out: TextIO, rows: Iterable) -> None:
    """indicators.csv: one line per readable report (dashboard.ReportRow), its indicators as
    percentages with one decimal, their change from last year in percentage points, and the rank
    by 实质公开率 (only over at least 30 reports). The definitions are in findings.xlsx (指标说明)
    and on the dashboard. Written line by line: a batch of thousands never holds the whole file."""
    from ..indicators import INDICATORS

    writer = csv.writer(out)
    writer.writerow(["file", "agency", "year"] + [i.name for i in INDICATORS] + [f"{i.name}较上年（百分点）" for i in INDICATORS]
                    + ["实质公开率位次"])
    for r in rows:
        if not r.indicators:
            continue
        values = [_pct(r.indicators.get(i.id)) for i in INDICATORS]
        deltas = [_pct(r.changes.get(i.id)) for i in INDICATORS]
        writer.writerow([_inert(r.path), _inert(r.agency or ""), r.year or ""] + values + deltas + [r.rank or ""])


def _pct(value) -> object:
    return "" if value is None else round(value * 100, 1)
