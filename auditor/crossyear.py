"""Year over year: a batch's reports of one agency in consecutive years, paired, and the
engine's year-over-year rules run on each pair (the records are auditor/year_record.py's)."""
from __future__ import annotations

from itertools import groupby

from .engine import Rule, run_pair_rules
from .model import Finding
from .year_record import YearRecord


def consecutive_pairs(records: list[YearRecord]) -> list[tuple[YearRecord, YearRecord]]:
    """(last year, this year) for every agency with reports for two consecutive years."""
    pairs = []
    ordered = sorted(records, key=lambda r: (r.key, r.year, r.path))
    for _, group in groupby(ordered, key=lambda r: r.key):
        by_year: dict[int, list[YearRecord]] = {}
        for record in group:
            by_year.setdefault(record.year, []).append(record)
        for year, current in sorted(by_year.items()):
            for earlier in by_year.get(year - 1, []):
                pairs.extend((earlier, cur) for cur in current if cur.path != earlier.path)
    return pairs


def pair_findings(records: list[YearRecord], rules: list[Rule]) -> dict[str, list[Finding]]:
    """Findings of the year-over-year rules on a batch's reports of one agency in consecutive
    years, keyed by the later report's path."""
    out: dict[str, list[Finding]] = {}
    for earlier, current in consecutive_pairs(records):
        found = run_pair_rules(earlier, current, rules)
        if found:
            out.setdefault(current.path, []).extend(found)
    return out
