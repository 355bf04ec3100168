"""Year over year: reports of one agency in consecutive years, checked against each other.

A batch keeps one small YearRecord per report (a few numbers and a MinHash signature of the
narrative, never the report itself), so memory stays flat however many reports it holds.
Reports are paired by a normalised agency name: "淮安市洪泽区人民政府" and "洪泽区人民政府"
are the same body.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from itertools import groupby
from typing import Optional

import numpy as np
import regex as re

from .model import AuditResult, Finding

T3_COLUMNS = ("np", "biz", "sci", "pub", "law", "oth", "tot")
SIGNATURE_SIZE = 128
SHINGLE = 5  # characters per shingle
_PRIME = (1 << 61) - 1
_RNG = np.random.RandomState(20190515)  # fixed: signatures must agree across processes and runs
_A = _RNG.randint(1, 1 << 31, SIGNATURE_SIZE).astype(np.uint64)
_B = _RNG.randint(0, 1 << 31, SIGNATURE_SIZE).astype(np.uint64)

_PUNCT = re.compile(r"[\s\p{P}\p{S}]+")
_PREFIX = re.compile(r"^(?:\p{Han}{2,6}?(?:省|自治区))?(?:\p{Han}{2,6}?(?:市|自治州|地区|盟))?")
_UNIT = re.compile(r"^\p{Han}{1,6}?(?:区|县|旗|市)\p{Han}{2,}")


def agency_key(name: str) -> str:
    """The agency without its province or city prefix when a district or county follows."""
    text = _PUNCT.sub("", name or "")
    rest = text[_PREFIX.match(text).end():]
    return rest if rest != text and _UNIT.match(rest) else text


@dataclass(frozen=True)
class YearRecord:
    path: str
    agency: str
    key: str
    year: int
    template: Optional[str]
    carried: tuple[Optional[float], ...]  # 表三 上年结转 per column
    carry_fwd: tuple[Optional[float], ...]  # 表三 结转下年度继续办理 per column
    documents: dict[str, tuple[Optional[float], Optional[float], Optional[float]]]  # 表二 made, repealed, valid
    signature: Optional[tuple[int, ...]]  # MinHash of the narrative


def _number(value) -> Optional[float]:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _t3_row(report, row: str) -> tuple[Optional[float], ...]:
    table = report.tables.get("t3")
    if table is None or row not in table.rows_found:
        return (None,) * len(T3_COLUMNS)
    return tuple(_number(table.value(row, c)) for c in T3_COLUMNS)


def _documents(report) -> dict[str, tuple[Optional[float], Optional[float], Optional[float]]]:
    table = report.tables.get("t2.art20_1")
    if report.template != "2021" or table is None:
        return {}
    return {row: tuple(_number(table.value(row, c)) for c in ("made", "repealed", "valid"))
            for row in ("regulations", "normative_docs") if row in table.rows_found}


def signature(text: str) -> Optional[tuple[int, ...]]:
    """MinHash signature of the text's character shingles (punctuation and spaces removed)."""
    clean = _PUNCT.sub("", text)
    if len(clean) < SHINGLE * 4:
        return None
    hashes = np.fromiter((zlib.crc32(clean[i:i + SHINGLE].encode("utf-8")) for i in range(len(clean) - SHINGLE + 1)),
                         dtype=np.uint64)
    hashes = np.unique(hashes)
    mins = ((np.outer(hashes, _A) + _B) % np.uint64(_PRIME)).min(axis=0)
    return tuple(int(v) for v in mins)


def similarity(a: Optional[tuple[int, ...]], b: Optional[tuple[int, ...]]) -> Optional[float]:
    """Estimated Jaccard similarity of two narratives, None when either is too short."""
    if a is None or b is None:
        return None
    return sum(x == y for x, y in zip(a, b)) / SIGNATURE_SIZE


def year_record(result: AuditResult) -> Optional[YearRecord]:
    report = result.report
    if report is None or report.year is None or not report.agency:
        return None
    narrative = "".join(s.text for s in report.sentences)
    return YearRecord(result.path, report.agency, agency_key(report.agency), report.year, report.template,
                      _t3_row(report, "carried"), _t3_row(report, "carry_fwd"), _documents(report), signature(narrative))


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


def pair_findings(records: list[YearRecord], rules) -> dict[str, list[Finding]]:
    """Findings of the year-over-year rules, keyed by the later report's path."""
    from .engine.kinds.crossyear import PAIR_KINDS

    out: dict[str, list[Finding]] = {}
    for earlier, current in consecutive_pairs(records):
        for rule in rules:
            if rule.kind in PAIR_KINDS and rule.applies_to(current.template):
                out.setdefault(current.path, []).extend(PAIR_KINDS[rule.kind](earlier, current, rule))
    return {path: found for path, found in out.items() if found}
