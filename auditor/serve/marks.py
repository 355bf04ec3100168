"""The reviewer's marks: findings checked on the page, with reasons, as a suppression file.

The page sends, for each finding, a tick named "checked" (its fingerprint) and a reason
named "reason-FINGERPRINT"; a reason without a tick counts as ticked (a reviewer who wrote
why has decided). The file holds the entries of the suppression file uploaded with the
report, then one entry per newly marked finding, in the format `--suppressions` reads.
"""
from __future__ import annotations

import datetime as dt

from ..model import Finding
from ..suppressions import Suppression, suppressions_toml
from .results import ServedAudit

MAX_REASON = 500


class MarkError(Exception):
    """The marks cannot make a file; the message says what to fill in."""


def markable(audit: ServedAudit) -> list[Finding]:
    """Findings that can be marked: one per fingerprint, those not already suppressed."""
    seen: set[str] = set()
    out = []
    for f in audit.findings:
        if f.suppressed is None and f.fingerprint not in seen:
            seen.add(f.fingerprint)
            out.append(f)
    return out


def suppression_file(audit: ServedAudit, fields: dict[str, list[str]], today: dt.date | None = None) -> str:
    by = _one_line(_first(fields, "by"))
    ticked = set(fields.get("checked", []))
    new: list[Suppression] = []
    missing: list[Finding] = []
    for finding in markable(audit):
        reason = _one_line(_first(fields, f"reason-{finding.fingerprint}"))
        if finding.fingerprint not in ticked and not reason:
            continue
        if not reason:
            missing.append(finding)
            continue
        new.append(Suppression(finding.fingerprint, reason[:MAX_REASON], by or None, today or dt.date.today(),
                               rule=finding.rule))
    if missing:
        named = "；".join(f"{f.rule}（指纹 {f.fingerprint}）" for f in missing)
        raise MarkError(f"请为标记为已核实的意见写明理由：{named}")
    if not new and not audit.kept:
        raise MarkError("还没有标记任何意见：请在要豁免的意见旁勾选“已核实”并写明理由，再下载豁免文件")
    kept_keys = {(e.fingerprint, e.file, e.rule) for e in audit.kept}
    entries = audit.kept + [e for e in new if (e.fingerprint, e.file, e.rule) not in kept_keys]
    return suppressions_toml(entries)


def _first(fields: dict[str, list[str]], name: str) -> str:
    values = fields.get(name) or [""]
    return values[0]


def _one_line(text: str) -> str:
    """Form text as one clean line (a reason is a sentence; control characters dropped)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
