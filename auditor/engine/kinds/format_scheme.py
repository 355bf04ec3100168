"""Which format the report's text follows, beyond its tables: the notice it cites as its format
(国办公开办函〔2019〕60号 or 〔2021〕30号), and the section scheme of the years before 2019
(一、概述 … 依申请公开政府信息情况 … 政府信息公开的收费及减免情况 … 七、其他事项), which a
report copied from an old one keeps."""
from __future__ import annotations

from typing import Optional

import regex as re

from ...labels import NOTICE_NAMES
from ...model import Finding, Report
from ...spec import expected_template
from ...textnorm import shorten
from ..rule import Rule
from ..kind import kind

# ---------------------------------------------------------------- the notice cited

_NOTICE = re.compile(r"〔\s*(?P<year>2019|2021)\s*〕\s*(?P<no>60|30)\s*号")
_NOTICES = {("2019", "60"): "2019", ("2021", "30"): "2021"}


def cited_format(text: str) -> Optional[tuple[str, re.Match]]:
    """The format a sentence cites by its notice's number, with the match."""
    for m in _NOTICE.finditer(text):
        template = _NOTICES.get((m.group("year"), m.group("no")))
        if template is not None:
            return template, m
    return None


@kind("format_citation", fields=("cited", "expected", "sentence", "year"))
def check_format_citation(report: Report, rule: Rule) -> list[Finding]:
    """A notice cited as the report's format that is not the format its year must follow."""
    if report.year is None:
        return []
    expected = expected_template(report.year)
    for sentence in report.sentences:
        cited = cited_format(sentence.text)
        if cited is None or cited[0] == expected:
            continue
        template, m = cited
        return [Finding(
            rule.id, rule.severity, "fail",
            rule.render(year=report.year, cited=NOTICE_NAMES[template], expected=NOTICE_NAMES[expected],
                        sentence=shorten(sentence.text, 60)),
            line=sentence.line, page=sentence.page, excerpt=sentence.text, key=f"cited:{template}",
        )]  # once: a report that cites the old notice cites it as its format, not each time
    return []


# ---------------------------------------------------------------- the pre-2019 section scheme

# Headings that only the pre-2019 scheme prints (条例 of 2008 and the formats before 2019), each
# with words its pattern cannot match without (looked for first: most headings have none).
_OLD_HEADINGS = {
    "概述": ("概述", re.compile(r"^\s*(?:[一1][、.．]\s*)?(?:工作)?概述\s*$")),
    "依申请公开政府信息情况": ("依申请公开", re.compile(r"依申请公开(?:政府)?信息(?:的)?情况")),
    "政府信息公开的收费及减免情况": ("减免", re.compile(r"收费(?:及|和|与)减免")),
    "其他事项": ("其他事项", re.compile(r"^\s*(?:[六七][、.．]\s*)?其他事项\s*$")),
    "第七部分": ("七", re.compile(r"^\s*七\s*[、.．]\s*\p{Han}")),
}
_HEADING_CHARS = 40
_HEADING_NUMBER = re.compile(r"^\s*#*\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分[、：:\s]*)")
_NUMBERED_LINE = re.compile(r"^\s*[一二三四五六七八][、.．]")
_MIN_MARKS = 2


def pre_2019_scheme(report: Report) -> list[str]:
    """The old scheme's headings the report prints (two or more of them say it follows it)."""
    headings = [s.heading for s in report.sections.values() if s.heading]
    headings += [s.text for s in report.sentences if len(s.text) <= _HEADING_CHARS and _NUMBERED_LINE.match(s.text)]
    found = []
    for name, (words, pattern) in _OLD_HEADINGS.items():
        hit = next((h for h in headings if words in h  # (the heading without its number holds them only if it does)
                    and pattern.search(h if name == "第七部分" else _HEADING_NUMBER.sub("", h))), None)
        if hit is not None and hit.strip() not in found:
            found.append(hit.strip())
    return found if len(found) >= _MIN_MARKS else []
