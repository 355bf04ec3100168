"""Plain text and Markdown: one Paragraph per line, so extraction sees the layout as printed."""
from __future__ import annotations

import codecs

from ..errors import MAX_TEXT_CHARS, InputError, LimitExceeded
from ..model import Document, Paragraph, Source
from ..textnorm import normalise_text


def decode(path: str, data: bytes) -> tuple[str, str]:
    """Decode by BOM, then UTF-8, then UTF-16 without BOM, then GB18030 (covers GBK/GB2312)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        even_nuls = sample[0::2].count(b"\x00")
        encoding = "utf-16-be" if even_nuls > len(sample) // 4 else "utf-16-le"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        raise InputError(path, "文件包含二进制内容，不是文本格式的年报")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InputError(path, "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030）") from None


def read(path: str, data: bytes, sha256: str) -> Document:
    text, encoding = decode(path, data)
    if len(text) > MAX_TEXT_CHARS:  # refused before it is split into millions of lines
        from . import too_much_text

        raise LimitExceeded(too_much_text(len(text)))
    text = normalise_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [Paragraph(line, Source(line=i, raw=line)) for i, line in enumerate(text.split("\n"), start=1)]
    fmt = "markdown" if path.lower().endswith((".md", ".markdown")) else "text"
    return Document(path=path, format=fmt, sha256=sha256, blocks=blocks, notes=[f"encoding={encoding}"])
