"""Receiving an upload: a multipart form streamed into a temporary folder, within limits.

The bytes go to disk as they arrive and are counted on the way, so a file over the limit is
refused after at most the limit plus one chunk has been read, whatever Content-Length says.
The sender's file name is never used as a path: each file is stored as its form field's
name plus its extension, and only the extensions of SUPPORTED_SUFFIXES (or .toml for the
suppression file) are accepted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import AsyncIterator, Optional

from python_multipart.multipart import MultipartParser, parse_options_header

from ..readers import SUPPORTED_SUFFIXES

REPORT_SUFFIXES = tuple(sorted(SUPPORTED_SUFFIXES))
FILE_FIELDS = {  # form field -> (what it is, in words; accepted extensions)
    "report": ("报告文件", REPORT_SUFFIXES),
    "previous": ("上一年度的报告", REPORT_SUFFIXES),
    "suppressions": ("豁免文件", (".toml",)),
}
MAX_TEXT_FIELD = 64 * 1024
MAX_TEXT_FIELDS = 1000
MAX_NAME_CHARS = 200


class UploadError(Exception):
    """The request cannot be used; `status` is the HTTP status, the message is for the user."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass
class UploadedFile:
    field: str
    name: str  # the sender's file name, shown to the user only (never a path)
    path: Path  # where the bytes are, inside the request's temporary folder
    size: int


@dataclass
class Upload:
    files: dict[str, UploadedFile] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)


def display_name(raw: bytes | str) -> str:
    """The last part of the sender's file name (browsers on Windows send C:\\…\\name),
    without control characters, for showing on the page."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    name = PurePath(text.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:MAX_NAME_CHARS] or "未命名文件"


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def boundary_of(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(400, "请求格式不对：请用页面上的表单选择文件后提交（需要 multipart/form-data 格式）")
    return boundary


class _Receiver:
    """The callbacks of the multipart parser: each part goes to a file or a text field."""

    def __init__(self, folder: Path, max_size: int):
        self.folder, self.max_size = folder, max_size
        self.upload = Upload()
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._part: Optional[_Part] = None

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value_data, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done, "on_part_data": self._data, "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._headers, self._part = {}, None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.strip().lower()] = self._header_value.strip()
        self._header_name, self._header_value = b"", b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", errors="replace")
        if b"filename" in options:
            self._part = self._file_part(name, options[b"filename"])
        else:
            self._part = _TextPart(name)

    def _file_part(self, name: str, raw_filename: bytes) -> "_Part":
        if name not in FILE_FIELDS or not raw_filename:
            return _IgnoredPart()  # an unknown field, or a file input left empty
        what, suffixes = FILE_FIELDS[name]
        shown = display_name(raw_filename)
        suffix = PurePath(shown).suffix.lower()
        if suffix not in suffixes:
            raise UploadError(415, f"{what}“{shown}”的类型不支持：只能上传 {' '.join(suffixes)} 文件"
                                   f"{'（扫描件请先转为文字版）' if name != 'suppressions' else ''}")
        if name in self.upload.files:
            raise UploadError(400, f"{what}只能选择一个文件")
        path = self.folder / f"{name}{suffix}"
        self.upload.files[name] = UploadedFile(name, shown, path, 0)
        return _FilePart(self.upload.files[name], path.open("wb"), self.max_size, what)

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._part is not None:
            self._part.write(data[start:end])

    def _end(self) -> None:
        if self._part is None:
            return
        self._part.close()
        if isinstance(self._part, _TextPart):
            if len(self.upload.fields) >= MAX_TEXT_FIELDS:
                raise UploadError(413, "表单字段过多")
            self.upload.fields.setdefault(self._part.name, []).append(self._part.text())
        self._part = None

    def close(self) -> None:
        if self._part is not None:
            self._part.close()


class _Part:
    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class _IgnoredPart(_Part):
    pass


class _TextPart(_Part):
    def __init__(self, name: str):
        self.name, self._data = name, bytearray()

    def write(self, data: bytes) -> None:
        self._data += data
        if len(self._data) > MAX_TEXT_FIELD:
            raise UploadError(413, f"表单中的文字过长（超过 {MAX_TEXT_FIELD // 1024} KB）")

    def text(self) -> str:
        return self._data.decode("utf-8", errors="replace")


class _FilePart(_Part):
    def __init__(self, uploaded: UploadedFile, handle, max_size: int, what: str):
        self.uploaded, self.handle, self.max_size, self.what = uploaded, handle, max_size, what

    def write(self, data: bytes) -> None:
        self.uploaded.size += len(data)
        if self.uploaded.size > self.max_size:
            raise UploadError(413, f"{self.what}“{self.uploaded.name}”超过 {megabytes(self.max_size)} 的上限，"
                                   "未审查；年报通常不超过 10 MB，请检查是否选错了文件，或压缩其中的图片后再上传")
        self.handle.write(data)

    def close(self) -> None:
        self.handle.close()


async def receive_form(chunks: AsyncIterator[bytes], content_type: str, folder: Path, max_size: int) -> Upload:
    """Parse a multipart form from the request body into `folder` (files) and memory (short
    text fields). Raises UploadError; the caller removes the folder in any case."""
    receiver = _Receiver(folder, max_size)
    parser = MultipartParser(boundary_of(content_type), receiver.callbacks())
    try:
        async for chunk in chunks:
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as exc:  # the parser's own errors: the body is not a well-formed form
        raise UploadError(400, f"上传的数据不完整或格式有误（{type(exc).__name__}），请重新选择文件提交") from None
    finally:
        receiver.close()
    return receiver.upload
