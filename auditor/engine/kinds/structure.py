"""Structure: sections, tables and rows the format requires, the sections in its order and
with its titles; the format matching the year. Table labels: labels.py; the report's claim
about its own parts: parts_claim.py."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex as re

from ...labels import FORMAT_NAMES, FORMAT_SHORT_NAMES, short_label, table_short_title
from ...model import Finding, Report
from ...spec import T2_TITLE, T3_TITLE, T4_TITLE, expected_template
from ...textnorm import label_key
from ..rule import Rule
from ..kind import Param, kind
from .format_scheme import pre_2019_scheme

# "表二（主动公开政府信息情况）": the official titles, number and name
_TABLE_NAMES = {t: "{}（{}）".format(*title.split(" ", 1)) for t, title in (("t2", T2_TITLE), ("t3", T3_TITLE), ("t4", T4_TITLE))}


@kind("sections_present", fields=("no", "title"),
      doc="The six sections of the format are all there.")
def check_sections(report: Report, rule: Rule) -> list[Finding]:
    if pre_2019_scheme(report):
        return []  # the old scheme's parts: STRUCT-FORMAT-YEAR says so once, not six missing sections
    findings = []
    cut_off = (report.cut.sections_after if report.cut else []) + (report.start.sections_before if report.start else [])
    for section in report.sections.values():
        if section.heading is None and section.id not in cut_off:  # after a cut or before the start: READ-TRUNCATED says it once
            findings.append(
                Finding(rule.id, rule.severity, "fail", rule.render(no=section.no, title=section.title), key=section.id)
            )
    return findings


@kind("tables_present", fields=("table",),
      doc="The three statistical tables of the format are all there.")
def check_tables(report: Report, rule: Rule) -> list[Finding]:
    present = {tid.split(".")[0] for tid, t in report.tables.items() if t.rows_found or t.printed_empty}
    cut_off = (report.cut.tables_after if report.cut else []) + (report.start.tables_before if report.start else [])
    return [
        Finding(rule.id, rule.severity, "fail", rule.render(table=name), table=tid, key="missing")
        for tid, name in _TABLE_NAMES.items()
        if tid not in present and tid not in cut_off
    ]


@kind("rows_present", fields=("count", "rows", "table"))
def check_rows(report: Report, rule: Rule) -> list[Finding]:
    """Rows of a printed table that are not there; sub-items replaced by a subtotal row are a warning."""
    spec = report.spec
    findings = []
    for table in report.tables.values():
        if not table.rows_found:
            continue
        cut_off = (report.cut.rows_after.get(table.id, []) if report.cut else []) + \
            (report.start.rows_before.get(table.id, []) if report.start else [])
        missing = [r for r in table.row_labels
                   if r not in table.rows_found and r not in spec.t3_groups and r not in cut_off]
        if table.id == "t3":
            for group, items in spec.t3_group_items.items():
                if group in table.rows_found and all(i in missing for i in items):
                    missing = [r for r in missing if r not in items]
                    findings.append(_merged_group(rule, table.id, table.row_labels[group], len(items)))
        if missing:
            names = "、".join(f"“{short_label(table.row_labels[r])}”" for r in missing)
            findings.append(
                Finding(
                    rule.id, rule.severity, "fail",
                    rule.render(table=table_short_title(table.id), count=len(missing), rows=names),
                    table=table.id, key="rows:" + ",".join(missing),
                    cells=[(table.id, r, c) for r in missing for c in table.column_labels],
                )
            )
    return findings


def _merged_group(rule: Rule, table_id: str, label: str, count: int) -> Finding:
    message = (
        f"表三“{label}”只填了一行合计，没有按格式分列其下 {count} 个子项。"
        f"请按 {FORMAT_SHORT_NAMES['2021']}逐项填写各子项，合计行不是格式的一部分。"
    )
    return Finding(rule.id, "warning", "fail", message, table=table_id, key="merged:" + label)


@kind("format_matches_year",
      params={"pre2019_message": Param(str, required=True, message=("year", "expected", "headings"))},
      fields=("actual", "evidence", "expected", "headings", "year"),
      doc="The tables are those of the format the report's year requires (2019 or 2021).")
def check_format_year(report: Report, rule: Rule) -> list[Finding]:
    old = pre_2019_scheme(report)
    if old and report.year is not None and report.year >= 2019:
        expected = expected_template(report.year)
        return [Finding(rule.id, rule.severity, "fail",
                        rule.params["pre2019_message"].format(year=report.year, expected=FORMAT_NAMES[expected],
                                                             headings="”“".join(old)),
                        key="format:pre2019")]
    if report.year is None or report.template is None or "by_year" in report.template_evidence:
        return []
    expected = expected_template(report.year)
    if expected == report.template:
        return []
    evidence = "、".join(report.template_evidence.get(report.template, [])[:4])
    return [
        Finding(
            rule.id, rule.severity, "fail",
            rule.render(year=report.year, expected=FORMAT_NAMES[expected], actual=FORMAT_NAMES[report.template], evidence=evidence),
            key="format",
        )
    ]


@kind("unread_pages", fields=("count", "pages"), described_only="此例需要 PDF 文件，无法用一份文本报告演示")
def check_unread_pages(report: Report, rule: Rule) -> list[Finding]:
    """Pages the reader could not read as text (pictures, scans): what is on them is not audited."""
    pages = report.document.unread_pages
    if not pages:
        return []
    listed = "、".join(str(p) for p in pages)
    message = rule.render(pages=listed, count=len(pages)) + report.document.unread_hint  # how to have them read
    return [Finding(rule.id, rule.severity, "fail", message,
                    page=pages[0], key="pages:" + listed)]


# ---------------------------------------------------------------- section order


def _in_order(lines: list[int]) -> list[bool]:
    """Which positions belong to one longest increasing run (the rest are out of place).
    Headings run into one line share its number: the line holds them in ascending order."""
    n = len(lines)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if lines[j] <= lines[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep = [False] * n
    i = max(range(n), key=lambda k: best[k]) if n else -1
    while i >= 0:
        keep[i] = True
        i = prev[i]
    return keep


def _page_of(report: Report, line: Optional[int]) -> Optional[int]:
    """The page a heading is on (headings are sentences of their own)."""
    return next((s.page for s in report.sentences if line is not None and s.line == line), None)


@kind("section_order", fields=("official", "printed", "sections"))
def check_section_order(report: Report, rule: Rule) -> list[Finding]:
    """The sections found must follow the official order 一 … 六. A missing section is
    STRUCT-SECTIONS' finding, not this one's."""
    present = [s for s in report.sections.values() if s.heading is not None and s.line is not None]
    keep = _in_order([s.line for s in present])
    misplaced = [s for s, ok in zip(present, keep) if not ok]
    if not misplaced:
        return []
    printed = "、".join(s.no for s in sorted(present, key=lambda s: s.line))
    official = "、".join(s.no for s in present)
    names = "、".join(f"“{s.no}、{s.title}”" for s in misplaced)
    first = min(misplaced, key=lambda s: s.line)
    return [Finding(rule.id, rule.severity, "fail", rule.render(printed=printed, official=official, sections=names),
                    line=first.line, page=_page_of(report, first.line), excerpt=first.heading,
                    key="order:" + ",".join(s.id for s in misplaced))]


# ---------------------------------------------------------------- section titles

_HEADING_NUMBER = re.compile(r"^\s*#*\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分[、：:\s]*)")
CONNECTIVES = re.compile(r"[和及与]")


def printed_title(heading: str) -> str:
    """The heading without its number ("五、" or "第五部分")."""
    return _HEADING_NUMBER.sub("", heading).strip()


@lru_cache(maxsize=1024)  # the formats' titles and the headings printed, the same in report after report
def title_key(text: str) -> str:
    """Compared without spaces, punctuation or the words joining two items (和/及/与 for 、)."""
    return CONNECTIVES.sub("", label_key(text))


def title_altered(heading: str, official: str) -> bool:
    """A printed title differs when it does not contain the official one: words may be added
    ("政府信息公开工作存在的主要问题及改进情况"), not replaced or left out."""
    return title_key(official) not in title_key(printed_title(heading))


@kind("section_titles", fields=("no", "official", "printed"),
      doc="Each section's heading uses the words the format gives it.")
def check_section_titles(report: Report, rule: Rule) -> list[Finding]:
    if pre_2019_scheme(report):
        return []  # titles of the old scheme: STRUCT-FORMAT-YEAR reports the scheme
    findings = []
    cut_heading = report.cut.section if report.cut and report.cut.heading else None
    for section in report.sections.values():
        if section.heading is None or not title_altered(section.heading, section.title):
            continue
        if section.id == cut_heading:
            continue  # the text stops in this heading: its title may be cut short (READ-TRUNCATED)
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(no=section.no, printed=printed_title(section.heading), official=section.title),
            line=section.line, page=_page_of(report, section.line), excerpt=section.heading, key=section.id,
        ))
    return findings
