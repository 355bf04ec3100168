"""Hypothesis strategies over generated reports (tests/support/reportgen.py and tests/support/corpus/).

    consistent_reports()          a report of either format whose tables all add up: plain
                                  (random tables, short fixed text) or rich (realistic
                                  tables, a body stating the tables' figures);
    text_layouts()                one of the text layouts (cells, tabs, markdown, spaces, pipes);
    cell_mutations(tables=...)    a consistent report with exactly one 表三 or 表四 cell changed,
                                  with the cell, its old value and its new value;
    defect_cases(rule_ids, ...)   a rich report with one injected defect and its expected finding.

Draws are reproducible: every random choice inside a report comes from a drawn seed.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from hypothesis import assume
from hypothesis import strategies as st

from auditor.spec import format_spec
from tests.support.corpus.defects import DEFECTS, Expected, Injector
from tests.support.corpus.rich import YEARS, rich_report
from tests.support.reportgen import LAYOUTS, ORG, TEXT_LAYOUTS, GenReport, consistent_t3, consistent_t4, default_t2

T3_COLUMNS = ORG + ["tot"]
T4_COLUMNS = ["maintained", "corrected", "other", "pending", "total"]
TEMPLATES = ("2019", "2021")


@st.composite
def plain_reports(draw, templates=TEMPLATES) -> GenReport:
    """Random consistent tables (表三 cells up to a drawn size) under the short fixed text."""
    template = draw(st.sampled_from(templates))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    year = draw(st.sampled_from(YEARS[template]))
    t3 = consistent_t3(template, rng, high=draw(st.integers(1, 400)))
    return GenReport(template, year, t2=default_t2(template, rng), t3=t3, t4=consistent_t4(rng))


@st.composite
def rich_reports(draw, templates=TEMPLATES) -> GenReport:
    """A realistic report: agency, year of the format, tables and body from a drawn seed."""
    return rich_report(draw(st.sampled_from(templates)), seed=draw(st.integers(0, 10**9)))


def consistent_reports(rich: bool | None = None, templates=TEMPLATES) -> st.SearchStrategy[GenReport]:
    """rich=None: either kind."""
    if rich is None:
        return st.one_of(plain_reports(templates), rich_reports(templates))
    return rich_reports(templates) if rich else plain_reports(templates)


def text_layouts(include_pipes: bool = True) -> st.SearchStrategy[str]:
    return st.sampled_from(TEXT_LAYOUTS if include_pipes else LAYOUTS)


@dataclass
class Mutation:
    report: GenReport  # the report with the cell changed
    original: GenReport  # the same report before the change
    cell: tuple[str, str, str]  # (table, row, column)
    old: int
    new: int


@st.composite
def cell_mutations(draw, tables=("t3", "t4"), rich: bool | None = None, templates=TEMPLATES,
                   max_change: int = 500) -> Mutation:
    """One cell of 表三 or 表四 set to another non-negative value."""
    original = draw(consistent_reports(rich, templates))
    table = draw(st.sampled_from(tables))
    if table == "t3":
        row = draw(st.sampled_from(list(format_spec(original.template).t3_rows)))
        col = draw(st.sampled_from(T3_COLUMNS))
        old = original.t3[row][col]
    else:
        row = draw(st.sampled_from(["review", "suit_direct", "suit_after_review"]))
        col = draw(st.sampled_from(T4_COLUMNS))
        old = original.t4[row][col]
    new = draw(st.integers(0, old + max_change).filter(lambda v: v != old))
    report = copy.deepcopy(original)
    (report.t3 if table == "t3" else report.t4)[row][col] = new
    return Mutation(report, original, (table, row, col), old, new)


@st.composite
def defect_cases(draw, rule_ids: set[str], names=tuple(DEFECTS), templates=TEMPLATES) -> tuple[GenReport, Expected]:
    """A rich report with one defect of the given kinds that applies to it."""
    injector = Injector(rule_ids)
    name = draw(st.sampled_from(names))
    base = draw(rich_reports(templates))
    case = injector.inject(name, base, random.Random(draw(st.integers(0, 2**32 - 1))))
    assume(case is not None)  # this report has no place for the defect: hypothesis draws again
    return case
