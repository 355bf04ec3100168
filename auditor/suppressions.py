"""Suppression files: findings an office has examined and accepted, by fingerprint.

    [[suppress]]
    fingerprint = "3f9a0c1d2e4b5a67"   # required: the finding's fingerprint (JSON, CSV, HTML)
    reason = "……"                      # required: why it is accepted
    by = "张三"                         # optional
    date = 2026-01-05                  # optional, a TOML date
    file = "洪泽区*.pdf"                # optional: only reports whose file name matches
    rule = "T3-BALANCE"                # optional: if given, the finding's rule must match

Marking is a step after the rules (Findings → marked Findings): a suppressed finding is still
shown, greyed, with its reason, but no longer counts towards the summary or --fail-on. The
set remembers which entries matched over a whole run, so entries that match nothing (the
report was corrected, or the fingerprint was mistyped) can be reported.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any, Optional

from .model import AuditResult, Finding, Suppressed

ENTRY_KEYS = {"fingerprint", "reason", "by", "date", "file", "rule"}
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


class SuppressionError(Exception):
    """The suppression file cannot be used; the message names the file, the entry and the key."""


@dataclass(frozen=True)
class Suppression:
    fingerprint: str
    reason: str
    by: Optional[str] = None
    date: Optional[dt.date] = None
    file: Optional[str] = None  # fnmatch pattern on the report's file name
    rule: Optional[str] = None
    origin: str = ""  # "FILE 第 N 条 [[suppress]]", for messages
    number: int = 0  # the entry's position in the file, from 1

    def matches(self, finding: Finding, report_path: str) -> bool:
        if finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and finding.rule != self.rule:
            return False
        return self.file is None or fnmatch.fnmatch(_file_name(report_path), self.file)

    @property
    def mark(self) -> Suppressed:
        return Suppressed(self.reason, self.by, self.date.isoformat() if self.date else None)

    def describe(self) -> str:
        extra = "".join(f"，{label} {value}" for label, value in (("规则", self.rule), ("文件", self.file)) if value)
        return f"{self.origin}（fingerprint {self.fingerprint}{extra}；理由：{self.reason}）"

    def to_dict(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "reason": self.reason, "by": self.by,
                "date": self.date.isoformat() if self.date else None, "file": self.file, "rule": self.rule,
                "origin": self.origin}


def _file_name(path: str) -> str:
    # Report paths may come from Windows as well; the entry names a file, not a folder.
    return PurePath(path.replace("\\", "/")).name


class SuppressionSet:
    """The entries of one suppression file, and which of them matched during the run."""

    def __init__(self, entries: list[Suppression], path: Optional[Path] = None):
        self.entries = entries
        self.path = path
        self._used: set[int] = set()

    def mark(self, result: AuditResult) -> AuditResult:
        """The result with each matching finding marked suppressed (first matching entry wins)."""
        if result.error or not result.findings or not self.entries:
            return result
        return replace(result, findings=[self._marked(f, result.path) for f in result.findings])

    def _marked(self, finding: Finding, report_path: str) -> Finding:
        for i, entry in enumerate(self.entries):
            if entry.matches(finding, report_path):
                self._used.add(i)
                return replace(finding, suppressed=entry.mark)
        return finding

    def used(self) -> set[int]:
        """The positions of the entries that matched so far (a worker process's copy sends them back)."""
        return set(self._used)

    def note_used(self, positions) -> None:
        """Entries that matched in another process's copy of this set."""
        self._used.update(positions)

    def unused(self) -> list[Suppression]:
        """Entries that matched no finding so far (call after the whole run)."""
        return [e for i, e in enumerate(self.entries) if i not in self._used]


# ---------------------------------------------------------------- reading the file


def load_suppressions(path: str | Path) -> SuppressionSet:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except FileNotFoundError:
        raise SuppressionError(f"豁免文件 {path} 不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuppressionError(f"豁免文件 {path} 无法读取（{exc}）；请保存为 UTF-8 编码的 TOML 文件") from None
    except tomllib.TOMLDecodeError as exc:
        raise SuppressionError(f"豁免文件 {path} 不是有效的 TOML（{exc}）") from None
    unknown = set(data) - {"suppress"}
    if unknown:
        raise SuppressionError(f"豁免文件 {path}：未知的键 {'、'.join(sorted(unknown))}；每个豁免条目写作 [[suppress]]")
    raw = data.get("suppress", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise SuppressionError(f"豁免文件 {path}：suppress 必须写作 [[suppress]] 条目")
    entries = [_entry(e, f"{path} 第 {i} 条 [[suppress]]", i) for i, e in enumerate(raw, start=1)]
    _no_duplicates(entries)
    return SuppressionSet(entries, path)


def _entry(data: dict[str, Any], where: str, number: int) -> Suppression:
    unknown = set(data) - ENTRY_KEYS
    if unknown:
        raise SuppressionError(f"{where}：未知的键 {'、'.join(sorted(unknown))}（可用的键：{'、'.join(sorted(ENTRY_KEYS))}）")
    fingerprint = data.get("fingerprint")
    if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint.strip().lower()):
        raise SuppressionError(f"{where}：fingerprint 必须是审查意见中的 16 位十六进制指纹（如 \"3f9a0c1d2e4b5a67\"），"
                               f"而不是 {fingerprint!r}")
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise SuppressionError(f"{where}：缺少 reason：请写明为什么豁免这条审查意见（如“经核实，结转数据以台账为准”）")
    for key in ("by", "file", "rule"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise SuppressionError(f"{where}：{key} 必须是非空的文字，而不是 {data[key]!r}")
    date = data.get("date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        raise SuppressionError(f"{where}：date 必须是 TOML 日期，写作 date = 2026-01-05（不加引号），而不是 {date!r}")
    rule = data.get("rule")
    return Suppression(fingerprint.strip().lower(), reason.strip(), _stripped(data.get("by")), date,
                       _stripped(data.get("file")), rule.strip().upper() if rule else None, where, number)


def _stripped(value: Optional[str]) -> Optional[str]:
    return value.strip() if value else None


def _no_duplicates(entries: list[Suppression]) -> None:
    seen: dict[tuple, Suppression] = {}
    for entry in entries:
        key = (entry.fingerprint, entry.file, entry.rule)
        if key in seen:
            raise SuppressionError(f"{entry.origin}：与第 {seen[key].number} 条重复（fingerprint {entry.fingerprint}），"
                                   "请删去其中一条")
        seen[key] = entry


# ---------------------------------------------------------------- writing the file

_HEADER = ("# 豁免文件：已核实并接受的审查意见（auditor check --suppressions 本文件）\n"
           "# 每条 [[suppress]] 按 fingerprint（审查意见的指纹）标明一条意见，reason 写明理由。\n")


def suppressions_toml(entries: list[Suppression]) -> str:
    """The entries as a suppression file that load_suppressions reads back unchanged."""
    blocks = [_HEADER]
    for entry in entries:
        lines = ["[[suppress]]", f"fingerprint = {_toml_string(entry.fingerprint)}",
                 f"reason = {_toml_string(entry.reason)}"]
        lines += [f"{key} = {_toml_string(value)}" for key, value in (("by", entry.by), ("file", entry.file),
                                                                     ("rule", entry.rule)) if value]
        if entry.date is not None:
            lines.append(f"date = {entry.date.isoformat()}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
