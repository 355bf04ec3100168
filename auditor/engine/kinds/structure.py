"""Structure: sections, tables and rows the format requires, in its order and with its
wording; the format matching the year."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Optional

import regex as re

from ...model import Finding, Report, Table
from ...spec import expected_template, format_spec
from ...textnorm import label_key, numbering
from ..catalogue import Rule
from .identity import short_label

_TABLE_NAMES = {"t2": "表二（主动公开政府信息情况）", "t3": "表三（收到和处理政府信息公开申请情况）", "t4": "表四（政府信息公开行政复议、行政诉讼情况）"}
_FORMAT_NAMES = {"2019": "2019 年格式（国办公开办函〔2019〕60号）", "2021": "2021 年格式（国办公开办函〔2021〕30号）"}


def check_sections(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    for section in report.sections.values():
        if section.heading is None:
            findings.append(
                Finding(rule.id, rule.severity, "fail", rule.render(no=section.no, title=section.title), key=section.id)
            )
    return findings


def check_tables(report: Report, rule: Rule) -> list[Finding]:
    present = {tid.split(".")[0] for tid, t in report.tables.items() if t.rows_found}
    return [
        Finding(rule.id, rule.severity, "fail", rule.render(table=name), table=tid, key="missing")
        for tid, name in _TABLE_NAMES.items()
        if tid not in present
    ]


def check_rows(report: Report, rule: Rule) -> list[Finding]:
    """Rows of a printed table that are not there; sub-items replaced by a subtotal row are a warning."""
    spec = format_spec(report.template or "2021")
    findings = []
    for table in report.tables.values():
        if not table.rows_found:
            continue
        missing = [r for r in table.row_labels if r not in table.rows_found and r not in spec.t3_groups]
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
                    rule.render(table=table.title.split(" ")[0], count=len(missing), rows=names),
                    table=table.id, key="rows:" + ",".join(missing),
                    cells=[(table.id, r, c) for r in missing for c in table.column_labels],
                )
            )
    return findings


def _merged_group(rule: Rule, table_id: str, label: str, count: int) -> Finding:
    message = (
        f"表三“{label}”只填了一行合计，没有按格式分列其下 {count} 个子项。"
        f"请按 2021 年格式逐项填写各子项，合计行不是格式的一部分。"
    )
    return Finding(rule.id, "warning", "fail", message, table=table_id, key="merged:" + label)


def check_format_year(report: Report, rule: Rule) -> list[Finding]:
    if report.year is None or report.template is None or "by_year" in report.template_evidence:
        return []
    expected = expected_template(report.year)
    if expected == report.template:
        return []
    evidence = "、".join(report.template_evidence.get(report.template, [])[:4])
    return [
        Finding(
            rule.id, rule.severity, "fail",
            rule.render(year=report.year, expected=_FORMAT_NAMES[expected], actual=_FORMAT_NAMES[report.template], evidence=evidence),
            key="format",
        )
    ]


def check_unread_pages(report: Report, rule: Rule) -> list[Finding]:
    """Pages the reader could not read as text (pictures, scans): what is on them is not audited."""
    pages = report.document.unread_pages
    if not pages:
        return []
    listed = "、".join(str(p) for p in pages)
    return [Finding(rule.id, rule.severity, "fail", rule.render(pages=listed, count=len(pages)),
                    page=pages[0], key="pages:" + listed)]


# ---------------------------------------------------------------- section order


def _in_order(lines: list[int]) -> list[bool]:
    """Which positions belong to one longest increasing run (the rest are out of place)."""
    n = len(lines)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if lines[j] < lines[i] and best[j] + 1 > best[i]:
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
_CONNECTIVES = re.compile(r"[和及与]")


def printed_title(heading: str) -> str:
    """The heading without its number ("五、" or "第五部分")."""
    return _HEADING_NUMBER.sub("", heading).strip()


def _title_key(text: str) -> str:
    """Compared without spaces, punctuation or the words joining two items (和/及/与 for 、)."""
    return _CONNECTIVES.sub("", label_key(text))


def title_altered(heading: str, official: str) -> bool:
    """A printed title differs when it does not contain the official one: words may be added
    ("政府信息公开工作存在的主要问题及改进情况"), not replaced or left out."""
    return _title_key(official) not in _title_key(printed_title(heading))


def check_section_titles(report: Report, rule: Rule) -> list[Finding]:
    findings = []
    for section in report.sections.values():
        if section.heading is None or not title_altered(section.heading, section.title):
            continue
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(no=section.no, printed=printed_title(section.heading), official=section.title),
            line=section.line, page=_page_of(report, section.line), excerpt=section.heading, key=section.id,
        ))
    return findings


# ---------------------------------------------------------------- table labels


_REWORDED = 0.6  # how much of the official label a reworded one keeps


def _core_key(label: str) -> str:
    return label_key(numbering(label)[1])


def label_altered(printed: str, official: str) -> bool:
    """Is a printed row label a different wording of the official one? Differences a reader
    makes are not: spacing, punctuation, full/half width, a missing list number, a label cut
    at a line break (one is part of the other), a group label in front, and characters put
    out of order."""
    p, o = _core_key(printed), _core_key(official)
    whole_p, whole_o = label_key(printed), label_key(official)
    if not p or p == o or whole_p == whole_o:
        return False
    if p in o or o in p or whole_o in whole_p or sorted(p) == sorted(o):
        return False
    # A reworded label keeps most of the official one; a stray fragment (a character of a
    # vertical group label, another row's words) is the reader's doing, not the report's.
    return SequenceMatcher(None, p, o, autojunk=False).ratio() >= _REWORDED


def _table_name(table: Table) -> str:
    name = table.title.split(" ")[0]
    return name + table.title.split("·", 1)[1] if "·" in table.title else name


def check_labels(report: Report, rule: Rule) -> list[Finding]:
    """Row labels, column headers and header rows of the tables as the formats print them."""
    findings = []
    for table in report.tables.values():
        for row, printed in table.printed_labels.items():
            official = table.row_labels.get(row)
            if official is None or not label_altered(printed, official):
                continue
            source = table.row_sources.get(row)
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(table=_table_name(table), what="行名", printed=printed.strip(), official=official),
                table=table.id, row=row, line=source.line if source else None, page=source.page if source else None,
                excerpt=printed.strip(), key="row",
            ))
        for col, (printed, source) in table.printed_headers.items():
            official = table.column_labels[col]
            if label_key(printed) in label_key(official):
                continue  # the official header, or part of it left by a line break ("公益组织")
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(table=_table_name(table), what="栏目名", printed=printed.strip(), official=official),
                table=table.id, column=col, line=source.line, page=source.page, excerpt=printed.strip(), key="header",
            ))
        for source in table.repeated_headers:
            findings.append(Finding(
                rule.id, rule.severity, "fail", rule.params["repeated_message"].format(table=_table_name(table)),
                table=table.id, line=source.line, page=source.page, key=f"repeated:{source.line}:{source.page}",
            ))
    return findings


# ---------------------------------------------------------------- "包括……六个部分"

_NUMBER_WORD = r"[一二两三四五六七八九十]{1,3}|\d{1,2}"
_PARTS = re.compile(rf"(?P<etc>等)?\s*(?:共|在内的)?\s*(?P<n>{_NUMBER_WORD})\s*个?\s*(?P<unit>部分|方面|板块)")
_TRIGGER = re.compile(r"包括|包含|分为|分成|涵盖")
_AFTER_LIST = re.compile(r"^[^，,。；;：:、]{0,10}[：:](?P<list>[^。]+)")
_ITEM_SPLIT = re.compile(r"以及|[、，,；;]")
_ORDINALS = re.compile(r"(?:^|[；;，,。])\s*(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）)")
_MAX_ITEM_CHARS = 40
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number_word(text: str) -> Optional[int]:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
        return value if (not tens or tens in _DIGITS) and (not units or units in _DIGITS) else None
    return _DIGITS.get(text) if len(text) == 1 else None


def _official_titles(report: Report) -> list[str]:
    return [_title_key(s.title) for s in report.sections.values()]


def _is_one_item(item: str, titles: list[str]) -> bool:
    """"政府信息公开行政复议和行政诉讼情况" is one section's name, not two items."""
    key = _title_key(item)
    return any(SequenceMatcher(None, key, t).ratio() >= 0.75 for t in titles)


@dataclass
class ListedParts:
    claimed: int
    claimed_text: str  # the number as printed: "六", "6"
    unit: str  # 部分 | 方面 | 板块
    items: list[str]
    fewest: int  # items split at 、，；以及 only
    most: int  # also split at 和/及/与, except inside a section's name
    open_ended: bool  # "A、B等三个方面": the list may be incomplete

    @property
    def mismatched(self) -> bool:
        return self.claimed < self.fewest or (self.claimed > self.most and not self.open_ended)


def _pieces(listing: str) -> list[str]:
    pieces = [re.sub(r"^(?:和|及|与|并|还有)", "", p.strip()) for p in _ITEM_SPLIT.split(listing)]
    return [p for p in pieces if p]


def _listing(text: str, match: re.Match) -> Optional[tuple[list[str], bool]]:
    """The items the sentence lists for its count: before it after 包括/分为 ("包括A、B、C
    等三个部分"), or after it behind a colon ("分为以下三个方面：A、B、C")."""
    triggers = list(_TRIGGER.finditer(text, 0, match.start()))
    if triggers:
        listing = text[triggers[-1].end():match.start()]
        if "、" in listing:
            return _pieces(listing), bool(match.group("etc"))
    after = _AFTER_LIST.match(text[match.end():])
    if not after:
        return None
    listing = after.group("list")
    ordinals = _ORDINALS.findall(listing)
    if len(ordinals) >= 2:
        return [o.strip("；;，,。 ") for o in ordinals], False
    separator = "；" if "；" in listing else "、"
    pieces = [p.strip() for p in listing.split(separator) if p.strip()]
    return (pieces, False) if len(pieces) >= 2 else None


def listed_parts(text: str, titles: list[str]) -> Optional[ListedParts]:
    for match in _PARTS.finditer(text):
        claimed = number_word(match.group("n"))
        found = _listing(text, match) if claimed and claimed >= 2 else None
        if not found:
            continue
        items, open_ended = found
        if len(items) < 2 or any(len(i) > _MAX_ITEM_CHARS for i in items):
            continue  # not a clear enumeration
        most = sum(1 if _is_one_item(i, titles) else 1 + len(_CONNECTIVES.findall(i)) for i in items)
        return ListedParts(claimed, match.group("n"), match.group("unit"), items, len(items), most, open_ended)
    return None


def check_parts_claim(report: Report, rule: Rule) -> list[Finding]:
    titles = _official_titles(report)
    findings = []
    for sentence in report.sentences:
        listed = listed_parts(sentence.text, titles)
        if listed is None or not listed.mismatched:
            continue
        count = listed.fewest if listed.claimed < listed.fewest else listed.most
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(claimed=listed.claimed_text, unit=listed.unit, count=count, items="、".join(listed.items),
                        sentence=_shorten(sentence.text)),
            line=sentence.line, page=sentence.page, excerpt=sentence.text, expected=count, actual=listed.claimed,
        ))
    return findings


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "……"
