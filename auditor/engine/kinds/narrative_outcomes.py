"""The outcomes a narrative lists must add up to the requests it says were answered.

"答复政府信息公开申请 98 件……。所有答复件中，予以公开及部分公开的 42 件；不予公开的 1 件；
无法提供的 49 件；不予处理的 6 件" lists every outcome group: 42 + 1 + 49 + 6 must be 98. A list
that leaves groups out may leave the rest to them, so it fails only when it already exceeds the
total. The answered total is stated in the same sentence or the one before it (same section).
Only the text is compared here; the tables are NARR-T3-* rules' business.
"""
from __future__ import annotations

from typing import Optional

from ...labels import number_words
from ...model import Claim, Finding, Report, Sentence
from ..rule import Rule
from ..kind import Param, kind
from .narrative_tables import excerpt_of

_GROUPS = ("open", "partial", "deny", "unable", "noproc", "other")


def _by_sentence(report: Report) -> list[tuple[Sentence, list[Claim]]]:
    grouped: list[tuple[Sentence, list[Claim]]] = []
    for claim in report.claims:
        if grouped and grouped[-1][0] is claim.sentence:
            grouped[-1][1].append(claim)
        else:
            grouped.append((claim.sentence, [claim]))
    return grouped


def _answered(claims: list[Claim]) -> Optional[Claim]:
    return next((c for c in claims if c.concept == "handled" and c.value is not None and c.scope is None), None)


@kind("narrative_outcome_total",
      params={"complete": Param(str, required=True), "exceeds": Param(str, required=True)},
      fields=("listed", "names", "parts", "problem", "total", "total_excerpt"),
      doc="The outcomes a sentence lists add up to the total of requests answered it states.")
def check_outcome_total(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    grouped = _by_sentence(report)
    for k, (sentence, claims) in enumerate(grouped):
        outcomes = [c for c in claims if c.concept == "outcome" and c.value is not None and c.scope is None]
        if len(outcomes) < 2:
            continue
        named = [g for c in outcomes for g in c.items]
        if len(named) != len(set(named)):
            continue  # a group named twice: a nested list, not one breakdown
        total = _answered(claims)
        if total is None and k > 0 and grouped[k - 1][0].section == sentence.section:
            total = _answered(grouped[k - 1][1])
        if total is None:
            continue
        listed = sum(c.value for c in outcomes)
        complete = set(named) >= set(_GROUPS)
        if listed == total.value or (listed < total.value and not complete):
            continue
        findings.append(_finding(report, rule, sentence, outcomes, total, listed, complete))
    return findings


def _finding(report: Report, rule: Rule, sentence: Sentence, outcomes: list[Claim], total: Claim,
             listed: float, complete: bool) -> Finding:
    spec = report.spec
    parts = " + ".join(number_words(c.value) for c in outcomes)
    names = "、".join("“" + "”“".join(spec.t3_groups.get(g) or spec.t3_rows[g].split("（区分")[0] for g in c.items) + "”"
                     for c in outcomes)
    problem = rule.params["complete" if complete else "exceeds"]
    return Finding(
        rule.id, rule.severity, "fail",
        rule.render(total_excerpt=excerpt_of(total.clause), total=number_words(total.value), names=names, parts=parts,
                    listed=number_words(listed), problem=problem),
        line=sentence.line, page=sentence.page, excerpt=sentence.text, expected=total.value, actual=listed,
        key=f"outcome-total:{''.join(sentence.text.split())[:40]}",
    )
