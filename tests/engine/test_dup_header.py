"""STRUCT-DUP-HEADER against its definition, written out plainly: in one row of cells (a grid
row, a line cut at |, a tab or two spaces, or consecutive lines of one cell each), a column
header of the formats printed twice side by side is one finding. The rule passes over rows that
cannot hold two headers without reading them cell by cell; whatever the rows hold, it finds the
same as the plain reading."""
from __future__ import annotations

from types import SimpleNamespace

import regex
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.engine import load_catalogue
from auditor.engine.kind import kind_named
from auditor.model import Document, GridCell, Paragraph, Source, TableBlock
from auditor.spec import format_spec
from auditor.textnorm import label_key

_SPLIT = regex.compile(r"\s*(?:\||\t|\s{2,})\s*")


def _header_keys() -> set[str]:
    keys = set()
    for template in ("2019", "2021"):
        spec = format_spec(template)
        for block in spec.t2_blocks:
            keys |= {label_key(label) for label in block.columns.values()}
        keys |= {label_key(label) for label in spec.t3_columns.values() if label != "总计"}
    return keys


def _expected(blocks: list) -> list[int]:
    """The lines of the findings, by the rule's definition."""
    headers = _header_keys()
    runs: list[list[tuple[str, int]]] = []
    lines: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            runs += [lines] + [[(c.text, block.source.line) for c in row if not c.covered] for row in block.rows]
            lines = []
            continue
        cells = [p for p in _SPLIT.split(block.text.strip().strip("|")) if p]
        if len(cells) == 1:
            lines.append((cells[0], block.source.line))
        elif cells:
            runs += [lines, [(c, block.source.line) for c in cells]]
            lines = []
    runs.append(lines)
    found = []
    for run in runs:
        previous = None
        for text, line in run:
            key = label_key(text)
            if key in headers and key == previous:
                found.append(line)
                key = None
            previous = key
    return found


_WORDS = ["本年新制作数量", "本年 新制作数量", "自然人", "自 然 人", "⾃然人", "其他", "其他。", "商业企业", "总计",
          "1.其他", "（一）予以公开", "12", "0", "", "/", "abc", "2023年"]
_SEPARATORS = ["\t", " ", "  ", "|", " | ", "\u3000\u3000", "\u3000", "\x1c"]
_ENDS = ["", " ", "|", "| ", "\u3000", "1 "]

_line = st.builds(lambda first, rest, start, end: start + first + "".join(s + w for s, w in rest) + end,
                  st.sampled_from(_WORDS), st.lists(st.tuples(st.sampled_from(_SEPARATORS), st.sampled_from(_WORDS)),
                                                    max_size=4),
                  st.sampled_from(_ENDS), st.sampled_from(_ENDS))
_row = st.lists(st.tuples(st.sampled_from(_WORDS), st.booleans()), max_size=5)
_block = st.one_of(_line, st.lists(_row, max_size=3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, max_size=12))
def test_duplicate_headers_as_defined(drawn):
    blocks = []
    for line, item in enumerate(drawn, start=1):
        source = Source(line=line)
        if isinstance(item, str):
            blocks.append(Paragraph(item, source))
        else:
            blocks.append(TableBlock([[GridCell(text, source, covered=covered) for text, covered in row] for row in item],
                                     source))
    rule = next(r for r in load_catalogue() if r.kind == "duplicate_headers")
    report = SimpleNamespace(document=Document("drawn.txt", "txt", "", blocks))  # the rule reads the text's blocks
    found = kind_named("duplicate_headers").check(report, rule)
    assert [f.line for f in found] == _expected(blocks)
