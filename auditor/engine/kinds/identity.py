"""Arithmetic identities over table cells: for each column (or row), left terms = right terms.

Counts are non-negative, so a blank cell may hide any count. An identity fails only when
no filling of its blank cells could make it hold (blanks count as 0, and the side that is
short has none); otherwise, and when a row the report does not have is involved, it
cannot be assessed (uncertain), never a false failure.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple, Optional, Union

from ...labels import number_words, short_label, table_short_title
from ...model import Finding, Report, Table
from ...spec import format_spec
from ..rule import Rule
from ..kind import Param, kind
from .unread import unread_rows

_MAX_NAMED_TERMS = 6


class Side(NamedTuple):
    """One side of an identity on one line: its terms' values there, and what they add up to
    (worked out once: the identity rule, pinpointing and CELL-BLANK each read them). A named
    tuple: a report has dozens of lines, each with two sides."""

    terms: list[str]  # the rows summed along a column, the columns summed along a row
    line: str  # the column (or row) the terms are read on
    along: str  # "column" or "row"
    values: tuple[Optional[float], ...]
    blank: bool  # every cell blank
    total: float  # the sum of its cells, blanks as 0

    @property
    def cells(self) -> list[tuple[str, str]]:
        """The (row, column) of each term on the line (made when asked: most lines are only summed)."""
        if self.along == "column":
            return [(t, self.line) for t in self.terms]
        return [(self.line, t) for t in self.terms]


def _expand(terms: list[str], table: Table, report: Report) -> list[str]:
    out: list[str] = []
    for term in terms:
        if term == "@outcome_rows":
            out.extend(_outcome_rows(table, report))
        else:
            out.append(term)
    return out


def _outcome_rows(table: Table, report: Report) -> list[str]:
    """The outcome rows; a group printed only as a subtotal row stands for its items."""
    spec = report.spec
    rows = list(spec.t3_outcome_rows)
    for group, items in spec.t3_group_items.items():
        if group in table.rows_found and not any(i in table.rows_found for i in items):
            first = rows.index(items[0])
            rows[first:first + len(items)] = [group]
    return rows


def _lines(rule: Rule, table: Table) -> list[str]:
    along = rule.params["along"]
    wanted = rule.params.get("lines")
    lines = list(table.column_labels) if along == "column" else list(table.row_labels)
    return [ln for ln in lines if wanted is None or ln in wanted]


_new_side = partial(tuple.__new__, Side)  # a Side from a plain tuple, without a Python call (dozens per report)


def _side(terms: list[str], line: str, along: str, values: tuple[Optional[float], ...]) -> Side:
    filled = [v for v in values if v is not None]
    return _new_side((terms, line, along, values, not filled, sum(filled)))


def _values_by_line(table: Table, terms: list[str], lines: list[str], along: str) -> list[tuple[Optional[float], ...]]:
    """The terms' values on each line, for terms and lines that are all the table's own: read
    term by term (one pass over the lines each) and regrouped by line."""
    if not terms:
        return [()] * len(lines)
    number = table.numbers.get  # a cell never set is blank, as Table.value answers
    if along == "column":
        by_term = [[number((t, line)) for line in lines] for t in terms]
    else:
        by_term = [[number((line, t)) for line in lines] for t in terms]
    return list(zip(*by_term))


def _blanks_could_explain(left: Side, right: Side, diff: float) -> bool:
    """Counts are non-negative: a blank on the smaller side might hold the difference."""
    smaller = right if diff > 0 else left
    return any(v is None for v in smaller.values)


def _term_text(table: Table, side: Side, along: str) -> str:
    def name(cell: tuple[str, str]) -> str:
        label = table.row_labels[cell[0]] if along == "column" else table.column_labels[cell[1]]
        return short_label(label)

    if len(side.cells) <= _MAX_NAMED_TERMS:
        return " + ".join(f"{name(c)}（{_fmt(v)}）" for c, v in zip(side.cells, side.values))
    nonzero = [f"{name(c)} {_fmt(v)}" for c, v in zip(side.cells, side.values) if v]
    shown = "、".join(nonzero) if nonzero else "均为 0 或空白"
    return f"{len(side.cells)} 项之和（{shown}）"


def _fmt(value: Optional[float]) -> str:
    return "空白" if value is None else number_words(value)


class Check(NamedTuple):
    """One line of an identity: left terms = right terms on one column (or row) of a table."""

    line: str
    label: str
    left: Side
    right: Side
    absent_rows: Union[set[str], frozenset[str]]
    key: Optional[str] = None  # which repetition of the identity (the row group), when there are several


_memo: tuple[Optional[Report], dict[int, tuple[Rule, list[Check]]]] = (None, {})


def identity_checks(report: Report, rule: Rule) -> list[Check]:
    """The lines an identity rule checks in this report, with their current values (worked
    out once per report and rule: the identity rule and pinpointing both read them)."""
    global _memo
    if _memo[0] is not report:
        _memo = (report, {})
    known = _memo[1].get(id(rule))
    if known is None or known[0] is not rule:
        known = (rule, _identity_checks(report, rule))
        _memo[1][id(rule)] = known
    return known[1]


def _identity_checks(report: Report, rule: Rule) -> list[Check]:
    table = report.tables.get(rule.params["table"])
    if table is None or not table.rows_found:
        return []  # a table the report does not have is a structure finding
    along = rule.params["along"]
    only_present = rule.params.get("only_if_present", False)
    unread = unread_rows(table)  # rows whose numbers could not be read: missing, not 0
    checks = []
    for left_terms, right_terms, key in _term_sets(rule, report):
        if only_present and (left_terms[0] not in table.rows_found or not table.rows_found & set(right_terms)):
            continue  # an optional subtotal row, or a subtotal printed instead of its items
        left_terms, right_terms = _expand(left_terms, table, report), _expand(right_terms, table, report)  # same on every line
        # Rows the report does not have: along columns the terms are rows, the same on every
        # line; along rows the only row is the line's, which is present.
        absent_terms = {t for t in left_terms + right_terms if t not in table.rows_found} if along == "column" else set()
        lines = _lines(rule, table)
        # Every cell the table's own (the usual case): its number is read straight from the dict,
        # as Table.value reads it; otherwise Table.value answers (and raises KeyError) per cell.
        term_ids, line_ids = (table.row_labels, table.column_labels) if along == "column" else \
            (table.column_labels, table.row_labels)
        own = all(t in term_ids for t in left_terms + right_terms) and all(ln in line_ids for ln in lines)
        if along == "row":
            lines = [ln for ln in lines if ln in table.rows_found]
        if own:
            left_by_line = _values_by_line(table, left_terms, lines, along)
            right_by_line = _values_by_line(table, right_terms, lines, along)
        else:  # line by line, so that a cell not the table's raises where it did
            left_by_line, right_by_line = [], []
            for line in lines:
                left_by_line.append(tuple(table.cell_values(_cells(left_terms, line, along))))
                right_by_line.append(tuple(table.cell_values(_cells(right_terms, line, along))))
        for line, left_values, right_values in zip(lines, left_by_line, right_by_line):
            left, right = _side(left_terms, line, along, left_values), _side(right_terms, line, along, right_values)
            absent = set(absent_terms) if absent_terms or unread else _NONE_ABSENT
            if unread:  # the sides hold the values
                absent.update(r for (r, _), value in zip(left.cells + right.cells, left.values + right.values)
                              if r in unread and value is None)
            label = table.column_labels[line] if along == "column" else table.row_labels[line]
            checks.append(_new_check((line, label, left, right, absent, key)))
    return checks


def _cells(terms: list[str], line: str, along: str) -> list[tuple[str, str]]:
    return [(t, line) for t in terms] if along == "column" else [(line, t) for t in terms]


_NONE_ABSENT: frozenset[str] = frozenset()  # shared by the lines whose rows are all there (never changed)
_new_check = partial(tuple.__new__, Check)  # a Check from a plain tuple, without a Python call


def _term_sets(rule: Rule, report: Report) -> list[tuple[list[str], list[str], Optional[str]]]:
    """The identity's terms; `each_group` repeats it for every 表三 row group (subtotal = its items)."""
    if not rule.params.get("each_group"):
        return [(rule.params["left"], rule.params["right"], None)]
    spec = report.spec
    return [([group], list(items), group) for group, items in spec.t3_group_items.items()]


def tolerance_of(rule: Rule) -> float:
    return float(rule.params.get("tolerance", 0))


def _table_ids(table: str, template: str) -> Optional[tuple[set[str], set[str]]]:
    """Row and column ids of a table in one format, or None when the format has no such table."""
    spec = format_spec(template)
    if table == "t3":
        return set(spec.t3_rows) | set(spec.t3_groups), set(spec.t3_columns)
    if table == "t4":
        return set(spec.t4_blocks), set(spec.t4_columns)
    block = next((b for b in spec.t2_blocks if f"t2.{b.id}" == table), None)
    return (set(block.rows), set(block.columns)) if block else None


def identity_params_problem(params: dict, formats: tuple[str, ...]) -> Optional[str]:
    """Identity rules (local rule packs write them by hand) name real tables, rows and columns."""
    if params["along"] not in ("row", "column"):
        return f"params.along 必须是 \"row\"（按行）或 \"column\"（按列），而不是 {params['along']!r}"
    for template in formats:
        ids = _table_ids(params["table"], template)
        if ids is None:
            return f"{template} 年格式中没有表格 {params['table']!r}（可用 t3、t4、t2.块编号）"
        rows, columns = ids
        terms_are, lines_are = (rows, columns) if params["along"] == "column" else (columns, rows)
        unknown = [t for t in [*params["left"], *params["right"]] if t not in terms_are and t != "@outcome_rows"]
        unknown += [ln for ln in params.get("lines", []) if ln not in lines_are]
        if unknown:
            return f"{template} 年格式的 {params['table']} 中没有 {unknown}（行列编号见 auditor/templates.json）"
    return None


@kind("identity",
      params={"table": Param(str, required=True),
              "along": Param(str, required=True),
              "left": Param(list[str], required=True),
              "right": Param(list[str], required=True),
              "lines": Param(list[str]),
              "each_group": Param(bool),
              "only_if_present": Param(bool),
              "tolerance": Param(float)},
      fields=("blank_note", "diff", "left_sum", "left_terms", "line", "right_sum", "right_terms", "table"),
      equations=True, validate=identity_params_problem,
      doc="A sum over a table's cells holds on every line: sum(left) = sum(right) along rows or columns.")
def check_identity(report: Report, rule: Rule) -> list[Finding]:
    checks = identity_checks(report, rule)
    if not checks:
        return []
    table = report.tables[rule.params["table"]]
    along = rule.params["along"]
    tolerance = tolerance_of(rule)
    findings: list[Finding] = []
    unassessable: list[str] = []
    missing_rows: set[str] = set()
    for check in checks:
        left, right = check.left, check.right
        if check.absent_rows:
            missing_rows |= check.absent_rows
            unassessable.append(short_label(check.label))
            continue
        if left.blank and right.blank:
            continue
        if left.blank or right.blank:
            filled = right if left.blank else left
            if filled.total != 0:
                unassessable.append(short_label(check.label))
            continue
        diff = left.total - right.total
        if abs(diff) <= tolerance:
            continue
        if _blanks_could_explain(left, right, diff):
            unassessable.append(short_label(check.label))
            continue
        failure = _failure(rule, table, check.line, check.label, left, right, diff, along)
        failure.key = check.key
        findings.append(failure)
    if unassessable:
        cut_off = set(report.cut.rows_after.get(table.id, [])) if report.cut else set()
        findings.append(_uncertain(rule, table, unassessable, missing_rows, along, cut_off))
    return findings


def _failure(rule: Rule, table: Table, line: str, line_label: str, left: Side, right: Side, diff: float, along: str) -> Finding:
    blanks = [c for c, v in zip(left.cells + right.cells, left.values + right.values) if v is None]
    blank_note = f"（其中 {len(blanks)} 个空白单元格按 0 计算）" if blanks else ""
    message = rule.render(
        table=table_short_title(table.id),
        line=short_label(line_label),
        left_terms=_term_text(table, left, along),
        right_terms=_term_text(table, right, along),
        left_sum=_fmt(left.total),
        right_sum=_fmt(right.total),
        diff=_fmt(abs(diff)),
        blank_note=blank_note,
    )
    first = left.cells[0]
    source = table.sources.get(first) or table.row_sources.get(first[0])
    row_source = table.row_sources.get(first[0])
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        status="fail",
        message=message,
        table=table.id,
        row=line if along == "row" else None,
        column=line if along == "column" else None,
        line=source.line if source else None,
        page=source.page if source else None,
        excerpt=(row_source.raw.strip() or None) if row_source else None,
        expected=right.total,
        actual=left.total,
        cells=[(table.id, r, c) for r, c in left.cells + right.cells],
        value_names=_sides_in_words(rule, table, line_label, along),
    )


def _sides_in_words(rule: Rule, table: Table, line_label: str, along: str) -> Optional[tuple[str, str]]:
    """What the two sums are, in the table's words ("“自然人”列本年新收、上年结转之和"), for
    the report page; None for an identity repeated over 表三's groups (its terms vary)."""
    if rule.params.get("each_group") or "left" not in rule.params:
        return None
    axis = "列" if along == "column" else ("栏" if table.id == "t4" else "行")
    where = f"“{short_label(line_label) if line_label else ''}”{axis}"
    labels = table.row_labels if along == "column" else table.column_labels

    def side(terms: list[str]) -> str:
        names = ["各项办理结果" if t == "@outcome_rows" else short_label(labels.get(t, t)) for t in terms]
        if len(names) == 1 and terms[0] != "@outcome_rows":
            return f"{where}“{names[0]}”"
        return f"{where}{'、'.join(names)}之和"

    return side(rule.params["left"]), side(rule.params["right"])


def _uncertain(rule: Rule, table: Table, lines: list[str], missing_rows: set[str], along: str,
               cut_off: set[str] = frozenset()) -> Finding:
    axis = "列" if along == "column" else "行"
    fix = "请补全表格后重新审查。"
    if missing_rows:
        unread = unread_rows(table)
        after_cut = missing_rows & cut_off - unread
        parts = [f"文本在表格中途中断，其后 {len(after_cut)} 行未能读到（见 READ-TRUNCATED）"] if after_cut else []
        parts += [
            f"{reason}：" + "、".join(short_label(table.row_labels[r]) for r in table.row_labels if r in rows)
            for reason, rows in (("这些行有未能读入单元格的数字", missing_rows & unread),
                                 ("报告中缺少这些行", missing_rows - cut_off - unread))
            if rows
        ]
        why = "；".join(parts)
        if missing_rows <= cut_off:  # the text stops inside the table (READ-TRUNCATED)
            fix = "请核对原件是否完整。"
    else:
        why = "相关单元格空白，空白处可能是漏填的数字"
    shown = "、".join(lines[:8]) + ("等" if len(lines) > 8 else "")
    message = f"{table_short_title(table.id)}有 {len(lines)} {axis}无法核对“{rule.title}”（{shown}），因为{why}。{fix}"
    return Finding(
        rule=rule.id,
        severity="warning",
        status="uncertain",
        message=message,
        table=table.id,
        key="uncertain",
    )
