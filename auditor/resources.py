"""Locating the rule catalogue and HTML templates, installed or in a source checkout."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _data_dir(package: str, folder: str) -> Path:
    try:
        found = resources.files(package)
        if found.is_dir():
            return Path(str(found))
    except ModuleNotFoundError:
        pass
    return _SOURCE_ROOT / folder  # a source checkout or an editable install


def rules_dir() -> Path:
    return _data_dir("auditor.catalogue", "rules")


def templates_dir() -> Path:
    return _data_dir("auditor.html_templates", "templates")
