"""Rule kinds: how each kind of check is carried out. The catalogue says what is checked."""
from __future__ import annotations

from typing import Callable

from ...model import Finding, Report
from ..rule import Rule
from .contents import check_fee_reported, check_government_supervision, check_section5_measures
from .contents import check_section6_elements
from .cells import check_blank_tables, check_cell_kind, check_cells_not_number, check_made_within_valid
from .identity import check_identity
from .narrative import check_parts_sum, check_share_sum, check_shares
from .narrative_tables import check_all_done, check_narrative_counts, check_outcome_shares, check_upheld
from .structure import check_format_year, check_rows, check_sections, check_tables, check_unread_pages
from .structure import check_section_order, check_section_titles
from .labels import check_labels
from .truncated import check_truncated
from .parts_claim import check_parts_claim
from .unread import check_unread_cells
from .years import check_body_years, check_period_year, check_title_year
from .years import check_signoff_year
from .plausibility import check_amount_unit, check_published_below_made, check_regulations_level
from .format_scheme import check_format_citation
from .dup_header import check_duplicate_headers
from .template_residue import check_template_residue
from .narrative_outcomes import check_outcome_total

KINDS: dict[str, Callable[[Report, Rule], list[Finding]]] = {
    "identity": check_identity,
    "sections_present": check_sections,
    "tables_present": check_tables,
    "rows_present": check_rows,
    "format_matches_year": check_format_year,
    "title_year": check_title_year,
    "period_year": check_period_year,
    "body_year": check_body_years,
    "narrative_parts_sum": check_parts_sum,
    "narrative_shares": check_shares,
    "narrative_share_sum": check_share_sum,
    "narrative_counts": check_narrative_counts,
    "narrative_outcome_shares": check_outcome_shares,
    "narrative_upheld": check_upheld,
    "narrative_all_done": check_all_done,
    "unread_pages": check_unread_pages,
    "unread_cells": check_unread_cells,
    "cells_not_number": check_cells_not_number,
    "cell_kind": check_cell_kind,
    "blank_tables": check_blank_tables,
    "t2_made_within_valid": check_made_within_valid,
    "section_order": check_section_order,
    "section_titles": check_section_titles,
    "table_labels": check_labels,
    "parts_claim": check_parts_claim,
    "signoff_year": check_signoff_year,
    "truncated": check_truncated,
    "section5_measures": check_section5_measures,
    "fee_reported": check_fee_reported,
    "government_supervision": check_government_supervision,
    "section6_elements": check_section6_elements,
    "t2_regulations_level": check_regulations_level,
    "t2_amount_unit": check_amount_unit,
    "t2_published_below_made": check_published_below_made,
    "format_citation": check_format_citation,
    "duplicate_headers": check_duplicate_headers,
    "template_residue": check_template_residue,
    "narrative_outcome_total": check_outcome_total,
}
