"""Lines outside ruled tables → paragraph text; a table without rulings → tab-separated rows.

A borderless table shows itself as a run of lines whose words stand apart in columns. The
column positions are the clusters of the word centres over the whole run, so a row with a
blank cell still puts its other values in the right columns; such rows are written with
tabs, the layout whose empty cells keep their place.
"""
from __future__ import annotations

from .pdf_layout import Char, Line, chars_text

WORD_GAP = 1.2  # × character height: a wider gap separates two cells
MIN_COLUMNS = 3  # words on a line before it is taken as a table row
COLUMN_TOL = 0.6  # × median character height: word centres this close share a column


def _words(line: Line) -> list[list[Char]]:
    return line.words(WORD_GAP)


def _is_row(line: Line) -> bool:
    return len(_words(line)) >= MIN_COLUMNS


def _runs(lines: list[Line]) -> list[tuple[bool, list[Line]]]:
    """Consecutive lines grouped into table-like runs (with their label-only lines) and prose."""
    out: list[tuple[bool, list[Line]]] = []
    for line in lines:
        row = _is_row(line)
        if out and out[-1][0] == row:
            out[-1][1].append(line)
        else:
            out.append((row, [line]))
    return out


def _columns(lines: list[Line]) -> list[float]:
    """Column centres: clusters of word centres, skipping each line's first word (its label)."""
    centres = sorted((w[0].x0 + w[-1].x1) / 2 for ln in lines for w in _words(ln)[1:])
    heights = sorted(c.height for ln in lines for c in ln.chars)
    tol = COLUMN_TOL * (heights[len(heights) // 2] if heights else 10.0) * 2
    clusters: list[list[float]] = []
    for x in centres:
        if clusters and x - clusters[-1][-1] <= tol:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [sum(c) / len(c) for c in clusters]


def _tab_row(line: Line, columns: list[float]) -> str:
    words = _words(line)
    cells = [""] * len(columns)
    label = chars_text(words[0])
    for word in words[1:]:
        centre = (word[0].x0 + word[-1].x1) / 2
        k = min(range(len(columns)), key=lambda i: abs(columns[i] - centre))
        cells[k] = (cells[k] + " " + chars_text(word)).strip()
    return "\t".join([label, *cells])


def borderless_lines(lines: list[Line], page: int) -> list[tuple[float, str]]:
    """(top, text) per line; lines of a borderless table come as tab-separated cells."""
    out: list[tuple[float, str]] = []
    for is_table, run in _runs(lines):
        if is_table and len(run) >= 2:
            columns = _columns(run)
            out.extend((ln.top, _tab_row(ln, columns)) for ln in run)
        else:
            out.extend((ln.top, ln.text()) for ln in run)
    return out
