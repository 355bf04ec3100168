"""Year-over-year kinds: each takes last year's and this year's YearRecord of one agency."""
from __future__ import annotations

from pathlib import Path

from ...labels import number_words
from ...model import Finding
from ...spec import T3_COLUMNS, resolved_spec
from ...year_record import YearRecord, repeated_share
from ..kind import PAIR, Param, kind

_DOC_NAMES = {"regulations": "规章", "normative_docs": "行政规范性文件"}


@kind("carry_over", scope=PAIR, fields=("actual", "column", "expected", "last_file", "last_year"))
def check_carry_over(earlier: YearRecord, current: YearRecord, rule) -> list[Finding]:
    """表三 上年结转 this year = 结转下年度继续办理 last year, column by column."""
    columns = resolved_spec(current.template).t3_columns
    findings = []
    for k, col in enumerate(T3_COLUMNS):
        now, before = current.carried[k], earlier.carry_fwd[k]
        if now is None or before is None or now == before:
            continue
        message = rule.render(column=columns[col], actual=number_words(now), expected=number_words(before),
                              last_year=earlier.year, last_file=Path(earlier.path).name)
        findings.append(Finding(rule.id, rule.severity, "fail", message, table="t3", row="carried", column=col,
                                expected=before, actual=now, cells=[("t3", "carried", col)],
                                key=f"{earlier.year}:{Path(earlier.path).name}", compared_with="last_year"))
    return findings


@kind("valid_documents", scope=PAIR, fields=("before", "expected", "last_year", "made", "name", "repealed", "valid"))
def check_valid_documents(earlier: YearRecord, current: YearRecord, rule) -> list[Finding]:
    """现行有效件数 = last year's + 本年制发 − 本年废止 (2021 format, both years)."""
    findings = []
    for row, name in _DOC_NAMES.items():
        if row not in current.documents or row not in earlier.documents:
            continue
        made, repealed, valid = current.documents[row]
        before = earlier.documents[row][2]
        if None in (made, repealed, valid, before):
            continue
        expected = before + made - repealed
        if valid == expected:
            continue
        message = rule.render(name=name, valid=number_words(valid), before=number_words(before), made=number_words(made),
                              repealed=number_words(repealed), expected=number_words(expected), last_year=earlier.year)
        findings.append(Finding(rule.id, rule.severity, "fail", message, table="t2.art20_1", row=row, column="valid",
                                expected=expected, actual=valid, cells=[("t2.art20_1", row, "valid")],
                                key=f"{earlier.year}", compared_with="last_year"))
    return findings


@kind("copied_text",
      scope=PAIR,
      params={"threshold": Param(float, default=0.5)},
      fields=("last_file", "last_year", "share", "threshold"))
def check_copied_text(earlier: YearRecord, current: YearRecord, rule) -> list[Finding]:
    """重复率: the share of this year's narrative repeated from last year's, at or above the threshold."""
    share = repeated_share(earlier.windows, current.windows)
    threshold = float(rule.params.get("threshold", 0.5))
    if share is None or share < threshold:
        return []
    message = rule.render(share=f"{share:.0%}", threshold=f"{threshold:.0%}", last_year=earlier.year,
                          last_file=Path(earlier.path).name)
    return [Finding(rule.id, rule.severity, "fail", message, actual=round(share, 3), expected=threshold,
                    key=f"copy:{earlier.year}:{Path(earlier.path).name}", compared_with="last_year",
                    value_names=("本年正文与上一年重复的比例", "提示的界限"))]
