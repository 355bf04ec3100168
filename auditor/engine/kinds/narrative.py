"""Narrative arithmetic: the numbers of one sentence must agree with each other.

Totals: "共受理申请 749 件，其中自然人 741 件，法人或其他组织 8 件" must add up. Only a sentence
that states the parts as the whole is checked: a total right before "其中", then two or more
parts with the same unit, and no hedge ("包括", "等", "主要", "如") that says the list is not
complete.

Shares: "共 120 件，其中予以公开 60 件，占 50%" must be 60 / 120 as printed (rounded or cut to
the printed decimals), and the shares of one list ("208 件（17.46%），20 件（1.68%）…") cannot
add up to more than 100%.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Optional

import regex as re

from ...labels import number_words
from ...extraction.claims import Clause, attached_percent, clauses
from ...model import Finding, Report, Sentence
from ...textnorm import normalise_text
from ..rule import Rule
from ..kind import kind

_UNITS = "条|件|次|个|篇|期|场|项|人次|家|份|万元|元"
_AMOUNT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{_UNITS})(?![\p{{Han}}]*(?:率|比例))")
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
    unit = totals[0].group("unit")
    total = float(totals[0].group("num"))
    parts: list[float] = []
    for k, segment in enumerate(_segments(sentence[pos + 2:])):
        more = _segment_parts(segment, unit, continuing=k > 0)
        if more is None:
            if k == 0:
                return None
            break  # what follows the ； is another statement, not more of the list
        parts += more
        if abs(sum(parts) - total) < 1e-9:
            break  # the list continued after "；" up to here, and adds up
    if len(parts) < 2:
        return None
    if sum(parts) < total / 2 and len(parts) <= 2:
        return None  # "政策文件 206 件，其中规范性文件 58 件，政策解读 14 件": one or two notable kinds, not a breakdown
    return PartsClaim(total, unit, parts)


def _segments(body: str) -> list[str]:
    """The list after "其中", cut at "；" (it may go on there) and ended by "。"."""
    end = re.search(r"[。]", body)
    body = body[: end.start()] if end else body
    return re.split(r"[；;]", body)


_NEW_STATEMENT = re.compile(r"共|总|合计|累计|全年|本年|办结|答复|结转")


def _segment_parts(segment: str, unit: str, continuing: bool) -> Optional[list[float]]:
    """The counts of one stretch of the list; None when it is not a list of parts (a hedge, a
    nested 其中, several counts in one clause; after a "；", a new statement)."""
    if _HEDGE.search(segment) or "其中" in segment or (continuing and _NEW_STATEMENT.search(segment)):
        return None
    parts = []
    for clause in _CLAUSE.split(segment):
        amounts = list(_AMOUNT.finditer(clause))
        if len(amounts) > 1:
            return None
        if amounts and amounts[0].group("unit") == unit:
            parts.append(float(amounts[0].group("num")))
        elif continuing and amounts:
            return None  # another unit after the "；": not the same list
    return parts if parts or not continuing else None


@kind("narrative_parts_sum", fields=("diff", "parts", "parts_sum", "total", "unit"),
      doc="A sentence's total equals the sum of the parts it lists (“共 N 件，其中 A 件…B 件…”).")
def check_parts_sum(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    for sentence in report.finished_sentences:
        claim = parts_claim(sentence.text)
        if claim is None or abs(sum(claim.parts) - claim.total) < 1e-9:
            continue
        findings.append(_finding(rule, sentence, claim))
    return findings



def _finding(rule: Rule, sentence: Sentence, claim: PartsClaim) -> Finding:
    parts = " + ".join(number_words(p) for p in claim.parts)
    total_parts = sum(claim.parts)
    message = rule.render(
        total=number_words(claim.total), unit=claim.unit, parts=parts, parts_sum=number_words(total_parts),
        diff=number_words(abs(total_parts - claim.total)),
    )
    return Finding(
        rule.id, rule.severity, "fail", message,
        line=sentence.line, page=sentence.page, excerpt=sentence.text,
        expected=total_parts, actual=claim.total, value_names=("正文所写的总数", "各分项之和"),
    )


# ---------------------------------------------------------------- shares


def percent_agrees(printed: str, exact: float) -> bool:
    """A printed percent agrees with the exact share when it is that share rounded (half up)
    or cut to the printed number of decimals."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    step = Decimal(1).scaleb(-decimals)
    value = Decimal(repr(exact))
    candidates = (value.quantize(step, rounding=ROUND_HALF_UP), value.quantize(step, rounding=ROUND_DOWN))
    return any(Decimal(printed) == c for c in candidates)


_DENOMINATOR = re.compile(r"占(?P<base>[^\d%]*?)(?:的)?\s*$")
_TRAILING_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*$")
_SHARE_SUM_LIMIT = 100.5


@dataclass
class Share:
    count: float
    unit: str
    percent: str
    clause: str


_HEDGE_AMOUNT = re.compile(r"余|近|约|逾|超过|以上|左右")
_GENERIC_BASE = re.compile(r"^(?:总数|总量|总计|全部|总|比|比重|比例|所有|其|全年|本年|申请总数|总件数|)$")


def share_runs(text: str) -> list[list[Share]]:
    """Counts printed with their share ("60 件，占 50%", "208 件（17.46%）"), grouped in runs of
    one list: a run ends at "其中" (a nested list) or at a count printed without a share (a new
    total), so shares of different wholes are never added together."""
    text = normalise_text(text)
    if "%" not in text:
        return []  # a share is printed with its percent: most sentences have none
    parts = clauses(text)
    runs: list[list[Share]] = []
    current: list[Share] = []
    for i, clause in enumerate(parts):
        if clause.text.startswith("其中") and current:
            runs.append(current)
            current = []
        amounts = list(_AMOUNT.finditer(clause.text))
        share = _share(parts, i, amounts[0]) if len(amounts) == 1 else None
        if share is not None:
            current.append(share)
        elif amounts and not clause.in_brackets and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _share(parts: list[Clause], i: int, amount: re.Match) -> Optional[Share]:
    clause = parts[i]
    if _HEDGE_AMOUNT.search(clause.text):
        return None
    percent = attached_percent(parts, i, amount.end())
    if percent is None or not _generic_base(parts, i, amount.end()):
        return None
    return Share(float(amount.group("num")), amount.group("unit"), percent, clause.text)


def _generic_base(parts: list[Clause], i: int, end: int) -> bool:
    """'占 50%' or '占总数的 50%' is a share of the total before; '占全市的 50%' is not."""
    here = parts[i].text[end:]
    text = here if "占" in here else parts[i + 1].text if i + 1 < len(parts) else ""
    head = _TRAILING_NUMBER.sub("", text.split("%")[0])
    m = _DENOMINATOR.search(head)
    return m is None or bool(_GENERIC_BASE.match(m.group("base").strip()))


@dataclass
class ShareClaim:
    total: float
    unit: str
    share: Share


def share_claims(sentence: str) -> list[ShareClaim]:
    """Shares of the total stated right before "其中" ("共 120 件，其中 A 件，占 x%")."""
    text = normalise_text(sentence)
    pos = text.find("其中")
    if pos <= 0 or "%" not in text:  # no share printed (see share_runs)
        return []
    head = _CLAUSE.split(text[:pos].rstrip("，,：: "))[-1]
    totals = list(_AMOUNT.finditer(head))
    if len(totals) != 1 or _HEDGE_AMOUNT.search(head):
        return []
    body = text[pos:].removeprefix("其中").lstrip("，,：: ")
    runs = share_runs(body)
    first = clauses(body)[:1]
    if not runs or not first or runs[0][0].clause != first[0].text:
        return []  # the list after 其中 does not start with a share
    unit = totals[0].group("unit")
    total = float(totals[0].group("num"))
    return [ShareClaim(total, unit, s) for s in runs[0] if s.unit == unit and total > 0]


@kind("narrative_shares", fields=("count", "exact", "excerpt", "percent", "total", "unit"),
      doc="A sentence's percentages agree with its counts (“共 N 件，其中 A 件，占 x%”).")
def check_shares(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    for sentence in report.finished_sentences:
        for claim in share_claims(sentence.text):
            exact = 100 * claim.share.count / claim.total
            if percent_agrees(claim.share.percent, exact):
                continue
            message = rule.render(
                excerpt=claim.share.clause, count=number_words(claim.share.count), unit=claim.unit,
                total=number_words(claim.total), percent=claim.share.percent, exact=f"{exact:.2f}",
            )
            findings.append(Finding(
                rule.id, rule.severity, "fail", message,
                line=sentence.line, page=sentence.page, excerpt=sentence.text,
                expected=round(exact, 2), actual=float(claim.share.percent),
                key="".join(claim.share.clause.split()), value_names=("正文所写的百分比", "按件数计算应为"),
            ))
    return findings


@kind("narrative_share_sum", fields=("percents", "total"))
def check_share_sum(report: Report, rule: Rule) -> list[Finding]:
    """The shares of one list add up to at most 100% (with room for rounding)."""
    findings = []
    for sentence in report.finished_sentences:
        for run in share_runs(sentence.text):
            if len(run) < 2 or len({s.unit for s in run}) != 1:
                continue
            total = sum(float(s.percent) for s in run)
            if total <= _SHARE_SUM_LIMIT:
                continue
            percents = " + ".join(f"{s.percent}%" for s in run)
            message = rule.render(percents=percents, total=f"{round(total, 6):g}")
            findings.append(Finding(
                rule.id, rule.severity, "fail", message,
                line=sentence.line, page=sentence.page, excerpt=sentence.text,
                expected=100, actual=round(total, 6), key="".join(run[0].clause.split()),
                value_names=("同一列举的占比合计", "合计不应超过"),
            ))
    return findings
