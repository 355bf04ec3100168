"""Where the text stops: a copy of a report cut off before its end.

Published reports are often passed on as excerpts of their web page: the preamble, section 一,
表二 and the top of 表三, then nothing. What the cut removed is one fact ("the text stops
here"), not dozens of missing sections, tables and rows. It is decided from the document
itself, and conservatively, so that a complete report that lacks a part is still told so:

- the text never reaches section 六 (no heading numbered 六) and has no sign-off date after
  its sections (a complete report closes with one or with section 六); and
- its end is unfinished: it stops inside a table, in the middle of a sentence or heading, after
  the first item of a numbered list (“1.…” and no “2.”), or before both 五 and 六 (no complete
  report leaves out its last two sections and its date), or after a finished sentence in 五
  when its preamble listed 六 among its parts.

Everything the format puts after the last thing the text reaches is "after the cut".

The other end too: a copy may start part-way ("from section 三 on", or inside 表二). A text
starts after the report's beginning when the first part it shows (by heading or by its
table's rows) is not section 一 and nothing before it looks like a report's opening: no title
and no line of prose (a preamble). A report that has its title or preamble but lacks
section 一 starts where it should; STRUCT-SECTIONS tells it what is missing.
"""
from __future__ import annotations

from typing import Optional

import regex as re

from ..model import Cut, SignOff, Start, Table, Unread
from ..spec import FormatSpec
from ..textnorm import label_key
from .labels import similarity
from .rows import Row
from .tables import FOUND_SCORE
from .sections import SECTION_KEYS, HeadingHit

SECTION_ORDER = ("s1", "s2", "s3", "s4", "s5", "s6")
SECTION_TABLES = {"s2": "t2", "s3": "t3", "s4": "t4"}
_NUMERALS = "一二三四五六"
_LABEL_LOOKAHEAD = 3  # a label cut from its values is one of the next few rows
_CUT_NUMBER = "文本在这个数字处中断，数字可能不完整"

# A last line that ends in a character, a digit or a mark that leads on (a comma, an opening
# bracket or quote) stops part-way. A full stop, a closing bracket, a colon, a web address
# or a telephone number's end is no evidence of a cut.
_UNFINISHED_END = re.compile(r"[\p{Han}\d，,、（(“‘《〈%]$")
# The first item of a numbered list on a line of its own: a list of one item is a list cut
# after its first. ("一是…" is not one: it runs inside a paragraph that may hold the whole list.)
_FIRST_ITEM = re.compile(r"^\s*(?:1\s*[.．、]|[（(]\s*[1一]\s*[）)])")
_HEADING_START = re.compile(r"^\s*#*\s*(?P<no>[一二三四五六])\s*(?:[、.．](?P<title>.*))?$")
_MAX_HEADING_CHARS = 40
_UNCLOSED_HINT = re.compile(r"[（(][^（）()]*$")  # a bracket the text stops in
# The agency's name under the last section, its date left out: a closing line, not a cut.
_AGENCY_LINE = re.compile(r"^\p{Han}{2,30}(?:局|委|办|厅|院|署|部|政府|办公室|办事处|委员会|中心|街道|镇|乡)$")
# Words of each table's header: a last line holding one is the table begun.
_HEADER_WORDS = {"t2": ("第二十条", "信息内容"), "t3": ("勾稽关系", "申请人情况", "自然人", "法人或其他组织"),
                 "t4": ("行政复议", "行政诉讼", "复议后起诉", "结果维持")}


def find_cut(rows: list[Row], headings: dict[str, HeadingHit], regions: dict[str, list[Row]],
             tables: dict[str, Table], signoff: Optional[SignOff], spec: FormatSpec) -> Optional[Cut]:
    """Where the text stops before the report's end, or None when it reaches its end (or
    nothing tells where it stops)."""
    if not rows or "s6" in headings or _reaches_six(rows, headings):
        return None
    last_heading = max((h.line for h in headings.values() if h.line is not None), default=None)
    if signoff is not None and signoff.line is not None and last_heading is not None and signoff.line > last_heading:
        return None  # the report is signed after its sections: it ends there
    last = rows[-1]
    seen = _sections_seen(headings, tables)
    in_table = _table_at_end(last, regions, tables, spec)
    fragment = _heading_fragment(last, seen[-1] if seen else None, spec)
    if fragment is not None and not (in_table and _may_be_row(last, tables.get(in_table))):
        return _cut_in_heading(last, fragment)
    if not seen:
        # No heading and no table recognised, and no sign-off: a title and preamble, perhaps a
        # paragraph more, then nothing (an excerpt). Every section lies after the cut; six
        # "missing section" errors would only say the same thing six times.
        return _cut_after(last, None, None, tables, spec) if signoff is None or _stops_mid_sentence(last) else None
    section = seen[-1]
    if (in_table is None and not _stops_mid_sentence(last) and section == "s5"
            and not _FIRST_ITEM.match(last.text) and not _announces_six(rows, headings)):
        return None  # a finished sentence in 五: the report may simply lack 六 (STRUCT-SECTIONS)
    if in_table is not None:
        section = next(s for s, t in SECTION_TABLES.items() if in_table.split(".")[0] == t)
    cut = _cut_after(last, section, in_table, tables, spec)
    cut.heading = any(h.row == last.index for h in headings.values())  # its title may be cut short
    _blank_cut_number(last, cut, tables)
    _claim_unread_in_last_row(cut, tables)
    return cut


def _announces_six(rows: list[Row], headings: dict[str, HeadingHit]) -> bool:
    """The preamble lists the report's parts up to 六 ("全文包括：总体情况、……及其他需要报告的
    事项"): a text that ends in 五 with neither 六 nor a sign-off stops before the end it announced."""
    first = min((h.row for h in headings.values()), default=0)
    keys = [label_key(k) for k in SECTION_KEYS["s6"][:2]]
    return any(k in label_key(row.text) for row in rows[:first] if not row.grid for k in keys)


def _claim_unread_in_last_row(cut: Cut, tables: dict[str, Table]) -> None:
    """The row the text stops in shows fewer numbers than it has columns because of the cut:
    what extraction could not place there is the cut's to report, not an unreadable layout's.
    So is whatever could not be read on the line the text stops in, its row recognised or not
    (a number cut after its decimal point, "293." of 293.81, is no number)."""
    table = tables.get(cut.table) if cut.table else None
    if table is None:
        return
    one_row = cut.table == "t4"  # 表四 prints all its numbers in one row

    def cut_there(u) -> bool:
        on_last_line = u.source.line == cut.line and u.source.page == cut.page
        return one_row or on_last_line or (cut.row is not None and u.row == cut.row)

    table.unread[:] = [u._replace(cut=True) if cut_there(u) else u for u in table.unread]


def _blank_cut_number(last: Row, cut: Cut, tables: dict[str, Table]) -> None:
    """A text that stops on a cell may have cut it ("61" of 619, "-" of -3): the cell is read
    as blank (its relations cannot be checked), and the cut remembers what it held."""
    text = last.text.rstrip()
    on_line = [(tid, key) for tid, table in tables.items() for key, src in table.sources.items()
               if src.line == last.source.line and src.page == last.source.page]
    if not on_line:
        return
    tid, (row, col) = max(on_line, key=lambda c: _printed_position(tables[c[0]], *c[1]))
    table = tables[tid]
    raw = table.raw.get((row, col), "").strip()
    if not raw or not text.endswith(raw):  # "| 13 |" is closed: 13 is whole
        return
    cut.unsure_cell, cut.unsure_raw = (tid, row, col), raw
    source = table.sources[(row, col)]
    table.set(row, col, None, "", source)  # blank, not text in a number's place
    label = table.printed_labels.get(row) or table.row_labels[row]
    table.unread.append(Unread(row, label, source._replace(raw=raw), 1, _CUT_NUMBER, cut=True))


def _printed_position(table: Table, row: str, col: str) -> tuple[int, int]:
    """Rows, then columns, in the order printed (表四 prints its three blocks on one line)."""
    return list(table.row_labels).index(row), list(table.column_labels).index(col)


def _reaches_six(rows: list[Row], headings: dict[str, HeadingHit]) -> bool:
    """A heading numbered 六 after the others (its title worded so that it is not recognised)."""
    after = max((h.row for h in headings.values()), default=-1)
    for row in rows[after + 1:]:
        m = _HEADING_START.match(row.text)
        title = (m.group("title") or "").strip() if m else ""
        if m and m.group("no") == "六" and not row.grid and 0 < len(title) <= _MAX_HEADING_CHARS:
            return True
    return False


def _sections_seen(headings: dict[str, HeadingHit], tables: dict[str, Table]) -> list[str]:
    """Sections the text shows, by heading or by their table's rows, in the format's order."""
    present = {t.split(".")[0] for t, table in tables.items() if table.rows_found}
    return [s for s in SECTION_ORDER if s in headings or SECTION_TABLES.get(s) in present]


def _heading_fragment(row: Row, last_seen: Optional[str], spec: FormatSpec) -> Optional[str]:
    """The section whose heading the last line begins ("五、存在的主", "一"): a later section's
    number and the start of its title."""
    m = _HEADING_START.match(row.text)
    if not m or row.grid:
        return None
    section = SECTION_ORDER[_NUMERALS.index(m.group("no"))]
    if last_seen is not None and SECTION_ORDER.index(section) <= SECTION_ORDER.index(last_seen):
        return None  # "四、结转下年度继续办理" inside 表三 is a row, not section 四
    title = label_key(m.group("title") or "")
    official = next(label_key(s["title"]) for s in spec.sections if s["id"] == section)
    keys = (official, *SECTION_KEYS[section])
    return section if any(k.startswith(title) or title.startswith(k) for k in keys) else None


def _may_be_row(last: Row, table: Optional[Table]) -> bool:
    """Inside a table, "四" may begin its row "四、结转下年度继续办理" rather than section 四."""
    key = label_key(last.text)
    return table is not None and any(
        label_key(label).startswith(key) for row, label in table.row_labels.items() if row not in table.rows_found)


def _stops_mid_sentence(row: Row) -> bool:
    text = row.text.strip().strip("|").strip()
    if not text or row.grid:
        return False
    return bool(_UNFINISHED_END.search(text)) and not _AGENCY_LINE.match(text)


def _table_at_end(last: Row, regions: dict[str, list[Row]], tables: dict[str, Table],
                  spec: FormatSpec) -> Optional[str]:
    """The table the last line belongs to, when the text stops inside one: its rows were read,
    or only its header was printed ("t2" for 表二 with no item read)."""
    for section in ("s4", "s3", "s2"):
        region = regions.get(section)
        if not region or region[-1].index != last.index:
            continue
        table_id = SECTION_TABLES[section]
        if section == "s2":
            blocks = [f"t2.{b.id}" for b in spec.t2_blocks if tables.get(f"t2.{b.id}") and tables[f"t2.{b.id}"].rows_found]
            if blocks:
                return blocks[-1]
        elif tables.get(table_id) is not None and tables[table_id].rows_found:
            return table_id
        return table_id if _shows_table(region, table_id) else None
    return _row_begun_after(last, tables, spec)


def _row_begun_after(last: Row, tables: dict[str, Table], spec: FormatSpec) -> Optional[str]:
    """The table whose next row the last line begins, though it reads as a sentence ("（二）部分
    公开（区分处理的，只计这一" ends the table's region as prose would)."""
    blocks = [f"t2.{b.id}" for b in spec.t2_blocks]
    for table_id in ("t4", "t3", *reversed(blocks)):
        table = tables.get(table_id)
        if table is None or not table.rows_found:
            continue
        order = _row_order(table_id, spec)
        last_found = max(order.index(r) for r in table.rows_found if r in order)
        if _label_reached(last, order[last_found + 1:][:_LABEL_LOOKAHEAD], table) is not None:
            return table_id
        return None  # only the last table read can be the one the text stops in
    return None


def _shows_table(region: list[Row], table_id: str) -> bool:
    """A table begun but none of its rows read: cells in a grid, or its header's words on a
    line that is not a sentence ("本年度未发生行政复议。" is one)."""
    return any(row.grid or ("。" not in row.text and any(w in label_key(row.text) for w in _HEADER_WORDS[table_id]))
               for row in region)


def _row_order(table_id: str, spec: FormatSpec) -> list[str]:
    """A table's rows (groups included) in the format's printed order."""
    if table_id == "t3":
        return list(spec.t3_order)
    if table_id == "t4":
        return list(spec.t4_blocks)
    block = next(b for b in spec.t2_blocks if f"t2.{b.id}" == table_id)
    return list(block.rows)


def _label_reached(last: Row, later: list[str], table: Table) -> Optional[str]:
    """The row among `later` whose label the last line prints (cut before its values), also
    when the text stops inside the label's filling hint ("其他对外管理服务事项(指行政许可以外的
    政务服务事项,含行政确认、" compares as "其他对外管理服务事项")."""
    printed = "".join(c.text for c in last.labels).strip("| ")  # "| （二）部分公开": a Markdown row cut
    shown = {printed, _UNCLOSED_HINT.sub("", printed).strip()} - {""}
    return next((r for r in later if r in table.row_labels
                 and max(similarity(p, table.row_labels[r]) for p in shown) >= FOUND_SCORE), None) if shown else None


def _t2_blocks_after(table_id: str, spec: FormatSpec) -> list[str]:
    ids = [f"t2.{b.id}" for b in spec.t2_blocks]
    return ids[ids.index(table_id) + 1:]


def _cut_after(last: Row, section: Optional[str], table_id: Optional[str], tables: dict[str, Table],
               spec: FormatSpec) -> Cut:
    """The text stops in `section` (None: before the first heading), inside `table_id` or in prose."""
    at = SECTION_ORDER.index(section) if section else -1
    cut = Cut(last.source.line, last.source.page, last.text.strip(), section,
              sections_after=list(SECTION_ORDER[at + 1:]),
              mid_sentence=table_id is None and _stops_mid_sentence(last))
    # the tables of later sections, and this section's own table when the text stops before it
    for s in SECTION_ORDER[max(at, 0):]:
        table = SECTION_TABLES.get(s)
        if table is None or (s == section and _has_rows(tables, table)):
            continue
        cut.tables_after.append(table)
    cut.table = table_id
    if table_id is not None and _has_rows(tables, table_id):
        order = _row_order(table_id, spec)
        found = [r for r in order if r in tables[table_id].rows_found]
        cut.row = found[-1] if found else None
        later = order[order.index(cut.row) + 1:] if cut.row else order
        reached = _label_reached(last, later[:_LABEL_LOOKAHEAD], tables[table_id])
        if reached is not None:  # the last line is the label of a later row, its values cut off
            cut.row = reached
            later = order[order.index(reached):]  # the row itself is read no further than its label
        cut.rows_after[table_id] = [r for r in later if r in tables[table_id].row_labels]
        if table_id.startswith("t2."):
            cut.tables_after.extend(_t2_blocks_after(table_id, spec))
    return cut


def _cut_in_heading(last: Row, section: str) -> Cut:
    at = SECTION_ORDER.index(section)
    return Cut(last.source.line, last.source.page, last.text.strip(), section, heading=True,
               sections_after=list(SECTION_ORDER[at:]),
               tables_after=[SECTION_TABLES[s] for s in SECTION_ORDER[at:] if s in SECTION_TABLES])


def _has_rows(tables: dict[str, Table], table: str) -> bool:
    """Rows read in a table ("t3", a 表二 block "t2.art20_5"), or in any block of 表二 ("t2")."""
    return any(t.rows_found for tid, t in tables.items() if table in (tid, tid.split(".")[0]))


# ---------------------------------------------------------------- where the text starts

_PROSE_CHARS = 12  # a line of the opening (preamble, section 一) has a sentence's worth of words
_PROSE_MARK = re.compile(r"[。，；,;]")


def find_start(rows: list[Row], headings: dict[str, HeadingHit], regions: dict[str, list[Row]],
               tables: dict[str, Table], has_title: bool, spec: FormatSpec) -> Optional[Start]:
    """Where the text starts after the report's beginning, or None when it starts at the
    beginning (or nothing tells)."""
    seen = _sections_seen(headings, tables)
    if not rows or has_title or not seen or seen[0] == "s1":
        return None
    first = seen[0]
    heading = headings.get(first)
    region = regions.get(first, [])
    start_row = heading.row if heading is not None else (region[0].index if region else None)
    # the lines before it (and the first table line itself: a whole report run into one line)
    if start_row is None or any(_opening_line(row) for row in rows[:start_row + (heading is None)]):
        return None
    at = SECTION_ORDER.index(first)
    before = list(SECTION_ORDER[:at])
    first_row = rows[0]
    start = Start(first_row.source.line, first_row.source.page, first_row.text.strip(), first,
                  heading=heading is not None, sections_before=before if heading is not None else before + [first],
                  tables_before=[SECTION_TABLES[s] for s in before if s in SECTION_TABLES])
    if heading is None:
        _start_in_table(start, first, tables, spec)
    return start


def _opening_line(row: Row) -> bool:
    """A line of prose: the opening of a report, not a table's label or a page's header."""
    text = row.text.strip()
    return not row.grid and sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= _PROSE_CHARS \
        and bool(_PROSE_MARK.search(text))


def _start_in_table(start: Start, section: str, tables: dict[str, Table], spec: FormatSpec) -> None:
    """The text starts inside `section`'s table: the table (表二's first block read), its
    first row read and the rows (and 表二's blocks) before it."""
    table_id = SECTION_TABLES[section]
    if section == "s2":
        blocks = [f"t2.{b.id}" for b in spec.t2_blocks]
        table_id = next(b for b in blocks if tables.get(b) is not None and tables[b].rows_found)
        start.tables_before.extend(blocks[:blocks.index(table_id)])
    table = tables[table_id]
    order = _row_order(table_id, spec)
    found = [r for r in order if r in table.rows_found]
    start.table, start.row = table_id, found[0]
    start.rows_before[table_id] = [r for r in order[:order.index(found[0])] if r in table.row_labels]
