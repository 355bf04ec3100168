"""Where a process cannot interrupt itself (no SIGALRM, as on Windows), the per-file time
limit is kept by the parent: the worker auditing a file past the limit is ended and replaced,
the file is marked as timed out, and every other file is audited as usual."""
from __future__ import annotations

import json
import shutil
import signal

import pytest

from auditor import audit_file, pipeline
from tests.support.paths import EXAMPLES
from tests.cli.test_robustness import _run_patched

GOOD = sorted(EXAMPLES.glob("*.txt"))

def _hanging_extract(marker: str, first: str = "") -> str:
    """A patch: files whose name holds `marker` hang in extraction (after the lines `first`
    run in the worker), far longer than any time limit."""
    return f"""
import time
real_extract = pipeline.extract
def extract(doc):
    if "{marker}" in os.path.basename(doc.path):
        {first or "pass"}
        time.sleep(600)
    return real_extract(doc)
pipeline.extract = extract
"""


# No alarm anywhere (as on Windows); files named "slow" take far longer than the limit.
_NO_ALARM_SLOW = "del signal.SIGALRM\ndel signal.setitimer\n" + _hanging_extract("slow")


def _batch(tmp_path, patch: str, names: list[str], jobs: str, timeout: str) -> dict[str, dict]:
    """The JSON result of each file of a batch run by the patched command line, by file name,
    in the order written (which must be the input order)."""
    src = tmp_path / "in"
    src.mkdir()
    for i, name in enumerate(names):
        shutil.copyfile(GOOD[i % len(GOOD)], src / name)
    out = tmp_path / "out"
    proc = _run_patched(patch, ["check", str(src), "-o", str(out), "--format", "json", "--jobs", jobs,
                                "--timeout", timeout, "--fail-on", "never"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {r["source"]["path"].rsplit("/", 1)[-1]: r for r in results}
    assert list(by_name) == names
    return by_name


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_time_limit_without_sigalrm_in_a_batch(tmp_path, jobs):
    by_name = _batch(tmp_path, _NO_ALARM_SLOW, ["a.txt", "b-slow.txt", "c.txt", "d-slow.txt", "e.txt"], jobs, "3")
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


_SPAWNED = """
import json, multiprocessing, signal, sys
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)  # how Windows starts worker processes
    del signal.setitimer
    from auditor.pipeline import audit_paths
    files = sys.argv[1:]
    good = [r.error for r in audit_paths(files, jobs=2, timeout=120)]
    short = [r.error for r in audit_paths(files[:2], jobs=1, timeout=0.001)]
    print(json.dumps({"good": good, "short": short}, ensure_ascii=False))
"""


def test_time_limit_without_sigalrm_with_spawned_workers(tmp_path):
    """Workers started as on Windows (spawn: nothing inherited) get every file audited, and a
    limit no file can meet marks each file, counted from when its worker had started."""
    import subprocess
    import sys

    script = tmp_path / "spawned.py"
    script.write_text(_SPAWNED, encoding="utf-8")
    files = [str(p) for p in GOOD[:3]]
    proc = subprocess.run([sys.executable, str(script), *files], capture_output=True, text=True, encoding="utf-8",
                          timeout=240)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["good"] == [None, None, None]
    assert all("审查超时（超过 0.001 秒）" in e for e in out["short"])


def test_self_check_pool_keeps_the_time_limit_without_sigalrm(monkeypatch, tmp_path):
    """The self-check page's pool (one upload, one audit) ends a file past the limit where
    workers cannot interrupt themselves, and the next upload is audited as usual."""
    import os
    import time

    from auditor.engine import load_catalogue

    monkeypatch.delattr(signal, "setitimer")
    real_extract = pipeline.extract

    def slow_extract(doc):
        if "slow" in os.path.basename(str(doc.path)):
            time.sleep(600)
        return real_extract(doc)

    monkeypatch.setattr(pipeline, "extract", slow_extract)
    slow = shutil.copyfile(GOOD[0], tmp_path / "upload-slow.txt")
    pool = pipeline.AuditPool(load_catalogue(), jobs=1, timeout=3)
    try:
        started = time.monotonic()
        assert "审查超时（超过 3 秒）" in pool.audit(slow).error
        assert time.monotonic() - started < 60
        assert pool.audit(GOOD[1]).error is None
    finally:
        pool.close()


# A file stuck where its own alarm cannot reach it (native code that blocks the signal).
_STUCK = "pipeline._STUCK_GRACE = 2.0\npipeline._RECOGNITION_ALLOWANCE = 0.0\n" + _hanging_extract(
    "stuck", first="signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_stuck_past_its_alarm_is_ended_and_the_batch_goes_on(tmp_path, jobs):
    names = ["a.txt", "b-stuck.txt", "c.txt", "d.txt"]
    by_name = _batch(tmp_path, _STUCK, names, jobs, "2")
    assert "审查超时（超过 2 秒）" in by_name["b-stuck.txt"]["error"]
    assert all(by_name[n]["error"] is None for n in names if n != "b-stuck.txt")
