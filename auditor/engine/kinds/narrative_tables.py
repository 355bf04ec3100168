"""Narrative against tables: the counts a sentence states must be the counts the tables print.

"全市共受理政府信息公开申请 3119 件" against 表三 本年新收 3119; "行政诉讼 46 件" against
表四 未经复议直接起诉 26 + 复议后起诉 20; "制发规范性文件 6 件" against 表二. A claim is read
by extraction.claims; here it is compared with the cells it may mean (its readings).

A mismatch is an error only when the sentence clearly counts what the table counts. When
its words allow another scope (an office acting for the government, 备案 cases, 复议 not tied
to 信息公开), the finding is a warning that says so. A cell the report does not have, or
left blank, means the claim cannot be compared: no finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

import regex as re

from ...labels import cell_words, number_words
from ...model import Claim, Finding, Report
from ...spec import T3_APPLICANTS, T3_TOTAL
from ..rule import Rule
from ..kind import Param, kind
from .narrative import percent_agrees

_EXCERPT_CHARS = 40


@dataclass
class Reading:
    """What a claim may mean in the tables: the cells it adds up and their total."""

    name: str  # the cells in words, with canonical labels
    value: float
    table: Optional[str]  # None: a figure the text states, with no cell behind it
    row: Optional[str]
    column: Optional[str]
    cells: list[tuple[str, str, str]] = field(default_factory=list)
    scope: Optional[str] = None  # set when matching this reading only means another scope


# ---------------------------------------------------------------- cells


def _cell(report: Report, table_id: str, row: str, column: str) -> Optional[Reading]:
    table = report.tables.get(table_id)
    if table is None or row not in table.rows_found or row not in table.row_labels:
        return None
    value = table.value(row, column)
    if value is None:
        return None
    return Reading(cell_words(table, row, column, title=True), value, table_id, row, column,
                   [(table_id, row, column)])


def _sum(readings: list[Optional[Reading]], name: str) -> Optional[Reading]:
    """Several cells as one reading; located at the first cell, all listed in `cells`."""
    if not readings or any(r is None for r in readings):
        return None
    first = readings[0]
    cells = [c for r in readings for c in r.cells]
    return Reading(name, sum(r.value for r in readings), first.table, first.row, first.column, cells)


def _t3_group(report: Report, group: str) -> Optional[Reading]:
    """An outcome group of 表三 in the 总计 column: its items added up (or the group's own
    subtotal row when the report printed only that); None when any item is unreadable."""
    spec = report.spec
    items = spec.t3_group_items.get(group)
    if not items:
        return _t3(report, group)
    label = spec.t3_groups[group]
    parts = [_t3(report, item) for item in items]
    if all(p is not None for p in parts):
        total = _sum(parts, f"表三“{label}”下各项“总计”列之和")
        total.row = group
        return total
    if not any(p is not None for p in parts):
        own = _t3(report, group)
        if own is not None:
            own.name = f"表三“{label}”行“总计”列"
        return own
    return None  # some items read, some not: the sum is unknown


def _t3(report: Report, row: str) -> Optional[Reading]:
    """A row's 总计; when the report left 总计 blank, its applicant columns added up (all of
    them printed), which give the same count."""
    total = _cell(report, "t3", row, T3_TOTAL)
    if total is not None:
        return total
    parts = [_cell(report, "t3", row, c) for c in T3_APPLICANTS]
    if any(p is None for p in parts):
        return None
    table = report.tables["t3"]
    both = _sum(parts, f"表三“{table.row_labels[row]}”行各类申请人之和（“总计”列空白）")
    both.column = T3_TOTAL
    return both


_T4_NAMES = {
    ("review",): "表四“行政复议”",
    ("suit_direct", "suit_after_review"): "表四“未经复议直接起诉”与“复议后起诉”",
    ("review", "suit_direct", "suit_after_review"): "表四“行政复议”“未经复议直接起诉”“复议后起诉”三栏",
    ("suit_direct",): "表四“未经复议直接起诉”",
    ("suit_after_review",): "表四“复议后起诉”",
}


def _t4_blocks(report: Report, blocks: tuple[str, ...], column: str) -> Optional[Reading]:
    parts = [_cell(report, "t4", b, column) for b in blocks]
    if len(parts) == 1:
        return parts[0]
    label = report.spec.t4_columns[column]
    return _sum(parts, f"{_T4_NAMES.get(blocks, '表四')}的“{label}”之和")


_DOC_COLUMNS = {  # (format, what the verb says) -> 表二 第二十条第（一）项 column
    ("2021", "made"): "made",
    ("2021", "repealed"): "repealed",
    ("2021", "valid"): "valid",
    ("2019", "made"): "new_made",
    ("2019", "published"): "new_published",
    ("2019", "total_published"): "total_published",
}


# ---------------------------------------------------------------- readings of each claim


def _received(claim: Claim, report: Report) -> list[Optional[Reading]]:
    new = _t3(report, "new")
    if claim.verb == "新收":
        return [new]
    # "受理" is often 本年新收 + 上年结转 (沭阳 2025: 受理 749 = 713 + 36)
    readings = [new, _sum([new, _t3(report, "carried")], "表三“本年新收”与“上年结转”的“总计”列之和")]
    if claim.also_handled:
        readings.append(_t3(report, "handled_total"))
    return readings


def _t4_total(claim: Claim, report: Report) -> list[Optional[Reading]]:
    readings = [_t4_blocks(report, claim.items, "total")]
    if len(claim.items) > 1:  # a sentence that may count only one kind of suit
        for block in claim.items:
            one = _t4_blocks(report, (block,), "total")
            if one is not None:
                one.scope = f"句中的件数与{one.name}相同，可能只计了其中一类案件"
                readings.append(one)
    return readings


def _docs(claim: Claim, report: Report) -> list[Optional[Reading]]:
    column = _DOC_COLUMNS.get((report.template or "", claim.column))
    if column is None:
        return []
    return [_cell(report, "t2.art20_1", claim.items[0], column)]


def _handled(claim: Claim, report: Report) -> list[Optional[Reading]]:
    handled = _t3(report, "handled_total")
    if claim.verb != "办理":
        return [handled]
    # "共办理 N 件" may count every request dealt with this year, finished or not
    both = _sum([_t3(report, "new"), _t3(report, "carried")], "表三“本年新收”与“上年结转”的“总计”列之和")
    return [handled, both]


READINGS: dict[str, Callable[[Claim, Report], list[Optional[Reading]]]] = {
    "received": _received,
    "carried": lambda c, r: [_t3(r, "carried")],
    "handled": _handled,
    "carry_fwd": lambda c, r: [_t3(r, "carry_fwd")],
    "outcome": lambda c, r: [_outcomes(c, r)],
    "t4_total": _t4_total,
    "none_t4": _t4_total,
    "t4_column": lambda c, r: [_t4_blocks(r, c.items, c.column)],
    "docs": _docs,
}


def _outcomes(claim: Claim, report: Report) -> Optional[Reading]:
    groups = [_t3_group(report, g) for g in claim.items]
    if len(groups) == 1:
        return groups[0]
    spec = report.spec
    names = "”“".join(_group_label(spec, g) for g in claim.items)
    return _sum(groups, f"表三“{names}”的“总计”列之和")


def _group_label(spec, group: str) -> str:
    return spec.t3_groups.get(group) or spec.t3_rows[group].split("（区分")[0]


# ---------------------------------------------------------------- words for messages


_WHAT = {
    "received": "受理（收到）的政府信息公开申请数",
    "carried": "上年结转的申请数",
    "handled": "办结（答复）的申请数",
    "carry_fwd": "结转下年度继续办理的申请数",
    "outcome": "办理结果件数",
    "t4_total": "行政复议、行政诉讼案件数",
    "none_t4": "行政复议、行政诉讼案件数",
    "t4_column": "案件结果件数",
    "docs": "文件件数",
}
_BLOCK_WORDS = {
    ("review",): "政府信息公开行政复议案件数",
    ("suit_direct", "suit_after_review"): "政府信息公开行政诉讼案件数",
    ("review", "suit_direct", "suit_after_review"): "行政复议和行政诉讼案件合计",
    ("suit_direct",): "未经复议直接起诉的行政诉讼案件数",
    ("suit_after_review",): "复议后起诉的行政诉讼案件数",
}
_DOC_WORDS = {"made": "制发", "repealed": "废止", "valid": "现行有效", "published": "新公开", "total_published": "对外公开"}


def _what(claim: Claim, report: Report) -> str:
    if claim.concept == "received" and claim.verb == "新收":
        return "本年新收的政府信息公开申请数"
    if claim.concept in ("t4_total", "none_t4"):
        return _BLOCK_WORDS.get(claim.items, _WHAT[claim.concept])
    if claim.concept == "t4_column":
        column = report.spec.t4_columns[claim.column]
        return f"{_BLOCK_WORDS.get(claim.items, '案件')}中“{column}”的件数"
    if claim.concept == "outcome":
        spec = report.spec
        return "“" + "”“".join(_group_label(spec, g) for g in claim.items) + "”的件数"
    if claim.concept == "docs":
        row = "规范性文件" if claim.items[0] == "normative_docs" else "规章"
        return f"{_DOC_WORDS[claim.column]}{row}件数"
    return _WHAT[claim.concept]


def excerpt_of(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"


# ---------------------------------------------------------------- the checks


@kind("narrative_counts",
      params={"claims": Param(list[str], required=True),
              "scope_message": Param(str, required=True, message=True)},
      fields=("cell", "excerpt", "others", "said", "scope", "value", "what"))
def check_narrative_counts(report: Report, rule: Rule) -> list[Finding]:
    """Counts stated in sentences against the cells they name (rule.params.claims)."""
    wanted = set(rule.params["claims"])
    findings = []
    for claim in report.claims:
        if claim.concept in wanted and claim.concept in READINGS and claim.value is not None:
            finding = _compare(claim, READINGS[claim.concept](claim, report), rule, report)
            if finding is not None:
                findings.append(finding)
    return findings


def _compare(claim: Claim, readings: list[Optional[Reading]], rule: Rule, report: Report) -> Optional[Finding]:
    if not readings or readings[0] is None:
        return None  # the cell it names is missing or blank: nothing to compare
    known = [r for r in readings if r is not None]
    matching = [r for r in known if abs(r.value - claim.value) < 1e-9]
    if any(r.scope is None for r in matching):
        return None
    primary = known[0]
    scope = claim.scope or (matching[0].scope if matching else None)
    others = "".join(f"（{r.name}为 {number_words(r.value)} 件）" for r in known[1:]
                     if r.scope is None and r.value != primary.value)
    values = dict(
        excerpt=excerpt_of(claim.clause), what=_what(claim, report), said=number_words(claim.value),
        cell=primary.name, value=number_words(primary.value), others=others, scope=scope or "",
    )
    return _finding(rule, claim, primary, values, scope is not None, expected=primary.value, actual=claim.value)


def _finding(rule: Rule, claim: Claim, at: Reading, values: dict, scoped: bool,
             expected: Optional[float] = None, actual: Optional[float] = None) -> Finding:
    template = rule.params["scope_message"] if scoped else rule.message
    return Finding(
        rule.id,
        "warning" if scoped else rule.severity,
        "uncertain" if scoped else "fail",
        template.format_map(values),
        table=at.table, row=at.row, column=at.column,
        line=claim.sentence.line, page=claim.sentence.page, excerpt=claim.sentence.text,
        expected=expected, actual=actual, cells=list(at.cells) if len(at.cells) > 1 else [],
        key=f"{claim.concept}:{''.join(claim.clause.split())}", compared_with="table",
    )


@kind("narrative_outcome_shares", fields=("base", "base_value", "computed", "count", "excerpt", "said", "what"))
def check_outcome_shares(report: Report, rule: Rule) -> list[Finding]:
    """'予以公开 208 件（17.46%）': the share must be the count over the handled total (or, as
    some reports do, over the received total)."""
    findings = []
    for claim in report.claims:
        if claim.concept != "outcome" or claim.percent is None or claim.value is None:
            continue
        group = _outcomes(claim, report)
        handled = _t3(report, "handled_total")
        if handled is None or handled.value == 0:
            continue
        numerators = [claim.value] + ([group.value] if group is not None else [])
        denominators = _share_bases(report, handled)
        if any(percent_agrees(claim.percent, 100 * n / d) for n in numerators for d in denominators):
            continue
        computed = 100 * claim.value / handled.value
        values = dict(
            excerpt=excerpt_of(claim.clause), what=_what(claim, report), said=claim.percent,
            count=number_words(claim.value), base=handled.name, base_value=number_words(handled.value),
            computed=f"{computed:.2f}",
        )
        findings.append(Finding(
            rule.id, rule.severity, "fail", rule.render(**values),
            table=handled.table, row=handled.row, column=handled.column,
            line=claim.sentence.line, page=claim.sentence.page, excerpt=claim.sentence.text,
            expected=round(computed, 2), actual=float(claim.percent),
            key=f"share:{''.join(claim.clause.split())}", value_names=("正文所写的百分比", "按件数计算应为"),
        ))
    return findings


def _share_bases(report: Report, handled: Reading) -> list[float]:
    new, carried = _t3(report, "new"), _t3(report, "carried")
    bases = [handled.value]
    if new is not None:
        bases.append(new.value)
        if carried is not None:
            bases.append(new.value + carried.value)
    return [b for b in bases if b > 0]


# "均获维持", "全部维持": every case ended upheld, so none corrected, none otherwise ended and
# none pending; "未被纠错", "无败诉" only say that none was corrected.
_ALL_UPHELD = re.compile(r"(?:均|全部|都|全)(?:获|被|予以|得到|已)?(?:维持|胜诉)")
_NOT_UPHELD_COLUMNS = ("corrected", "other", "pending")


@kind("narrative_upheld",
      params={"scope_message": Param(str, required=True, message=True)},
      fields=("cell", "excerpt", "scope", "value"))
def check_upheld(report: Report, rule: Rule) -> list[Finding]:
    """'复议案件均获维持': the 结果纠正, 其他结果 and 尚未审结 cells of those blocks must be 0;
    '未被纠错': the 结果纠正 cells."""
    findings = []
    for claim in report.claims:
        if claim.concept != "upheld":
            continue
        columns = _NOT_UPHELD_COLUMNS if _ALL_UPHELD.search(claim.clause) else ("corrected",)
        against = [r for c in columns if (r := _t4_blocks(report, claim.items, c)) is not None and r.value != 0]
        if not against:
            continue
        at = against[0]
        cell = "，".join(f"{r.name}为 {number_words(r.value)} 件" for r in against[:-1])
        cell = (cell + "，" if cell else "") + against[-1].name
        values = dict(excerpt=excerpt_of(claim.clause), cell=cell, value=number_words(against[-1].value),
                      scope=claim.scope or "")
        finding = _finding(rule, claim, at, values, claim.scope is not None, expected=0, actual=at.value)
        # the number is the table's, the 0 is what the sentence implies (not "正文所写")
        finding.value_names = (f"{at.name}为", "按正文所写应为")
        findings.append(finding)
    return findings


@kind("narrative_all_done", fields=("excerpt", "value", "where"))
def check_all_done(report: Report, rule: Rule) -> list[Finding]:
    """'所有申请均已办结' while applications are carried into next year."""
    claims = list(report.claims)
    findings = []
    for claim in (c for c in claims if c.concept == "all_done"):
        evidence = _carried_forward(report, claims)
        if evidence is None:
            continue
        where, value, at = evidence
        values = dict(excerpt=excerpt_of(claim.clause), where=where, value=number_words(value))
        findings.append(_finding(rule, claim, at, values, False, actual=value))
    return findings


def _carried_forward(report: Report, claims: Iterable[Claim]) -> Optional[tuple[str, float, Reading]]:
    """How many applications the report carries into next year, by the table or else the text."""
    cell = _t3(report, "carry_fwd")
    if cell is not None:
        return (cell.name, cell.value, cell) if cell.value > 0 else None
    for other in claims:
        if other.concept == "carry_fwd" and other.value:
            nowhere = Reading("", other.value, None, None, None)
            return f"正文“{excerpt_of(other.clause)}”所说的结转件数", other.value, nowhere
    return None
