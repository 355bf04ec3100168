"""Chinese display labels shared by the rules' messages, the explanations and every output,
written once here (the model, the engine and the renderers all import this module, and it
imports nothing of the project)."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex as re

if TYPE_CHECKING:
    from .model import Table

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def severity_counts(counts: dict[str, int]) -> str:
    """"错误 1 · 警告 2 · 提示 0": the counts given, in the order of SEVERITY_LABELS."""
    return " · ".join(f"{word} {counts[level]}" for level, word in SEVERITY_LABELS.items() if level in counts)

# The two official formats, by the id spec.py gives them.
FORMAT_SHORT_NAMES = {"2019": "2019 年格式", "2021": "2021 年格式"}
NOTICE_NAMES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}  # the notice that set each format
FORMAT_NAMES = {f: f"{name}（{NOTICE_NAMES[f]}）" for f, name in FORMAT_SHORT_NAMES.items()}


# ---------------------------------------------------------------- tables, cells and numbers in words

TABLE_SHORT_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def table_short_title(table_id: str) -> str:
    """"t3" → 表三; 表二's blocks ("t2.art20_5") are one printed table: 表二."""
    return TABLE_SHORT_NAMES[table_id.split(".")[0]]


def block_caption(table: Table) -> str:
    """表二's block as the bureau names it (第二十条第（五）项); "" for the other tables."""
    return table.title.split("·", 1)[1] if "·" in table.title else ""


def table_name(table: Table) -> str:
    """The table with 表二's block: 表二第二十条第（一）项, 表三."""
    return table_short_title(table.id) + block_caption(table)


def number_words(value: float) -> str:
    """A number as a message prints it: 749, not 749.0; 2.5 and 0.25 as they are."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def cell_words(table: Table, row: str, col: str, *, title: bool = False, caption: bool = False,
               blocks: bool = False, short: bool = False) -> str:
    """A cell in the bureau's words: “本年新收”行“自然人”列, with, as asked, the table's short
    title (表三…), 表二's block caption (第二十条第（五）项…), 表四's rows named as its blocks
    (“行政复议”栏“结果维持”) and the labels shortened (short_label)."""
    row_label, col_label = table.row_labels[row], table.column_labels[col]
    if short:
        row_label, col_label = short_label(row_label), short_label(col_label)
    prefix = (table_short_title(table.id) if title else "") + (block_caption(table) if caption else "")
    if blocks and table.id == "t4":
        return f"{prefix}“{row_label}”栏“{col_label}”"
    return f"{prefix}“{row_label}”行“{col_label}”列"


_PAREN_NOTE = re.compile(r"（[^）]*）$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])")


@lru_cache(maxsize=1024)  # the templates' few labels, named again in every report's messages
def short_label(label: str) -> str:
    """'（二）部分公开（区分处理的，…）' → '部分公开'; '一、本年新收政府信息公开申请数量' → '本年新收'."""
    text = _PAREN_NOTE.sub("", label)
    bare = _NUMBERED.sub("", text).replace("政府信息公开申请数量", "").strip()
    return bare if len(bare) > 2 else text.strip() or label  # "（七）总计" keeps its number: "总计" is a column too
