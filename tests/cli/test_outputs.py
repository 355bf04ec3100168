"""The outputs of a batch as a whole: the dashboard's rule titles come from the rules the batch
ran, and a batch that stops part-way closes its files and leaves what it finished readable."""
from __future__ import annotations

import csv
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from tests.cli.test_cli import LOCAL_RULE  # a local rule pack's rule: its title must reach the dashboard
from tests.support.reportgen import make_report, render
from tests.support.rule_packs import write_pack


def _batch(folder: Path, seeds: list[int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (folder / f"r{seed:02d}.txt").write_text(render(make_report("2021", seed=seed)), encoding="utf-8")
    return folder


def test_a_local_rule_shows_its_title_on_the_dashboard(run_cli, tmp_path):
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NO-CARRY.toml": LOCAL_RULE})
    src = _batch(tmp_path / "in", [7, 8])
    out = tmp_path / "out"
    code, _ = run_cli("check", src, "-o", out, "--rules", pack, "--jobs", "1")
    assert code == 1
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(f["rule"] == "LOCAL-T3-NO-CARRY" for r in results for f in r["findings"])
    index = (out / "index.html").read_text(encoding="utf-8")
    chart = index[index.index('id="charts"'):index.index('id="reports"')]
    title = "本机关要求当年办结：本年新收 + 上年结转 = 办理结果总计"
    assert "<code>LOCAL-T3-NO-CARRY</code>" in chart and title in chart
    assert index.count(title) >= 2  # also in the filter by rule


def _open_in(folder: Path) -> list[str]:
    """The files under `folder` this process holds open."""
    opened = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            opened.append(target)
    return opened


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lists open files through /proc")
def test_a_batch_that_fails_midway_closes_its_files_and_keeps_what_it_finished(run_cli, tmp_path, monkeypatch):
    from auditor.render import xlsx_out

    src = _batch(tmp_path / "in", [1, 2, 3, 4, 5])
    out = tmp_path / "out"
    real_add_rows = xlsx_out.FindingsWorkbook.add_rows
    calls = []

    def add_rows(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("磁盘已满（测试注入）")
        return real_add_rows(self, *args, **kwargs)

    monkeypatch.setattr(xlsx_out.FindingsWorkbook, "add_rows", add_rows)
    code, output = run_cli("check", src, "-o", out, "--jobs", "2", "--fail-on", "never")
    assert code == 2 and "磁盘已满（测试注入）" in output
    assert _open_in(out) == []
    assert multiprocessing.active_children() == []  # the worker processes are gone too
    lines = (out / "results.jsonl.partial").read_text(encoding="utf-8").splitlines()
    assert [Path(json.loads(line)["source"]["path"]).name for line in lines] == ["r01.txt", "r02.txt"]
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        files = {Path(row["file"]).name for row in csv.DictReader(f)}
    assert files <= {"r01.txt", "r02.txt", "r03.txt"}
    assert not (out / "index.html").exists()


def test_report_pages_are_rendered_without_pandas(tmp_path):
    """The pages read table cells from the report itself: a batch (here one file, audited in
    this process) never imports pandas, over half of the command's start-up."""
    import subprocess
    import sys

    from tests.support.paths import EXAMPLES

    probe = ("import sys\nfrom auditor.cli import main\ntry:\n"
             "    main(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
             "print('pandas' in sys.modules)\n")
    out = tmp_path / "out"
    source = next(EXAMPLES.glob("*.txt"))
    proc = subprocess.run([sys.executable, "-c", probe, "check", str(source), "-o", str(out), "--format", "html",
                           "--format", "json", "--fail-on", "never"], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stderr
    assert (out / f"{source.stem}.html").exists() and (out / f"{source.stem}.json").exists()
