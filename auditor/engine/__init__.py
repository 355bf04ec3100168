"""The rule engine: runs the catalogue's rules, each by its kind's declared scope.

Every kind is registered with its scope (engine/kind.py); the engine gives each rule what its
kind's check takes: one report (and, for catalogue kinds, the other rules), a pair of one
agency's year records (auditor/crossyear.py pairs them), one audited report with what the office
knows, or the whole batch (auditor/office.py).
"""
from __future__ import annotations

from typing import Iterable

from ..model import AuditResult, Finding, Report
from ..year_record import YearRecord
from .catalogue import CatalogueError, load_catalogue
from .kind import BATCH, CATALOGUE, OFFICE, PAIR, REPORT, Kind, kind_named
from .kinds.office import BatchFinding, OfficeContext, Submission
from .pinpoint import mark_explained
from .rule import Rule

__all__ = ["CatalogueError", "Rule", "load_catalogue", "run_batch_rules", "run_office_rules", "run_pair_rules",
           "run_rules"]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _of_scope(rules: Iterable[Rule], scope: str) -> Iterable[tuple[Rule, Kind]]:
    for rule in rules:
        declared = kind_named(rule.kind)
        if declared is not None and declared.scope == scope:
            yield rule, declared


def run_rules(report: Report, rules: list[Rule]) -> list[Finding]:
    """Findings of the rules about one report (report and catalogue scopes)."""
    findings: list[Finding] = []
    for rule in rules:
        if not rule.applies_to(report.template):
            continue
        declared = kind_named(rule.kind)
        if declared is None:
            continue
        if declared.scope == REPORT:
            findings.extend(declared.check(report, rule))
        elif declared.scope == CATALOGUE:
            findings.extend(declared.check(report, rule, rules))
    mark_explained(findings, rules)
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
    return findings


def run_pair_rules(earlier: YearRecord, current: YearRecord, rules: list[Rule]) -> list[Finding]:
    """Findings of the year-over-year rules about one agency's reports of consecutive years."""
    return [finding for rule, declared in _of_scope(rules, PAIR) if rule.applies_to(current.template)
            for finding in declared.check(earlier, current, rule)]


def run_office_rules(result: AuditResult, context: OfficeContext, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of the office's per-report rules (roster, publication dates, the file itself)."""
    return [finding for rule, declared in _of_scope(rules, OFFICE) if rule.applies_to(result.report.template)
            for finding in declared.check(result, context, rule)]


def run_batch_rules(subs: Iterable[Submission], context: OfficeContext, rules: Iterable[Rule]) -> list[BatchFinding]:
    """Findings about the whole batch against the office's roster, worst first."""
    found = [finding for rule, declared in _of_scope(rules, BATCH) for finding in declared.check(subs, context, rule)]
    return sorted(found, key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule, f.unit or "", f.year or 0))
