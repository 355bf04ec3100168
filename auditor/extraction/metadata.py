"""Title, agency, report year, 统计期限 and which official format the tables follow."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

import regex as re

from ..model import Period, Sentence, SignOff
from ..spec import expected_template, format_spec
from ..textnorm import label_key
from .rows import Row

_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
_ORG_SUFFIX = re.compile(
    r"(?:人民政府办公室|人民政府|政府办公室|办公室|办公厅|委员会|管理委员会|管委会|局|委|厅|办|院|中心|署|处|所|站|队|街道办事处|街道|镇|乡|部|会|公司)$"
)
_TITLE_MARK = re.compile(r"(?:政府信息公开|政务公开).{0,6}(?:年度)?报告|年度报告")
_PERIOD = re.compile(
    r"统计(?:期限|周期|时限|区间|时段|时间|范围)?[^。\d]{0,12}?"
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_BODY_AGENCY = re.compile(r"\d{4}\s*年[，,]\s*(?P<org>[\p{Han}（）()]{2,24}?(?:局|委员会|委|办公室|政府|中心|厅|院|街道办事处|街道|镇|乡))")
_CLAUSE_START_YEAR = re.compile(r"(?:^|[。；！？\n])\s*(?:（[一二三四五六七八九十]）)?\s*(20\d{2})\s*年(?:度)?[，,]")


@dataclass
class TitleInfo:
    title: Optional[str]
    agency: Optional[str]
    year: Optional[int]
    line: Optional[int]


_MARKDOWN_HEADING = re.compile(r"^#+\s*")


def _clean(text: str) -> str:
    return _MARKDOWN_HEADING.sub("", text).strip()


_TITLE_TAIL_CHARS = 8


def find_title(rows: list[Row]) -> TitleInfo:
    head = [r for r in rows[:25] if not r.grid and r.text.strip()][:12]
    for i, row in enumerate(head):
        text = _clean(row.text)
        nxt = _clean(head[i + 1].text) if i + 1 < len(head) else ""
        wrapped = not _TITLE_MARK.search(text) and 0 < len(nxt) <= _TITLE_TAIL_CHARS and _TITLE_MARK.search(text + nxt)
        if wrapped:
            text = text + nxt  # "……工作年" / "度报告": a title the page wrapped
        if not _TITLE_MARK.search(text) or len(text) > 60:
            continue
        parts = [text]
        if not _YEAR.search(text) and i + 1 < len(head):
            parts.append(_clean(head[i + 1].text))
        if not text.endswith("报告") and i + 1 < len(head) and "报告" in _clean(head[i + 1].text)[:8]:
            parts.append(_clean(head[i + 1].text))
        if i > 0:
            prev = _clean(head[i - 1].text)
            if len(prev) <= 30 and _ORG_SUFFIX.search(prev) and not _YEAR.search(prev):
                parts.insert(0, prev)
        title = "".join(dict.fromkeys(parts))
        year_match = _YEAR.search(title)
        return TitleInfo(title, _title_agency(title), int(year_match.group(1)) if year_match else None, row.source.line)
    return TitleInfo(None, None, None, None)


def _title_agency(title: str) -> Optional[str]:
    m = _YEAR.search(title)
    before = title[: m.start()].strip() if m else ""
    if before and _ORG_SUFFIX.search(before):
        return before
    if m:
        after = title[m.end():]
        n = re.match(r"\s*度?\s*(?P<org>\p{Han}{2,24}?)(?:政府信息公开|政务公开)", after)
        if n and _ORG_SUFFIX.search(n.group("org")):
            return n.group("org")
    return None


def body_agency(sentences: list[Sentence]) -> Optional[str]:
    for s in sentences[:40]:
        m = _BODY_AGENCY.search(s.text)
        if m:
            return m.group("org")
    return None


def find_period(sentences: list[Sentence]) -> Optional[Period]:
    for s in sentences:
        m = _PERIOD.search(s.text)
        if not m:
            continue
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2")) if m.group("y2") else y1
        full = (m.group("m1"), m.group("d1"), m.group("m2"), m.group("d2")) == ("1", "1", "12", "31")
        return Period(m.group(0), y1, y2, s.line, full)
    return None


def dominant_body_year(sentences: list[Sentence]) -> Optional[int]:
    """The year most sentences open with ("2019年，…"): the year the report describes."""
    counts: Counter[int] = Counter()
    for s in sentences:
        for m in _CLAUSE_START_YEAR.finditer(s.text):
            counts[int(m.group(1))] += 1
    if not counts:
        return None
    (year, n), *rest = counts.most_common(2) + [(None, 0)]
    return year if n > rest[0][1] else None


def report_year(title_year: Optional[int], period: Optional[Period], body_year: Optional[int]) -> Optional[int]:
    """The title's year, unless the 统计期限 and the body both say otherwise."""
    period_year = period.end_year if period and period.start_year == period.end_year else None
    if title_year and (period_year in (None, title_year) or body_year in (None, title_year)):
        return title_year
    if title_year and period_year and body_year == period_year:
        return period_year
    return title_year or period_year or body_year


def detect_template(table_rows: list[Row], year: Optional[int]) -> tuple[Optional[str], dict[str, list[str]]]:
    """2019 or 2021 format, from the table labels' markers; the year decides only a tie."""
    text = label_key("".join(r.text for r in table_rows))
    evidence = {
        fmt: [m for m in format_spec(fmt).markers if label_key(m) and label_key(m) in text] for fmt in ("2019", "2021")
    }
    score = {fmt: len(v) for fmt, v in evidence.items()}
    if score["2019"] > score["2021"]:
        return "2019", evidence
    if score["2021"] > score["2019"]:
        return "2021", evidence
    if year:
        evidence["by_year"] = [str(year)]
        return expected_template(year), evidence
    return None, evidence


# ---------------------------------------------------------------- 落款 (sign-off date)

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PART = r"\d{1,4}|[〇零○Ｏ一二三四五六七八九十]{1,4}"
_SIGNOFF_DATE = re.compile(
    rf"[（(]?\s*(?P<y>{_DATE_PART})\s*年\s*(?P<m>{_DATE_PART})\s*月\s*(?P<d>{_DATE_PART})\s*日\s*[)）]?$"
)
_ORG_NAME = re.compile(r"^[\p{Han}（）()]{2,30}$")


def _date_number(text: str) -> Optional[int]:
    """"2024", "二〇二四", "十二", "二十" as numbers (years digit by digit, days as tens)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    digits = [_CN_DIGITS.get(ch) for ch in text]
    return None if None in digits else int("".join(map(str, digits)))


def _signoff_of(row: Row) -> Optional[SignOff]:
    """A line that is only a date, perhaps after the agency's name: "2024年1月20日"."""
    text = _clean(row.text).replace(" ", "") if not row.grid else ""
    m = _SIGNOFF_DATE.search(text)
    if not m:
        return None
    org = text[: m.start()]
    if org and not (_ORG_NAME.match(org) and _ORG_SUFFIX.search(org)):
        return None
    year, month, day = (_date_number(m.group(k)) for k in ("y", "m", "d"))
    if year is None or not 1900 < year < 2200 or not month or not 1 <= month <= 12 or not day or not 1 <= day <= 31:
        return None
    return SignOff(_clean(row.text), year, month, day, row.source.line, row.source.page)


_SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";")


def _closes_block(row: Row) -> bool:
    """A line after which a date line starts afresh: the end of a sentence, or a short line
    naming the agency or the report (not the middle of a sentence wrapped by the layout)."""
    text = _clean(row.text)
    if text.endswith(_SENTENCE_END):
        return True
    return len(text) <= 40 and "。" not in text and bool(_ORG_SUFFIX.search(text) or _TITLE_MARK.search(text))


def _signoff_at(rows: list[Row], i: int) -> Optional[SignOff]:
    found = _signoff_of(rows[i])
    if found is None:
        return None
    previous = next((r for r in reversed(rows[:i]) if r.text.strip()), None)
    return found if previous is None or _closes_block(previous) else None


def find_signoff(rows: list[Row], first_heading: Optional[int], last_heading: Optional[int]) -> Optional[SignOff]:
    """The 落款 date: a date-only line after the last section's text, with no sentence after
    it; failing that, a date-only line under the title (web pages print the date there).
    Dates inside sentences ("自2024年1月1日起施行"), even when a line break leaves them on
    a line of their own, are never the sign-off."""
    if last_heading is not None:
        for i in range(len(rows) - 1, last_heading, -1):
            if "。" in rows[i].text:
                break  # the sign-off comes after the last sentence
            found = _signoff_at(rows, i)
            if found:
                return found
    head_end = first_heading if first_heading is not None else min(len(rows), 15)
    return next((s for s in (_signoff_at(rows, i) for i in range(head_end)) if s), None)
