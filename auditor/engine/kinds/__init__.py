"""Rule kinds: how each kind of check is carried out. The catalogue says what is checked."""
from __future__ import annotations

from typing import Callable

from ...model import Finding, Report
from .identity import check_identity
from .narrative import check_parts_sum
from .structure import check_format_year, check_rows, check_sections, check_tables, check_unread_pages
from .years import check_body_years, check_period_year, check_title_year

KINDS: dict[str, Callable[[Report, "Rule"], list[Finding]]] = {  # noqa: F821
    "identity": check_identity,
    "sections_present": check_sections,
    "tables_present": check_tables,
    "rows_present": check_rows,
    "format_matches_year": check_format_year,
    "title_year": check_title_year,
    "period_year": check_period_year,
    "body_year": check_body_years,
    "narrative_parts_sum": check_parts_sum,
    "unread_pages": check_unread_pages,
}
