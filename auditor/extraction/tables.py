"""The three tables: rows of a region → DataFrames indexed by the template's canonical ids."""
from __future__ import annotations

from typing import Iterable, Optional

from ..model import Table
from ..spec import T2_TITLE, T3_TITLE, T4_TITLE, FormatSpec
from ..textnorm import label_key, numbering
from .labels import MIN_MATCH, best_label_score, label_scores, own_label, similarity
from .rows import Cell, Row
from .value_rows import ValueRow, build_value_rows, split_runs

NO_LABEL_SCORE = 0.3  # a value row with no label may still take its place in the order
FOUND_SCORE = 0.85  # a label fragment this close to a row's label shows the row is there

# Column header labels of 表三 as printed; "社会组织" is a common alteration of 社会公益组织.
T3_HEADER_ALIASES = {"pub": ("社会公益组织", "社会组织", "公益组织")}


def _assign(table: Table, row_id: str, columns: list[str], cells: list[Optional[Cell]]) -> None:
    for col, cell in zip(columns, cells):
        if cell is None or cell.is_label:
            continue  # a label standing where a value was expected is the layout, not the cell's content
        number = cell.value.number if cell.value is not None else None
        table.set(row_id, col, number, cell.text, cell.source)


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


def _header_column(text: str, columns: dict[str, str]) -> Optional[str]:
    key = label_key(text)
    return next((col for col, label in columns.items() if key in _header_keys(col, label)), None)


def _keep_t3_headers(table: Table, rows: list[Row], columns: dict[str, str]) -> None:
    """Header cells as printed (before the first value row), and the header printed again
    between two value rows. A header repeated on a new page is how a table continues over
    pages, not a second header."""
    seen_values = False
    run: dict[str, Cell] = {}  # header cells since the last value row
    run_breaks = False
    for row in rows:
        if row.has_numbers:
            if seen_values and len(run) >= _REPEATED_HEADER_CELLS and not run_breaks:
                table.repeated_headers.append(next(iter(run.values())).source)
            seen_values, run, run_breaks = True, {}, False
            continue
        run_breaks = run_breaks or row.page_break_before
        for cell in row.labels:
            col = _header_column(cell.text, columns)
            if col is None:
                continue
            run.setdefault(col, cell)
            if not seen_values:
                table.printed_headers.setdefault(col, (cell.text, cell.source))


_REPEATED_HEADER_CELLS = 3  # this many column headers between two value rows make a header


def t3_header_columns(rows: list[Row], columns: dict[str, str]) -> Optional[dict[str, int]]:
    """Column positions from grid header rows, when every value column is labelled."""
    found: dict[str, int] = {}
    for row in rows:
        if not row.grid:
            continue
        if any(c.value is not None and c.value.kind == "number" for c in row.cells):
            break
        for i, cell in enumerate(row.cells):
            col = _header_column(cell.text, columns)
            if col is not None and col not in found:
                found[col] = i
    if len(found) == len(columns) and len(set(found.values())) == len(columns):
        return found
    return None


def align_rows(value_rows: list[ValueRow], labels: dict[str, str]) -> list[tuple[int, str]]:
    """Monotone alignment of value rows to template rows that maximises label agreement."""
    ids = list(labels)
    n, m = len(value_rows), len(ids)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1: skip value row, 2: skip template row, 3: match
    official = tuple(labels.values())
    for i in range(1, n + 1):
        candidates = tuple(value_rows[i - 1].label_candidates())
        scores = label_scores(candidates, official) if candidates else (NO_LABEL_SCORE,) * m
        for j in range(1, m + 1):
            best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            s = scores[j - 1]
            if (s >= MIN_MATCH or not candidates) and score[i - 1][j - 1] + s > best:
                best, how = score[i - 1][j - 1] + s, 3
            score[i][j], move[i][j] = best, how
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if move[i][j] == 3:
            pairs.append((i - 1, ids[j - 1]))
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _row_cells(vr: ValueRow, width: int, header: Optional[dict[str, int]], columns: list[str]) -> Optional[list[Optional[Cell]]]:
    """The cells of one value row in column order, or None when their places are unknown."""
    if vr.positional and header and len(vr.row.cells) > max(header.values()):
        return [vr.row.cells[header[c]] for c in columns]
    values = list(vr.values)
    if vr.positional:
        while len(values) > width and values[-1].value is not None and values[-1].value.kind == "blank":
            values.pop()
        while len(values) > width and values[0].value is not None and values[0].value.kind == "blank":
            values.pop(0)
    if len(values) == width:
        return values
    return None


def parse_t3(rows: list[Row], spec: FormatSpec) -> Table:
    table = Table.empty("t3", T3_TITLE, spec.t3_rows, spec.t3_columns)
    columns = list(spec.t3_columns)
    header = t3_header_columns(rows, spec.t3_columns)
    value_rows, fragments = build_value_rows(rows)
    value_rows = split_runs(value_rows, len(columns))
    for index, row_id in align_rows(value_rows, spec.t3_alignable):
        vr = value_rows[index]
        if row_id in spec.t3_groups:
            table.add_row(row_id, spec.t3_groups[row_id])
        table.rows_found.add(row_id)
        table.row_sources[row_id] = vr.row.source
        _keep_printed_label(table, row_id, vr)
        cells = _row_cells(vr, len(columns), header, columns)
        if cells is None:
            table.notes.append(
                f"第 {vr.row.source.line or '?'} 行“{table.row_labels[row_id]}”有 {len(vr.values)} 个数值，"
                f"无法确定各数值所在的列"
            )
            continue
        _assign(table, row_id, columns, cells)
    _mark_found_by_labels(table, fragments, spec.t3_rows, spec.t3_groups.values())
    _keep_t3_headers(table, rows, spec.t3_columns)
    if table.rows_found:
        table.columns_found.update(columns if header is None else header)
    return table


# ---------------------------------------------------------------- 表四


def parse_t4(rows: list[Row], spec: FormatSpec) -> Table:
    table = Table.empty("t4", T4_TITLE, spec.t4_blocks, spec.t4_columns)
    value_rows, _ = build_value_rows(rows)
    cells = [c for vr in value_rows for c in vr.values]
    width = len(spec.t4_value_order)
    if len(cells) != width:
        filled = [c for c in cells if c.value is not None and c.value.kind != "blank"]
        cells = filled if len(filled) == width else cells
    if not value_rows:
        return table
    if len(cells) != width:
        table.rows_found.update(spec.t4_blocks)
        table.notes.append(f"表四应有 {width} 个数值，实际读到 {len(cells)} 个，无法确定各数值的位置")
        return table
    for (block, col), cell in zip(spec.t4_value_order, cells):
        table.rows_found.add(block)
        table.row_sources.setdefault(block, cell.source)
        _assign(table, block, [col], [cell])
    return table


# ---------------------------------------------------------------- 表二


def parse_t2(rows: list[Row], spec: FormatSpec) -> dict[str, Table]:
    tables = {
        b.id: Table.empty(f"t2.{b.id}", f"{T2_TITLE}·{b.caption}", b.rows, b.columns) for b in spec.t2_blocks
    }
    index = [(b.id, row_id, label) for b in spec.t2_blocks for row_id, label in b.rows.items()]
    value_rows, fragments = build_value_rows(rows)
    for vr in value_rows:
        candidates = [c for c in vr.same + vr.before[-1:] if c]
        scored = [(best_label_score(candidates, label), block, row_id) for block, row_id, label in index]
        score, block, row_id = max(scored, default=(0.0, "", ""))
        if score < 0.75:
            continue
        table = tables[block]
        columns = list(table.column_labels)
        table.rows_found.add(row_id)
        table.row_sources[row_id] = vr.row.source
        _keep_printed_label(table, row_id, vr)
        values = list(vr.values)
        if vr.positional:
            values = (values + [None] * len(columns))[: len(columns)]
        elif len(values) > len(columns):
            values = values[: len(columns)]
        if len(values) < len(columns):
            table.notes.append(f"第 {vr.row.source.line or '?'} 行“{table.row_labels[row_id]}”的数值少于栏目数，无法确定位置")
            continue
        _assign(table, row_id, columns, values)
    for table in tables.values():
        _mark_found_by_labels(table, fragments, table.row_labels)
        if table.rows_found:
            table.columns_found.update(table.column_labels)
    return {f"t2.{k}": v for k, v in tables.items()}
