"""Web pages (CMS pages, Word-exported HTML): paragraphs and table grids in reading order.

The bytes are decoded here, never by lxml: libxml2 silently truncates GBK pages declared as
gb2312 at the first character outside GB2312. Page chrome (menus, breadcrumbs, footers,
scripts) is left out conservatively, and layout tables are unwrapped so they cannot swallow
the content they hold.
"""
from __future__ import annotations

import codecs
import re as stdlib_re
from functools import lru_cache
from itertools import islice
from typing import Iterable, Optional

import regex as re
from lxml import etree

from ..errors import MAX_NESTING_DEPTH, MAX_TABLE_POSITIONS, InputError, LimitExceeded, table_too_large
from ..model import Block, Document, GridCell, Paragraph, Source, TableBlock
from ..textnorm import normalise_text

# ---------------------------------------------------------------- decoding

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "utf-16"))
_DECLARATION_SCAN = 65536
_XML_DECLARED = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_META_DECLARED = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
# Labels whose bytes are really GBK/GB18030 in the wild; GB18030 decodes all of them.
_GB_CODECS = {"gb2312", "gbk", "gb18030"}
_GB_LABELS = {"x-gbk", "x-gb2312", "gb_2312", "gb_2312-80", "csgb2312", "windows-936", "ms936", "x-euc-cn"}
# HTML treats these Western labels as windows-1252, whose undefined bytes let a wrong guess fail.
_WESTERN_CODECS = {"latin_1", "iso8859-1", "ascii", "cp1252"}
_TOLERATED_BAD_SHARE = 1 / 1000  # a few stray bytes (a cut multibyte character) are not a broken file


def declared_encoding(data: bytes) -> Optional[str]:
    """The charset a page declares (XML declaration, then meta), as a Python codec name."""
    head = data[:_DECLARATION_SCAN]
    match = _XML_DECLARED.match(head) or _META_DECLARED.search(head)
    return _codec_for_label(match.group(1).decode("ascii")) if match else None


def _codec_for_label(label: str) -> Optional[str]:
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _GB_CODECS:
        return "gb18030"  # 堃 and other characters outside GB2312 occur in real pages
    if name.startswith(("utf-16", "utf-32")):
        return None  # without a BOM the bytes are ASCII-compatible: the declaration is wrong
    if name in _WESTERN_CODECS:
        return "cp1252"
    if name == "big5":
        return "big5hkscs"
    return name


def decode(path: str, data: bytes) -> tuple[str, str, Optional[str]]:
    """(text, encoding used, encoding declared): BOM, declaration, UTF-8, GB18030."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name, None
            except UnicodeDecodeError:
                break
    declared = declared_encoding(data)
    for codec in _candidates(data, declared):
        try:
            return data.decode(codec), codec, declared
        except UnicodeDecodeError:
            continue
    return _decode_tolerating_stray_bytes(path, data, declared)


def _candidates(data: bytes, declared: Optional[str]) -> list[str]:
    order = [declared, "utf-8", "gb18030"]
    if declared not in (None, "utf-8") and not data.isascii() and _is_utf8(data):
        # Valid multibyte UTF-8 is never GBK or Latin text by accident; the declaration is stale.
        order.insert(0, "utf-8")
    return list(dict.fromkeys(c for c in order if c))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_tolerating_stray_bytes(path: str, data: bytes, declared: Optional[str]) -> tuple[str, str, Optional[str]]:
    best: Optional[tuple[int, str, str]] = None
    for codec in _candidates(data, declared):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, text, codec)
    if best and best[0] <= max(1, len(data) * _TOLERATED_BAD_SHARE):
        return best[1], best[2], declared
    tried = "、".join(dict.fromkeys(c.upper() for c in _candidates(data, declared)))
    raise InputError(path, f"无法识别网页的文字编码（已尝试 {tried}），文件可能已损坏；"
                           "请用浏览器打开确认能正常显示后，另存为 UTF-8 编码的网页再审查")


# ---------------------------------------------------------------- parsing and cleaning

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# The standard library's re: on a 100 KB Word page it is four times faster than regex here.
_XML_ILLEGAL = stdlib_re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BINARY_NUL_SHARE = 0.01

_NEVER_CONTENT = ("script", "style", "noscript", "template", "head", "title", "iframe", "frame", "frameset",
                  "object", "embed", "svg", "math", "select", "button", "textarea", "input", "map", "canvas")
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
_SECTIONING_CONTENT = {"article", "main"}  # a header or footer inside these belongs to the text
_CHROME_WORDS = {
    "nav", "navbar", "navi", "navigation", "menu", "menubar", "submenu", "mainmenu", "topmenu",
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "bread", "location", "position", "dqwz",
    "header", "top", "topbar", "banner", "logo", "search", "searchbar", "login", "toolbar",
    "footer", "foot", "bottom", "copyright", "beian", "icp",
    "share", "sharebar", "bdshare", "bdsharebuttonbox", "social", "qrcode", "ewm",
    "sidebar", "related", "friendlink", "links", "pagination", "pager", "skip", "skiplink", "gotop", "backtop",
}
# A container named after the content it holds ("article-header", "content-top") is not chrome.
_CONTENT_WORDS = {"content", "article", "text", "detail", "details", "post", "news", "doc", "document",
                  "zoom", "zw", "trs", "editor", "report", "info", "title"}
_NAME_PARTS = re.compile(r"[\s_\-:.]+|(?<=[a-z])(?=[A-Z])")
_ROW_PARTS = {"tr", "thead", "tbody", "tfoot", "caption", "colgroup", "col"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_PROTECTING_SHARE = 0.5  # never drop a container holding this share of the page's text
_DATA_TABLE_MIN = 3  # a container holding a table of at least 3×3 may hold the report's figures


def parse(path: str, text: str) -> etree._Element:
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    if text.count("\x00") > len(text) * _BINARY_NUL_SHARE:
        raise InputError(path, "文件包含大量二进制内容，不是有效的网页文件；请确认文件完整，或提供 Word、PDF 原文件")
    text = _XML_ILLEGAL.sub("", text.replace("\x0c", " "))
    # Plain lxml elements, not lxml.html's: its per-element class lookup costs more than the
    # two helpers it would give us (text_content, drop_tree).
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.LxmlError, ValueError):
        root = None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise LimitExceeded(f"网页元素嵌套过深（超过 {MAX_NESTING_DEPTH} 层），其后的内容无法读取；"
                            "文件可能已损坏或由异常程序生成，请提供报告的 Word、PDF 原文件")
    if root is None:
        raise InputError(path, _NO_TEXT + _NO_TEXT_ADVICE)
    return root


def strip_non_content(root: etree._Element) -> None:
    """Scripts, styles, menus, breadcrumbs, footers and hidden parts are not the report."""
    for element in list(root.iter(*_NEVER_CONTENT)):
        _drop(element)
    # Walking every element in Python beats an XPath preselection here (Word pages put a
    # style on every element), and the verdicts on repeated styles and names are cached.
    kinds = [(e, k) for e in root.iter(etree.Element) if (k := _chrome_kind(e))]
    page_chars = _visible_chars(root) if kinds else 0  # measured before anything is dropped
    for element, kind in kinds:
        if _is_detached(element, root) or _protected(element, kind, page_chars):
            continue
        _drop(element)


def _drop(element: etree._Element) -> None:
    """Remove the element and what it holds, keeping its tail: that text belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        before = element.getprevious()
        if before is None:
            parent.text = (parent.text or "") + element.tail
        else:
            before.tail = (before.tail or "") + element.tail
    parent.remove(element)


def _is_detached(element: etree._Element, root: etree._Element) -> bool:
    top = element
    while top.getparent() is not None:
        top = top.getparent()
    return top is not root


def _chrome_kind(element: etree._Element) -> Optional[str]:
    """"hidden" for parts a browser does not show, "chrome" for page furniture, else None."""
    tag = element.tag
    verdict = _attribute_verdict(tag, tuple(element.items())) if isinstance(tag, str) else None
    if verdict == "chrome tag":
        inside_text = next(element.iterancestors(*_SECTIONING_CONTENT), None) is not None
        return None if inside_text else "chrome"
    if verdict == "chrome name":
        # A class name never removes part of a figure table (<th class="header">).
        return None if _in_data_table(element) else "chrome"
    return verdict


@lru_cache(maxsize=8192)
def _attribute_verdict(tag: str, attributes: tuple[tuple[str, str], ...]) -> Optional[str]:
    """What a tag and its attributes alone say; pages repeat the same few combinations."""
    tag = tag.lower()
    if tag in ("html", "body"):
        return None
    named = dict(attributes)
    if "hidden" in named or _HIDDEN_STYLE.search(named.get("style", "")):
        return "hidden"
    if tag in _CHROME_TAGS:
        return "chrome tag"
    if tag in _ROW_PARTS or not _names_chrome(named.get("id", ""), named.get("class", "")):
        return None
    return "chrome name"


def _names_chrome(element_id: str, classes: str) -> bool:
    """An id or class naming page furniture ("breadcrumb", "footer") and not content."""
    if not element_id and not classes:
        return False
    words = {w.lower() for w in _NAME_PARTS.split(f"{element_id} {classes}") if w}
    return bool(words & _CHROME_WORDS) and not words & _CONTENT_WORDS


def _in_data_table(element: etree._Element) -> bool:
    return any(not is_layout_table(t) for t in element.iterancestors("table"))


def _protected(element: etree._Element, kind: str, page_chars: int) -> bool:
    """Dropping the report's text or figures by a wrong guess costs more than keeping a menu.
    A hidden table is never protected: pages hide print copies of the visible one."""
    if kind == "chrome" and any(_holds_data_table(t) for t in element.iter("table")):
        return True
    return page_chars > 0 and _visible_chars(element) >= page_chars * _PROTECTING_SHARE


def _holds_data_table(table: etree._Element) -> bool:
    rows = _table_rows(table)
    return len(rows) >= _DATA_TABLE_MIN and max(len(_row_cells(r)) for r in rows) >= _DATA_TABLE_MIN


def text_content(element: etree._Element) -> str:
    return "".join(element.itertext())


def _visible_chars(element: etree._Element) -> int:
    return sum(map(len, text_content(element).split()))


# ---------------------------------------------------------------- text inside an element

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "li", "main", "menu", "nav", "ol", "p", "section", "summary", "ul", "legend", "option", "body", "html",
}
_TABLE_PARTS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "colgroup", "col"}
_WIDE = r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf\u31c0-\u31ef]"
_WIDE_CHAR = re.compile(_WIDE)
# A line break in the source between two Chinese characters is not a space (CSS segment breaks).
_SEGMENT_BREAK = re.compile(rf"(?<={_WIDE})[^\S\n\r]*[\n\r]\s*(?={_WIDE})")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Whitespace collapsed as a browser shows it (cached: cells repeat "0" and the labels)."""
    text = normalise_text(text)
    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())  # no segment break: only runs of spaces to collapse
    return _WHITESPACE.sub(" ", _SEGMENT_BREAK.sub("", text)).strip()


def join_lines(lines: Iterable[str]) -> str:
    """Lines of one cell as one text: no space next to a Chinese character, one between Latin words."""
    out = ""
    for line in (ln for ln in lines if ln):
        if out and not (_WIDE_CHAR.match(out[-1]) or _WIDE_CHAR.match(line[0])):
            out += " "
        out += line
    return out


class _Sink:
    """Receives the flow of a part of the page: text, line breaks, preformatted text, tables.
    Text is gathered until a line break and then handed to line() as one cleaned line."""

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def text(self, text: str) -> None:
        self.pieces.append(text)

    def line_break(self) -> None:
        if not self.pieces:
            return  # most block boundaries come straight after another
        line = clean("".join(self.pieces))
        self.pieces = []
        if line:
            self.line(line)

    def line(self, text: str) -> None: ...

    def preformatted(self, text: str) -> None: ...

    def table(self, table: etree._Element) -> None: ...


_BOUNDARIES = frozenset(_BLOCK_TAGS | _TABLE_PARTS | {"pre"})  # a tag that ends the line before it and after it


def walk(root: etree._Element, sink: _Sink, tables: bool) -> None:
    """Feed the content under root to sink in document order. With tables=False, table parts
    are plain block boundaries (inside a data cell); with tables=True, each table goes to
    sink.table unless it is a layout table, whose cells are walked like any other block."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag  # lxml makes a new string on every read of .tag
        tag = tag.lower() if isinstance(tag, str) else ""
        boundary = tag in _BOUNDARIES
        if event == "end":
            if boundary:
                sink.line_break()
            if element is not root and element.tail:
                sink.text(element.tail)  # the text after a child belongs to its parent
        elif tag == "br":
            sink.line_break()
        elif tables and tag == "table" and element is not root and not is_layout_table(element):
            sink.table(element)
            walker.skip_subtree()
        elif tag == "pre":
            sink.line_break()
            sink.preformatted(text_content(element))
            walker.skip_subtree()
        else:
            if boundary:
                sink.line_break()
            if element.text:
                sink.text(element.text)


_LINE_BREAKING = frozenset(_BLOCK_TAGS | _TABLE_PARTS | {"br", "pre"})


def _one_line(cell: etree._Element) -> bool:
    """The usual cell: text and inline tags only, or all of it in one paragraph (<td><p>…</p>)."""
    if len(cell) == 1 and not (cell.text or "").strip() and not (cell[0].tail or "").strip():
        only = cell[0]
        if isinstance(only.tag, str) and only.tag.lower() in ("p", "div"):
            cell = only
    # libxml2 gives HTML tag names in lower case. Cells hold few elements, so a set lookup
    # per element beats letting lxml match forty tag names.
    return not any(e.tag in _LINE_BREAKING for e in cell.iterdescendants())


class _Lines(_Sink):
    """The text of one table cell as lines."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def line(self, text: str) -> None:
        self.lines.append(text)

    def preformatted(self, text: str) -> None:
        self.lines.extend(clean(ln) for ln in text.splitlines() if ln.strip())


def cell_text(cell: etree._Element) -> str:
    if not len(cell):
        return clean(cell.text or "")  # no child element (most cells)
    if _one_line(cell):
        return clean("".join(cell.itertext()))
    lines = _Lines()
    walk(cell, lines, tables=False)
    lines.line_break()
    return join_lines(lines.lines)


# ---------------------------------------------------------------- tables

_LAYOUT_CELL_CHARS = 300  # a cell holding this much text in several blocks holds prose, not a value
_LAYOUT_CELL_BLOCKS = 3
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534


def _table_rows(table: etree._Element) -> list[etree._Element]:
    return [r for group in _row_groups(table) for r in group]


def _row_groups(table: etree._Element) -> list[list[etree._Element]]:
    """Rows in display order (thead first, tfoot last), grouped as rowspans are clipped."""
    head: list[list[etree._Element]] = []
    body: list[list[etree._Element]] = []
    foot: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            loose.append(child)
            continue
        if loose:
            body.append(loose)
            loose = []
        if tag in ("thead", "tbody", "tfoot"):
            group = [r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].append(group)
    if loose:
        body.append(loose)
    return [g for g in head + body + foot if g]


def _row_cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def is_layout_table(table: etree._Element) -> bool:
    """A table that arranges the page rather than holding figures: it nests tables, has a
    single column, is marked presentational, or has a cell holding several blocks of prose."""
    if table.get("role", "").lower() in ("presentation", "none"):
        return True
    if any(t is not table for t in table.iter("table")):
        return True
    rows = [_row_cells(r) for r in _table_rows(table)]
    cells = [c for row in rows for c in row]
    single_column = all(len(row) <= 1 for row in rows) and all(_span(c.get("colspan")) <= 1 for c in cells)
    return single_column or any(_holds_prose(c) for c in cells)


def _holds_prose(cell: etree._Element) -> bool:
    if not len(cell):
        return False  # no child element, so no block of prose (most cells)
    # Is there a third block? Counting stops there: a layout cell may hold hundreds.
    third = next(islice(cell.iter("p", "div", "h1", "h2", "h3", "li"), _LAYOUT_CELL_BLOCKS - 1, None), None)
    return third is not None and _visible_chars(cell) >= _LAYOUT_CELL_CHARS


_LEADING_DIGITS = re.compile(r"\s*(\d+)")


def _span(value: Optional[str], limit: int = _MAX_COLSPAN) -> int:
    """An HTML span attribute as browsers read it: leading digits ("2px" → 2), else 1."""
    if value is None:
        return 1
    match = _LEADING_DIGITS.match(value)
    return min(int(match.group(1)), limit) if match else 1


# A grid position: (text, rowspan, colspan, covered by a merged cell). Plain tuples: a page
# has hundreds of positions and they only live while its grid is built.
_Placed = tuple[str, int, int, bool]
_COVERED: _Placed = ("", 1, 1, True)
_PADDING: _Placed = ("", 1, 1, False)


class _GridBuilder:
    def __init__(self, table_index: int) -> None:
        self.table_index = table_index
        self.placed: dict[tuple[int, int], _Placed] = {}
        self.height = 0
        self.positions = 0  # grid positions taken so far, merged cells expanded

    def add_group(self, rows: list[etree._Element]) -> None:
        end = self.height + len(rows)
        placed = self.placed
        for r, row in enumerate(rows, start=self.height):
            c = 0
            for cell in _row_cells(row):
                colspan = max(1, _span(cell.get("colspan")))
                rowspan = _span(cell.get("rowspan"), _MAX_ROWSPAN)
                if rowspan == 0 and (r, c) in placed:
                    c += colspan  # a converter's placeholder (wvHtml) for a position merged from above
                    continue
                while (r, c) in placed:
                    c += 1
                # rowspan="0" elsewhere comes from sloppy generators meaning no span, not HTML5's
                # "to the end of the group" (which old browsers never showed either).
                rowspan = min(max(rowspan, 1), end - r)
                self.positions += rowspan * colspan
                if self.positions > MAX_TABLE_POSITIONS:
                    raise LimitExceeded(table_too_large(self.table_index))
                placed[(r, c)] = (cell_text(cell), rowspan, colspan, False)
                if rowspan > 1 or colspan > 1:
                    for dr in range(rowspan):
                        for dc in range(colspan):
                            placed.setdefault((r + dr, c + dc), _COVERED)
                c += colspan
        self.height = end

    def rows(self) -> list[list[GridCell]]:
        width = max((c for _, c in self.placed), default=-1) + 1
        height = self.height
        if width * height > MAX_TABLE_POSITIONS:  # ragged rows are padded to the widest
            raise LimitExceeded(table_too_large(self.table_index))
        while height and all(self._blank(height - 1, c) for c in range(width)):
            height -= 1  # Word's zero-height alignment row and other empty trailing rows
        get, t = self.placed.get, self.table_index
        grid = []
        for r in range(height):
            row = []
            for c in range(width):
                text, rowspan, colspan, covered = get((r, c), _PADDING)  # ragged rows are padded
                row.append(GridCell(text, Source(table=t, row=r, col=c, raw=text), rowspan, colspan, covered))
            grid.append(row)
        return grid

    def _blank(self, r: int, c: int) -> bool:
        p = self.placed.get((r, c))
        return p is None or (not p[3] and not p[0])


def table_grid(table: etree._Element, table_index: int) -> list[list[GridCell]]:
    builder = _GridBuilder(table_index)
    for group in _row_groups(table):
        builder.add_group(group)
    return builder.rows()


# ---------------------------------------------------------------- blocks


class _Blocks(_Sink):
    """The page as Paragraphs and TableBlocks; a paragraph's line is its 1-based block number."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self.tables = 0

    def line(self, text: str) -> None:
        self._paragraph(text)

    def preformatted(self, text: str) -> None:
        for line in text.splitlines():
            line = normalise_text(line).rstrip()  # tabs and aligned spaces are the layout here
            if line.strip():
                self._paragraph(line)

    def table(self, table: etree._Element) -> None:
        self.line_break()
        for caption in table.iter("caption"):
            if cell_text(caption):
                self._paragraph(cell_text(caption))
        rows = table_grid(table, self.tables)
        if any(cell.text for row in rows for cell in row):
            self.blocks.append(TableBlock(rows, Source(table=self.tables)))
            self.tables += 1

    def _paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text, Source(line=len(self.blocks) + 1, raw=text)))


_NO_TEXT = "网页中没有可审查的文字内容"
_NO_TEXT_ADVICE = "：请提供包含报告正文文字的网页，或报告的 Word、PDF 原文件"


def _no_text_problem(root: etree._Element) -> str:
    """Say why a page may look empty here while a browser shows a report."""
    if root.find(".//iframe") is not None or root.find(".//frame") is not None:
        hint = "（正文可能在框架 iframe 中：请在浏览器中打开框架指向的网页，另存后再审查）"
    elif root.find(".//img") is not None:
        hint = "（网页只有图片，报告可能是扫描件：请提供报告的 Word、PDF 或文字版网页）"
    elif root.find(".//script") is not None:
        hint = "（内容可能由脚本动态加载：请在浏览器中打开网页，复制正文另存为文本文件后再审查）"
    else:
        hint = _NO_TEXT_ADVICE
    return _NO_TEXT + hint


def read(path: str, data: bytes, sha256: str) -> Document:
    text, encoding, declared = decode(path, data)
    root = parse(path, text)
    problem_if_empty = _no_text_problem(root)  # before scripts and frames are stripped
    strip_non_content(root)
    sink = _Blocks()
    walk(root, sink, tables=True)
    sink.line_break()
    if not sink.blocks:
        raise InputError(path, problem_if_empty)
    notes = [f"encoding={encoding}"]
    if declared and declared != encoding:
        notes.append(f"declared-encoding={declared}")
    return Document(path=path, format="html", sha256=sha256, blocks=sink.blocks, notes=notes)
