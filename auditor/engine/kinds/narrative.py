"""Narrative totals: "共受理申请 749 件，其中自然人 741 件，法人或其他组织 8 件" must add up.

Only a sentence that states the parts as the whole is checked: a total right before
"其中", then two or more parts with the same unit, and no hedge ("包括", "等", "主要",
"如") that says the list is not complete.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from ...model import Finding, Report, Sentence
from ..catalogue import Rule

_UNITS = "条|件|次|个|篇|期|场|项|人次|家|份|万元|元"
_AMOUNT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{_UNITS})(?![\p{{Han}}]*(?:率|比例))")
_PARTS_END = re.compile(r"[；;。]")
_CLAUSE = re.compile(r"[，,、]")
_HEDGE = re.compile(r"包括|包含|等|主要|例如|如|含|分别|以上|以下|超过|余")


@dataclass
class PartsClaim:
    total: float
    unit: str
    parts: list[float]


def parts_claim(sentence: str) -> Optional[PartsClaim]:
    pos = sentence.find("其中")
    if pos <= 0:
        return None
    head = _CLAUSE.split(sentence[:pos].rstrip("，,：: "))[-1]
    totals = list(_AMOUNT.finditer(head))
    if len(totals) != 1 or _HEDGE.search(head[totals[0].end():]) or "余" in head:
        return None
    body = sentence[pos + 2:]
    end = _PARTS_END.search(body)
    body = body[: end.start()] if end else body
    if _HEDGE.search(body) or "其中" in body:
        return None
    unit = totals[0].group("unit")
    parts = []
    for clause in _CLAUSE.split(body):
        amounts = list(_AMOUNT.finditer(clause))
        if len(amounts) > 1:
            return None
        if amounts and amounts[0].group("unit") == unit:
            parts.append(float(amounts[0].group("num")))
    if len(parts) < 2:
        return None
    return PartsClaim(float(totals[0].group("num")), unit, parts)


def check_parts_sum(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    for sentence in report.sentences:
        claim = parts_claim(sentence.text)
        if claim is None or abs(sum(claim.parts) - claim.total) < 1e-9:
            continue
        findings.append(_finding(rule, sentence, claim))
    return findings


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _finding(rule: Rule, sentence: Sentence, claim: PartsClaim) -> Finding:
    parts = " + ".join(_num(p) for p in claim.parts)
    total_parts = sum(claim.parts)
    message = rule.render(
        total=_num(claim.total), unit=claim.unit, parts=parts, parts_sum=_num(total_parts),
        diff=_num(abs(total_parts - claim.total)),
    )
    return Finding(
        rule.id, rule.severity, "fail", message,
        line=sentence.line, page=sentence.page, excerpt=sentence.text,
        expected=total_parts, actual=claim.total,
    )
