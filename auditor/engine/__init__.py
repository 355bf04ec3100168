"""The rule engine: evaluates the catalogue against a Report and returns Findings."""
from __future__ import annotations

from ..model import Finding, Report
from .catalogue import CatalogueError, Rule, load_catalogue
from .kinds import KINDS
from .pinpoint import CATALOGUE_KINDS, mark_explained

__all__ = ["CatalogueError", "Rule", "load_catalogue", "run_rules"]

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
