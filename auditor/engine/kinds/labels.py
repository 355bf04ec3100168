"""Table labels as printed: a row label, a column header or a header row that differs from
the official format (e.g. "社会组织" for "社会公益组织", the header printed twice)."""
from __future__ import annotations

from difflib import SequenceMatcher

from ...labels import table_name
from ...model import Finding, Report
from ...textnorm import label_key, numbering
from ..rule import Rule
from ..kind import Param, kind

_REWORDED = 0.6  # how much of the official label a reworded one keeps


def _core_key(label: str) -> str:
    return label_key(numbering(label)[1])


def label_altered(printed: str, official: str) -> bool:
    """Is a printed row label a different wording of the official one? Differences a reader
    makes are not: spacing, punctuation, full/half width, a missing list number, a label cut
    at a line break (one is part of the other), a group label in front, and characters put
    out of order."""
    if printed == official:
        return False  # as printed in the format (most labels): nothing to compare
    p, o = _core_key(printed), _core_key(official)
    whole_p, whole_o = label_key(printed), label_key(official)
    if not p or p == o or whole_p == whole_o:
        return False
    if p in o or o in p or whole_o in whole_p or sorted(p) == sorted(o):
        return False
    # A reworded label keeps most of the official one; a stray fragment (a character of a
    # vertical group label, another row's words) is the reader's doing, not the report's.
    return SequenceMatcher(None, p, o, autojunk=False).ratio() >= _REWORDED


@kind("table_labels",
      params={"repeated_message": Param(str, required=True, message=("table",))},
      fields=("official", "printed", "table", "what"))
def check_labels(report: Report, rule: Rule) -> list[Finding]:
    """Row labels, column headers and header rows of the tables as the formats print them."""
    findings = []
    for table in report.tables.values():
        for row, printed in table.printed_labels.items():
            official = table.row_labels.get(row)
            if official is None or not label_altered(printed, official):
                continue
            source = table.row_sources.get(row)
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(table=table_name(table), what="行名", printed=printed.strip(), official=official),
                table=table.id, row=row, line=source.line if source else None, page=source.page if source else None,
                excerpt=printed.strip(), key="row",
            ))
        for col, (printed, source) in table.printed_headers.items():
            official = table.column_labels[col]
            if label_key(printed) in label_key(official):
                continue  # the official header, or part of it left by a line break ("公益组织")
            findings.append(Finding(
                rule.id, rule.severity, "fail",
                rule.render(table=table_name(table), what="栏目名", printed=printed.strip(), official=official),
                table=table.id, column=col, line=source.line, page=source.page, excerpt=printed.strip(), key="header",
            ))
        for source in table.repeated_headers:
            findings.append(Finding(
                rule.id, rule.severity, "fail", rule.params["repeated_message"].format(table=table_name(table)),
                table=table.id, line=source.line, page=source.page, key=f"repeated:{source.line}:{source.page}",
            ))
    return findings
