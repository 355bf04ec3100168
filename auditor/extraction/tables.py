"""The three tables: rows of a region → DataFrames indexed by the template's canonical ids."""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Optional

import regex as re

from ..model import Table, Unread
from ..spec import T2_TITLE, T3_TITLE, T4_TITLE, FormatSpec
from ..textnorm import has_cjk, label_key, numbering
from .labels import MIN_MATCH, label_scorer, own_label, similarity
from .rows import Cell, Row
from .value_rows import COUNTED_KINDS, ValueRow, build_value_rows, counted_numbers, fit_values, split_runs

NO_LABEL_SCORE = 0.3  # a value row with no label may still take its place in the order
FOUND_SCORE = 0.85  # a label fragment this close to a row's label shows the row is there

# Column header labels of 表三 as printed; "社会组织" is a common alteration of 社会公益组织.
T3_HEADER_ALIASES = {"pub": ("社会公益组织", "社会组织", "公益组织")}


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


class Ledger:
    """Which of a region's printed numbers went into cells and which were recorded unread:
    whatever is left at the end is recorded too, so nothing visible is lost without a word."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def assign(self, table: Table, row_id: str, columns: list[str], cells: list[Optional[Cell]],
               printed: Iterable[Cell] = ()) -> None:
        """cells in column order; printed: the cells as printed when they were cut or trimmed to fit."""
        self.account_for(printed)
        seen = self.seen
        for col, cell in zip(columns, cells):
            if cell is None:
                continue
            value = cell.value
            if value is None:
                # a label standing where a value was expected is the layout, not the cell's content;
                # digits in it ("3 4") are numbers printed in the cell that cannot be read as one
                if id(cell) not in seen and _DIGITS.search(cell.text) and not has_cjk(cell.text):
                    seen.add(id(cell))
                    table.unread.append(Unread(row_id, table.row_labels[row_id], cell.source,
                                               len(_DIGITS.findall(cell.text)), f"单元格“{cell.text}”不是一个数字"))
                continue
            seen.add(id(cell))
            table.set(row_id, col, value.number, cell.text, cell.source)

    def account_for(self, printed: Iterable[Cell]) -> None:
        """Printed cells that the cells assigned stand for (cut or trimmed to fit)."""
        self.seen.update(map(id, printed))

    def unread(self, table: Table, row_id: Optional[str], label: str, cells: list[Cell], reason: str) -> None:
        """One record per printed line holding the numbers (a row printed one cell a line spans
        several lines)."""
        by_line: dict[object, list[Cell]] = {}
        for cell in cells:
            if id(cell) in self.seen or cell.value is None or cell.value.kind not in ("number", "run"):
                continue
            self.seen.add(id(cell))
            by_line.setdefault((cell.source.line, cell.source.page, cell.source.table, cell.source.row), []).append(cell)
        for line_cells in by_line.values():
            source = line_cells[0].source
            table.unread.append(Unread(row_id, label, source, counted_numbers(line_cells), reason))

    def sweep(self, rows: list[Row], table_of_row) -> None:
        """Numbers printed in the region that no value row took (beside no known label)."""
        seen = self.seen
        # only numbers count, and unread() keeps only numbers: labels need not be looked at. One
        # pass over the region, asking first whether a number was taken: most were, in most rows.
        left = [(row, c) for row in rows for c in row.cells
                if id(c) not in seen and c.value is not None and c.value.kind in COUNTED_KINDS and not c.covered]
        by_row: dict[int, tuple[Row, list[Cell]]] = {}
        for row, cell in left:
            by_row.setdefault(row.index, (row, []))[1].append(cell)
        for row, cells in by_row.values():
            label = own_label([c.text for c in row.labels]) or "没有行标签的一行"
            self.unread(table_of_row(row), None, label, cells, "不在表格中能识别的任何一行")


def row_words(vr: ValueRow) -> str:
    """The row as printed, for a message: its label (else what stands before it)."""
    candidates = vr.label_candidates()
    return printed_label(vr) or (candidates[0] if candidates else "") or "没有行标签的一行"


def _names_row(fragment: str, label: str) -> bool:
    """Does a label fragment name this row? A short label such as "3.其他" needs its number
    too, or the column header "其他" would count as the row."""
    marker, core = numbering(label)
    if marker and len(core) < 4 and numbering(fragment)[0] != marker:
        return False
    return similarity(fragment, label) >= FOUND_SCORE


def printed_label(vr: ValueRow) -> Optional[str]:
    """The row's label as printed, when it stands whole: the label cells beside the values,
    or (one cell per line) the line just before them. Labels pieced together from several
    lines are not kept: a reader's line breaks are not the report's wording."""
    if vr.same:
        return own_label(vr.same)
    if vr.before:
        return vr.before[-1]
    return None


def _keep_printed_label(table: Table, row_id: str, vr: ValueRow) -> None:
    label = printed_label(vr)
    if label and row_id not in table.printed_labels:
        table.printed_labels[row_id] = label


def _mark_found_by_labels(table: Table, fragments: list[str], labels: dict[str, str],
                          other_labels: Iterable[str] = ()) -> None:
    """Rows whose label was printed, even with no value beside it. A fragment that matches
    another label as well proves nothing: "予公开", the end of a broken "（三）不予公开",
    is as close to that group label as to "（一）予以公开"."""
    every_label = [*labels.values(), *other_labels]
    for row_id, label in labels.items():
        if row_id not in table.rows_found and any(
                _names_row(f, label) and not _closer_elsewhere(f, label, every_label) for f in fragments):
            table.rows_found.add(row_id)


def _closer_elsewhere(fragment: str, label: str, every_label: list[str]) -> bool:
    score = similarity(fragment, label)
    return any(other != label and similarity(fragment, other) >= score for other in every_label)


# ---------------------------------------------------------------- 表三


def _header_keys(col: str, label: str) -> tuple[str, ...]:
    return T3_HEADER_ALIASES.get(col, (label,))


def _header_lookup(columns: dict[str, str]) -> dict[str, str]:
    """Printed header key → column (the first column that has it), made once per table rather
    than once per label cell."""
    lookup: dict[str, str] = {}
    for col, label in columns.items():
        for key in _header_keys(col, label):
            lookup.setdefault(key, col)
    return lookup


def _header_column(text: str, lookup: dict[str, str]) -> Optional[str]:
    return lookup.get(label_key(text))


def _keep_t3_headers(table: Table, rows: list[Row], columns: dict[str, str]) -> None:
    """Header cells as printed (before the first value row), and the header printed again
    between two value rows. A header repeated on a new page is how a table continues over
    pages, not a second header."""
    seen_values = False
    run: dict[str, Cell] = {}  # header cells since the last value row
    run_breaks = False
    lookup = _header_lookup(columns)
    for row in rows:
        if row.has_numbers:
            if seen_values and len(run) >= _REPEATED_HEADER_CELLS and not run_breaks:
                table.repeated_headers.append(next(iter(run.values())).source)
            seen_values, run, run_breaks = True, {}, False
            continue
        run_breaks = run_breaks or row.page_break_before
        for cell in row.labels:
            col = _header_column(cell.text, lookup)
            if col is None:
                continue
            run.setdefault(col, cell)
            if not seen_values:
                table.printed_headers.setdefault(col, (cell.text, cell.source))


_REPEATED_HEADER_CELLS = 3  # this many column headers between two value rows make a header


def t3_header_columns(rows: list[Row], columns: dict[str, str]) -> Optional[dict[str, int]]:
    """Column positions from grid header rows, when every value column is labelled."""
    found: dict[str, int] = {}
    lookup = _header_lookup(columns)
    for row in rows:
        if not row.grid:
            continue
        if any(c.value is not None and c.value.kind == "number" for c in row.cells):
            break
        for i, cell in enumerate(row.cells):
            col = _header_column(cell.text, lookup)
            if col is not None and col not in found:
                found[col] = i
    if len(found) == len(columns) and len(set(found.values())) == len(columns):
        return found
    return None


def align_rows(value_rows: list[ValueRow], labels: dict[str, str]) -> list[tuple[int, str]]:
    """Monotone alignment of value rows to template rows that maximises label agreement.

    score[i][j] is the best total of the first i value rows against the first j template rows.
    A row of it is the running maximum of the row above, raised where value row i may match
    template row j: few places, as a label matches few others. So each row is the row above
    with a few runs raised, and the moves are worked out again only along the path back."""
    ids = list(labels)
    m = len(ids)
    score_row = label_scorer(tuple(labels.values()))
    score = [[0.0] * (m + 1)]
    row_scores: list[tuple[tuple[float, ...], bool]] = []  # each value row's label scores, and if it has no label
    for vr in value_rows:
        candidates = tuple(vr.label_candidates())
        if candidates:
            scores, matches = score_row(candidates)
        else:  # a row without a label may take any place
            scores = (NO_LABEL_SCORE,) * m
            matches = tuple(enumerate(scores))
        row_scores.append((scores, not candidates))
        above = score[-1]
        here = above.copy()  # never lower than the row above, and like it ascending
        for at, s in matches:  # matching template row at + 1
            value, j = above[at] + s, at + 1
            if value > here[j]:  # raised here, and onwards until the row reaches that value anyway
                end = bisect_left(here, value, j)
                here[j:end] = [value] * (end - j)
        score.append(here)
    pairs = []
    i, j = len(value_rows), m
    while i > 0 and j > 0:
        move = _move(score[i - 1], score[i], *row_scores[i - 1], j)
        if move == 3:
            pairs.append((i - 1, ids[j - 1]))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _move(above: list[float], here: list[float], scores: tuple[float, ...], unlabelled: bool, j: int) -> int:
    """How align_rows reached here[j]: 1 skipping the value row, 2 skipping the template row,
    3 matching them (ties go to the lower number)."""
    s = scores[j - 1]
    best, how = above[j], 1
    if here[j - 1] > best:
        best, how = here[j - 1], 2
    if (s >= MIN_MATCH or unlabelled) and above[j - 1] + s > best:
        how = 3
    return how


def _row_cells(vr: ValueRow, width: int, places: Optional[list[int]]
               ) -> tuple[Optional[list[Optional[Cell]]], Optional[str], list[Cell]]:
    """The cells of one value row in column order (None and why when their places are unknown),
    and the printed cells they account for. places: each column's position in a grid row, from
    the table's header (None when it does not tell them)."""
    if vr.positional and places and len(vr.row.cells) > max(places):
        cells = vr.row.cells
        return [cells[i] for i in places], None, []
    cells, why = fit_values(vr.values, width)
    return cells, why, vr.values


def parse_t3(rows: list[Row], spec: FormatSpec) -> Table:
    table = Table.empty("t3", T3_TITLE, spec.t3_rows, spec.t3_columns)
    columns = list(spec.t3_columns)
    header = t3_header_columns(rows, spec.t3_columns)
    places = [header[c] for c in columns] if header else None
    value_rows, fragments = build_value_rows(rows)
    value_rows = split_runs(value_rows, len(columns))
    ledger = Ledger()
    aligned = align_rows(value_rows, spec.t3_alignable)
    for index, row_id in aligned:
        vr = value_rows[index]
        if row_id in spec.t3_groups:
            table.add_row(row_id, spec.t3_groups[row_id])
        table.rows_found.add(row_id)
        table.row_sources[row_id] = vr.row.source
        _keep_printed_label(table, row_id, vr)
        cells, why, printed = _row_cells(vr, len(columns), places)
        if cells is None:
            table.notes.append(f"第 {vr.row.source.line or '?'} 行“{table.row_labels[row_id]}”：{why}")
            ledger.unread(table, row_id, row_words(vr), vr.values, why)
            continue
        ledger.assign(table, row_id, columns, cells, printed)
    placed = {index for index, _ in aligned}
    for index, vr in enumerate(value_rows):
        if index not in placed:
            ledger.unread(table, None, row_words(vr), vr.values, "行标签不是格式中的行，无法确定属于哪一行")
    ledger.sweep(rows, lambda row: table)
    _mark_found_by_labels(table, fragments, spec.t3_rows, spec.t3_groups.values())
    _keep_t3_headers(table, rows, spec.t3_columns)
    if table.rows_found:
        table.columns_found.update(columns if header is None else header)
    return table


# ---------------------------------------------------------------- 表四


def parse_t4(rows: list[Row], spec: FormatSpec) -> Table:
    table = Table.empty("t4", T4_TITLE, spec.t4_blocks, spec.t4_columns)
    value_rows, _ = build_value_rows(rows)
    printed = [c for vr in value_rows for c in vr.values]
    width = len(spec.t4_value_order)
    cells, why = fit_values(printed, width)
    if cells is None:
        filled = [c for c in printed if c.value is not None and c.value.kind != "blank"]
        cells, why = (filled, None) if len(filled) == width else (None, why)
    if not value_rows:
        _header_only(table, rows, spec)
        return table
    ledger = Ledger()
    if cells is None:
        table.rows_found.update(spec.t4_blocks)
        table.notes.append(f"表四应有 {width} 个数值：{why}")
        ledger.unread(table, None, "表四", printed, f"表四应有 {width} 个数值，{why}")
        ledger.sweep(rows, lambda row: table)
        return table
    ledger.account_for(printed)  # the cells stand for every printed value: said once, not once per cell
    for (block, col), cell in zip(spec.t4_value_order, cells):
        table.rows_found.add(block)
        table.row_sources.setdefault(block, cell.source)
        ledger.assign(table, block, [col], [cell])
    ledger.sweep(rows, lambda row: table)
    return table


def _header_only(table: Table, rows: list[Row], spec: FormatSpec) -> None:
    """表四 printed with its header and no value row (a template left unfilled): the table is
    there without numbers, not missing (a text that stops in the header is the cut's to say)."""
    keys = [label_key(label) for label in (*spec.t4_blocks.values(), *spec.t4_columns.values())]
    header = next((row for row in rows if any(k and k in label_key(row.text) for k in keys)), None)
    if header is None:
        return
    table.printed_empty = True
    for block in spec.t4_blocks:
        table.row_sources.setdefault(block, header.source)


# ---------------------------------------------------------------- 表二


def parse_t2(rows: list[Row], spec: FormatSpec) -> dict[str, Table]:
    tables = {
        b.id: Table.empty(f"t2.{b.id}", f"{T2_TITLE}·{b.caption}", b.rows, b.columns) for b in spec.t2_blocks
    }
    index = [(b.id, row_id, label) for b in spec.t2_blocks for row_id, label in b.rows.items()]
    score_row = label_scorer(tuple(label for _, _, label in index))
    value_rows, fragments = build_value_rows(rows)
    ledger = Ledger()
    current = tables[spec.t2_blocks[0].id]  # the block being read: where numbers beside no known label go
    block_of_row: dict[int, Table] = {}
    for vr in value_rows:
        candidates = tuple(c for c in vr.same + vr.before[-1:] if c)
        scored = [(score, block, row_id) for score, (block, row_id, _) in zip(score_row(candidates)[0], index)]
        score, block, row_id = max(scored, default=(0.0, "", ""))
        if score < 0.75:
            block_of_row[vr.row.index] = current
            ledger.unread(current, None, row_words(vr), vr.values, "行标签不是格式中的行，无法确定属于哪一行")
            continue
        table = current = tables[block]
        block_of_row[vr.row.index] = table
        columns = list(table.column_labels)
        table.rows_found.add(row_id)
        table.row_sources[row_id] = vr.row.source
        _keep_printed_label(table, row_id, vr)
        values: list[Optional[Cell]] = list(vr.values)
        if vr.positional and vr.row.source.table is not None and len(values) < len(columns):
            # a table grid row without its last cells; a text row ("| 规章 | 22 | 235 |") short of
            # cells does not say which are missing
            values = values + [None] * (len(columns) - len(values))
            why = None
        else:
            values, why = fit_values(vr.values, len(columns))
        if values is None:
            table.notes.append(f"第 {vr.row.source.line or '?'} 行“{table.row_labels[row_id]}”：{why}")
            ledger.unread(table, row_id, row_words(vr), vr.values, why)
            continue
        ledger.assign(table, row_id, columns, values, vr.values)
    first = tables[spec.t2_blocks[0].id]
    ledger.sweep(rows, lambda row: block_of_row.get(row.index, first))
    for table in tables.values():
        _mark_found_by_labels(table, fragments, table.row_labels)
        if table.rows_found:
            table.columns_found.update(table.column_labels)
    return {f"t2.{k}": v for k, v in tables.items()}
