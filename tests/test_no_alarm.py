"""Where a process cannot interrupt itself (no SIGALRM, as on Windows), the per-file time
limit is kept by the parent: the worker auditing a file past the limit is ended and replaced,
the file is marked as timed out, and every other file is audited as usual."""
from __future__ import annotations

import json
import shutil
import signal

import pytest

from auditor import audit_file, pipeline
from conftest import EXAMPLES
from test_robustness import _run_patched

GOOD = sorted(EXAMPLES.glob("*.txt"))

# No alarm anywhere (as on Windows); files named "slow" take far longer than the limit.
_NO_ALARM_SLOW = """
del signal.SIGALRM
del signal.setitimer
import time
real_extract = pipeline.extract
def extract(doc):
    if "slow" in os.path.basename(doc.path):
        time.sleep(600)
    return real_extract(doc)
pipeline.extract = extract
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_time_limit_without_sigalrm_in_a_batch(tmp_path, jobs):
    src = tmp_path / "in"
    src.mkdir()
    for i, name in enumerate(["a.txt", "b-slow.txt", "c.txt", "d-slow.txt", "e.txt"]):
        shutil.copyfile(GOOD[i % len(GOOD)], src / name)
    out = tmp_path / "out"
    proc = _run_patched(_NO_ALARM_SLOW, ["check", str(src), "-o", str(out), "--format", "json", "--jobs", jobs,
                                         "--timeout", "3", "--fail-on", "never"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {r["source"]["path"].rsplit("/", 1)[-1]: r for r in results}
    assert list(by_name) == ["a.txt", "b-slow.txt", "c.txt", "d-slow.txt", "e.txt"]
    for name in ("b-slow.txt", "d-slow.txt"):
        assert "审查超时（超过 3 秒）" in by_name[name]["error"]
    for name in ("a.txt", "c.txt", "e.txt"):
        assert by_name[name]["error"] is None and by_name[name]["report"]["year"]


def test_time_limit_without_sigalrm_for_one_file(tmp_path):
    src = tmp_path / "report-slow.txt"
    shutil.copyfile(GOOD[0], src)
    proc = _run_patched(_NO_ALARM_SLOW, ["check", str(src), "--timeout", "2"], tmp_path)
    assert proc.returncode == 2 and "审查超时（超过 2 秒）" in proc.stdout


def test_library_audit_file_without_sigalrm_keeps_blocks(monkeypatch):
    monkeypatch.delattr(signal, "setitimer")
    assert not pipeline.alarm_available()
    result = audit_file(GOOD[0], timeout=60)
    assert result.error is None and result.report.document.blocks  # the whole result, as with an alarm
