"""The two official formats, read from templates.json (a copy of shared/spec/templates.json)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional
from functools import lru_cache
from importlib import resources

T4_TITLE = "表四 政府信息公开行政复议、行政诉讼情况"
T3_TITLE = "表三 收到和处理政府信息公开申请情况"
T2_TITLE = "表二 主动公开政府信息情况"

# 表三's columns, the same in both formats (checked when templates.json is read).
T3_ORGS = ("biz", "sci", "pub", "law", "oth")  # the five kinds of 法人或其他组织
T3_APPLICANTS = ("np",) + T3_ORGS  # 自然人 and those five
T3_TOTAL = "tot"
T3_COLUMNS = T3_APPLICANTS + (T3_TOTAL,)


@dataclass(frozen=True)
class T2Block:
    id: str
    caption: str
    columns: dict[str, str]  # value columns only: id -> label
    rows: dict[str, str]
    column_types: dict[str, str]  # value columns only: id -> templates.json type ("int>=0", "money>=0", ...)


@dataclass(frozen=True)
class FormatSpec:
    id: str  # "2019" | "2021"
    last_year: Optional[int]  # None: still in force
    sections: tuple[dict, ...]
    t2_blocks: tuple[T2Block, ...]
    t3_rows: dict[str, str]  # data rows in order: id -> label
    t3_order: tuple[str, ...]  # every row id (data and group labels) in printed order
    t3_parents: dict[str, Optional[str]]  # row id -> the group it is printed under, None at the top
    t3_groups: dict[str, str]  # group label rows: id -> label
    t3_group_items: dict[str, tuple[str, ...]]  # group id -> its data rows
    t3_alignable: dict[str, str]  # data rows and subtotal-able groups, in printed order
    t3_columns: dict[str, str]
    t3_outcome_rows: tuple[str, ...]
    t4_blocks: dict[str, str]
    t4_parents: dict[str, str]  # block id -> the heading it is printed under (行政诉讼), for nested blocks
    t4_columns: dict[str, str]
    t4_value_order: tuple[tuple[str, str], ...]
    markers: tuple[str, ...]
    printed_labels: tuple[str, ...]  # every label printed in the tables: rows, columns, captions, header notes


@lru_cache(maxsize=1)
def _spec_json() -> dict:
    text = resources.files("auditor").joinpath("templates.json").read_text(encoding="utf-8")
    return json.loads(text)


def _year_range(years: list[int] | str) -> tuple[int, Optional[int]]:
    """templates.json writes [2019, 2020] for a closed range and "2021-" for an open one."""
    if isinstance(years, str):
        first, _, last = years.partition("-")
        return int(first), int(last) if last else None
    return min(years), max(years)


def _format(key: str, short: str) -> FormatSpec:
    fmt = _spec_json()[key]
    tables = fmt["tables"]
    t2 = tuple(
        T2Block(
            b["id"],
            b["caption"],
            {c["id"]: c["label"] for c in b["columns"] if c["id"] != "label"},
            {r["id"]: r["label"] for r in b["rows"]},
            {c["id"]: c.get("type", "") for c in b["columns"] if c["id"] != "label"},
        )
        for b in tables["t2"]["blocks"]
    )
    t3 = tables["t3"]
    t3_rows = {r["id"]: r["label"] for r in t3["rows"] if r["kind"] == "data"}
    t3_groups = {r["id"]: r["label"] for r in t3["rows"] if r["kind"] != "data"}
    items = {g: tuple(r["id"] for r in t3["rows"] if r["parent"] == g and r["kind"] == "data") for g in t3_groups}
    alignable = {r["id"]: r["label"] for r in t3["rows"] if r["kind"] == "data" or (r["id"] in items and r["parent"])}
    if tuple(c["id"] for c in t3["columns"]) != T3_COLUMNS:
        raise ValueError(f"templates.json: {key}'s 表三 columns are not spec.T3_COLUMNS {T3_COLUMNS}")
    t4 = tables["t4"]
    order = tuple(tuple(v.split(".")) for v in t4["value_order"])
    markers = tuple(m for m in fmt["detect_markers"] if " " not in m)
    return FormatSpec(
        id=short,
        last_year=_year_range(fmt["report_years"])[1],
        sections=tuple(fmt["sections"]),
        t2_blocks=t2,
        t3_rows=t3_rows,
        t3_order=tuple(r["id"] for r in t3["rows"]),
        t3_parents={r["id"]: r["parent"] for r in t3["rows"]},
        t3_groups=t3_groups,
        t3_group_items={g: v for g, v in items.items() if g != "results"},
        t3_alignable=alignable,
        t3_columns={c["id"]: c["label"] for c in t3["columns"]},
        t3_outcome_rows=tuple(t3["outcome_row_ids"]),
        t4_blocks={b["id"]: b["label"] for b in t4["blocks"]},
        t4_parents={b["id"]: b["path"][0] for b in t4["blocks"] if len(b["path"]) > 1},
        t4_columns={c["id"]: c["label"] for c in t4["block_columns"]},
        t4_value_order=order,
        markers=markers,
        printed_labels=_printed_labels(tables),
    )


_LABEL_KEYS = ("label", "caption", "header_note", "header_group", "group", "path")


def _printed_labels(tables: dict) -> tuple[str, ...]:
    """Every string templates.json gives as printed text of a table (under the keys above)."""
    labels: dict[str, None] = {}

    def walk(node, key=None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in _LABEL_KEYS:
            labels[node] = None

    walk(tables)
    return tuple(labels)


# The format a report is read and checked against when neither format's markers were found
# (report.template is None): the 2021 format, in force for every report since 2021, so an
# unrecognised report is most likely one of them, and its tables' rows and columns are the
# same as 2019's where the two agree. This is decided here only: extraction reads the
# tables with it and the Report carries it (Report.spec) for the rules and the pages.
DEFAULT_FORMAT = "2021"

FORMATS = ("2019", "2021")


def resolved_spec(template: Optional[str]) -> FormatSpec:
    """The format a report follows, or DEFAULT_FORMAT when it was not recognised."""
    return format_spec(template or DEFAULT_FORMAT)


@lru_cache(maxsize=2)
def format_spec(template: str) -> FormatSpec:
    if template == "2019":
        return _format("format_2019", "2019")
    if template == "2021":
        return _format("format_2021", "2021")
    raise ValueError(f"unknown template {template!r}")


def expected_template(year: int) -> str:
    """Which format a report of this year must follow (2019 format for 2019–2020)."""
    return "2019" if year <= format_spec("2019").last_year else "2021"
