"""Batch audits into a folder: every report in index.html, findings.csv, findings.xlsx and
results.jsonl with the same counts; bad files listed with reasons; year-over-year checks;
a baseline that tells new, still present and fixed findings apart."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from auditor.pipeline import collect_inputs
from tests.support.paths import EXAMPLES, REAL
from tests.support.reportgen import make_report, render
from tests.support.writers.docx_writer import write_docx
from tests.support.writers.html_writer import write_html
from tests.support.writers.pdf_writer import write_pdf


def _outputs(out):
    jsonl = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    sheet = openpyxl.load_workbook(out / "findings.xlsx", read_only=True).worksheets[0]
    xlsx = list(sheet.iter_rows(values_only=True))[1:]
    return jsonl, rows, xlsx, (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def mixed_batch(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    rep = make_report("2021", year=2023, seed=21)
    rep.t3["carried"]["np"] += 1  # one 勾稽 error
    write_pdf(rep, src / "a-report.pdf", borders="rects")
    write_docx(make_report("2021", seed=22), src / "sub" / "b-report.docx")
    write_html(make_report("2019", seed=23), src / "c-report.html", encoding="gb18030", declared="gb2312")
    (src / "d-report.txt").write_text(render(make_report("2019", seed=24), "tabs"), encoding="utf-8")
    (src / "e-empty.txt").write_bytes(b"")
    (src / "f-broken.pdf").write_bytes(b"%PDF-1.7 nothing here")
    shutil.copy(EXAMPLES / "洪泽区人民政府-2023.pdf", src / "sub" / "hz-2023.pdf")
    shutil.copy(EXAMPLES / "洪泽区人民政府-2024.pdf", src / "sub" / "hz-2024.pdf")
    return src


def test_mixed_batch_every_report_everywhere_with_the_same_counts(run_cli, mixed_batch, tmp_path):
    out = tmp_path / "out"
    code, text = run_cli("check", mixed_batch, "-o", out, "--format", "html", "--jobs", "2")
    assert code == 1  # errors present, --fail-on error
    jsonl, csv_rows, xlsx_rows, index = _outputs(out)
    assert len(jsonl) == 8
    assert [r["source"]["path"] for r in jsonl] == [str(p) for p in collect_inputs([mixed_batch])]
    per_report = Counter({r["source"]["path"]: 1 if r["error"] else len(r["findings"]) for r in jsonl})
    assert Counter(row["file"] for row in csv_rows) == +per_report
    assert Counter(row[0] for row in xlsx_rows) == +per_report
    for r in jsonl:
        # the input's sub-folder is kept in its page's name: in/sub/b-report.docx → sub_b-report.html
        page = "_".join(Path(r["source"]["path"]).relative_to(mixed_batch).with_suffix("").parts) + ".html"
        if r["error"] is None:
            assert f'href="{page}"' in index and (out / page).is_file()
    empty, broken = (next(r for r in jsonl if r["source"]["path"].endswith(n)) for n in ("e-empty.txt", "f-broken.pdf"))
    assert "文件为空" in empty["error"] and "损坏" in broken["error"]
    assert "文件为空" in index and "损坏" in index
    assert "无法审查 2 份" in text


def test_fail_on_sets_the_exit_code(run_cli, mixed_batch, tmp_path):
    assert run_cli("check", mixed_batch, "-o", tmp_path / "o1", "--fail-on", "never")[0] == 0
    assert run_cli("check", mixed_batch, "-o", tmp_path / "o2", "--fail-on", "warning")[0] == 1


def test_batch_output_does_not_depend_on_parallelism(run_cli, mixed_batch, tmp_path):
    run_cli("check", mixed_batch, "-o", tmp_path / "one", "--jobs", "1", "--format", "json")
    run_cli("check", mixed_batch, "-o", tmp_path / "two", "--jobs", "2", "--format", "json")
    for name in ("results.jsonl", "findings.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def _carry_rows(result):
    return [f for f in result["findings"] if f["rule"] == "XYEAR-CARRY-OVER"]


def test_hongze_pair_passes_carry_over_and_a_changed_cell_fails_on_its_column(run_cli, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(REAL / "洪泽区人民政府-2023.layout.txt", good / "hz-2023.txt")
    shutil.copy(EXAMPLES / "洪泽区人民政府-2024.pdf", good / "hz-2024.pdf")
    run_cli("check", good, "-o", tmp_path / "out-good", "--format", "json")
    jsonl, *_ = _outputs(tmp_path / "out-good")
    assert not any(_carry_rows(r) for r in jsonl)
    assert not any(f["rule"] == "XYEAR-VALID-DOCS" for r in jsonl for f in r["findings"])  # 5 + 3 − 0 = 8

    text = (good / "hz-2023.txt").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "结转下年度继续办理" in ln or ln.strip().startswith("四、结转"))
    (good / "hz-2023.txt").write_text(text.replace(line, line.replace(" 0", " 4", 1), 1), encoding="utf-8")
    run_cli("check", good, "-o", tmp_path / "out-bad", "--format", "json")
    jsonl, csv_rows, _, index = _outputs(tmp_path / "out-bad")
    later = next(r for r in jsonl if r["source"]["path"].endswith("hz-2024.pdf"))
    carry = _carry_rows(later)
    assert [(f["column"], f["actual"], f["expected"]) for f in carry] == [("np", 0, 4)]
    assert "2023 年度报告" in carry[0]["message"] and "hz-2023.txt" in carry[0]["message"]
    assert any(row["rule"] == "XYEAR-CARRY-OVER" for row in csv_rows)
    page = json.loads((tmp_path / "out-bad" / "hz-2024.json").read_text(encoding="utf-8"))
    assert _carry_rows(page)


def test_copied_text_between_consecutive_years_is_a_warning(run_cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for year in (2022, 2023):
        (src / f"r-{year}.txt").write_text(render(make_report("2021", year=year, seed=year), "tabs"), encoding="utf-8")
    run_cli("check", src, "-o", tmp_path / "out", "--format", "json")
    jsonl, *_ = _outputs(tmp_path / "out")
    copied = [f for r in jsonl for f in r["findings"] if f["rule"] == "XYEAR-COPIED-TEXT"]
    assert len(copied) == 1 and copied[0]["severity"] == "warning" and "r-2022.txt" in copied[0]["message"]


def test_baseline_written_then_compared(run_cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    reports = {name: make_report("2021", seed=seed) for name, seed in (("x", 31), ("y", 32))}
    for name, rep in reports.items():
        (src / f"{name}.txt").write_text(render(rep, "tabs"), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    reports["x"].t4["review"]["total"] += 1  # the known problem, present in the baseline
    (src / "x.txt").write_text(render(reports["x"], "tabs"), encoding="utf-8")
    code, text = run_cli("check", src, "-o", tmp_path / "o1", "--baseline", baseline)
    assert baseline.is_file() and "已写入基线" in text
    known = sum(len(json.loads(ln)["findings"]) for ln in (tmp_path / "o1" / "results.jsonl").read_text(encoding="utf-8").splitlines())
    assert known >= 1

    reports["y"].t3["new"]["sci"] += 2  # a new problem
    (src / "y.txt").write_text(render(reports["y"], "tabs"), encoding="utf-8")
    code, text = run_cli("check", src, "-o", tmp_path / "o2", "--baseline", baseline)
    assert "新出现" in text and f"仍存在 {known}" in text and "已修复 0" in text
    index = (tmp_path / "o2" / "index.html").read_text(encoding="utf-8")
    assert "新出现" in index and "已修复" in index

    reports["x"].t4["review"]["total"] -= 1  # fixed
    (src / "x.txt").write_text(render(reports["x"], "tabs"), encoding="utf-8")
    code, text = run_cli("check", src, "-o", tmp_path / "o3", "--baseline", baseline)
    assert f"已修复 {known}" in text and "仍存在 0" in text


def test_a_file_over_the_time_limit_is_listed_and_the_batch_goes_on(run_cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_pdf(make_report("2021", seed=41), src / "slow.pdf")
    code, text = run_cli("check", src, "-o", tmp_path / "out", "--jobs", "1", "--timeout", "0.001")
    assert code == 2 and "审查超时" in text


def test_bad_baseline_file_is_a_usage_error(run_cli, tmp_path):
    bad = tmp_path / "baseline.json"
    bad.write_text("not json", encoding="utf-8")
    code, text = run_cli("check", EXAMPLES / "镇海区民政局-2019-seed003.txt", EXAMPLES / "沭阳县人民政府-2025.txt",
                         "-o", tmp_path / "out", "--baseline", bad)
    assert code == 2 and "基线文件" in text


def _chain_pair(src, valid_2023: int):
    """Two years of one agency: 2022 现行有效 40; 2023 制发 3, 废止 1, 现行有效 as given."""
    for year, docs in ((2022, ["2", "0", "40"]), (2023, ["3", "1", str(valid_2023)])):
        rep = make_report("2021", year=year, seed=51)
        rep.t2[("art20_1", "normative_docs")] = docs
        rep.t2[("art20_1", "regulations")] = ["0", "0", "6"]
        rep.extra_s1 = [f"{year}年第{k}项工作各有侧重，内容互不相同{year * k}。" for k in range(40)]
        (src / f"v-{year}.txt").write_text(render(rep, "tabs"), encoding="utf-8")


@pytest.mark.parametrize("valid, flagged", [(42, False), (43, True)])
def test_valid_documents_chain_over_years(run_cli, tmp_path, valid, flagged):
    src = tmp_path / "in"
    src.mkdir()
    _chain_pair(src, valid)
    run_cli("check", src, "-o", tmp_path / "out", "--format", "json")
    jsonl, *_ = _outputs(tmp_path / "out")
    found = [f for r in jsonl for f in r["findings"] if f["rule"] == "XYEAR-VALID-DOCS"]
    assert bool(found) is flagged
    if flagged:
        assert found[0]["severity"] == "warning" and (found[0]["expected"], found[0]["actual"]) == (42, 43)
        assert "40 件 + 本年制发 3 件 − 本年废止 1 件 = 42" in found[0]["message"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_batch_path_gives_audit_file_results_without_the_file_content(mixed_batch, jobs):
    """audit_paths keeps the report and the findings but not Document.blocks, whatever the
    number of processes; everything the outputs are made of is the same as audit_file's."""
    from auditor import audit_file, audit_paths
    from auditor.render.json_out import render_json

    files = collect_inputs([mixed_batch])
    batch = list(audit_paths(files, jobs=jobs))
    assert [r.path for r in batch] == [str(f) for f in files]
    for f, result in zip(files, batch):
        alone = audit_file(f)
        assert render_json(result) == render_json(alone)
        if result.report is not None:
            assert result.report.document.blocks == [] and alone.report.document.blocks
            assert result.report.tables.keys() == alone.report.tables.keys()
            for tid, table in result.report.tables.items():
                assert table.values.equals(alone.report.tables[tid].values)
                # cell provenance crosses from the worker intact (sent as plain tuples)
                assert table.sources == alone.report.tables[tid].sources
                assert table.row_sources == alone.report.tables[tid].row_sources
                assert all(type(s).__name__ == "Source" for s in table.sources.values())


def test_many_files_come_back_in_order_from_two_processes_and_the_collector_is_left_as_found(tmp_path):
    """Files go to the workers several at a time; the results still come in input order, one
    per file, and the batch hands the objects it froze back to the garbage collector."""
    import gc

    from auditor import audit_paths

    files = []
    for i in range(37):
        path = tmp_path / f"r{i:02d}.txt"
        rep = make_report("2021" if i % 2 else "2019", year=2021 + i % 3 if i % 2 else 2019, seed=100 + i,
                          agency=f"测试市第{i}局")
        path.write_text(render(rep, ("cells", "tabs", "pipes", "markdown")[i % 4]), encoding="utf-8")
        files.append(path)
    files.append(tmp_path / "missing.txt")  # an unreadable file in the middle of a chunk keeps its place
    files.append(files[0])
    frozen_before, threshold_before = gc.get_freeze_count(), gc.get_threshold()
    results = list(audit_paths(files, jobs=2))
    assert [r.path for r in results] == [str(f) for f in files]
    assert results[-2].error and "文件不存在" in results[-2].error
    assert [r.report.agency for r in results[:-2]] == [f"测试市第{i}局" for i in range(37)]
    assert results[-1].report.agency == "测试市第0局"
    assert [r.report.year for r in results[:3]] == [2019, 2022, 2019]
    assert all(not r.findings for r in results[:-2])
    assert gc.get_freeze_count() == frozen_before
    assert gc.get_threshold() == threshold_before


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_collector_settings_are_put_back_also_when_a_batch_is_left_early(tmp_path, jobs):
    """The batch path has the collector run less often while it audits (a process-wide
    setting): a caller that stops reading the results halfway gets its own settings back,
    and a collector its caller turned off stays off."""
    import gc

    from auditor import audit_paths

    files = []
    for i in range(6):
        path = tmp_path / f"r{i}.txt"
        path.write_text(render(make_report("2021", year=2022, seed=300 + i), "tabs"), encoding="utf-8")
        files.append(path)
    before = gc.get_threshold()
    try:
        for custom in [(500, 7, 9), (0, 10, 10)]:
            gc.set_threshold(*custom)
            results = audit_paths(files, jobs=jobs)
            first = next(results)
            assert first.report.year == 2022
            if custom[0] == 0:
                assert gc.get_threshold()[0] == 0
            results.close()
            assert gc.get_threshold() == custom
    finally:
        gc.set_threshold(*before)


def _workbook(path):
    return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in openpyxl.load_workbook(path)]


def test_the_excel_file_is_the_same_whether_finished_beside_the_batch_or_by_it(run_cli, mixed_batch, tmp_path):
    """The end of a batch finishes findings.xlsx in a copy of the process where it can (Linux,
    one thread); a process with other threads finishes it itself. Both give the same file."""
    assert threading.active_count() == 1  # this process may make the copy
    code, _ = run_cli("check", mixed_batch, "-o", tmp_path / "aside", "--fail-on", "never")
    assert code == 0
    script = ("import sys, threading; from auditor.cli import main\n"
              "stop = threading.Event(); threading.Thread(target=stop.wait, daemon=True).start()\n"
              "main(sys.argv[1:])")
    proc = subprocess.run([sys.executable, "-c", script, "check", str(mixed_batch), "-o", str(tmp_path / "itself"),
                           "--fail-on", "never"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    aside, itself = _workbook(tmp_path / "aside" / "findings.xlsx"), _workbook(tmp_path / "itself" / "findings.xlsx")
    assert [title for title, _ in aside] == ["审查意见", "报告", "名册核对", "指标", "指标说明"]
    assert len(aside[1][1]) == 1 + len(list(mixed_batch.rglob("*.*")))  # a line per report
    assert aside == itself


def test_an_excel_file_that_cannot_be_written_is_said_and_the_rest_is_written(run_cli, mixed_batch, tmp_path):
    out = tmp_path / "out"
    (out / "findings.xlsx").mkdir(parents=True)  # where the file should go: a folder
    code, output = run_cli("check", mixed_batch, "-o", out, "--fail-on", "never")
    assert code == 2
    assert "读写文件出错" in output and "findings.xlsx" in output
    assert all((out / name).is_file() for name in ("index.html", "findings.csv", "results.jsonl", "indicators.csv"))
