"""Locating the rule catalogue and HTML templates, installed or in a source checkout.

An installed wheel carries rules/ and templates/ inside the package (as auditor/catalogue
and auditor/html_templates, see pyproject.toml); a source checkout or an editable install
reads them from the repository.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(installed: str, in_checkout: str) -> Path:
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / in_checkout


def rules_dir() -> Path:
    return _data_dir("catalogue", "rules")


def templates_dir() -> Path:
    return _data_dir("html_templates", "templates")
