"""What each rule kind puts into its message: the fields a rule's `message` (and its message
params, such as `scope_message`) may name as {placeholders}. The catalogue checks every rule
against this when it loads, so a misspelt placeholder in a local rule pack is an error naming
the file and the key at start-up, never a failure in the middle of a batch.

A new kind adds its line here (a test checks that every registered kind has one and that the
shipped rules' messages use only these fields).
"""
from __future__ import annotations

FIELDS: dict[str, tuple[str, ...]] = {
    "blank_cells": ('cells', 'count', 'table'),
    "blank_tables": ('rows', 'table'),
    "body_year": ('found', 'sentence', 'year'),
    "carry_over": ('actual', 'column', 'expected', 'last_file', 'last_year'),
    "cell_kind": ('cell', 'problem', 'raw', 'table'),
    "cells_not_number": ('cells', 'count', 'table'),
    "copied_text": ('last_file', 'last_year', 'share', 'threshold'),
    "duplicate_headers": ('header', 'line', 'table'),
    "duplicate_unit_year": ('count', 'files', 'kind', 'unit', 'year'),
    "fee_reported": ('problem', 'section'),
    "format_citation": ('cited', 'expected', 'sentence', 'year'),
    "format_matches_year": ('actual', 'evidence', 'expected', 'headings', 'year'),
    "government_supervision": ('missing',),
    "identity": ('blank_note', 'diff', 'left_sum', 'left_terms', 'line', 'right_sum', 'right_terms', 'table'),
    "narrative_all_done": ('excerpt', 'value', 'where'),
    "narrative_counts": ('cell', 'excerpt', 'others', 'said', 'scope', 'value', 'what'),
    "narrative_outcome_shares": ('base', 'base_value', 'computed', 'count', 'excerpt', 'said', 'what'),
    "narrative_outcome_total": ('listed', 'names', 'parts', 'problem', 'total', 'total_excerpt'),
    "narrative_parts_sum": ('diff', 'parts', 'parts_sum', 'total', 'unit'),
    "narrative_share_sum": ('percents', 'total'),
    "narrative_shares": ('count', 'exact', 'excerpt', 'percent', 'total', 'unit'),
    "narrative_upheld": ('cell', 'excerpt', 'scope', 'value'),
    "parts_claim": ('claimed', 'count', 'items', 'missing', 'sentence', 'unit'),
    "period_year": ('found', 'period', 'year'),
    "pinpoint": ('actual', 'cell', 'expected', 'identities', 'others', 'table'),
    "publication_deadline": ('basis', 'date', 'days', 'deadline', 'evidence', 'year'),
    "rollup_sum": ('cells', 'children', 'count', 'unit', 'year'),
    "roster_missing": ('level', 'line', 'unit', 'year'),
    "rows_present": ('count', 'rows', 'table'),
    "section5_measures": ('problem', 'section'),
    "section6_elements": ('missing', 'section'),
    "section_order": ('official', 'printed', 'sections'),
    "section_titles": ('no', 'official', 'printed'),
    "sections_present": ('no', 'title'),
    "signoff_year": ('date', 'problem', 'year'),
    "t2_amount_unit": ('row', 'value', 'yuan'),
    "t2_made_within_valid": ('made', 'repealed', 'row', 'total', 'valid'),
    "t2_published_below_made": ('made', 'published', 'row', 'total'),
    "t2_regulations_level": ('agency', 'cells'),
    "table_labels": ('official', 'printed', 'table', 'what'),
    "tables_present": ('table',),
    "template_residue": ('residue', 'sentence'),
    "title_year": ('found', 'title', 'year'),
    "truncated": ('after', 'before', 'unsure', 'where'),
    "unit_name": ('names',),
    "unread_cells": ('count', 'rows', 'table'),
    "unread_pages": ('count', 'pages'),
    "valid_documents": ('before', 'expected', 'last_year', 'made', 'name', 'repealed', 'valid'),
}

# Params that hold a second message template, checked like `message`.
MESSAGE_PARAMS = ("scope_message", "start_message", "pre2019_message", "repeated_message", "format_message")
