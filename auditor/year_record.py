"""What a report gives for comparing it with the same agency's report of the year before.

A batch keeps one small YearRecord per report (a few numbers and a one-in-eight sample of its
narrative's 13-character window hashes, never the report itself), so memory stays small however
many reports it holds; auditor/crossyear.py pairs the records and the engine runs the
year-over-year rules on each pair.
Reports are paired by a normalised agency name: "淮安市洪泽区人民政府" and "洪泽区人民政府"
are the same body.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Optional

import regex as re

from .model import AuditResult
from .spec import T3_COLUMNS

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
    windows: Optional[tuple[int, ...]]  # sampled 13-character window hashes of the narrative (重复率), sorted


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


# ---------------------------------------------------------------- 重复率 (copied text)

WINDOW = 13  # characters: the window plagiarism checks in China count as repeated (“连续13字”)
SAMPLE = 8  # a batch keeps one window hash in SAMPLE (by hash value, so both years keep the same ones)
MIN_SAMPLED = 12  # fewer sampled windows than this: too little narrative to measure
# Sentences the format (or custom) makes every report print alike: not the unit's own words.
FIXED_SENTENCES = re.compile(
    r"统计期限|电子版|(?:本|年度)报告[^。]{0,40}(?:根据|依据|按照)[^。]{0,60}编制|报告由[^。]{0,40}编制|如对本[年度]*报告[^。]{0,10}疑问|"
    r"联系(?:电话|地址|方式)|邮政编码|政府信息公开工作年度报告$|^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）[^。；，]{0,20}$|"
    r"\d{4}年\d{1,2}月\d{1,2}日$")
_YEAR = re.compile(r"(?:19|20)\d{2}")


def narrative_sentences(report) -> list:
    """The report's own narrative: its sentences less the format's fixed sentences, headings and
    the sign-off (tables are not sentences)."""
    return [s for s in report.sentences if not FIXED_SENTENCES.search(s.text.strip())]


def _compact(text: str) -> str:
    """Spaces and punctuation out, every year alike: a copy that only changed its years is a copy."""
    return _YEAR.sub("Y", _PUNCT.sub("", text))


def _window_hashes(text: str) -> list[int]:
    """The CRC-32 of every 13-character window of the text (spaces, punctuation and years evened out)."""
    clean = _compact(text)
    return [zlib.crc32(clean[i:i + WINDOW].encode("utf-8")) for i in range(len(clean) - WINDOW + 1)]


def sampled_windows(text: str) -> Optional[tuple[int, ...]]:
    """The kept sample of a narrative's 13-character window hashes (sorted, unique); None when too short.
    A few hundred numbers per report: plain integers, no array library (numpy took longer to
    import than a batch worker spends on hundreds of reports' samples)."""
    kept = tuple(sorted({h for h in _window_hashes(text) if h % SAMPLE == 0}))
    return kept if len(kept) >= MIN_SAMPLED else None


def repeated_share(before: Optional[tuple[int, ...]], now: Optional[tuple[int, ...]]) -> Optional[float]:
    """重复率: the share of this year's narrative windows that last year's narrative also has."""
    if before is None or now is None:
        return None
    earlier = set(before)
    return sum(h in earlier for h in now) / len(now)


def repeated_passages(before_report, now_report, limit: int = 5) -> list[tuple[str, str, float]]:
    """This year's sentences most repeated from last year, each beside the sentence of last year
    it repeats most: (this year, last year, share of the sentence repeated), longest repeats first."""
    before = [(s.text.strip(), set(_window_hashes(s.text))) for s in narrative_sentences(before_report)]
    every_before = set().union(*(w for _, w in before)) if before else set()
    found = []
    for sentence in narrative_sentences(now_report):
        windows = _window_hashes(sentence.text)
        if not windows:
            continue
        shared = sum(w in every_before for w in windows)
        if not shared:
            continue
        best = max(before, key=lambda b: len(b[1].intersection(windows)))
        found.append((shared, sentence.text.strip(), best[0], shared / len(windows)))
    found.sort(key=lambda f: -f[0])
    return [(now, was, round(share, 3)) for _, now, was, share in found[:limit]]


def year_record(result: AuditResult) -> Optional[YearRecord]:
    report = result.report
    if report is None or report.year is None or not report.agency:
        return None
    narrative = "".join(s.text for s in narrative_sentences(report))
    return YearRecord(result.path, report.agency, agency_key(report.agency), report.year, report.template,
                      _t3_row(report, "carried"), _t3_row(report, "carry_fwd"), _documents(report),
                      sampled_windows(narrative))
