"""Rows of a table region → value rows, each with the label text around it.

A value row is a run of numbers that belongs to one table row. Its label may stand on the
same line, on lines before it (labels broken over lines, vertical group labels), or
partly after it (pdftotext puts the numbers on the label's middle line).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex as re

from ..model import Source
from ..textnorm import numbering
from ..values import BLANK, parse_cell
from .labels import own_label
from .rows import Cell, Row


@dataclass
class ValueRow:
    before: list[str]  # label fragments since the previous value row
    same: list[str]  # label cells on the value row itself
    values: list[Cell]
    positional: bool  # cells keep their place (empty cells included)
    row: Row
    after: list[str] = field(default_factory=list)

    def label_candidates(self) -> list[str]:
        own = own_label(self.before + self.same)
        candidates = ["".join(self.same), own, own + "".join(self.after)]
        if self.before:
            candidates.append(self.before[-1])
        return [c for c in candidates if c]


def _grid_values(cells: list[Cell]) -> Optional[list[Cell]]:
    """A grid row's value cells (those after its last label, less covered ones), or None when
    the row holds no value: a header, unless a numbered label has empty cells after it."""
    last_label = len(cells) - 1
    while last_label >= 0 and cells[last_label].value is not None:
        last_label -= 1  # the value cells are those after it (a label is never empty: "" is BLANK)
    values = cells[last_label + 1:]
    for cell in values:
        if cell.value.kind != "blank":
            return [c for c in values if not c.covered]  # a value row, as most rows of a table are
    # no value filled after the last label: one before it, or a numbered label, still makes a value row
    if not any(c.value is not None and c.value.kind != "blank" for c in cells[:last_label]):
        first_label = next((c for c in cells if c.value is None), None)
        if first_label is None or numbering(first_label.text)[0] is None or last_label == len(cells) - 1:
            return None
    return [c for c in values if not c.covered]


_PARAGRAPH_SHARE = 0.75  # this share of lines with an empty line before them: one paragraph a cell


def _one_paragraph_a_cell(rows: list[Row]) -> bool:
    """A web page's table rendered as text with an empty line between cells: an empty cell
    is then one more empty line."""
    lines = [r for r in rows[1:] if not r.grid]
    return len(lines) >= 4 and sum(r.blank_before >= 1 for r in lines) >= _PARAGRAPH_SHARE * len(lines)


def _blank_cells(row: Row, count: int, after: bool = False) -> list[Cell]:
    """Empty cells printed as empty lines just before (or after) a row's line."""
    line = row.source.line
    first = None if line is None else (line + 1 if after else line - count)
    return [Cell("", Source(line=None if first is None else first + i, page=row.source.page), BLANK)
            for i in range(count)]


def build_value_rows(rows: list[Row]) -> tuple[list[ValueRow], list[str]]:
    """Value rows in order, and every label fragment seen (for presence checks).

    Empty cells of one-cell-a-line layouts ("|" lines, extra empty lines between paragraphs)
    keep their place inside a row: before its first value, between values, and after its
    last value up to the next label."""
    out: list[ValueRow] = []
    pending: list[str] = []
    fragments: list[str] = []
    run_open = False  # the last value row was a bare number line that may continue
    paragraphs = _one_paragraph_a_cell(rows)
    blanks: list[Cell] = []  # empty cells seen since the last value or label
    for row in rows:
        if paragraphs and row.blank_before > 1 and not row.grid:
            blanks.extend(_blank_cells(row, row.blank_before - 1))
        if row.empty_cell:
            blanks.extend(row.cells)
            continue
        cells = row.cells
        labels = [c.text for c in cells if c.value is None]  # row.labels' texts (a label is never empty: "" is BLANK)
        fragments.extend(labels)
        values = None if row.grid else [c for c in cells if c.value is not None]  # a line's values
        if not values:
            if run_open and out and not row.grid:
                out[-1].values.extend(blanks)  # the row's last cells were empty
            blanks = []
        if row.grid:
            run_open = False
            values = _grid_values(cells)
            if values is None:
                pending.extend(labels)
                continue
            out.append(ValueRow(pending, labels, values, True, row))
            pending = []
            continue
        if not values:
            run_open = False
            pending.extend(labels)
            continue
        first_value = next(i for i, c in enumerate(cells) if c.value is not None)
        same = [c.text for c in cells[:first_value] if c.value is None]
        trailing = [c.text for c in cells[first_value:] if c.value is None]
        if not same and not pending and run_open and out:
            out[-1].values.extend(blanks + values)  # one cell per line: the same row goes on
        else:
            out.append(ValueRow(pending, same, (blanks if not same else []) + values, False, row))
            pending = []
        blanks = []
        pending.extend(trailing)
        run_open = not same
    if run_open and out and rows:
        # the table's last row ends in empty cells: "|" lines, or empty lines before what follows
        last = rows[-1]
        out[-1].values.extend(blanks + (_blank_cells(last, last.blank_after - 1, after=True) if paragraphs and last.blank_after > 1 else []))
    _attach_after(out)
    return out, fragments


def _attach_after(value_rows: list[ValueRow]) -> None:
    """Fragments after a value row, up to the next numbered one, may finish its label."""
    for current, nxt in zip(value_rows, value_rows[1:]):
        tail = []
        for frag in nxt.before:
            if numbering(frag)[0]:
                break
            tail.append(frag)
        current.after = tail


def split_runs(value_rows: list[ValueRow], width: int) -> list[ValueRow]:
    """A bare run of k×width numbers is k rows whose labels were lost."""
    out: list[ValueRow] = []
    for vr in value_rows:
        n = len(vr.values)
        if vr.positional or n <= width or n % width:
            out.append(vr)
            continue
        for k in range(0, n, width):
            chunk = vr.values[k:k + width]
            if k == 0:
                out.append(ValueRow(vr.before, vr.same, chunk, False, vr.row))
            else:
                out.append(ValueRow([], [], chunk, False, vr.row))
    return out


# ---------------------------------------------------------------- glued digits

_PART = re.compile(r"[+\-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")


def _cut(run: str, parts: int) -> tuple[int, Optional[list[str]]]:
    """How many ways (0, 1, or 2 for several) there are to cut glued digits into `parts`
    numbers, none with a leading 0; and the cut when there is exactly one."""
    ways = _ways(run, parts)  # counted from each position once, so no cut is tried twice
    count = ways(0, parts)
    if count != 1:
        return count, None
    pieces, start = [], 0
    for left in range(parts, 1, -1):
        end = next(e for e in range(start + 1, len(run) - left + 2)
                   if _PART.fullmatch(run, start, e) and ways(e, left - 1))
        pieces.append(run[start:end])
        start = end
    return 1, pieces + [run[start:]]


def _ways(run: str, parts: int):
    @lru_cache(maxsize=None)
    def ways(start: int, left: int) -> int:
        if left == 1:
            return 1 if _PART.fullmatch(run, start) else 0
        total = 0
        for end in range(start + 1, len(run) - left + 2):
            if _PART.fullmatch(run, start, end):
                total = min(2, total + ways(end, left - 1))
                if total == 2:
                    break
        return total
    return ways


def fit_values(values: list[Cell], width: int) -> tuple[Optional[list[Cell]], Optional[str]]:
    """The row's cells for `width` columns: glued digits cut into numbers when they can be cut
    only one way, empty cells beyond the width dropped. None and why when the numbers cannot
    be placed."""
    glued = [c for c in values if c.value is not None and c.value.kind == "run"]
    if glued:
        if len(glued) > 1:
            return None, "多处数字连在一起，无法确定如何拆分"
        run = glued[0]
        need = width - (len(values) - 1)
        count, pieces = _cut(run.text, need) if need >= 1 else (0, None)
        if pieces is None:
            why = "有多种拆法" if count else "无法拆成与栏目数相符的数字"
            return None, f"数字“{run.text}”连在一起，{why}"
        cut = [Cell(t, run.source, parse_cell(t)) for t in pieces]
        at = values.index(run)
        values = values[:at] + cut + values[at + 1:]
    values = list(values)
    while len(values) > width and _is_blank(values[-1]):
        values.pop()
    while len(values) > width and _is_blank(values[0]):
        values.pop(0)
    if len(values) == width:
        return values, None
    if len(values) > width:
        return None, f"有 {len(values)} 个数值，多于 {width} 个栏目，无法确定各数字所在的栏目"
    return None, f"只有 {len(values)} 个单元格，少于 {width} 个栏目，无法确定各数字所在的栏目"


def _is_blank(cell: Cell) -> bool:
    return cell.value is not None and cell.value.kind == "blank"


COUNTED_KINDS = ("number", "run")  # the cell kinds a reader sees as numbers


def counted_numbers(cells: list[Cell]) -> int:
    """Numbers a reader sees among cells: each number, and each run of glued digits."""
    return sum(1 for c in cells if c.value is not None and c.value.kind in COUNTED_KINDS)

