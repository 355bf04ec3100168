"""The office's own checks around the per-report audit: a step after a report's rules (PUB-DEADLINE,
META-UNIT-NAME, which need the roster, a publication date or the file itself) and a step after
the whole batch (BATCH-ROSTER-MISSING, BATCH-DUP-UNIT-YEAR, ROLLUP-SUM).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Iterable

from .engine import Rule, run_batch_rules, run_office_rules
from .engine.kinds.office import BatchFinding, OfficeContext, Submission
from .model import AuditResult


def with_office_findings(result: AuditResult, context: OfficeContext, rules: Iterable[Rule]) -> AuditResult:
    """The result with the per-report office findings added (none for a file that was not audited)."""
    if result.error or result.report is None:
        return result
    found = run_office_rules(result, context, rules)
    return replace(result, findings=result.findings + found) if found else result


def batch_findings(subs: Iterable[Submission], context: OfficeContext, rules: Iterable[Rule]) -> list[BatchFinding]:
    return run_batch_rules(subs, context, rules)


def review_year(subs: Iterable[Submission], given: int | None) -> int | None:
    """The year under review: as given (--year), else the year most reports of the batch are
    for (the latest of equals), so that one stray report of another year does not move it."""
    if given is not None:
        return given
    counts = Counter(s.year for s in subs if s.year is not None)
    return max(counts, key=lambda y: (counts[y], y)) if counts else None
