"""Finished audits kept for a while, so that the page can offer its downloads.

Kept in memory only (the uploaded files themselves are deleted once audited): the report
page, the findings workbook and what the suppression form needs. Bounded in number and age,
the oldest dropped first; a link to a dropped audit says so and asks for a new upload.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Optional

from ..model import Finding
from ..suppressions import Suppression

MAX_KEPT = 100
MAX_AGE = 8 * 3600  # seconds


@dataclass
class ServedAudit:
    name: str  # the report's file name as sent, for titles and download names
    page: str  # the report page, exactly as `auditor check -o` writes it
    workbook: bytes  # findings.xlsx
    findings: list[Finding]  # in page order; those marked suppressed came so from the uploaded file
    kept: list[Suppression] = field(default_factory=list)  # entries of the uploaded suppression file
    notes: list[str] = field(default_factory=list)  # e.g. why the year-over-year check was not made
    created: float = field(default_factory=time.monotonic)


class AuditStore:
    def __init__(self, max_kept: int = MAX_KEPT, max_age: float = MAX_AGE):
        self._items: OrderedDict[str, ServedAudit] = OrderedDict()
        self._lock = threading.Lock()
        self.max_kept, self.max_age = max_kept, max_age

    def add(self, audit: ServedAudit) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = audit
            self._drop_old()
        return token

    def get(self, token: str) -> Optional[ServedAudit]:
        with self._lock:
            self._drop_old()
            return self._items.get(token)

    def _drop_old(self) -> None:
        now = time.monotonic()
        while self._items:
            oldest = next(iter(self._items.values()))
            if len(self._items) <= self.max_kept and now - oldest.created <= self.max_age:
                break
            self._items.popitem(last=False)
