"""Table cells one by one: a number where a number belongs, of the kind the column holds.

The formats ask for numbers in every cell: what did not happen is 0, never "无" or "/".
Counts (applications, cases, documents) are whole numbers of at least 0; only the 2019
format's 表二 "本年增/减" may be negative, and money columns may have decimals.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ...labels import block_caption, cell_words, number_words, table_short_title
from ...model import Finding, Report, Source, Table
from ...spec import format_spec
from ..rule import Rule
from ..kind import CATALOGUE, Param, kind
from .names import table_group
from .unread import unread_rows

_MAX_LISTED = 8  # cells named in one message; more are counted

COUNT, SIGNED, AMOUNT = "count", "signed", "amount"


def _cell_source(table: Table, row: str, col: str) -> Source:
    return table.sources.get((row, col)) or table.row_sources.get(row) or Source()


# ---------------------------------------------------------------- 无, /, — in a cell


@kind("cells_not_number", params={"warning_tables": Param(list[str], default=[])}, fields=("cells", "count", "table"))
def check_cells_not_number(report: Report, rule: Rule) -> list[Finding]:
    """One finding per printed table listing the cells whose text is not a number. Blank
    cells are left alone: blank is "not reported", a different matter."""
    warning_groups = set(rule.params.get("warning_tables", []))
    by_group: dict[str, list[tuple[Table, str, str, str]]] = {}
    for table in report.tables.values():
        raws = table.raw  # a cell's number and raw text are set together (Table.set), in the same order
        for (row, col), number in table.numbers.items():
            if number is None and (raw := raws[row, col]).strip():
                by_group.setdefault(table_group(table.id), []).append((table, row, col, raw.strip()))
    findings = []
    for group, cells in by_group.items():
        listed = "、".join(f"{cell_words(t, r, c, caption=True)}（填“{raw}”）" for t, r, c, raw in cells[:_MAX_LISTED])
        if len(cells) > _MAX_LISTED:
            listed += f"等 {len(cells)} 个单元格"
        first = _cell_source(*cells[0][:3])
        severity = "warning" if group in warning_groups else rule.severity
        findings.append(Finding(
            rule.id, severity, "fail",
            rule.render(table=table_short_title(group), count=len(cells), cells=listed),
            table=group, line=first.line, page=first.page, key="cells",
            cells=[(t.id, r, c) for t, r, c, _ in cells],
        ))
    return findings


# ---------------------------------------------------------------- a table printed without numbers


@kind("blank_tables", fields=("rows", "table"))
def check_blank_tables(report: Report, rule: Rule) -> list[Finding]:
    """One finding per printed table whose rows were found but whose cells are all blank: an
    empty skeleton (or numbers the page did not carry) leaves every identity unchecked, and a
    clean result would say nothing. Numbers that were seen but not placed are READ-UNREAD-CELLS'."""
    by_group: dict[str, list[Table]] = {}
    for table in report.tables.values():
        if table.rows_found or table.printed_empty:
            by_group.setdefault(table_group(table.id), []).append(table)
    findings = []
    for group, tables in by_group.items():
        if any(t.has_values or t.unread or t.raw and any(r.strip() for r in t.raw.values()) for t in tables):
            continue
        rows = sum(1 for t in tables for r in (t.rows_found or t.row_sources) if not _cut_in_row(report, t, r))
        if rows == 0 or _cut_in_row(report, tables[0], None) or _after_cut(report, tables):
            continue  # the text stops before the table's numbers: READ-TRUNCATED says so
        first = min((s for t in tables for s in t.row_sources.values() if s.line is not None),
                    key=lambda s: s.line, default=Source())
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(table=table_short_title(group), rows=rows),
            table=group, line=first.line, page=first.page, key="blank",
        ))
    return findings


def _after_cut(report: Report, tables: list[Table]) -> bool:
    return report.cut is not None and any(t.id in report.cut.tables_after or table_group(t.id) in report.cut.tables_after
                                          for t in tables)


def _cut_in_row(report: Report, table: Table, row: Optional[str]) -> bool:
    """The text stops in this row (its numbers may follow the cut), or, for row None, in a
    table whose numbers all stand in one row after its header (表四)."""
    cut = report.cut
    if cut is None or cut.table is None:
        return False
    if row is None:
        return table_group(cut.table) == "t4" == table_group(table.id)
    return cut.table == table.id and cut.row == row


# ---------------------------------------------------------------- negative or fractional


@lru_cache(maxsize=512)  # asked for every cell of every report; the answer is the template's
def column_kind(template: str, table_id: str, col: str) -> str:
    """What a column holds, from templates.json: counts everywhere except 表二's signed
    "本年增/减" (2019) and its money columns (收费金额, 采购总金额)."""
    if table_group(table_id) != "t2":
        return COUNT
    block_id = table_id.split(".", 1)[1]
    block = next(b for b in format_spec(template).t2_blocks if b.id == block_id)
    kind = block.column_types.get(col, "")
    if kind.startswith("signed"):
        return SIGNED
    if kind.startswith(("number", "money")):
        return AMOUNT
    return COUNT


def _problem(kind: str, value: float) -> Optional[str]:
    fractional = not float(value).is_integer()
    if kind == COUNT and value < 0:
        return "件数不能是负数"
    if kind in (COUNT, SIGNED) and fractional:
        return "件数只能是整数，不能有小数"
    if kind == AMOUNT and value < 0:
        return "金额不能是负数"
    return None


@kind("cell_kind", fields=("cell", "problem", "raw", "table"),
      doc="Every count of 表二、表三、表四 is a whole number, not negative; amounts are not negative.")
def check_cell_kind(report: Report, rule: Rule) -> list[Finding]:
    template = report.spec.id
    findings = []
    for table in report.tables.values():
        for (row, col), value in table.numbers.items():  # the cells set, in the order their raw texts were
            if value is None or (value >= 0 and value.is_integer()):
                continue  # blank, or a whole number of at least 0: right in every kind of column
            raw = table.raw[row, col]
            problem = _problem(column_kind(template, table.id, col), value)
            if problem is None:
                continue
            source = _cell_source(table, row, col)
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(table=table_short_title(table.id), cell=cell_words(table, row, col, caption=True),
                            raw=raw.strip(), problem=problem),
                table=table.id, row=row, column=col, line=source.line, page=source.page, actual=value,
            ))
    return findings


# ---------------------------------------------------------------- 表二 制发 ≤ 现行有效 + 废止


@kind("t2_made_within_valid", fields=("made", "repealed", "row", "total", "valid"))
def check_made_within_valid(report: Report, rule: Rule) -> list[Finding]:
    """Documents made this year are, at the year's end, still valid or repealed (templates.json
    soft check S4). Rows with a blank among the three are not judged."""
    table = report.tables.get("t2.art20_1")
    if table is None or not {"made", "repealed", "valid"} <= set(table.column_labels):
        return []
    findings = []
    for row in table.row_labels:
        made, repealed, valid = (table.value(row, c) for c in ("made", "repealed", "valid"))
        if made is None or repealed is None or valid is None or made <= valid + repealed:
            continue
        source = _cell_source(table, row, "made")
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(row=table.row_labels[row], made=number_words(made), repealed=number_words(repealed), valid=number_words(valid),
                        total=number_words(valid + repealed)),
            table=table.id, row=row, column="made", line=source.line, page=source.page, actual=made,
            cells=[(table.id, row, c) for c in ("made", "repealed", "valid")],
        ))
    return findings


# ---------------------------------------------------------------- a blank cell in a filled table


@kind("blank_cells", scope=CATALOGUE, fields=("cells", "count", "table"))
def check_blank_cells(report: Report, rule: Rule, rules: list[Rule]) -> list[Finding]:
    """One finding per printed table listing its blank cells (the format asks for a number in
    every cell, 0 for what did not happen). A blank the table's identities fix gets that
    value in the message. Left to other rules: a table without any number (CELL-TABLE-BLANK),
    text in a cell (CELL-NOT-NUMBER), rows whose numbers could not be placed
    (READ-UNREAD-CELLS), and rows the text stops in or does not reach (READ-TRUNCATED)."""
    by_group: dict[str, list[tuple[Table, str, str]]] = {}
    filled: set[str] = set()
    for table in report.tables.values():
        if table.has_values:
            filled.add(table_group(table.id))
        for row, col in _blank_cells(report, table):
            by_group.setdefault(table_group(table.id), []).append((table, row, col))
    findings = []
    for group, cells in by_group.items():
        if group not in filled:
            continue  # nothing filled at all: CELL-TABLE-BLANK's
        fixed = _values_fixed_by_identities(report, rules, cells)
        listed = _blank_listing(cells[:_MAX_LISTED], fixed)
        if len(cells) > _MAX_LISTED:
            listed += f"等 {len(cells)} 个单元格"
        first = _cell_source(*cells[0])
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(table=table_short_title(group), count=len(cells), cells=listed),
            table=group, line=first.line, page=first.page, key="blank-cells",
            cells=[(t.id, r, c) for t, r, c in cells],
        ))
    return findings


def _blank_listing(cells: list[tuple[Table, str, str]], fixed: dict[tuple[str, str, str], float]) -> str:
    """“行”行：“列”列（空白，按合计应为 N）、“列”列；… — each row named once."""
    rows: dict[tuple[str, str], list[str]] = {}
    named: dict[tuple[str, str], str] = {}
    for table, row, col in cells:
        named[(table.id, row)] = f"{block_caption(table)}“{table.row_labels[row]}”行"
        value = fixed.get((table.id, row, col))
        note = f"（空白，按合计应为 {number_words(value)}）" if value is not None else ""
        rows.setdefault((table.id, row), []).append(f"“{table.column_labels[col]}”列{note}")
    return "；".join(f"{named[key]}{columns[0]}" if len(columns) == 1 else f"{named[key]}：{'、'.join(columns)}"
                    for key, columns in rows.items())


def _blank_cells(report: Report, table: Table) -> list[tuple[str, str]]:
    """Cells of printed rows and columns left empty, in the table's order."""
    skipped = unread_rows(table)  # rows whose numbers could not be placed: not blank
    cut, start = report.cut, report.start
    if cut is not None:
        skipped |= set(cut.rows_after.get(table.id, []))
        if cut.table == table.id and cut.row:
            skipped.add(cut.row)  # the row the text stops in: its last cells may be cut off
    if start is not None:
        skipped |= set(start.rows_before.get(table.id, []))
        if start.table == table.id and start.row:
            skipped.add(start.row)
    unsure = cut.unsure_cell if cut is not None else None
    numbers = table.numbers.get  # the table's own rows and columns: a cell never set is blank (Table.value)
    columns = [col for col in table.column_labels if col in table.columns_found]
    return [(row, col) for row in table.row_labels if row in table.rows_found and row not in skipped
            for col in columns
            if numbers((row, col)) is None
            and not (table.raw.get((row, col)) or "").strip() and (table.id, row, col) != unsure]


def _values_fixed_by_identities(report: Report, rules: list[Rule],
                                cells: list[tuple[Table, str, str]]) -> dict[tuple[str, str, str], float]:
    """Blank cells (by table id, row, column) whose value the identities determine: the only
    blank of an identity line, every such line giving the same non-negative whole number."""
    from ..pinpoint import table_equations  # the identity rules as equations over cells

    fixed = {}
    by_table: dict[str, list[tuple[Table, str, str]]] = {}
    for cell in cells:
        by_table.setdefault(cell[0].id, []).append(cell)
    for table_id, blanks in by_table.items():
        table = blanks[0][0]
        equations = table_equations(report, table_id, rules)
        for cell in blanks:
            key = cell[1:]
            wanted = set()
            for eq in equations:
                if key not in eq.coeffs or any(c != key and table.value(*c) is None for c in eq.coeffs):
                    continue  # not on this line, or another blank shares it
                rest = sum(k * table.value(*c) for c, k in eq.coeffs.items() if c != key)
                wanted.add(-rest / eq.coeffs[key])
            if len(wanted) == 1:
                value = wanted.pop()
                if value >= 0 and float(value).is_integer():
                    fixed[(table_id, *key)] = value
    return fixed
