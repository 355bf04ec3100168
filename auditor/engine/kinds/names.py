"""Tables named as a bureau names them: 表二's blocks are one printed table."""
from __future__ import annotations


def table_group(table_id: str) -> str:
    """表二's blocks are one printed table: "t2.art20_5" → "t2"."""
    return table_id.split(".")[0]


def group_name(group: str) -> str:
    return {"t2": "表二", "t3": "表三", "t4": "表四"}[group]
