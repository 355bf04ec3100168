"""Word .docx (Office Open XML): paragraphs and tables of word/document.xml in body order.

The package is read with zipfile and the XML with lxml rather than python-docx, because
python-docx repeats a merged cell's text at every position it covers; here merges are
resolved from the XML (gridSpan, vMerge, hMerge, gridBefore/gridAfter) so each merged
value appears once, at its top-left position.

Known limits: automatic list numbering (w:numPr) is not part of the text; page numbers
are unknown (Word lays pages out when it opens the file); field codes are dropped and
their last shown results kept.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

import regex as re
from lxml import etree

from ..errors import (MAX_NESTING_DEPTH, MAX_SPAN, MAX_TABLE_NESTING, MAX_TABLE_POSITIONS, MAX_ZIP_MEMBERS,
                      MAX_ZIP_UNCOMPRESSED, InputError, LimitExceeded, table_too_large)
from ..model import Block, Document, GridCell, Paragraph, Source, TableBlock
from ..textnorm import normalise_text

MAIN_PART = "word/document.xml"
MAX_PART_BYTES = 200 * 1024 * 1024  # far above any real report; stops a zip bomb early

WORDML_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional (Word, WPS)
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
)
MC_NAMESPACE = "http://schemas.openxmlformats.org/markup-compatibility/2006"

RESAVE = "请用 Word 或 WPS 打开后另存为 .docx 再审查"

# What is wrong, and what the user can do about it.
MISSING_MAIN_PART = f"压缩包中没有 Word 正文（{MAIN_PART}），不是有效的 .docx 文档；请确认文件类型，或{RESAVE}"
DAMAGED = f"文件已损坏（ZIP 结构不完整，可能下载不完整或被截断），无法作为 Word 文档打开；请重新获取文件，或{RESAVE}"
ENCRYPTED = "Word 文档已加密（设置了打开密码），无法读取；请在 Word 或 WPS 中取消密码后另存为 .docx 再审查"
UNSUPPORTED_COMPRESSION = f"文件使用了不支持的压缩方式，无法读取；{RESAVE}"
TOO_LARGE = f"Word 正文超过 {MAX_PART_BYTES // 1024 // 1024} MB，不像是一份年报；请确认文件是否正确"
BAD_XML = f"Word 正文（{MAIN_PART}）不是有效的 XML，文件可能已损坏；{RESAVE}"
NOT_WORDML = f"{MAIN_PART} 不是 Word 正文的结构，文件可能不是 Word 文档；{RESAVE}"
EMBEDDED_ONLY = f"Word 文档的正文是嵌入的其他格式内容（altChunk），无法直接读取；{RESAVE}"
NO_TEXT = "Word 文档中没有可读取的文字（可能只有图片或扫描页）；请提供含文字的版本，或先对扫描页做文字识别（OCR）后再审查"

# Elements whose content counts as if it stood in their place (content controls, custom
# XML, tracked insertions, hyperlinks, simple fields, bidi wrappers).
_TRANSPARENT = {"sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "dir", "bdo"}
# Tracked deletions and moved-away text: not in the document as it reads now.
_REMOVED = {"del", "moveFrom"}
_OFF = {"0", "false", "off"}
_CJK = re.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019]")


# ---------------------------------------------------------------- the package


def read(path: str, data: bytes, sha256: str) -> Document:
    root = _parse_xml(path, _main_part(path, data))
    xml = WordXml(_wordml_namespace(path, root))
    _check_table_nesting(xml, root)
    body = root.find(xml.tag("body"))
    assembler = Assembler(xml)
    if body is not None:
        assembler.add_items(xml.container_items(body))
    if not assembler.has_text:
        raise InputError(path, _no_text_problem(xml, root))
    return Document(path=path, format="docx", sha256=sha256, blocks=assembler.blocks, notes=_notes(xml, root))


def _main_part(path: str, data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_package_size(package)
            info = package.getinfo(MAIN_PART)
            if info.file_size > MAX_PART_BYTES:
                raise InputError(path, TOO_LARGE)
            return package.read(info)
    except KeyError:
        raise InputError(path, MISSING_MAIN_PART) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise InputError(path, DAMAGED) from None
    except RuntimeError:  # zipfile's "is encrypted, password required"
        raise InputError(path, ENCRYPTED) from None
    except NotImplementedError:
        raise InputError(path, UNSUPPORTED_COMPRESSION) from None


def _check_package_size(package: zipfile.ZipFile) -> None:
    """The sizes the zip declares, before anything is decompressed (a zip bomb is refused
    here; zipfile never inflates a member past its declared size)."""
    members = package.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise LimitExceeded(f"Word 文档压缩包内有 {len(members)} 个部件，超过 {MAX_ZIP_MEMBERS} 个的上限，"
                            f"不像是一份年报；文件可能已损坏，{RESAVE}")
    if sum(m.file_size for m in members) > MAX_ZIP_UNCOMPRESSED:
        raise LimitExceeded(f"Word 文档解压后超过 {MAX_ZIP_UNCOMPRESSED // 1024 // 1024} MB，远大于一份年报；"
                            f"文件可能已损坏或是“压缩炸弹”，{RESAVE}")


def _check_table_nesting(xml: "WordXml", root: etree._Element) -> None:
    tbl = xml.tag("tbl")
    for table in root.iter(tbl):
        if sum(1 for _ in table.iterancestors(tbl)) >= MAX_TABLE_NESTING:
            raise LimitExceeded(f"Word 文档中的表格层层嵌套超过 {MAX_TABLE_NESTING} 层，超出审查程序的处理上限；"
                                f"文件可能已损坏或由异常程序生成，{RESAVE}")


def _parse_xml(path: str, part: bytes) -> etree._Element:
    # No entity expansion and no network: the XML comes from an untrusted file.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(part, parser)
    except etree.XMLSyntaxError:
        # The parser's own log: the exception's log is lxml's global one, which still holds the
        # errors of earlier files (a deep file read before made every later bad XML "too deep").
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            raise LimitExceeded(f"Word 正文的 XML 元素嵌套超过 {MAX_NESTING_DEPTH} 层，超出处理上限；{RESAVE}") from None
        raise InputError(path, BAD_XML) from None


def _wordml_namespace(path: str, root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.localname != "document" or qname.namespace not in WORDML_NAMESPACES:
        raise InputError(path, NOT_WORDML)
    return qname.namespace


def _no_text_problem(xml: WordXml, root: etree._Element) -> str:
    if next(root.iter(xml.tag("altChunk")), None) is not None:
        return EMBEDDED_ONLY
    return NO_TEXT


def _notes(xml: WordXml, root: etree._Element) -> list[str]:
    numbered = sum(1 for _ in root.iter(xml.tag("numPr")))
    return [f"有 {numbered} 处自动编号（如“一、”）不在段落文字中"] if numbered else []


# ---------------------------------------------------------------- the XML


@dataclass
class ParagraphItem:
    text: str  # lines separated by "\n"


@dataclass
class TableItem:
    element: etree._Element


@dataclass
class TextBoxItem:
    """A text box anchored in the paragraph before it: its own paragraphs and tables."""

    items: list["Item"]


Item = Union[ParagraphItem, TableItem, TextBoxItem]


class WordXml:
    """WordprocessingML of one namespace (transitional or strict), read by local names."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self._names: dict[str, str] = {}

    def tag(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}"

    def name(self, el: etree._Element) -> str:
        """The local name of a WordprocessingML element, "mc:" + name for markup compatibility, else ""."""
        tag = el.tag
        if not isinstance(tag, str):
            return ""
        if tag not in self._names:
            q = etree.QName(tag)
            prefix = "" if q.namespace == self.namespace else "mc:" if q.namespace == MC_NAMESPACE else None
            self._names[tag] = "" if prefix is None else prefix + q.localname
        return self._names[tag]

    def val(self, el: Optional[etree._Element], default: Optional[str] = None) -> Optional[str]:
        return default if el is None else el.get(self.tag("val"), default)

    def child(self, el: etree._Element, local: str) -> Optional[etree._Element]:
        return el.find(self.tag(local))

    # ---- wrappers

    def content(self, parent: etree._Element) -> Iterator[etree._Element]:
        """Children as the reader of the document sees them: wrappers opened, deletions gone,
        one branch of each mc:AlternateContent."""
        for el in parent:
            name = self.name(el)
            if name in _TRANSPARENT:
                yield from self.content(el)
            elif name == "sdt":
                inner = self.child(el, "sdtContent")
                if inner is not None:
                    yield from self.content(inner)
            elif name == "mc:AlternateContent":
                branch = self.branch(el)
                if branch is not None:
                    yield from self.content(branch)
            elif name not in _REMOVED:
                yield el

    def branch(self, alternate: etree._Element) -> Optional[etree._Element]:
        """The first mc:Choice, else mc:Fallback: one of them, so content appears once."""
        for el in alternate:
            if self.name(el) == "mc:Choice":
                return el
        for el in alternate:
            if self.name(el) == "mc:Fallback":
                return el
        return None

    # ---- block containers (body, content controls, cells, text boxes)

    def container_items(self, container: etree._Element) -> list[Item]:
        items: list[Item] = []
        for el in self.content(container):
            name = self.name(el)
            if name == "p":
                text, boxes = self.paragraph(el)
                items.append(ParagraphItem(text))
                items.extend(TextBoxItem(self.container_items(box)) for box in boxes)
            elif name == "tbl":
                items.append(TableItem(el))
        return items

    # ---- paragraphs

    def paragraph(self, p: etree._Element) -> tuple[str, list[etree._Element]]:
        """The paragraph's text ("\\n" at line breaks) and the text boxes anchored in it."""
        parts: list[str] = []
        boxes: list[etree._Element] = []
        for el in self.content(p):
            if self.name(el) == "r":
                self._run(el, parts, boxes)
        return normalise_text("".join(parts)), boxes

    def _run(self, run: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        if self._hidden(run):
            return
        for el in self.content(run):
            name = self.name(el)
            if name == "t":
                parts.append(el.text or "")
            elif name in ("tab", "ptab"):
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "ruby":
                self._ruby(el, parts, boxes)
            elif name not in ("rPr", "delText", "instrText"):
                boxes.extend(self.text_boxes(el))  # drawings and VML shapes

    def _ruby(self, ruby: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        base = self.child(ruby, "rubyBase")  # the annotated text; the ruby text above it is left out
        if base is not None:
            for el in self.content(base):
                if self.name(el) == "r":
                    self._run(el, parts, boxes)

    def _hidden(self, run: etree._Element) -> bool:
        props = self.child(run, "rPr")
        vanish = None if props is None else self.child(props, "vanish")
        return vanish is not None and self.val(vanish, "1").lower() not in _OFF

    def text_boxes(self, el: etree._Element) -> Iterator[etree._Element]:
        """Outermost w:txbxContent inside a drawing, one branch of each alternative."""
        for child in el:
            name = self.name(child)
            if name == "txbxContent":
                yield child
            elif name == "mc:AlternateContent":
                branch = self.branch(child)
                if branch is not None:
                    yield from self.text_boxes(branch)
            else:
                yield from self.text_boxes(child)


# ---------------------------------------------------------------- tables


@dataclass
class RowCell:
    """One w:tc after folding old-style hMerge: where it starts and what it holds."""

    col: int
    span: int
    vmerge: Optional[str]  # None | "restart" | "continue"
    element: etree._Element
    texts: list[str] = field(default_factory=list)


@dataclass
class Merged:
    """A cell of the grid as printed: top-left position, spans, text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    texts: list[str]


@dataclass
class TableLayout:
    cells: dict[tuple[int, int], Merged]  # every occupied position → its merged cell
    height: int
    width: int
    deferred: list[Item]  # nested tables and text boxes, emitted after the table


class TableReader:
    def __init__(self, xml: WordXml):
        self.xml = xml

    def layout(self, tbl: etree._Element, index: int = 0) -> TableLayout:
        cells: dict[tuple[int, int], Merged] = {}
        deferred: list[Item] = []
        rows = [tr for tr in self.xml.content(tbl) if self.xml.name(tr) == "tr" and not self._deleted(tr)]
        width = 0
        positions = 0
        for r, tr in enumerate(rows):
            row_cells, end = self._row(tr, deferred)
            width = max(width, end)
            positions += sum(cell.span for cell in row_cells)
            if positions > MAX_TABLE_POSITIONS or width * len(rows) > MAX_TABLE_POSITIONS:
                raise LimitExceeded(table_too_large(index))
            for cell in row_cells:
                self._place(cells, r, cell)
        return TableLayout(cells, len(rows), width, deferred)

    def _deleted(self, tr: etree._Element) -> bool:
        props = self.xml.child(tr, "trPr")
        return props is not None and self.xml.child(props, "del") is not None

    def _row_property(self, tr: etree._Element, local: str) -> int:
        props = self.xml.child(tr, "trPr")
        return _count(self.xml.val(None if props is None else self.xml.child(props, local), "0"), 0)

    def _row(self, tr: etree._Element, deferred: list[Item]) -> tuple[list[RowCell], int]:
        """The row's cells with their grid columns, and the grid column after its last cell."""
        col = self._row_property(tr, "gridBefore")  # leading grid columns the row leaves empty
        cells: list[RowCell] = []
        for tc in self.xml.content(tr):
            if self.xml.name(tc) != "tc":
                continue
            props = self.xml.child(tc, "tcPr")
            span = _count(self.xml.val(None if props is None else self.xml.child(props, "gridSpan"), "1"), 1)
            texts = self._cell_texts(tc, deferred)
            if _merge_mode(self.xml, props, "hMerge") == "continue" and cells:
                cells[-1].span += span  # old-style horizontal merge: part of the cell before
                cells[-1].texts.extend(texts)
            else:
                cells.append(RowCell(col, span, _merge_mode(self.xml, props, "vMerge"), tc, texts))
            col += span
        return cells, col + self._row_property(tr, "gridAfter")

    def _cell_texts(self, tc: etree._Element, deferred: list[Item]) -> list[str]:
        texts: list[str] = []
        for item in self.xml.container_items(tc):
            if isinstance(item, ParagraphItem):
                texts.extend(item.text.split("\n"))
            else:
                deferred.append(item)  # a nested table or text box is a block of its own
        return texts

    def _place(self, cells: dict[tuple[int, int], Merged], r: int, cell: RowCell) -> None:
        above = cells.get((r - 1, cell.col))
        continues = (cell.vmerge == "continue" and above is not None and above.col == cell.col
                     and above.colspan == cell.span and above.row + above.rowspan == r)
        if continues:
            above.rowspan += 1
            above.texts.extend(cell.texts)  # Word shows a continuation cell's text in the merged cell
            merged = above
        else:
            merged = Merged(r, cell.col, 1, cell.span, cell.texts)
        for c in range(cell.col, cell.col + cell.span):
            cells[(r, c)] = merged


def _merge_mode(xml: WordXml, props: Optional[etree._Element], local: str) -> Optional[str]:
    element = None if props is None else xml.child(props, local)
    if element is None:
        return None
    return "restart" if xml.val(element, "continue") == "restart" else "continue"


def _count(value: Optional[str], default: int) -> int:
    try:
        return min(max(int(value or default), default), MAX_SPAN)  # a span as Word or a browser would bound it
    except ValueError:
        return default


def cell_text(lines: list[str]) -> str:
    """A cell's lines as one label: no space where a line break split Chinese text."""
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(line[0])):
            out += " "
        out += line
    return out


# ---------------------------------------------------------------- Document blocks


class Assembler:
    """Items → Document blocks: one Paragraph per line, tables as full grids."""

    def __init__(self, xml: WordXml):
        self.xml = xml
        self.tables = TableReader(xml)
        self.blocks: list[Block] = []
        self.has_text = False
        self._lines = 0
        self._table_count = 0

    def add_items(self, items: list[Item]) -> None:
        for item in items:
            if isinstance(item, ParagraphItem):
                self._add_paragraph(item.text)
            elif isinstance(item, TextBoxItem):
                self.add_items(item.items)
            else:
                self._add_table(item.element)

    def _add_paragraph(self, text: str) -> None:
        for line in text.split("\n"):
            if not line.strip():
                continue
            self._lines += 1
            self.has_text = True
            self.blocks.append(Paragraph(line, Source(line=self._lines, raw=line)))

    def _add_table(self, tbl: etree._Element) -> None:
        layout = self.tables.layout(tbl, self._table_count)
        if layout.height and layout.width:
            index = self._table_count
            self._table_count += 1
            self.blocks.append(TableBlock(self._grid(layout, index), Source(table=index)))
        self.add_items(layout.deferred)

    def _grid(self, layout: TableLayout, index: int) -> list[list[GridCell]]:
        rows = []
        for r in range(layout.height):
            rows.append([self._grid_cell(layout, index, r, c) for c in range(layout.width)])
        return rows

    def _grid_cell(self, layout: TableLayout, index: int, r: int, c: int) -> GridCell:
        merged = layout.cells.get((r, c))
        if merged is None:  # left empty by gridBefore/gridAfter or a short row
            return GridCell("", Source(table=index, row=r, col=c))
        if (merged.row, merged.col) != (r, c):
            return GridCell("", Source(table=index, row=r, col=c), covered=True)
        text = cell_text(merged.texts)
        self.has_text = self.has_text or bool(text)
        return GridCell(text, Source(table=index, row=r, col=c, raw=text), merged.rowspan, merged.colspan)
