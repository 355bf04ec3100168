"""One CSV row per finding (UTF-8 with BOM so that Excel opens it)."""
from __future__ import annotations

import csv
import io
from typing import Iterable

from ..model import AuditResult

COLUMNS = ["file", "agency", "year", "rule", "severity", "status", "message", "table", "row", "column", "line", "page", "expected", "actual", "fingerprint", "suppressed"]


def csv_rows(result: AuditResult) -> Iterable[list]:
    report = result.report
    if result.error:
        yield [result.path, "", "", "INPUT-ERROR", "error", "fail", result.error, "", "", "", "", "", "", "", "", ""]
        return
    for f in result.findings:
        d = f.to_dict()
        yield [result.path, report.agency or "", report.year or "", f.rule, f.severity, f.status, f.message,
               f.table or "", f.row or "", f.column or "", f.line or "", f.page or "", d["expected"] if d["expected"] is not None else "",
               d["actual"] if d["actual"] is not None else "", d["fingerprint"], _suppressed(f)]


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
