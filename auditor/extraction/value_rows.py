"""Rows of a table region → value rows, each with the label text around it.

A value row is a run of numbers that belongs to one table row. Its label may stand on the
same line, on lines before it (labels broken over lines, vertical group labels), or
partly after it (pdftotext puts the numbers on the label's middle line).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..textnorm import numbering
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

    @property
    def has_label(self) -> bool:
        return bool(self.before or self.same)


def _is_value_grid_row(row: Row) -> bool:
    if any(c.value is not None and c.value.kind != "blank" for c in row.cells):
        return True
    labels = row.labels
    return bool(labels) and numbering(labels[0].text)[0] is not None and row.cells[-1] is not labels[-1]


def build_value_rows(rows: list[Row]) -> tuple[list[ValueRow], list[str]]:
    """Value rows in order, and every label fragment seen (for presence checks)."""
    out: list[ValueRow] = []
    pending: list[str] = []
    fragments: list[str] = []
    run_open = False  # the last value row was a bare number line that may continue
    for row in rows:
        labels = [c.text for c in row.labels]
        fragments.extend(labels)
        if row.grid:
            run_open = False
            if not _is_value_grid_row(row):
                pending.extend(labels)
                continue
            last_label = max((i for i, c in enumerate(row.cells) if c.is_label and c.text), default=-1)
            values = [c for c in row.cells[last_label + 1:] if not c.covered]
            out.append(ValueRow(pending, labels, values, True, row))
            pending = []
            continue
        values = [c for c in row.cells if not c.is_label]
        if not values:
            run_open = False
            pending.extend(labels)
            continue
        first_value = next(i for i, c in enumerate(row.cells) if not c.is_label)
        same = [c.text for c in row.cells[:first_value] if c.is_label]
        trailing = [c.text for c in row.cells[first_value:] if c.is_label]
        if not same and not pending and run_open and out:
            out[-1].values.extend(values)  # one cell per line: the same row goes on
        else:
            out.append(ValueRow(pending, same, values, False, row))
            pending = []
        pending.extend(trailing)
        run_open = not same
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
