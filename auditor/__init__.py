"""report-auditor: consistency audits of 政府信息公开工作年度报告."""
from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import audit_file, audit_paths  # noqa: E402

__all__ = ["__version__", "audit_file", "audit_paths"]
