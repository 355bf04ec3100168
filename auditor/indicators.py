"""Indicators an office compares units by, computed from a report's 表三 and 表四, and their
change from the unit's report of the year before.

Every indicator is a ratio of cells of the 总计 column (表三) or of the blocks of 表四; it is
None when a cell it needs is blank or its denominator is 0, never 0 by default. Ranks are only
given over at least MIN_RANKED reports: over a handful of units a rank says little and invites
misreading.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional

from .model import Report
from .spec import T3_TOTAL

MIN_RANKED = 30


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str  # for the appendix, in words and cells


INDICATORS = (
    Indicator("disclosed", "实质公开率",
              "表三总计列：（（一）予以公开 + （二）部分公开）÷（一、本年新收 + 二、上年结转）。反映申请中实际得到信息的比例。"),
    Indicator("unable", "无法提供占比",
              "表三总计列：（四）无法提供 三项之和 ÷（七）总计。"),
    Indicator("not_held", "本机关不掌握占比",
              "表三总计列：“1.本机关不掌握相关政府信息” ÷（七）总计。比例高时，常是申请指向了错误的机关，或机关对自身信息掌握不清。"),
    Indicator("carried", "结转率",
              "表三总计列：四、结转下年度继续办理 ÷（一、本年新收 + 二、上年结转）。"),
    Indicator("review_corrected", "复议纠错率",
              "表四行政复议：结果纠正 ÷（总计 − 尚未审结），即已审结的复议案件中被纠正的比例。"),
    Indicator("suit_corrected", "诉讼纠错率",
              "表四行政诉讼（未经复议直接起诉 + 复议后起诉）：结果纠正 ÷（总计 − 尚未审结），即已审结的诉讼案件中被纠正的比例。"),
)


def _cell(report: Report, table: str, row: str, col: str) -> Optional[float]:
    t = report.tables.get(table)
    if t is None or row not in t.row_labels or col not in t.column_labels:
        return None
    value = t.value(row, col)
    return None if value is None or math.isnan(value) else value


def _sum(values: list[Optional[float]]) -> Optional[float]:
    return None if any(v is None for v in values) else sum(values)


def _ratio(part: Optional[float], whole: Optional[float]) -> Optional[float]:
    if part is None or whole is None or whole <= 0:
        return None
    return round(part / whole, 4)


def indicators(report: Optional[Report]) -> dict[str, Optional[float]]:
    """Each indicator of INDICATORS as a share (0.25 = 25%), None where it cannot be computed."""
    if report is None:
        return {i.id: None for i in INDICATORS}

    def t3(row: str) -> Optional[float]:
        return _cell(report, "t3", row, T3_TOTAL)

    def t4(block: str, col: str) -> Optional[float]:
        return _cell(report, "t4", block, col)

    received = _sum([t3("new"), t3("carried")])
    handled = t3("handled_total")
    unable = _sum([t3("unable_1"), t3("unable_2"), t3("unable_3")])

    def corrected(blocks: tuple[str, ...]) -> Optional[float]:
        fixed = _sum([t4(b, "corrected") for b in blocks])
        decided = _sum([t4(b, "total") for b in blocks])
        pending = _sum([t4(b, "pending") for b in blocks])
        return _ratio(fixed, None if decided is None or pending is None else decided - pending)

    return {
        "disclosed": _ratio(_sum([t3("open"), t3("partial")]), received),
        "unable": _ratio(unable, handled),
        "not_held": _ratio(t3("unable_1"), handled),
        "carried": _ratio(t3("carry_fwd"), received),
        "review_corrected": corrected(("review",)),
        "suit_corrected": corrected(("suit_direct", "suit_after_review")),
    }


def changes(now: dict[str, Optional[float]], before: Optional[dict[str, Optional[float]]]) -> dict[str, Optional[float]]:
    """Change from last year, in percentage points as a share (0.05 = up 5 points); None when either is unknown."""
    if before is None:
        return {k: None for k in now}
    return {k: None if now[k] is None or before.get(k) is None else round(now[k] - before[k], 4) for k in now}


def ranks(values: list[Optional[float]]) -> list[Optional[int]]:
    """Rank (1 = highest) of each value, or all None when fewer than MIN_RANKED values are known."""
    known = sorted(v for v in values if v is not None)
    if len(known) < MIN_RANKED:
        return [None] * len(values)
    # 1 + how many values are higher (ties share a rank), by bisection: a batch has thousands
    return [None if v is None else len(known) - bisect_right(known, v) + 1 for v in values]


def percent(value: Optional[float]) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def points(value: Optional[float]) -> str:
    return "" if value is None else f"{value * 100:+.1f} 个百分点"
