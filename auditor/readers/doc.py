"""Legacy Word (.doc, and RTF saved with a .doc name): converted by a tool on PATH, then read
by the DOCX or HTML reader. LibreOffice keeps merged table cells best, so it comes first;
wvHtml (package wv) is the small alternative for .doc. The input file is never touched:
a copy is converted inside a temporary folder.
"""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Optional

from ..errors import InputError
from ..model import Document

TIMEOUT_SECONDS = 120
_SOFFICE_NAMES = ("soffice", "libreoffice")
# AUDITOR_DOC_CONVERTER=soffice or wvhtml picks one converter when both are installed.
CONVERTER_VARIABLE = "AUDITOR_DOC_CONVERTER"


def _wanted(name: str) -> bool:
    choice = os.environ.get(CONVERTER_VARIABLE, "").strip().lower()
    return not choice or choice == name


def _soffice() -> Optional[str]:
    if not _wanted("soffice"):
        return None
    return next((found for name in _SOFFICE_NAMES if (found := shutil.which(name))), None)


def _wvhtml() -> Optional[str]:
    return shutil.which("wvHtml") if _wanted("wvhtml") else None


def _run(command: list[str], cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=TIMEOUT_SECONDS,
                          env={**os.environ, "HOME": cwd}, check=False)


def _with_soffice(soffice: str, source: Path, work: str) -> tuple[str, bytes]:
    profile = Path(work, "profile").as_uri()  # a private profile: parallel conversions do not collide
    _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
          "--convert-to", "docx", "--outdir", work, str(source)], work)
    out = source.with_suffix(".docx")
    if not out.is_file():
        raise FileNotFoundError
    return "docx", out.read_bytes()


def _with_wvhtml(wvhtml: str, source: Path, work: str) -> tuple[str, bytes]:
    _run([wvhtml, "--charset=utf-8", source.name, "converted.html"], work)
    out = Path(work, "converted.html")
    if not out.is_file() or out.stat().st_size == 0:
        raise FileNotFoundError
    return "html", out.read_bytes()


def _convert(path: str, data: bytes, is_rtf: bool) -> tuple[str, bytes]:
    soffice = _soffice()
    wvhtml = None if is_rtf else _wvhtml()
    kind = "RTF" if is_rtf else "Word 97-2003（.doc）"
    if not soffice and not wvhtml:
        tools = "LibreOffice（soffice）" if is_rtf else "LibreOffice（soffice）或 wv（wvHtml）"
        raise InputError(path, f"这是 {kind} 文件，读取它需要 {tools}，本机未安装；"
                               "请用 Word 或 WPS 将其另存为 .docx 后再审查，或安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="auditor-doc-") as work:
        WORK_FOLDERS.add(work)
        try:
            return _convert_in(path, data, is_rtf, kind, soffice, wvhtml, work)
        finally:
            WORK_FOLDERS.discard(work)


# The folders of conversions under way: a worker process ended from outside (SIGTERM, when
# its pool breaks) removes them before it goes (see pipeline._stop_on_terminate).
WORK_FOLDERS: set[str] = set()


def _convert_in(path: str, data: bytes, is_rtf: bool, kind: str, soffice, wvhtml, work: str) -> tuple[str, bytes]:
    source = Path(work, "input.rtf" if is_rtf else "input.doc")
    source.write_bytes(data)
    for convert, tool in ((_with_soffice, soffice), (_with_wvhtml, wvhtml)):
        if not tool:
            continue
        try:
            return convert(tool, source, work)
        except (FileNotFoundError, subprocess.TimeoutExpired, OSError):
            continue
    raise InputError(path, f"{kind} 文件转换失败，文件可能已损坏或设有密码；请用 Word 或 WPS 打开后另存为 .docx 再审查")


def read(path: str, data: bytes, sha256: str) -> Document:
    is_rtf = data.lstrip()[:5] == b"{\\rtf"
    kind, converted = _convert(path, data, is_rtf)
    reader = importlib.import_module(f".{kind}", __package__)
    doc = reader.read(path, converted, sha256)
    return replace(doc, format="rtf" if is_rtf else "doc", notes=[*doc.notes, f"converted_via={kind}"])
