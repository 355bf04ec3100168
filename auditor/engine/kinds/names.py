"""Tables named as a bureau names them: 表二's blocks are one printed table."""
from __future__ import annotations


def table_group(table_id: str) -> str:
    """表二's blocks are one printed table: "t2.art20_5" → "t2"."""
    return table_id.split(".")[0]
