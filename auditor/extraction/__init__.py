"""Extraction: Document → Report (metadata, sections, tables, sentences)."""
from __future__ import annotations

import re as plain_re
from functools import lru_cache
from typing import Optional

import regex as re

from ..model import Document, Report, Section
from ..spec import FORMATS, format_spec, resolved_spec
from ..textnorm import label_key
from .claims import read_claims
from .cut import find_cut, find_start
from .metadata import (
    detect_template, find_agency, signoff_agency, find_named_report, find_period, find_signoff, find_title, report_year,
)
from .rows import Row, document_rows
from .sections import choose_headings, find_headings, split_run_in_headings
from .sentences import build_sentences
from .tables import parse_t2, parse_t3, parse_t4

__all__ = ["extract"]

# Where a table starts when its section heading is missing: a label only that table has
# (any of its rows, so that a text starting in the middle of a table is still read).
_TABLE_ANCHORS = {
    "s2": ("第二十条第一项", "本年新制作数量", "本年制发件数", "上一年项目数量", "本年处理决定数量", "其他对外管理服务事项",
           "行政事业性收费", "本年收费金额", "政府集中采购"),
    "s3": ("勾稽关系", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "一予以公开", "二部分公开",
           "三不予公开", "四无法提供", "五不予处理", "六其他处理", "七总计",
           "属于国家秘密", "其他法律行政法规禁止公开", "危及三安全一稳定", "保护第三方合法权益", "属于三类内部事务信息",
           "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项", "本机关不掌握相关政府信息", "没有现成信息需要另行制作",
           "补正后申请内容仍不明确", "信访举报投诉类申请", "要求提供公开出版物", "无正当理由大量反复申请",
           "要求行政机关确认或重新出具已获取信息", "申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用",
           "结转下年度继续办理"),
    "s4": ("未经复议直接起诉", "复议后起诉"),
}
_NARRATIVE_MIN_CHARS = 45
_SHORT_SENTENCE_CHARS = 12


# Each section's anchors as one pattern: a single search tells whether a line's key holds any.
_ANCHOR_PATTERNS = {
    section: plain_re.compile("|".join(map(plain_re.escape, keys))) for section, keys in _TABLE_ANCHORS.items()
}


def _anchor_row(rows: list[Row], section: str, after: int) -> Optional[int]:
    anchors = _ANCHOR_PATTERNS[section]
    for row in rows[after + 1:]:
        if anchors.search(label_key(row.text)) and not (_is_prose(row) or _is_narrative(row)):
            return row.index  # a table label, not a sentence that names it
    return None


_SHORT_LABEL_CHARS = 24


def _rows_above_anchor(rows: list[Row], anchor: int, after: int, heading_rows: list[int]) -> int:
    """A copy that starts inside a table ("3.其他" and its numbers, then "（七）总计"): the
    table rows above the first label only the table has belong to it too."""
    first = anchor
    while first - 1 > after and first - 1 not in heading_rows:
        row = rows[first - 1]
        if _is_prose(row) or _is_narrative(row) or not (row.grid or row.has_numbers or len(label_key(row.text)) <= _SHORT_LABEL_CHARS):
            break
        first -= 1
    return first


def _is_narrative(row: Row) -> bool:
    """Prose after a table: a long line with a full stop, or a shorter full sentence that
    carries at most one number (a table row carries several)."""
    if row.grid or "。" not in row.text:
        return False
    text = row.text.strip()
    if len(text) >= _NARRATIVE_MIN_CHARS:
        return True
    numbers = sum(1 for c in row.cells if c.value is not None and c.value.kind == "number")
    return text.endswith("。") and len(text) >= _SHORT_SENTENCE_CHARS and numbers <= 1


_PROSE_END = "，。；：,;"
_PROSE_MIN_CHARS = 20
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_UNCLOSED = re.compile(r"[（(][^（）()]*$")  # a label's hint wrapped before its closing bracket
_CLAUSE_BREAK = re.compile(r"\p{Han}\s*[，；,;]\s*\p{Han}")  # web pages often type ASCII "," in prose


_CJK_CHAR = plain_re.compile("[\u4e00-\u9fff]")


def _cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))  # a C loop: lines of prose are long


def _is_prose(row: Row) -> bool:
    """A line of a sentence wrapped by the page: long running text that stops at a comma or a
    full stop, or that breaks into clauses outside brackets ("…8 件，其中结果维持 4 件，尚").
    Table label lines are short, end in a closing bracket or a number, and keep their commas
    inside brackets ("（区分处理的，只计这一情形…）")."""
    if row.grid:
        return False
    text = row.text.strip()
    if len(text) < _PROSE_MIN_CHARS or text[0] in "（(":
        return False
    if text[-1] in _PROSE_END:
        return _cjk_count(text) >= _PROSE_MIN_CHARS // 2
    outside = _UNCLOSED.sub("", _BRACKETED.sub("", text))
    return _cjk_count(outside) >= _PROSE_MIN_CHARS // 2 and bool(_CLAUSE_BREAK.search(outside))


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _table_text() -> str:
    """Every label printed in the official tables (row and column labels, captions, header
    notes) of both formats, as label keys, one per line."""
    labels = {_DIGITS.sub("", label_key(text)) for template in FORMATS for text in format_spec(template).printed_labels}
    return "\n".join(sorted(labels))


def _is_label_pieces(key: str, labels: str) -> bool:
    """Is key a run of pieces of table labels, each at least two characters long (a label
    wrapped anywhere leaves pieces: "等于第三项加第四项之和" + "自然人" + "总计")?"""
    if len(key) <= 2:
        return key in labels
    reach = [True] + [False] * len(key)
    for i in range(len(key) - 1):
        if not reach[i]:
            continue
        j = i + 2
        while j <= len(key) and key[i:j] in labels:
            reach[j] = True
            j += 1
    return reach[-1]


_COUNTED = re.compile(r"\d\s*\p{Han}")  # "2 件", "12场", "2024年": prose counts things, table cells do not


def _is_table_text(row: Row) -> bool:
    """A line made only of table labels or pieces of them, however they were wrapped: the
    header note broken after "第一项加第二项之和，", a row label broken inside its bracket.
    Such a line belongs to the table and never ends it, whatever its commas suggest. A
    sentence about the table uses the same words, but ends with "。" or counts ("2 件")."""
    if "。" in row.text or _COUNTED.search(row.text):
        return False
    labels = _table_text()
    pieces = [_DIGITS.sub("", label_key(p)) for p in row.text.split()]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(_is_label_pieces(p, labels) for p in pieces)


def _ends_sentence(row: Row) -> bool:
    return row.text.rstrip()[-1:] in "。！？!?"


def _table_regions(rows: list[Row], starts: dict[str, int], heading_rows: list[int]) -> dict[str, list[Row]]:
    """Rows of each table section: from its heading to the next heading or narrative prose."""
    regions: dict[str, list[Row]] = {}
    last = -1
    for section in ("s2", "s3", "s4"):
        start = starts.get(section)
        if start is None:
            anchor = _anchor_row(rows, section, last)
            start = _rows_above_anchor(rows, anchor, last, heading_rows) - 1 if anchor is not None else None
        if start is None:
            continue
        end = min([h for h in heading_rows if h > start] + [len(rows)])
        region: list[Row] = []
        open_sentence = False  # a sentence above the table whose next line is still prose
        table_seen = False
        for row in rows[start + 1:end]:
            looks_prose = _is_prose(row) or (open_sentence and not row.grid)
            prose = looks_prose and not _is_table_text(row)
            if looks_prose and not prose:
                open_sentence = False  # a table label: the table has begun, any sentence above is over
            if (_is_narrative(row) or prose) and table_seen:
                break
            if prose:
                open_sentence = not _ends_sentence(row)
                continue  # a sentence above the table (its lines wrapped): narrative, not table
            region.append(row)
            table_seen = table_seen or row.has_numbers or row.grid
        regions[section] = region
        last = region[-1].index if region else start
    return regions


def extract(doc: Document) -> Report:
    rows = document_rows(split_run_in_headings(doc))  # run-in headings on lines of their own
    hits = find_headings(rows)
    chosen = choose_headings(hits, format_spec("2021"))
    heading_rows = sorted(h.row for h in chosen.values())
    regions = _table_regions(rows, {s: h.row for s, h in chosen.items()}, heading_rows)
    table_rows = {r.index for region in regions.values() for r in region if not _is_narrative(r)}

    section_of_row: list[Optional[str]] = []
    by_row = {h.row: s for s, h in chosen.items()}
    current: Optional[str] = None
    for row in rows:
        current = by_row.get(row.index, current)
        section_of_row.append(current)
    sentences = build_sentences(rows, section_of_row, table_rows)

    title = find_title(rows)
    named = find_named_report(sentences)
    period = find_period(sentences)
    signoff = find_signoff(rows, heading_rows[0] if heading_rows else None, heading_rows[-1] if heading_rows else None)
    year = report_year(title, named, period, sentences, signoff)
    region_rows = [r for region in regions.values() for r in region] or rows
    template, evidence = detect_template(region_rows, year)
    spec = resolved_spec(template)  # an unrecognised format is read as the default one (see spec.DEFAULT_FORMAT)

    tables = {}
    if "s2" in regions:
        tables.update(parse_t2(regions["s2"], spec))
    if "s3" in regions:
        tables["t3"] = parse_t3(regions["s3"], spec)
    if "s4" in regions:
        tables["t4"] = parse_t4(regions["s4"], spec)

    sections = {
        s["id"]: Section(
            s["id"], s["no"], s["title"],
            chosen[s["id"]].heading if s["id"] in chosen else None,
            chosen[s["id"]].line if s["id"] in chosen else None,
        )
        for s in spec.sections
    }
    report = Report(
        document=doc,
        title=title.title,
        agency=find_agency(title, named, sentences, rows, signoff),
        year=year,
        title_year=title.year,
        title_line=title.line,
        period=period,
        template=template,
        template_evidence=evidence,
        sections=sections,
        tables=tables,
        sentences=sentences,
        signoff=signoff,
        cut=find_cut(rows, chosen, regions, tables, signoff, spec),
        start=find_start(rows, chosen, regions, tables, title.title is not None, spec),
        named_by={k: v for k, v in (("title", title.agency), ("signoff", signoff_agency(rows, signoff))) if v},
    )
    report.claims = read_claims(report.finished_sentences, report.agency)  # the cut and the agency are known now
    return report
