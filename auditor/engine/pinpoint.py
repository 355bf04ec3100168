"""Pinpointing: which cell (or smallest pair of cells) to correct so every identity holds.

A table's identity rules give linear equations over its cells. 表三 has both row and column
totals, so, like a parity check, a single wrong cell fails exactly the equations through it
and can be located with the value that repairs them all. Counts are non-negative integers,
which often settles 表四 too (a total smaller than one of its parts can only be the total).
When several corrections repair the table equally well, the finding says so and lists them.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Optional

from ..labels import cell_words, number_words, short_label, table_short_title
from ..model import Finding, Report, Table
from .rule import Rule
from .kind import CATALOGUE, Param, kind, kind_named
from .kinds.identity import identity_checks, tolerance_of

Cell = tuple[str, str]  # (row, column)
_MAX_CANDIDATES_SHOWN = 6
_MAX_PAIR_CELLS = 120  # beyond this many suspect cells the table is too broken to pinpoint


@dataclass
class Equation:
    """sum(coeff * cell) == 0 within tolerance; blank cells count as 0."""

    rule: str
    coeffs: dict[Cell, int]
    tolerance: float
    where: str  # the line in words: “自然人”列, “本年新收”行

    def residual(self, values: dict[Cell, float]) -> float:
        return sum(k * values.get(c, 0.0) for c, k in self.coeffs.items())

    def holds(self, values: dict[Cell, float]) -> bool:
        return abs(self.residual(values)) <= self.tolerance


@dataclass
class Correction:
    changes: dict[Cell, float]  # cell -> value that makes the table consistent


def _identity_rules(report: Report, table_id: str, rules: list[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.params.get("table") == table_id and _declares(rule, "equations")
            and rule.applies_to(report.template)]


def _all_hold(report: Report, table_id: str, rules: list[Rule]) -> bool:
    """Every identity line adds up (blanks as 0, as in the equations): nothing to pinpoint."""
    for rule in _identity_rules(report, table_id, rules):
        tolerance = tolerance_of(rule)
        if any(abs(check.left.total - check.right.total) > tolerance
               for check in identity_checks(report, rule) if not check.absent_rows):
            return False
    return True


def table_equations(report: Report, table_id: str, rules: list[Rule]) -> list[Equation]:
    """Equations of the identity rules about this table, on lines whose rows are all present."""
    equations = []
    for rule in _identity_rules(report, table_id, rules):
        for check in identity_checks(report, rule):
            if check.absent_rows:
                continue
            coeffs: dict[Cell, int] = {}
            for cell in check.left.cells:
                coeffs[cell] = coeffs.get(cell, 0) + 1
            for cell in check.right.cells:
                coeffs[cell] = coeffs.get(cell, 0) - 1
            coeffs = {c: k for c, k in coeffs.items() if k}
            if coeffs:
                axis = "列" if rule.params["along"] == "column" else ("栏" if table_id == "t4" else "行")
                where = f"“{short_label(check.label)}”{axis}"
                equations.append(Equation(rule.id, coeffs, tolerance_of(rule), where))
    return equations


def _values(table: Table, equations: list[Equation]) -> dict[Cell, float]:
    cells = {c for eq in equations for c in eq.coeffs}
    return {c: table.value(*c) or 0.0 for c in cells}


def _acceptable(value: float, tolerance: float) -> bool:
    """A count: a non-negative whole number (a tolerance admits decimal tables)."""
    return value >= -tolerance and (tolerance > 0 or float(value).is_integer())


def single_corrections(equations: list[Equation], values: dict[Cell, float]) -> list[Correction]:
    failing = [eq for eq in equations if not eq.holds(values)]
    if not failing:
        return []
    suspects = set(failing[0].coeffs).intersection(*(eq.coeffs for eq in failing[1:]))
    found = []
    for cell in sorted(suspects):
        through = [eq for eq in equations if cell in eq.coeffs]
        wanted = {values[cell] - eq.residual(values) / eq.coeffs[cell] for eq in through}
        value = next(iter(wanted))
        if max(wanted) - min(wanted) <= max(eq.tolerance for eq in through) and _acceptable(value, through[0].tolerance):
            found.append(Correction({cell: value}))
    return found


def pair_corrections(equations: list[Equation], values: dict[Cell, float]) -> list[Correction]:
    """Two cells whose new values repair every equation, when exactly one solution exists for them."""
    failing = [eq for eq in equations if not eq.holds(values)]
    suspects = sorted({c for eq in failing for c in eq.coeffs})
    if not failing or len(suspects) > _MAX_PAIR_CELLS:
        return []
    found = []
    for a, b in combinations(suspects, 2):
        if any(a not in eq.coeffs and b not in eq.coeffs for eq in failing):
            continue
        solved = _solve_pair(a, b, [eq for eq in equations if a in eq.coeffs or b in eq.coeffs], values)
        if solved is not None:
            found.append(Correction(solved))
    return found


def _solve_pair(a: Cell, b: Cell, through: list[Equation], values: dict[Cell, float]) -> Optional[dict[Cell, float]]:
    """New values for a and b satisfying every equation through them, if they are determined."""
    fixed: dict[Cell, float] = {}
    for cell in (a, b):
        alone = [eq for eq in through if cell in eq.coeffs and (b if cell == a else a) not in eq.coeffs]
        wanted = {values[cell] - eq.residual(values) / eq.coeffs[cell] for eq in alone}
        if len(wanted) > 1 and max(wanted) - min(wanted) > max(eq.tolerance for eq in alone):
            return None
        if not wanted:
            return None  # only shared equations: any split of the difference would do
        fixed[cell] = next(iter(wanted))
    trial = {**values, **fixed}
    tolerance = max(eq.tolerance for eq in through)
    if not all(eq.holds(trial) for eq in through):
        return None
    if any(fixed[c] == values[c] or not _acceptable(fixed[c], tolerance) for c in fixed):
        return None
    return fixed


def corrections(equations: list[Equation], values: dict[Cell, float]) -> list[Correction]:
    """The smallest corrections that repair the table: single cells first, then pairs. Among
    pairs, a transposition (two values printed in each other's place) is the likely one."""
    singles = single_corrections(equations, values)
    if singles:
        return singles
    pairs = pair_corrections(equations, values)
    swaps = [p for p in pairs if _is_swap(p, values)]
    return swaps if len(swaps) == 1 else pairs


def _is_swap(correction: Correction, values: dict[Cell, float]) -> bool:
    (a, va), (b, vb) = correction.changes.items()
    return va == values[b] and vb == values[a]


# ---------------------------------------------------------------- findings


@kind("pinpoint", scope=CATALOGUE,
      params={"table": Param(str, required=True), "along": Param(str)},
      fields=("actual", "cell", "expected", "identities", "others", "table"), pinpoints=True,
      doc="The one cell (or pair of cells) whose correction makes every failing identity of the table hold.")
def check_pinpoint(report: Report, rule: Rule, rules: list[Rule]) -> list[Finding]:
    table = report.tables.get(rule.params["table"])
    if table is None or not table.rows_found or _all_hold(report, table.id, rules):
        return []
    findings = []
    for equations in components(table_equations(report, table.id, rules)):
        findings.extend(_pinpoint_part(report, rule, table, equations))
    return findings


def components(equations: list[Equation]) -> list[list[Equation]]:
    """Groups of equations linked by shared cells (表四's three blocks are independent)."""
    groups: list[tuple[set[Cell], list[Equation]]] = []
    for eq in equations:
        linked = [g for g in groups if g[0] & eq.coeffs.keys()]
        cells, members = set(eq.coeffs), [eq]
        for g in linked:
            cells |= g[0]
            members = g[1] + members
            groups.remove(g)
        groups.append((cells, members))
    return [members for _, members in groups]


def _pinpoint_part(report: Report, rule: Rule, table: Table, equations: list[Equation]) -> list[Finding]:
    values = _values(table, equations)
    failing = [eq for eq in equations if not eq.holds(values)]
    if not failing or _blank_in_failing(table, failing):
        return []  # consistent, or blanks leave it open (the identity rules say so)
    found = corrections(equations, values)
    names = _identity_names(failing)
    backed = _backed_by_narrative(found, values, narrative_statements(report, table)) if len(found) > 1 else []
    if len(backed) == 1:
        fix, statement = backed[0]
        return _pinpointed(rule, table, fix, values, names, statement)
    if len(found) == 1:
        return _pinpointed(rule, table, found[0], values, names)
    return [_undecided(rule, table, found, values, failing, names)]


# ---------------------------------------------------------------- the narrative as a witness


@dataclass
class Statement:
    """A sentence stating the sum of some cells ("行政复议案件 11 件" is review.total)."""

    cells: tuple[Cell, ...]
    value: float
    clause: str


def narrative_statements(report: Report, table: Table) -> list[Statement]:
    """表四 figures the narrative states in the table's own scope. Only 表四 needs them: each
    block has a single identity, so the table alone rarely tells the total from a part."""
    if table.id != "t4":
        return []
    out = []
    for claim in report.claims:  # extraction's reading of the sentences
        if claim.value is None or claim.scope is not None or not claim.items:
            continue
        if claim.concept == "none_t4":  # "未发生…行政诉讼案件": no case in any block it names
            out.extend(Statement(((b, "total"),), 0.0, claim.clause) for b in claim.items)
        elif claim.concept == "t4_total":
            out.append(Statement(tuple((b, "total") for b in claim.items), claim.value, claim.clause))
        elif claim.concept == "t4_column" and claim.column:
            out.append(Statement(tuple((b, claim.column) for b in claim.items), claim.value, claim.clause))
    return out


def _backed_by_narrative(found: list[Correction], values: dict[Cell, float],
                         statements: list[Statement]) -> list[tuple[Correction, Statement]]:
    """The one correction no sentence contradicts, when sentences rule out all the others,
    with a sentence that agrees with it (one about the corrected cells if there is one)."""
    survivors: list[tuple[Correction, list[Statement]]] = []
    ruled_out = False
    for fix in found:
        corrected = {**values, **fix.changes}
        relevant = [s for s in statements if all(c in corrected for c in s.cells)]
        if any(abs(sum(corrected[c] for c in s.cells) - s.value) > 1e-9 for s in relevant):
            ruled_out = True  # a sentence contradicts this correction
            continue
        survivors.append((fix, relevant))
    if len(survivors) != 1 or not ruled_out:
        return []
    fix, agreeing = survivors[0]
    agreeing.sort(key=lambda s: not (fix.changes.keys() & set(s.cells)))
    return [(fix, agreeing[0])] if agreeing else []


def _blank_in_failing(table: Table, failing: list[Equation]) -> bool:
    return any(table.value(*c) is None for eq in failing for c in eq.coeffs)


def _identity_names(failing: list[Equation]) -> str:
    """The failing lines in words: “自然人”列、“本年新收”行 (a line failing twice is named once)."""
    return "、".join(dict.fromkeys(eq.where for eq in failing))


def _cell_words(table: Table, cell: Cell) -> str:
    return cell_words(table, *cell, blocks=True, short=True)  # 表四's rows are its three blocks (栏)


def _pinpointed(rule: Rule, table: Table, fix: Correction, values: dict[Cell, float], names: str,
                witness: Optional[Statement] = None) -> list[Finding]:
    swap = len(fix.changes) == 2 and _is_swap(fix, values)
    described = "；".join(
        f"{_cell_words(table, c)}填的是 {number_words(values[c])}，应为 {number_words(v)}" for c, v in fix.changes.items()
    )
    others = "" if len(fix.changes) == 1 else f"（同时：{described}{'，疑似两个数字填反了位置' if swap else ''}）"
    if witness is not None:
        others += f"，且与正文“{witness.clause}”一致（仅凭表内数字无法判断，正文提供了依据）"
    findings = []
    for cell, value in fix.changes.items():
        source = table.sources.get(cell) or table.row_sources.get(cell[0])
        message = rule.render(
            table=table_short_title(table.id), cell=_cell_words(table, cell), actual=number_words(values[cell]),
            expected=number_words(value), identities=names, others=others,
        )
        findings.append(Finding(
            rule=rule.id, severity=rule.severity, status="fail", message=message,
            table=table.id, row=cell[0], column=cell[1],
            line=source.line if source else None, page=source.page if source else None,
            excerpt=(source.raw.strip() or None) if source else None,
            expected=value, actual=values[cell], cells=[(table.id, *cell)],
            key="pair" if len(fix.changes) > 1 else None, fixes_cell=True,
        ))
    return findings


def _undecided(rule: Rule, table: Table, found: list[Correction], values: dict[Cell, float],
               failing: list[Equation], names: str) -> Finding:
    label = table_short_title(table.id)
    if found:
        options = [
            "，".join(f"把{_cell_words(table, c)}的 {number_words(values[c])} 改为 {number_words(v)}" for c, v in fix.changes.items())
            for fix in found[:_MAX_CANDIDATES_SHOWN]
        ]
        more = f"等 {len(found)} 种改法" if len(found) > _MAX_CANDIDATES_SHOWN else ""
        message = (
            f"{label}{names}的核对不成立，但仅凭表内数字无法确定是哪个单元格填错："
            f"{'；或'.join(options)}{more}，都能使全表一致。请对照台账核对这些单元格。"
        )
        cells = [(table.id, *c) for fix in found for c in fix.changes]
    else:
        message = (
            f"{label}{names}的核对不成立，找不到只改一两个单元格就能使全表一致的改法，"
            f"表中可能有多处错误。请逐行逐列核对该表。"
        )
        cells = sorted({(table.id, *c) for eq in failing for c in eq.coeffs})
    return Finding(
        rule=rule.id, severity="warning", status="uncertain", message=message,
        table=table.id, cells=list(dict.fromkeys(cells)), key="undecided:" + failing[0].where,
    )


# ---------------------------------------------------------------- one problem, counted once


def mark_explained(findings: list[Finding], rules: list[Rule]) -> None:
    """Mark each failing identity that a pinpointed cell lies on as explained by that
    pinpoint: correcting the cell makes every failing identity of its table hold, so the
    reader has one thing to fix, and the page and the counts show one problem."""
    by_id = {rule.id: rule for rule in rules}
    pins = [f for f in findings if f.rule in by_id and _declares(by_id[f.rule], "pinpoints")
            and f.status == "fail" and f.cells]
    if not pins:
        return
    for f in findings:
        if f.rule not in by_id or not _declares(by_id[f.rule], "equations") or f.status != "fail" \
                or f.explained_by is not None:
            continue
        on_line = set(f.cells)
        pin = next((p for p in pins if p.table == f.table and on_line & set(p.cells)), None)
        if pin is not None:
            f.explained_by = pin.fingerprint


def _declares(rule: Rule, flag: str) -> bool:
    """The rule's kind declares the flag (equations: its rules are sums over cells; pinpoints)."""
    declared = kind_named(rule.kind)
    return declared is not None and getattr(declared, flag)
