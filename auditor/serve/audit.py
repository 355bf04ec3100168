"""One upload audited: the report (and last year's, for the year-over-year rules) in the
worker pool, the uploaded suppression file applied, then the page and workbook rendered.

Runs in a thread of the web server; every failure becomes an AuditRefused with a Chinese
message and an HTTP status, never an exception the server would answer with a traceback.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

from ..crossyear import pair_findings
from ..engine import Rule
from ..year_record import agency_key, year_record
from ..model import AuditResult
from ..pipeline import AuditPool, internal_error
from ..suppressions import SuppressionError, SuppressionSet, load_suppressions
from .results import ServedAudit
from .uploads import Upload, UploadedFile


class AuditRefused(Exception):
    """The upload could not be audited; the message says why and what to do."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def audit_upload(upload: Upload, pool: AuditPool, rules: list[Rule], debug: bool = False) -> ServedAudit:
    report = upload.files.get("report")
    if report is None:
        raise AuditRefused(400, "请先选择要审查的报告文件（txt、md、html、docx、pdf 或 doc）")
    _not_empty(report, "报告文件")
    suppressions = _suppressions(upload.files.get("suppressions"))
    result = pool.audit(report.path)
    if result.error:
        raise AuditRefused(422, _shown(result.error, report))
    notes: list[str] = []
    previous = upload.files.get("previous")
    if previous is not None:
        result = _with_year_over_year(result, report.name, previous, pool, rules, notes)
    result = replace(result, path=report.name)  # as the user knows it, also for the entries' file patterns
    if suppressions is not None:
        result = suppressions.mark(result)
        _note_unused(suppressions, notes)
    try:
        return ServedAudit(report.name, _page(result), _workbook(result, report.path.parent), result.findings,
                           suppressions.entries if suppressions else [], notes)
    except Exception as exc:  # noqa: BLE001 - a report that fails to render is this upload's error
        raise AuditRefused(500, internal_error(report.name, exc, debug)) from None


def _not_empty(uploaded: UploadedFile, what: str) -> None:
    if uploaded.size == 0:
        raise AuditRefused(422, f"{what}“{uploaded.name}”是空的（0 字节），请重新选择文件；"
                                "如果是从网页或邮件下载的，请确认下载已完成")


def _shown(message: str, uploaded: UploadedFile) -> str:
    """A message about a stored upload, naming the file as the user knows it (messages name
    a file by its path or by its name)."""
    return message.replace(str(uploaded.path), uploaded.name).replace(uploaded.path.name, uploaded.name)


def _suppressions(uploaded: Optional[UploadedFile]) -> Optional[SuppressionSet]:
    if uploaded is None:
        return None
    _not_empty(uploaded, "豁免文件")
    try:
        return load_suppressions(uploaded.path)
    except SuppressionError as exc:
        raise AuditRefused(422, _shown(str(exc), uploaded)) from None


def _with_year_over_year(result: AuditResult, report_name: str, previous: UploadedFile, pool: AuditPool,
                         rules: list[Rule], notes: list[str]) -> AuditResult:
    """The result with the year-over-year findings against last year's report, or a note
    saying why none were looked for."""
    if previous.size == 0:
        notes.append(f"上一年度的报告“{previous.name}”是空的，未做跨年度核对")
        return result
    earlier = pool.audit(previous.path)
    if earlier.error:
        notes.append(f"上一年度的报告无法审查，未做跨年度核对：{_shown(earlier.error, previous)}")
        return result
    now, before = year_record(result), year_record(earlier)
    if now is None or before is None:
        which = "本报告" if now is None else f"上一年度的报告“{previous.name}”"
        notes.append(f"{which}未能识别出机关名称或年度，未做跨年度核对")
        return result
    if now.key != agency_key(before.agency) or before.year != now.year - 1:
        notes.append(f"上一年度的报告“{previous.name}”是{before.agency} {before.year} 年的报告，"
                     f"与本报告（{now.agency} {now.year} 年）不是同一机关的相邻两年，未做跨年度核对")
        return result
    # The records named as the user knows the files: the findings quote last year's file name
    # and take it into their fingerprints, as a batch of the same files would.
    earlier_name = previous.name if previous.name != report_name else str(previous.path)
    now, before = replace(now, path=report_name), replace(before, path=earlier_name)
    late = pair_findings([before, now], rules).get(report_name, [])
    notes.append(f"已与上一年度的报告“{previous.name}”（{before.year} 年）做跨年度核对："
                 + (f"{len(late)} 条意见，已列入下方" if late else "未发现问题"))
    return replace(result, findings=result.findings + late)


def _note_unused(suppressions: SuppressionSet, notes: list[str]) -> None:
    unused = suppressions.unused()
    if unused:
        notes.append(f"豁免文件中有 {len(unused)} 条未匹配本报告的任何意见（报告已改正，或指纹有误）；"
                     "下载的豁免文件仍保留这些条目")


def _page(result: AuditResult) -> str:
    from ..render.html import render_html

    return render_html(result)


def _workbook(result: AuditResult, folder: Path) -> bytes:
    from ..render.xlsx_out import FindingsWorkbook

    path = folder / "findings.xlsx"
    with FindingsWorkbook(path) as book:
        book.add(result)
    return path.read_bytes()
