"""The rule engine: evaluates the catalogue against a Report and returns Findings."""
from __future__ import annotations

from ..crossyear import YearRecord, consecutive_pairs
from ..model import Finding, Report
from .catalogue import CatalogueError, Rule, load_catalogue
from .kinds import KINDS
from .kinds.crossyear import PAIR_KINDS
from .catalogue_kinds import CATALOGUE_KINDS
from .pinpoint import mark_explained

__all__ = ["CatalogueError", "Rule", "load_catalogue", "pair_findings", "run_rules"]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_rules(report: Report, rules: list[Rule]) -> list[Finding]:
    """Findings of the rules about one report; year-over-year rules run on a batch (crossyear)."""
    findings: list[Finding] = []
    for rule in rules:
        if not rule.applies_to(report.template):
            continue
        if rule.kind in KINDS:
            findings.extend(KINDS[rule.kind](report, rule))
        elif rule.kind in CATALOGUE_KINDS:
            findings.extend(CATALOGUE_KINDS[rule.kind](report, rule, rules))
    mark_explained(findings, rules)
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
    return findings


def pair_findings(records: list[YearRecord], rules: list[Rule]) -> dict[str, list[Finding]]:
    """Findings of the year-over-year rules on a batch's reports of one agency in consecutive
    years, keyed by the later report's path."""
    out: dict[str, list[Finding]] = {}
    for earlier, current in consecutive_pairs(records):
        for rule in rules:
            if rule.kind in PAIR_KINDS and rule.applies_to(current.template):
                out.setdefault(current.path, []).extend(PAIR_KINDS[rule.kind](earlier, current, rule))
    return {path: found for path, found in out.items() if found}
