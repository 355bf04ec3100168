"""Years: the title, the 统计期限 and this year's work in the body must name the report year.

A year other than the report year is legitimate in a comparison ("较2018年增长"), a
carry-over, a document number or book title, a range ("2024－2027年"), a historical
reference ("自2016年以来"), last year's problems in section 五, and next year's plans or
the sign-off date. Only a clause that reports this year's work with another year is flagged:
it opens the sentence ("2018年，我局……", "2018年我乡按照《条例》……", also after a run-in
subheading: "（一）主动公开方面2018年，……") or states a count ("2018年度共发布微博150条").
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

import regex as re

from ...model import Finding, Report, Sentence
from ...textnorm import shorten
from ..rule import Rule
from ..kind import Param, kind

_YEAR = re.compile(r"(?<![\d〔\[【(（])(?P<year>(?:19|20)\d{2})\s*(?P<suffix>年度|年)")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:、]")
_RANGE_BEFORE = re.compile(r"\d{4}\s*年?\s*[-－—–~～至到]\s*$")
_RANGE_AFTER = re.compile(r"\s*[-－—–~～至到]\s*\d{4}")
_REFERENCE_WORDS = re.compile(
    r"较|比上|同比|相比|对比|比\s*\d{4}|上年|去年|上一年|以来|至今|起|结转|转结|转入|转至|留待|决算|同期|增长|下降|减少|增加|提高|降低|"
    r"以前|此前|历年|截至|截止|年报|年度报告|存在的问题|存在问题|整改|回头看"
)
_PLAN_WORDS = re.compile(r"将|计划|拟|明年|下一年|下一步|预计|力争|争取|继续|持续|进一步|目标|要点")
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:条|件|次|个|篇|期|场|项|人次|人|家|份|万元|元|%|％)")
_MAX_PAST = 10
_MONTH_NEXT = re.compile(r"\s*\d{1,2}\s*月")  # "2025年3月": a date, here of a plan
# Text before a year that still lets the year open the sentence: nothing, a run-in subheading
# ("（一）主动公开方面", "二、主动公开政府信息情况") or the agency as subject ("我局", "本机关").
_OPENING_PREFIX = re.compile(
    r"^\s*(?:(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])[^，,。；;：:]{0,30}"
    r"|[一二三四五六七八九十]是|[我本]\p{Han}{1,3})?\s*$"
)
# What follows an opening year when it is a date, a span or history rather than this year's work.
_NOT_WORK_AFTER = re.compile(r"\s*\d{1,2}\s*月|\s*(?:底|末|初|前|后|以前|以后|之前|之后|上半年|下半年)")


def _in_book_title(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    return before.count("《") > before.count("》")


def _in_range(sentence: str, start: int, end: int) -> bool:
    """'2024－2027年' or '2021年至2025年': a span of years, not this year's work."""
    return bool(_RANGE_BEFORE.search(sentence[max(0, start - 8):start]) or _RANGE_AFTER.match(sentence[end:end + 8]))


def _opens_sentence(sentence: str, m: re.Match) -> bool:
    """'2018年我乡按照《条例》……', '（一）主动公开方面2018年，……': the year is the sentence's
    subject, not a date ('2018年12月') or a span ('2018年底')."""
    return bool(_OPENING_PREFIX.match(sentence[:m.start()])) and not _NOT_WORK_AFTER.match(sentence, m.end())


def _clause_at(sentence: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE_SPLIT.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_SPLIT.finditer(sentence, end)), len(sentence))
    return sentence[left:right]


def stale_year(sentence: Sentence, year: int) -> Optional[int]:
    """The first year in the sentence used for this year's work, when it is not the report year."""
    text = sentence.text
    if "统计期限" in text or "统计周期" in text or "年" not in text:  # _YEAR reads "…年"
        return None
    for m in _YEAR.finditer(text):
        found = int(m.group("year"))
        if found == year or abs(found - year) > _MAX_PAST:
            continue
        if _in_book_title(text, m.start()) or _in_range(text, m.start(), m.end()):
            continue
        clause = _clause_at(text, m.start(), m.end())
        if _REFERENCE_WORDS.search(clause):
            continue
        if found > year and (sentence.section in ("s5", "s6") or _PLAN_WORDS.search(clause)
                             or _MONTH_NEXT.match(text, m.end())):
            continue
        if sentence.section == "s5" and found == year - 1:
            continue  # last year's problems and how they were fixed
        is_whole_clause = clause.strip() == m.group(0).strip()  # "2018年，我局……"
        if is_whole_clause or _QUANTITY.search(clause) or _opens_sentence(text, m):
            return found
    return None


@kind("body_year", fields=("found", "sentence", "year"),
      doc="Sentences about this year's work name the report's year, not last year's.")
def check_body_years(report: Report, rule: Rule) -> list[Finding]:
    if report.year is None:
        return []
    findings = []
    for sentence in report.sentences:
        if sentence.line is not None and sentence.line == report.title_line:
            continue
        found = stale_year(_finished_part(sentence, report), report.year)
        if found is None:
            continue
        findings.append(
            Finding(
                rule.id, rule.severity, "fail",
                rule.render(found=found, year=report.year, sentence=shorten(sentence.text, 60)),
                line=sentence.line, page=sentence.page, excerpt=sentence.text, actual=found, expected=report.year, about_year=True,
            )
        )
    return findings


_LAST_CLAUSE = re.compile(r"[^，,、；;：:。]*$")


def _finished_part(sentence: Sentence, report: Report) -> Sentence:
    """A sentence the text stops inside (a cut copy) without its unfinished last clause:
    "…、2021年" cut there may have gone on "…2021年信息公开年报1条" (a document's name)."""
    cut = report.cut
    if cut is None or not cut.mid_sentence or sentence is not report.sentences[-1]:
        return sentence
    return replace(sentence, text=_LAST_CLAUSE.sub("", sentence.text))


@kind("title_year", fields=("found", "title", "year"),
      doc="The title's year is the report's year.")
def check_title_year(report: Report, rule: Rule) -> list[Finding]:
    if report.title_year is None or report.year is None or report.title_year == report.year:
        return []
    return [
        Finding(
            rule.id, rule.severity, "fail",
            rule.render(found=report.title_year, year=report.year, title=report.title),
            line=report.title_line, excerpt=report.title, actual=report.title_year, expected=report.year, about_year=True,
        )
    ]


@kind("period_year", fields=("found", "period", "year"),
      doc="The statistics period (统计期限) is the report's year.")
def check_period_year(report: Report, rule: Rule) -> list[Finding]:
    period = report.period
    if period is None or report.year is None:
        return []
    wrong = [y for y in (period.start_year, period.end_year) if y is not None and y != report.year]
    if not wrong:
        return []
    return [
        Finding(
            rule.id, rule.severity, "fail",
            rule.render(found=wrong[0], year=report.year, period=period.text),
            line=period.line, excerpt=period.text, actual=wrong[0], expected=report.year, about_year=True,
        )
    ]


@kind("signoff_year",
      params={"early": Param(str, required=True, message=("year", "next")),
              "late": Param(str, required=True, message=("next",))},
      fields=("date", "problem", "year"))
def check_signoff_year(report: Report, rule: Rule) -> list[Finding]:
    """The report is signed after its year ends, normally in the next January: a date in the
    report year or earlier was copied from an old report (error); two or more years later
    means the report is late (a warning)."""
    signoff = report.signoff
    if signoff is None or report.year is None or signoff.year == report.year + 1:
        return []
    if signoff.year <= report.year:
        severity, problem = rule.severity, rule.params["early"].format(year=report.year, next=report.year + 1)
    else:
        severity, problem = "warning", rule.params["late"].format(next=report.year + 1)
    return [
        Finding(
            rule.id, severity, "fail",
            rule.render(date=signoff.text.strip("（）() "), year=report.year, problem=problem),
            line=signoff.line, page=signoff.page, excerpt=signoff.text, actual=signoff.year, expected=report.year + 1, about_year=True,
            value_names=("落款日期的年份", "应为（报告年度的次年）"),
        )
    ]
