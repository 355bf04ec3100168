"""Where the tests' files are, and small readers of the JSON output that tests in every folder use."""
from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
FIXTURES = TESTS / "fixtures"
REAL = FIXTURES / "real"  # pdftotext -layout text of the real PDFs in examples/


def cell(result: dict, table: str, row: str, col: str):
    t = result["tables"][table]
    return t["values"][t["rows"].index(row)][t["columns"].index(col)]


def rules_of(result: dict, status: str | None = None) -> set[str]:
    return {f["rule"] for f in result["findings"] if status is None or f["status"] == status}
