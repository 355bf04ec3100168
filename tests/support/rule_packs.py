"""Local rule packs for tests: a folder of rule files, and the rule most tests of packs use."""
from __future__ import annotations

from pathlib import Path


def write_pack(folder: Path, files: dict[str, str]) -> Path:
    """A rule pack folder holding `files` (name → TOML text)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def t3_total_rule(rule_id: str, title: str, severity: str, formats: str, message: str, doc: str) -> str:
    """A local identity the national format does not have: 表三's 总计 column, 本年新收 + 上年结转
    = 办理结果总计 (an office that wants every application settled within the year). Tests
    change its text with str.replace, so the [params] lines stay as written here."""
    return f'''id = "{rule_id}"
title = "{title}"
severity = "{severity}"
formats = {formats}
kind = "identity"
message = "{message}"

[params]
table = "t3"
along = "column"
lines = ["tot"]
left = ["new", "carried"]
right = ["handled_total"]

{doc}'''
