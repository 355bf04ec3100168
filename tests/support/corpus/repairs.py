"""An oracle, independent of the auditor, for whether a table defect can be pinpointed at all.

A changed cell can be pinpointed only when exactly one repair of the defect's shape makes
the printed report consistent again: its tables' identities hold, every count is a whole
number ≥ 0, and every figure the narrative states agrees. When two repairs do, two different
clean reports could have been printed as this one, and no auditor can tell which cell is
wrong; the benchmark then asks only that the true cell be among the candidates offered.

Shapes: one cell changed (表三, 表四), or two values of a 表三 row typed in each other's
place (a transposition; other two-cell repairs are not that defect).
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterator

from auditor.spec import format_spec
from tests.support.reportgen import ORG, GenReport

Cell = tuple[str, str, str]
T3_COLUMNS = ORG + ["tot"]
T4_PARTS = ("maintained", "corrected", "other", "pending")
T4_COLUMNS = T4_PARTS + ("total",)


def _t3_identities(template: str, t3: dict) -> Iterator[tuple[list[str | tuple], list[str | tuple]]]:
    """Each identity of 表三 as (left cells, right cells), cells as (row, column)."""
    outcomes = format_spec(template).t3_outcome_rows
    for row in t3:
        yield [(row, c) for c in ORG], [(row, "tot")]
    for col in T3_COLUMNS:
        yield [("new", col), ("carried", col)], [("handled_total", col), ("carry_fwd", col)]
        yield [(r, col) for r in outcomes], [("handled_total", col)]


def t3_consistent(template: str, t3: dict) -> bool:
    return all(sum(t3[r][c] for r, c in left) == sum(t3[r][c] for r, c in right)
               for left, right in _t3_identities(template, t3))


def _t4_consistent(t4: dict) -> bool:
    return all(sum(block[c] for c in T4_PARTS) == block["total"] for block in t4.values())


def _narrative_agrees(rep: GenReport, tables: dict[str, dict]) -> bool:
    """Every figure the body states about these tables is what the tables say."""
    for lines in rep.body.values():
        for line in lines:
            if line.kind == "t4_none" and "t4" in tables:  # "未发生…行政复议、行政诉讼案件"
                if any(block["total"] for block in tables["t4"].values()):
                    return False
            for fact, cells in line.cells.items():
                if not cells or any(table not in tables for table, _, _ in cells):
                    continue
                if sum(tables[t][r][c] for t, r, c in cells) != line.facts[fact]:
                    return False
    return True


def _values_to_try(rep: GenReport, table: str, row: str, col: str) -> set[int]:
    """For one cell, the values that make the identities through it hold (one per identity)."""
    data = getattr(rep, table)
    if table == "t4":
        block = data[row]
        parts = sum(block[c] for c in T4_PARTS)
        return {parts} if col == "total" else {block["total"] - (parts - block[col])}
    wanted = set()
    for left, right in _t3_identities(rep.template, data):
        for side, other, sign in ((left, right, 1), (right, left, -1)):
            if (row, col) in side:
                rest = sum(data[r][c] for r, c in side if (r, c) != (row, col))
                wanted.add(sum(data[r][c] for r, c in other) - rest)
    return wanted


def _consistent(rep: GenReport, tables: dict[str, dict]) -> bool:
    ok = t3_consistent(rep.template, tables["t3"]) if "t3" in tables else True
    return ok and (_t4_consistent(tables["t4"]) if "t4" in tables else True) and _narrative_agrees(rep, tables)


def single_cell_repairs(rep: GenReport, table: str) -> list[tuple[Cell, int]]:
    """Every (cell, value) that alone makes the printed report consistent."""
    data = getattr(rep, table)
    columns = T4_COLUMNS if table == "t4" else T3_COLUMNS
    found = []
    for row in data:
        for col in columns:
            for value in _values_to_try(rep, table, row, col):
                if value < 0 or value == data[row][col]:
                    continue
                trial = {r: dict(v) for r, v in data.items()}
                trial[row][col] = value
                if _consistent(rep, {table: trial}):
                    found.append(((table, row, col), value))
    return found


def t3_transpositions(rep: GenReport) -> list[tuple[tuple[Cell, int], tuple[Cell, int]]]:
    """Every exchange of two values within one 表三 row that makes 表三 consistent."""
    found = []
    for row, values in rep.t3.items():
        for a, b in combinations(T3_COLUMNS, 2):
            if values[a] == values[b]:
                continue
            trial = {r: dict(v) for r, v in rep.t3.items()}
            trial[row][a], trial[row][b] = values[b], values[a]
            if _consistent(rep, {"t3": trial}):
                found.append(((("t3", row, a), values[b]), (("t3", row, b), values[a])))
    return found
