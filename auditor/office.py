"""The office's own checks around the per-report audit: a step after a report's rules (PUB-DEADLINE,
META-UNIT-NAME, which need the roster, a publication date or the file itself) and a step after
the whole batch (BATCH-ROSTER-MISSING, BATCH-DUP-UNIT-YEAR, ROLLUP-SUM).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Iterable

from .engine import Rule
from .engine.kinds.office import BATCH_KINDS, REPORT_KINDS, BatchFinding, OfficeContext, Submission
from .model import AuditResult


def with_office_findings(result: AuditResult, context: OfficeContext, rules: Iterable[Rule]) -> AuditResult:
    """The result with the per-report office findings added (none for a file that was not audited)."""
    if result.error or result.report is None:
        return result
    found = []
    for rule in rules:
        if rule.kind in REPORT_KINDS and rule.applies_to(result.report.template):
            found.extend(REPORT_KINDS[rule.kind](result, context, rule))
    return replace(result, findings=result.findings + found) if found else result


def batch_findings(subs: list[Submission], context: OfficeContext, rules: Iterable[Rule]) -> list[BatchFinding]:
    out: list[BatchFinding] = []
    for rule in rules:
        if rule.kind in BATCH_KINDS:
            out.extend(BATCH_KINDS[rule.kind](subs, context, rule))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: (order[f.severity], f.rule, f.unit or "", f.year or 0))


def review_year(subs: list[Submission], given: int | None) -> int | None:
    """The year under review: as given (--year), else the year most reports of the batch are
    for (the latest of equals), so that one stray report of another year does not move it."""
    if given is not None:
        return given
    counts = Counter(s.year for s in subs if s.year is not None)
    return max(counts, key=lambda y: (counts[y], y)) if counts else None
