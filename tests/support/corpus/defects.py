"""Defects injected into a generated report, each with the finding it must produce.

A defect takes a clean report and a random source and returns the changed copy with its
`Expected` finding, or None when the report offers no place for it (a 表三 row swap
needs two different values in a row). Expected says which rules must fail and where:
  cells     the cells the auditor should pinpoint, each with the value that makes the
            tables consistent again (the value before the defect);
  sentence  the text a finding must quote (the sentence, title or 统计期限 changed).
Rules that do not exist in the catalogue yet are listed in `missing_rules`: the benchmark
reports such a defect as "no rule yet" instead of counting it as missed.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Callable, Optional

from auditor.spec import format_spec
from tests.support.corpus.narrative import Line
from tests.support.corpus.repairs import single_cell_repairs, t3_transpositions
from tests.support.corpus.rich import YEARS, rich_report
from tests.support.reportgen import ORG, GenReport

Cell = tuple[str, str, str]
T3_COLUMNS = ORG + ["tot"]
T4_COLUMNS = ("maintained", "corrected", "other", "pending", "total")


@dataclass
class Expected:
    defect: str
    rules: tuple[str, ...]  # every one must fire with status "fail"
    cells: tuple[tuple[Cell, float], ...] = ()  # (cell, value that makes the tables consistent)
    sentence: Optional[str] = None  # the text a finding must quote
    missing_rules: tuple[str, ...] = ()  # wanted rules the catalogue does not have yet
    detail: str = ""  # what was changed, in words (for reports of misses)
    # For a table defect: how many repairs of its shape make the printed report consistent
    # (corpus/repairs.py). With more than one, no auditor can tell which cell is wrong.
    repairs: Optional[int] = None

    @property
    def decidable(self) -> bool:
        return self.repairs is None or self.repairs == 1

    @property
    def pinpointable(self) -> bool:
        return bool(self.sentence) or (bool(self.cells) and self.decidable)


Defect = Callable[[GenReport, random.Random], Optional[tuple[GenReport, Expected]]]


# ---------------------------------------------------------------- table cells


def t3_identities(template: str, row: str, col: str) -> tuple[str, ...]:
    """The identity rules a 表三 cell takes part in (each breaks when the cell alone changes)."""
    rules = ["T3-ROW-TOTAL"]
    if row in ("new", "carried", "carry_fwd", "handled_total"):
        rules.append("T3-BALANCE")
    if row in format_spec(template).t3_outcome_rows or row == "handled_total":
        rules.append("T3-OUTCOME-SUM")
    return tuple(rules)


def _typo(value: int, rng: random.Random) -> int:
    """A value as mistyped: off by a little, a power of ten, or with two digits swapped."""
    text = str(value)
    choices = [value + d for d in (-3, -2, -1, 1, 2, 3, 10, -10, 100) if value + d >= 0]
    if len(text) >= 2 and text[-1] != text[-2]:
        choices.append(int(text[:-2] + text[-1] + text[-2]))
    return rng.choice([c for c in choices if c != value])


def _cell_typo(rep: GenReport, table: str, columns, rng: random.Random) -> tuple[GenReport, Cell, int]:
    """A copy of the report with one cell of 表三 or 表四 mistyped; the cell and its old value."""
    rep = copy.deepcopy(rep)
    rows = getattr(rep, table)
    row = rng.choice(list(rows))
    col = rng.choice(columns)
    old = rows[row][col]
    rows[row][col] = _typo(old, rng)
    return rep, (table, row, col), old


def _cell_expected(defect: str, rules: tuple[str, ...], rep: GenReport, cell: Cell, old: int) -> Expected:
    table, row, col = cell
    name = {"t3": "表三", "t4": "表四"}[table]
    return Expected(defect, rules, ((cell, old),), detail=f"{name} {row}.{col}: {old} → {getattr(rep, table)[row][col]}",
                    repairs=len(single_cell_repairs(rep, table)))


def t3_cell(rep: GenReport, rng: random.Random):
    rep, cell, old = _cell_typo(rep, "t3", T3_COLUMNS, rng)
    return rep, _cell_expected("t3-cell", t3_identities(rep.template, cell[1], cell[2]), rep, cell, old)


def t4_cell(rep: GenReport, rng: random.Random):
    rep, cell, old = _cell_typo(rep, "t4", T4_COLUMNS, rng)
    return rep, _cell_expected("t4-cell", ("T4-BLOCK-TOTAL",), rep, cell, old)


def t3_swap(rep: GenReport, rng: random.Random):
    """Two values of a 表三 row typed into each other's column."""
    rows = [r for r in rep.t3 if len({rep.t3[r][c] for c in T3_COLUMNS}) > 1]
    if not rows:
        return None
    rep = copy.deepcopy(rep)
    row = rng.choice(rows)
    while True:
        a, b = rng.sample(T3_COLUMNS, 2)
        if rep.t3[row][a] != rep.t3[row][b]:
            break
    va, vb = rep.t3[row][a], rep.t3[row][b]
    rep.t3[row][a], rep.t3[row][b] = vb, va
    rules = [r for r in t3_identities(rep.template, row, a) if r != "T3-ROW-TOTAL"]
    if "tot" in (a, b):
        rules.insert(0, "T3-ROW-TOTAL")  # the row no longer adds up only when 总计 moved
    return rep, Expected("t3-swap", tuple(rules), ((("t3", row, a), va), (("t3", row, b), vb)),
                         detail=f"表三 {row}: {a} {va} ↔ {b} {vb}", repairs=len(t3_transpositions(rep)))


def missing_t3_rows(rep: GenReport, rng: random.Random):
    rep = copy.deepcopy(rep)
    rows = list(format_spec(rep.template).t3_outcome_rows)
    start = rng.randrange(len(rows))
    dropped = rows[start:start + rng.randint(1, 3)]
    rep.drop_t3_rows.update(dropped)
    return rep, Expected("missing-t3-rows", ("STRUCT-ROWS",), detail=f"表三 少了 {', '.join(dropped)}")


def missing_section(rep: GenReport, rng: random.Random):
    rep = copy.deepcopy(rep)
    section = rng.choice(["s1", "s2", "s3", "s4", "s5", "s6"])
    rep.drop_sections.add(section)
    return rep, Expected("missing-section", ("STRUCT-SECTIONS",), detail=f"{section} 的标题删去")


def missing_t4(rep: GenReport, rng: random.Random):
    rep = copy.deepcopy(rep)
    rep.drop_t4 = True
    return rep, Expected("missing-t4", ("STRUCT-TABLES",), detail="表四删去")


def wrong_format(rep: GenReport, rng: random.Random):
    """The other format's tables in a report of this format's years (same agency)."""
    other = "2019" if rep.template == "2021" else "2021"
    year = rng.choice(YEARS[rep.template])
    changed = rich_report(other, year=year, seed=rng.randrange(10**6), agency=rep.agency)
    return changed, Expected("wrong-format", ("STRUCT-FORMAT-YEAR",), detail=f"{year} 年度报告用了 {other} 版格式")


# ---------------------------------------------------------------- years


_YEAR_WORK = ("opening", "weibo", "t3_received", "t4_cases", "t4_none")


def _lines(rep: GenReport, kinds) -> list[Line]:
    return [line for lines in (rep.body or {}).values() for line in lines
            if isinstance(line, Line) and line.kind in kinds]


def stale_year(rep: GenReport, rng: random.Random):
    """A sentence on this year's work left with last year's year."""
    rep = copy.deepcopy(rep)
    candidates = _lines(rep, _YEAR_WORK)
    if not candidates:
        return None
    line = rng.choice(candidates)
    line.facts["year"] = rep.year - 1
    return rep, Expected("stale-year", ("YEAR-BODY",), sentence=line.text, detail=f"{line.kind} 句改为 {rep.year - 1} 年")


def period_year(rep: GenReport, rng: random.Random):
    rep = copy.deepcopy(rep)
    rep.period_year = rep.year - 1
    y = rep.period_year
    return rep, Expected("period-year", ("YEAR-PERIOD",), sentence=f"统计期限自{y}年1月1日起至{y}年12月31日止",
                         detail=f"统计期限 {y} 年")


def title_year(rep: GenReport, rng: random.Random):
    rep = copy.deepcopy(rep)
    rep.title_year = rep.year + rng.choice((-1, 1))
    return rep, Expected("title-year", ("YEAR-TITLE",), sentence=f"{rep.title_year}年政府信息公开工作年度报告",
                         detail=f"标题 {rep.title_year} 年")


# ---------------------------------------------------------------- narrative


def parts_sum(rep: GenReport, rng: random.Random):
    """"共 N 条，其中 a 条，b 条" whose parts no longer add up to N (no table involved)."""
    rep = copy.deepcopy(rep)
    candidates = _lines(rep, ("publish_parts", "interpret_parts"))
    if not candidates:
        return None
    line = rng.choice(candidates)
    line.facts["total"] = _typo(line.facts["total"], rng)
    return rep, Expected("narrative-parts-sum", ("NARR-PARTS-SUM",), sentence=line.text,
                         detail=f"{line.kind}: 总数改为 {line.facts['total']}")


# Which fact of a sentence to change, which fact changes with it so that the sentence
# still adds up in itself (+1: by the same amount, -1: by the opposite; only the comparison
# with the table can then tell), and the rule that compares that sentence with the table.
_CONTRADICTIONS = {
    "t3_received": [("new", "np", 1, "NARR-T3-COUNTS"), ("carried", None, 0, "NARR-T3-COUNTS")],
    "t3_handled": [("handled", "g0", 1, "NARR-T3-COUNTS"), ("forward", None, 0, "NARR-T3-COUNTS"),
                   ("g0", "g1", -1, "NARR-T3-OUTCOMES")],
    "t3_share": [("share", None, 0, "NARR-T3-OUTCOME-SHARE")],
    "t4_cases": [("review", "r_maintained", 1, "NARR-T4-CASES"), ("suits", "direct", 1, "NARR-T4-CASES")],
    "t2_docs": [("valid", None, 0, "NARR-T2-DOCS"), ("made", None, 0, "NARR-T2-DOCS")],
}


def _wrong_share(share: str, rng: random.Random) -> str:
    return f"{float(share) + rng.choice((-1, 1)) * rng.choice((0.8, 1.5, 3.2, 10.0)):.1f}"


def narrative_vs_table(rep: GenReport, rng: random.Random):
    """A figure in a sentence that differs from the table cell(s) it states."""
    rep = copy.deepcopy(rep)
    options = []
    for line in _lines(rep, tuple(_CONTRADICTIONS)):
        for fact, partner, sign, rule in _CONTRADICTIONS[line.kind]:
            if fact in line.facts and (partner is None or partner in line.facts):
                options.append((line, fact, partner, sign, rule))
    if not options:
        return None
    line, fact, partner, sign, rule = rng.choice(options)
    before = line.facts[fact]
    if fact == "share":
        after = _wrong_share(before, rng)
        if float(after) < 0 or float(after) > 100:
            after = f"{float(before) / 2:.1f}"
    else:
        after = _typo(before, rng)
        if partner is not None and line.facts[partner] + sign * (after - before) < 0:
            after = before + rng.randint(1, 9) * (1 if sign >= 0 else -1)
            after = max(after, 0)
        if after == before:
            return None  # no room to change the figure without a negative count
        if partner is not None:
            line.facts[partner] += sign * (after - before)
    line.facts[fact] = after
    return rep, Expected("narrative-vs-table", (rule,), sentence=line.text,
                         detail=f"{line.kind}.{fact}: 表中 {before}，正文写 {after}")


# ---------------------------------------------------------------- catalogue


DEFECTS: dict[str, Defect] = {
    "t3-cell": t3_cell,
    "t4-cell": t4_cell,
    "t3-swap": t3_swap,
    "stale-year": stale_year,
    "period-year": period_year,
    "title-year": title_year,
    "narrative-parts-sum": parts_sum,
    "narrative-vs-table": narrative_vs_table,
    "missing-t3-rows": missing_t3_rows,
    "missing-section": missing_section,
    "missing-t4": missing_t4,
    "wrong-format": wrong_format,
}


@dataclass
class Injector:
    """Applies defects, keeping only the rules the loaded catalogue has: a defect whose
    rules are all missing is reported as having no rule yet."""

    rule_ids: set[str]

    def inject(self, name: str, rep: GenReport, rng: random.Random) -> Optional[tuple[GenReport, Expected]]:
        result = DEFECTS[name](rep, rng)
        if result is None:
            return None
        changed, expected = result
        expected.missing_rules = tuple(r for r in expected.rules if r not in self.rule_ids)
        expected.rules = tuple(r for r in expected.rules if r in self.rule_ids)
        return changed, expected
