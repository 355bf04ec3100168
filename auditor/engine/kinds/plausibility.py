"""Plausibility of 表二: figures a supervising office questions at a glance, though no identity
of the format is broken.

- 规章 made or in force at a township or street office (乡、镇、街道): only the State Council's
  departments and the governments of provinces and 设区的市 make 规章 (《立法法》), so a 乡镇
  or 街道 report counting 规章 has counted its internal rules (规章制度) or copied the row.
- 本年收费金额 in 万元 that is in the millions: a figure in 元 written in the 万元 column.
- 2019 format: 规章 or 规范性文件 made this year and none published (本年新公开 0, 对外公开总数量
  0 or blank), which no identity forbids but a reader does not expect of documents that must be
  published.
"""
from __future__ import annotations

from typing import Optional

import regex as re

from ...labels import number_words
from ...model import Finding, Report, Table
from ..rule import Rule
from ..kind import Param, kind

# The agency is a township or street office: its name ends with the unit (and its office).
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处|办|党委)?$|街道办事处$|街道办$")
# How such an office calls itself in the text, when the name is not printed ("我乡", "我街道").
_TOWNSHIP_SELF = re.compile(r"(?:我|本|全)(?:乡|镇|街道|街办|街)(?![\p{Han}]{0,1}(?:道路|区|市|县))")
_REGULATION_COLUMNS = {"2019": ("new_made", "new_published", "total_published"), "2021": ("made", "valid")}


def township_name(report: Report) -> Optional[str]:
    """The township or street office the report is of, from its name, else from how the text
    calls the office ("我乡……"): None when the report is not a township's."""
    agency = (report.agency or "").strip()
    if agency:
        return agency if _TOWNSHIP.search(agency) else None
    for sentence in report.sentences:
        m = _TOWNSHIP_SELF.search(sentence.text)
        if m:
            return f"正文自称“{m.group(0)}”的乡镇（街道）"
    return None


def _figures(table: Table, row: str, columns: tuple[str, ...]) -> list[tuple[str, float]]:
    return [(c, v) for c in columns if c in table.column_labels and (v := table.value(row, c))]


@kind("t2_regulations_level", fields=("agency", "cells"),
      doc="A township's or street office's report fills in no 规章 (they cannot make them).")
def check_regulations_level(report: Report, rule: Rule) -> list[Finding]:
    table = report.tables.get("t2.art20_1")
    if table is None or "regulations" not in table.rows_found or report.template not in _REGULATION_COLUMNS:
        return []
    figures = _figures(table, "regulations", _REGULATION_COLUMNS[report.template])
    office = township_name(report) if figures else None
    if office is None:
        return []
    cells = "、".join(f"“{table.column_labels[c]}”{number_words(v)}" for c, v in figures)
    source = table.sources.get(("regulations", figures[0][0]))
    return [Finding(
        rule.id, rule.severity, "fail", rule.render(agency=office, cells=cells),
        table=table.id, row="regulations", column=figures[0][0],
        line=source.line if source else None, page=source.page if source else None,
        actual=figures[0][1], expected=0, cells=[(table.id, "regulations", c) for c, _ in figures],
    )]


@kind("t2_amount_unit", params={"max_wan_yuan": Param(float, required=True)}, fields=("row", "value", "yuan"))
def check_amount_unit(report: Report, rule: Rule) -> list[Finding]:
    """The 2021 format's 本年收费金额 is in 万元; a figure of params.max_wan_yuan or more is
    almost surely in 元 (100 亿元 of fees)."""
    table = report.tables.get("t2.art20_8")
    if table is None:
        return []
    limit = float(rule.params["max_wan_yuan"])
    findings = []
    for row in table.row_labels:
        for column, label in table.column_labels.items():
            value = table.value(row, column)
            if value is None or value < limit or "万元" not in label:
                continue
            source = table.sources.get((row, column))
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(row=table.row_labels[row], value=number_words(value), yuan=number_words(value / 10000)),
                table=table.id, row=row, column=column,
                line=source.line if source else None, page=source.page if source else None,
                actual=value, expected=round(value / 10000, 4),
            ))
    return findings


@kind("t2_published_below_made",
      params={"min_made": Param(float, required=True)},
      fields=("made", "published", "row", "total"))
def check_published_below_made(report: Report, rule: Rule) -> list[Finding]:
    """2019 format, 第二十条第（一）项: params.min_made or more made this year, and nothing
    published: 本年新公开 0 and 对外公开总数量 0 or blank."""
    table = report.tables.get("t2.art20_1")
    if table is None or report.template != "2019":
        return []
    least = float(rule.params["min_made"])
    findings = []
    for row in table.row_labels:
        made, published = table.value(row, "new_made"), table.value(row, "new_published")
        total = table.value(row, "total_published")
        if made is None or made < least or published != 0 or total not in (None, 0):
            continue
        source = table.sources.get((row, "new_published"))
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(row=table.row_labels[row], made=number_words(made), published=number_words(published),
                        total="空白" if total is None else f"为 {number_words(total)} 件"),
            table=table.id, row=row, column="new_published",
            line=source.line if source else None, page=source.page if source else None,
            actual=published, cells=[(table.id, row, c) for c in ("new_made", "new_published", "total_published")],
        ))
    return findings
