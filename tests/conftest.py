from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import EXAMPLES, REAL, ROOT, cell, rules_of  # noqa: F401


@pytest.fixture
def run_cli():
    """Run the CLI in-process; returns (exit_code, stdout)."""
    from auditor.cli import main

    def run(*args: str):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.output

    return run


@pytest.fixture
def audit_json(run_cli):
    """Audit one file through the CLI's JSON output and return the parsed object."""

    def audit(path) -> dict:
        code, out = run_cli("check", path, "--format", "json", "--fail-on", "never")
        assert code == 0, out
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert len(lines) == 1
        return json.loads(lines[0])

    return audit


@pytest.fixture
def write_report(tmp_path):
    def write(text: str, name: str = "report.txt", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return write
