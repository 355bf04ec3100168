"""The font PDFium falls back on for Chinese text whose font the PDF does not embed.

PDFium asks the system for a substitute (through FPDF_SYSFONTINFO). On a machine without
Chinese fonts (a server, CI) the substitute has no Chinese glyphs, every glyph's box is
empty, and PDFium's text page then drops every text object that holds a single such
glyph (a label's last character wrapped onto a line of its own): its text is lost. What
is read would depend on the fonts installed.

So the reader answers every request for a Chinese, Japanese or Korean substitute with
one small font of its own, built here: a box glyph for every CJK character and a
narrower one for the rest. Nothing is drawn with it (the reader takes advances from the
PDF's widths, not from the substitute); it only gives every glyph a box, the same on
every machine. Requests for other scripts go to PDFium's own system lookup.
"""
from __future__ import annotations

import ctypes
import struct
from functools import lru_cache

import pypdfium2.raw as pdfium_c

from . import native_calls

_CJK_CHARSETS = {128, 129, 130, 134, 136}  # FXFONT_SHIFTJIS, HANGUL, JOHAB, GB2312, CHINESEBIG5
_UNITS = 1000
_ASCENT, _DESCENT = 880, -120
# (first, last, glyph): 1 = full-width box, 2 = half-width box; spaces keep no glyph.
_RANGES = ((0x21, 0x7E, 2), (0xA1, 0x2E7F, 2), (0x2E80, 0x2FFF, 1), (0x3001, 0xD7FF, 1),
           (0xF900, 0xFFFD, 1), (0x20000, 0x3FFFD, 1))
_FACE_NAME = b"AuditorCJKFallback"


def _box_glyph(x0: int, y0: int, x1: int, y1: int) -> bytes:
    """A TrueType simple glyph: one closed rectangle, four on-curve points."""
    points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    out = struct.pack(">hhhhh", 1, x0, y0, x1, y1)  # one contour and the bounding box
    out += struct.pack(">HH", 3, 0)  # last point of the contour, no instructions
    out += bytes([0x01] * 4)  # every point on the curve, coordinates as 16-bit deltas
    last_x = last_y = 0
    xs, ys = b"", b""
    for x, y in points:
        xs += struct.pack(">h", x - last_x)
        ys += struct.pack(">h", y - last_y)
        last_x, last_y = x, y
    out += xs + ys
    return out + b"\0" * (-len(out) % 4)


def _table(tag: bytes, data: bytes) -> tuple[bytes, bytes]:
    return tag, data


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


@lru_cache(maxsize=1)
def fallback_font() -> bytes:
    """The TrueType file: glyph 0 (.notdef, empty), 1 (full box), 2 (half box); a format
    13 cmap maps each range to one glyph, which keeps the file under a kilobyte."""
    glyphs = [b"", _box_glyph(40, _DESCENT, 960, _ASCENT), _box_glyph(40, 0, 460, 700)]
    advances = [500, 1000, 500]
    loca, offset = [], 0
    for g in glyphs:
        loca.append(offset)
        offset += len(g)
    loca.append(offset)
    groups = b"".join(struct.pack(">LLL", a, b, g) for a, b, g in _RANGES)
    cmap13 = struct.pack(">HHLLL", 13, 0, 16 + len(groups), 0, len(_RANGES)) + groups
    cmap = struct.pack(">HHHHL", 0, 1, 3, 10, 12) + cmap13
    name = _name_table()
    tables = [
        _table(b"cmap", cmap),
        _table(b"glyf", b"".join(glyphs)),
        _table(b"head", struct.pack(">LLLLHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0b1011, _UNITS,
                                    0, 0, 0, _DESCENT, 1000, _ASCENT, 0, 8, 2, 1, 0)),
        _table(b"hhea", struct.pack(">LhhhHhhhhhhhhhhhH", 0x00010000, _ASCENT, _DESCENT, 0, 1000, 0, 0, 960,
                                    1, 0, 0, 0, 0, 0, 0, 0, len(glyphs))),
        _table(b"hmtx", b"".join(struct.pack(">Hh", a, 0 if i == 0 else 40) for i, a in enumerate(advances))),
        _table(b"loca", b"".join(struct.pack(">L", o) for o in loca)),
        _table(b"maxp", struct.pack(">LHHHHHHHHHHHHHH", 0x00010000, len(glyphs), 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0)),
        _table(b"name", name),
        _table(b"post", struct.pack(">LLhhLLLLL", 0x00030000, 0, 0, 0, 0, 0, 0, 0, 0)),
    ]
    return _assemble(tables)


def _name_table() -> bytes:
    """Family, style and full name, in Windows Unicode (UTF-16BE)."""
    records = [(1, _FACE_NAME), (2, b"Regular"), (4, _FACE_NAME)]
    strings, entries, offset = b"", b"", 0
    for name_id, text in records:
        encoded = text.decode("ascii").encode("utf-16-be")
        entries += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), offset)
        strings += encoded
        offset += len(encoded)
    return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + entries + strings


def _assemble(tables: list[tuple[bytes, bytes]]) -> bytes:
    n = len(tables)
    search = 1 << (n.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, n, search * 16, search.bit_length() - 1, n * 16 - search * 16)
    directory, body = b"", b""
    offset = 12 + 16 * n
    for tag, data in sorted(tables):
        directory += struct.pack(">4sLLL", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    head = next(12 + 16 * i for i, (tag, _) in enumerate(sorted(tables)) if tag == b"head")
    head_offset = struct.unpack(">L", font[head + 8:head + 12])[0]
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_offset + 8:head_offset + 12] = struct.pack(">L", adjustment)
    return bytes(font)


# ---------------------------------------------------------------- the system font hook

_installed: list = []  # the hook's structures and callbacks, alive as long as PDFium may call them
def _shielded(callback):
    """The callback, marked as running inside native code for its whole length: a time limit's
    alarm then only notes that the time is up (see native_calls) instead of raising into it.
    (Raising there was dropped by ctypes; doing the work again after such an exception freed
    a font twice when the alarm struck just after DeleteFont: a crash, not a timeout.)"""
    def call(*args):
        native_calls.entered()
        try:
            return callback(*args)
        finally:
            native_calls.left()
    return call


def install() -> None:
    """Put the fallback in front of PDFium's system font lookup (once per process)."""
    if _installed:
        return
    default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    needed = ("EnumFonts", "MapFont", "GetFont", "GetFontData", "GetFaceName", "GetFontCharset", "DeleteFont")
    if not default or not all(getattr(default.contents, name) for name in needed):
        return  # no system lookup to put the fallback in front of: PDFium keeps its own
    system = default.contents
    data = fallback_font()
    buffer = ctypes.create_string_buffer(data, len(data))
    own = ctypes.c_void_p(ctypes.addressof(buffer))  # our font's handle: never a real one's address
    info_type = pdfium_c.FPDF_SYSFONTINFO
    fields = dict(info_type._fields_)

    def ours(handle) -> bool:
        return handle is not None and handle == own.value

    def enum_fonts(_this, mapper):
        system.EnumFonts(default, mapper)

    def map_font(_this, weight, italic, charset, pitch_family, face, exact):
        if charset in _CJK_CHARSETS:
            return own.value
        return system.MapFont(default, weight, italic, charset, pitch_family, face, exact)

    def get_font(_this, face):
        return system.GetFont(default, face)

    def get_font_data(_this, handle, table, out, size):
        if not ours(handle):
            return system.GetFontData(default, handle, table, out, size)
        if table != 0:
            return 0
        if out and size >= len(data):
            ctypes.memmove(out, buffer, len(data))
        return len(data)

    def get_face_name(_this, handle, out, size):
        if not ours(handle):
            return system.GetFaceName(default, handle, out, size)
        if out and size > len(_FACE_NAME):
            ctypes.memmove(out, _FACE_NAME + b"\0", len(_FACE_NAME) + 1)
        return len(_FACE_NAME) + 1

    def get_font_charset(_this, handle):
        return 134 if ours(handle) else system.GetFontCharset(default, handle)

    def delete_font(_this, handle):
        if not ours(handle):
            system.DeleteFont(default, handle)

    callbacks = {
        "EnumFonts": enum_fonts, "MapFont": map_font, "GetFont": get_font, "GetFontData": get_font_data,
        "GetFaceName": get_face_name, "GetFontCharset": get_font_charset, "DeleteFont": delete_font,
    }
    wrapped = {name: fields[name](_shielded(fn)) for name, fn in callbacks.items()}
    info = info_type(version=1, Release=fields["Release"](), **wrapped)
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))
    _installed.extend([default, buffer, own, info, wrapped])
