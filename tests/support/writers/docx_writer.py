"""Generated reports as Word .docx files, tables merged the way Word merges them.

python-docx's cell.merge writes w:gridSpan (horizontal) and w:vMerge (vertical), as Word
does. Options reproduce what real files look like after editing:
  split_runs=True   numbers and labels split over several runs ("20" + "23"), and long
                    labels broken over two paragraphs inside their cell;
  style="grid_before"  every table gets an extra leading grid column that the last row
                    leaves empty with w:gridBefore (the other rows' first cell spans it).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import regex as re
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.support import docgen
from tests.support.docgen import Grid
from tests.support.reportgen import GenReport

STYLES = ("official", "grid_before")
_DIGITS_OR_NOT = re.compile(r"\d+|\D+")
_HAN = re.compile(r"\p{Han}")


def write_docx(rep: GenReport, path: str | Path, split_runs: bool = False, style: str = "official") -> Path:
    if style not in STYLES:
        raise ValueError(style)
    document = docx.Document()
    for block in docgen.blocks(rep):
        if isinstance(block, str):
            write_text(document.add_paragraph(), block, split_runs)
        else:
            table = add_table(document, block, split_runs)
            if style == "grid_before":
                shift_last_row(table)
    document.save(str(path))
    return Path(path)


def placements(grid: Grid) -> list[tuple[int, int, docgen.Span]]:
    """(row, col, span) of each cell in the full grid, HTML-style rows resolved."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, span))
            taken.update((r + dr, c + dc) for dr in range(span.rowspan) for dc in range(span.colspan))
            c += span.colspan
    return out


def add_table(document, grid: Grid, split_runs: bool = False):
    placed = placements(grid)
    height = max(r + s.rowspan for r, _, s in placed)
    width = max(c + s.colspan for _, c, s in placed)
    table = document.add_table(rows=height, cols=width)
    table.style = "Table Grid"
    # The unmerged grid once: table.cell() walks the whole table on every call, which made
    # a report take over half a second. Merging leaves each region's top-left cell in place.
    grid_cells = [cell for row in table.rows for cell in row.cells]
    for r, c, span in placed:
        cell = grid_cells[r * width + c]
        if span.rowspan > 1 or span.colspan > 1:
            cell = cell.merge(grid_cells[(r + span.rowspan - 1) * width + c + span.colspan - 1])
        write_cell(cell, span.text, split_runs)
    return table


def write_cell(cell, text: str, split_runs: bool) -> None:
    lines = break_label(text) if split_runs else [text]
    write_text(cell.paragraphs[0], lines[0], split_runs)
    for line in lines[1:]:
        write_text(cell.add_paragraph(), line, split_runs)


def write_text(paragraph, text: str, split_runs: bool) -> None:
    for piece in (pieces(text) if split_runs else [text]):
        paragraph.add_run(piece)


def pieces(text: str) -> list[str]:
    """Runs as Word leaves them after edits: numbers cut in two, text in chunks of four."""
    out: list[str] = []
    for token in _DIGITS_OR_NOT.findall(text):
        if token.isdigit() and len(token) > 1:
            half = len(token) // 2
            out += [token[:half], token[half:]]
        else:
            out += [token[i:i + 4] for i in range(0, len(token), 4)]
    return out


def break_label(text: str) -> list[str]:
    """A label of eight characters or more broken near its middle, between two Chinese characters."""
    if len(text) < 8:
        return [text]
    middle = len(text) // 2
    for offset in range(middle):
        for cut in (middle - offset, middle + offset):
            if 0 < cut < len(text) and _HAN.match(text[cut - 1]) and _HAN.match(text[cut]):
                return [text[:cut], text[cut:]]
    return [text]


def shift_last_row(table) -> None:
    """Add a leading grid column: the last row starts after it (w:gridBefore), the rows above
    widen their first cell over it (continuation cells of a vertical merge too)."""
    tbl = table._tbl
    grid = tbl.tblGrid
    grid.insert(0, OxmlElement("w:gridCol"))
    rows = tbl.tr_lst
    for tr in rows[:-1]:
        first = tr.tc_lst[0]
        first.grid_span = first.grid_span + 1
    last_first = rows[-1].tc_lst[0]
    assert last_first.vMerge is None, "the last row must not continue a vertical merge"
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    rows[-1].get_or_add_trPr().insert(0, before)


# ---------------------------------------------------------------- hand-written XML

WORDML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORDML_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_NAMESPACES = {
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "v": "urn:schemas-microsoft-com:vml",
}
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def document_xml(body: str, namespace: str = WORDML) -> str:
    """A word/document.xml around body (WordprocessingML with the w: prefix)."""
    declarations = " ".join(f'xmlns:{p}="{uri}"' for p, uri in _NAMESPACES.items())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{namespace}" {declarations} mc:Ignorable="w14"><w:body>{body}</w:body></w:document>')


def write_raw_docx(path: str | Path, document: str, parts: dict[str, str] | None = None) -> Path:
    """A minimal .docx package whose word/document.xml is the given text, written with zipfile."""
    entries = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": document, **(parts or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in entries.items():
            package.writestr(name, text.encode("utf-8"))
    return Path(path)
