"""What the auditor read and found, scored against what the generator wrote.

Works on an AuditResult (library) so that the benchmark and the tests judge the same way:
  table_cells(rep)          the value of every 表二/表三/表四 cell as generated;
  wrong_cells(rep, result)  the cells read differently (None: blank or not read);
  judge(expected, result)   found / pinpointed / a candidate for one injected defect.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from auditor.model import AuditResult, Finding
from tests.support.corpus.defects import Expected
from tests.support.corpus.tables import t2_number
from tests.support.reportgen import ORG, GenReport

Cell = tuple[str, str, str]
PINPOINT_RULES = {"t3": "T3-PINPOINT", "t4": "T4-PINPOINT"}


def table_cells(rep: GenReport) -> dict[Cell, Optional[float]]:
    cells: dict[Cell, Optional[float]] = {}
    for block in rep.spec.t2_blocks:
        for row in block.rows:
            for col, text in zip(block.columns, rep.t2[(block.id, row)]):
                cells[(f"t2.{block.id}", row, col)] = t2_number(text)
    for row, values in rep.t3.items():
        if row not in rep.drop_t3_rows:
            for col in ORG + ["tot"]:
                cells[("t3", row, col)] = values[col]
    if not rep.drop_t4:
        for block, values in rep.t4.items():
            for col, value in values.items():
                cells[("t4", block, col)] = value
    return cells


def read_value(result: AuditResult, cell: Cell) -> Optional[float]:
    table = result.report.tables.get(cell[0]) if result.report else None
    if table is None or cell[1] not in table.values.index or cell[2] not in table.values.columns:
        return None
    return table.value(cell[1], cell[2])


def wrong_cells(rep: GenReport, result: AuditResult) -> list[tuple[Cell, Optional[float], Optional[float]]]:
    """(cell, generated, read) for every cell not read exactly."""
    out = []
    for cell, want in table_cells(rep).items():
        got = read_value(result, cell)
        same = (want is None and got is None) or (want is not None and got is not None and abs(got - want) < 1e-9)
        if not same:
            out.append((cell, want, got))
    return out


# ---------------------------------------------------------------- findings


_SPACE = re.compile(r"\s+")


def _norm(text: Optional[str]) -> str:
    return _SPACE.sub("", text or "").replace("……", "")


def quotes(finding: Finding, sentence: str) -> bool:
    """The finding's excerpt is (part of) the sentence, or contains it."""
    excerpt, wanted = _norm(finding.excerpt), _norm(sentence)
    if not excerpt or not wanted:
        return False
    return wanted in excerpt or (len(excerpt) >= 8 and excerpt in wanted)


def _at(finding: Finding, cell: Cell) -> bool:
    return (finding.table, finding.row, finding.column) == cell


@dataclass
class Verdict:
    found: bool  # every expected rule failed
    pinpointed: Optional[bool]  # None: nothing to point at, or no auditor could decide (Expected.decidable)
    candidate: bool  # an uncertain pinpoint lists every changed cell among its candidates
    missing: list[str]  # expected rules that did not fail
    misplaced: bool = False  # a pinpoint names a cell or value the defect did not change: a wrong answer


def judge(expected: Expected, result: AuditResult) -> Verdict:
    failing = [f for f in result.findings if f.status == "fail"]
    fired = {f.rule for f in failing}
    missing = [r for r in expected.rules if r not in fired]
    found = not missing and bool(expected.rules)
    return Verdict(found, _pinpointed(expected, result.findings), _candidate(expected, result.findings), missing,
                   _misplaced(expected, result.findings))


def _pinpoints(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule in PINPOINT_RULES.values() and f.status == "fail"]


def _pinpointed(expected: Expected, findings: list[Finding]) -> Optional[bool]:
    if expected.cells:
        if not expected.decidable:
            return None
        return all(any(f.rule == PINPOINT_RULES[cell[0]] and _at(f, cell)
                       and f.expected is not None and abs(f.expected - value) < 1e-9 for f in _pinpoints(findings))
                   for cell, value in expected.cells)
    if expected.sentence:
        return any(f.rule in expected.rules and f.status == "fail" and quotes(f, expected.sentence) for f in findings)
    return None


def _misplaced(expected: Expected, findings: list[Finding]) -> bool:
    wanted = {(cell, value) for cell, value in expected.cells}
    return any(((f.table, f.row, f.column), f.expected) not in wanted for f in _pinpoints(findings))


def _candidate(expected: Expected, findings: list[Finding]) -> bool:
    """Not decided, but the changed cells are among those an uncertain pinpoint offers."""
    if not expected.cells:
        return False
    offered = {tuple(c) for f in findings if f.rule in PINPOINT_RULES.values() and f.status == "uncertain" for c in f.cells}
    offered |= {(f.table, f.row, f.column) for f in findings
                if f.rule in PINPOINT_RULES.values() and f.status == "uncertain" and f.table}
    return all(cell in offered for cell, _ in expected.cells)
