"""Corpus benchmark: how exactly the auditor reads each format and layout, how well it finds
and pinpoints injected defects, how many alarms it raises on clean reports, and how fast it
audits each format with 1 and 2 jobs next to PDFium's bare text extraction (the floor).

    python -m tests.bench.corpus                              # --size 20: about two minutes on 2 cores
    python -m tests.bench.corpus --size 100 --jobs 1,2 --speed-files 500 --out bench-corpus.json
    python -m tests.bench.corpus --scans 6                   # more scanned reports (OCR extra installed)

Reports come from tests/support/corpus (realistic agencies, years, tables and narrative of both
formats). --size N: N clean reports per format/layout, N cases per defect type; the speed
runs use --speed-files different reports per format (the clean ones and more). Every figure
is what was measured on this run; nothing is adjusted. Targets from issue 6 are shown next
to the figures, marked met or not. With the OCR extra installed, --scans N (default 3) of the
reports are also rendered as spoilt 200 dpi scans (tests/bench/scans.py, which has the details
and more resolutions) and read back by OCR: cells exact, errors on them, seconds per page.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from tests.support.paths import TESTS as HERE

import pypdfium2 as pdfium  # noqa: E402

from auditor import audit_file  # noqa: E402
from auditor.engine import load_catalogue  # noqa: E402
from tests.support.corpus.defects import DEFECTS, Injector  # noqa: E402
from tests.support.corpus.rich import rich_report  # noqa: E402
from tests.support.corpus.scoring import Verdict, judge, table_cells, wrong_cells  # noqa: E402
from tests.support.corpus.variants import VARIANTS, fmt, write_variant  # noqa: E402
from tests.support.real_openings import print_prose, prose_figures  # noqa: E402

TARGETS = {"stale_year_recall": 0.95, "cells_exact": 0.995, "arithmetic_found": 1.0, "pinpointed": 0.95, "false_errors_per_report": 0.0,
           "text_per_s": 200, "html_per_s": 200, "pdf_per_s": 40}
ARITHMETIC = ("t3-cell", "t4-cell", "t3-swap", "narrative-parts-sum")
_EXAMPLES = 5  # misread cells, misses and alarms kept per group, to show where to look


def _audit(path: Path, rules, crashes: list[str]):
    """audit_file, with an exception inside the auditor counted (and shown) instead of
    ending the benchmark: such a file counts as read wrongly and found nothing."""
    try:
        return audit_file(path, rules)
    except Exception as exc:  # noqa: BLE001 - a crash is a measured outcome here
        crashes.append(f"{path.name}: {type(exc).__name__}: {exc}"[:200])
        return None


def corpus_report(index: int):
    """The index-th report of the corpus: a third of them in the 2019 format."""
    return rich_report("2019" if index % 3 == 0 else "2021", seed=index)


# ---------------------------------------------------------------- extraction and alarms


def clean_runs(size: int, work: Path, rules) -> tuple[dict, dict, dict[str, list[Path]]]:
    """Each variant: size clean reports read back cell by cell; alarms counted on them."""
    extraction = {}
    alarms = {"reports": 0, "error": 0, "warning": 0, "info": 0, "by_rule": Counter(), "by_variant": {}, "examples": []}
    seen: set[tuple[str, str]] = set()
    files: dict[str, list[Path]] = defaultdict(list)
    for variant in VARIANTS:
        right = total = unread = 0
        wrong_examples, crashes = [], []
        for i in range(size):
            rep = corpus_report(i)
            path = write_variant(rep, variant, work / "clean" / variant.replace("/", "-") / f"r{i:04d}")
            files[fmt(variant)].append(path)
            result = _audit(path, rules, crashes)
            cells = table_cells(rep)
            unusable = result is None or result.error
            wrong = [(c, v, None) for c, v in cells.items()] if unusable else wrong_cells(rep, result)
            unread += bool(unusable)
            total += len(cells)
            right += len(cells) - len(wrong)
            wrong_examples += [f"r{i:04d} {'.'.join(c)}: 应为 {w}，读得 {g}" for c, w, g in wrong[:2]]
            alarms["reports"] += 1
            here = alarms["by_variant"].setdefault(variant, Counter())
            for f in (result.findings if result else []):
                alarms[f.severity] += 1
                here[f.severity] += 1
                key = f"{f.rule} {f.severity} {f.status}"
                alarms["by_rule"][key] += 1
                if (key, variant) not in seen:  # one example per rule and variant
                    seen.add((key, variant))
                    alarms["examples"].append(f"{variant} r{i:04d} {f.rule}（{f.severity}/{f.status}）："
                                              f"{(f.excerpt or f.message)[:100]}")
        extraction[variant] = {"reports": size, "unreadable": unread, "crashes": crashes[:_EXAMPLES], "cells": total, "cells_exact": right,
                               "share_exact": right / total if total else None, "misread_examples": wrong_examples[:_EXAMPLES]}
    reports = alarms["reports"]
    alarms["error_per_report"] = alarms["error"] / reports
    alarms["warning_per_report"] = alarms["warning"] / reports
    alarms["by_rule"] = dict(alarms["by_rule"].most_common())
    alarms["by_variant"] = {v: dict(c) for v, c in alarms["by_variant"].items() if c}
    return extraction, alarms, files


# ---------------------------------------------------------------- detection


def detection_runs(size: int, work: Path, rules) -> dict:
    """Each defect type: size cases, spread over every variant in turn."""
    injector = Injector({r.id for r in rules})
    variants = list(VARIANTS)
    out = {}
    for d, name in enumerate(DEFECTS):
        stats = Counter()
        by_format: dict[str, Counter] = {}
        misses, no_rule, crashes = [], set(), []
        for i in range(size):
            rng = random.Random(f"{name}-{i}")
            case = injector.inject(name, corpus_report(100_000 + 1000 * d + i), rng)
            if case is None:
                stats["not_applicable"] += 1
                continue
            rep, expected = case
            no_rule.update(expected.missing_rules)
            if not expected.rules:
                stats["no_rule"] += 1
                continue
            variant = variants[i % len(variants)]
            path = write_variant(rep, variant, work / "defects" / name / f"c{i:04d}")
            result = _audit(path, rules, crashes)
            verdict = (judge(expected, result) if result else
                       Verdict(False, False if expected.pinpointable else None, False, ["审查时出错"]))
            per_format = by_format.setdefault(fmt(variant), Counter())
            per_format["cases"] += 1
            per_format["found"] += verdict.found
            per_format["pinpointed"] += bool(verdict.pinpointed)
            stats["cases"] += 1
            stats["found"] += verdict.found
            if verdict.pinpointed is not None:
                stats["pinpointable"] += 1
                stats["pinpointed"] += verdict.pinpointed
                stats["candidate_only"] += bool(not verdict.pinpointed and verdict.candidate)
            elif expected.cells:  # several repairs fit the printed report: only candidates can be right
                stats["undecidable"] += 1
                stats["undecidable_listed"] += verdict.candidate
            stats["misplaced"] += verdict.misplaced
            if (not verdict.found or verdict.pinpointed is False or verdict.misplaced) and len(misses) < _EXAMPLES:
                what = "未发现" if not verdict.found else ("定位错误" if verdict.misplaced else "未定位")
                misses.append(f"{variant} c{i:04d} {expected.detail}：{what}" +
                              (f"（缺 {', '.join(verdict.missing)}）" if verdict.missing else ""))
        cases = stats["cases"]
        out[name] = {
            "cases": cases,
            "found": stats["found"], "share_found": stats["found"] / cases if cases else None,
            "pinpointable": stats["pinpointable"], "pinpointed": stats["pinpointed"],
            "share_pinpointed": stats["pinpointed"] / stats["pinpointable"] if stats["pinpointable"] else None,
            "candidate_only": stats["candidate_only"],
            "undecidable": stats["undecidable"], "undecidable_listed": stats["undecidable_listed"],
            "misplaced": stats["misplaced"],
            "no_rule_yet": sorted(no_rule),
            "skipped_no_rule": stats["no_rule"], "not_applicable": stats["not_applicable"],
            "by_format": {f: dict(c) for f, c in by_format.items()},
            "crashes": crashes[:_EXAMPLES],
            "misses": misses,
        }
    return out


# ---------------------------------------------------------------- speed


# Runs in a fresh process: the library's batch path (audit_paths, as `auditor check` uses it)
# writing one JSON object per report, timed after the imports and one untimed warm-up audit
# (lazy imports, compiled patterns), so small batches show the steady rate. Peak memory is
# the largest resident set of this process (VmHWM: getrusage's figure for a process would
# carry over the benchmark's own peak across exec) and of its worker processes.
_LIBRARY_RUN = """
import json, re, resource, sys, time
from pathlib import Path
from auditor.engine import load_catalogue
from auditor.pipeline import audit_file, audit_paths
from auditor.render.json_out import render_json
files = [Path(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()]
rules = load_catalogue()
render_json(audit_file(files[0], rules))
start = time.perf_counter()
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for result in audit_paths(files, rules, int(sys.argv[2])):
        out.write(render_json(result) + "\\n")
seconds = time.perf_counter() - start
status = open("/proc/self/status").read()
print(json.dumps({"seconds": seconds, "self_kb": int(re.search(r"VmHWM:\\s*(\\d+)", status).group(1)),
                  "workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

# The real command, as a child of a fresh process so RUSAGE_CHILDREN covers this run only.
_CLI_RUN = ("import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "with open(sys.argv[1], 'w') as out:\n"
            "    code = subprocess.run(sys.argv[2:], stdout=out).returncode\n"
            "print(code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _library_speed(files: list[Path], jobs: int, work: Path) -> dict:
    listing = work / "files.txt"
    listing.write_text("\n".join(str(f) for f in files), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _LIBRARY_RUN, str(listing), str(jobs), str(work / "out.jsonl")],
                          capture_output=True, text=True, cwd=HERE.parent)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1][:300] if proc.stderr.strip() else f"exit {proc.returncode}"}
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    written = (work / "out.jsonl").read_text(encoding="utf-8").count("\n")
    return {"reports": written, "seconds": round(m["seconds"], 3), "reports_per_s": round(written / m["seconds"], 1),
            "ms_per_report": round(1000 * m["seconds"] / written, 2),
            "peak_rss_mb": round(max(m["self_kb"], m["workers_kb"]) / 1024, 1)}


def _cli_speed(folder: Path, jobs: int, work: Path) -> dict:
    out = work / "cli.jsonl"
    proc = subprocess.run([sys.executable, "-c", _CLI_RUN, str(out), sys.executable, "-m", "auditor", "check", str(folder),
                           "--format", "json", "--jobs", str(jobs), "--fail-on", "never"],
                          capture_output=True, text=True, cwd=HERE.parent)
    code, seconds, peak_kb = proc.stdout.split()
    if int(code) != 0:
        return {"error": f"exit {code}: " + (proc.stderr.strip().splitlines() or [""])[-1][:300]}
    written = out.read_text(encoding="utf-8").count("\n")
    return {"reports": written, "wall_seconds": round(float(seconds), 3), "reports_per_s": round(written / float(seconds), 1),
            "peak_rss_mb": round(int(peak_kb) / 1024, 1)}


def _pdfium_text(paths: list[Path]) -> float:
    """Seconds PDFium takes just to get every page's text out: no reader can be faster."""
    start = time.perf_counter()
    for path in paths:
        pdf = pdfium.PdfDocument(path)
        for page in pdf:
            page.get_textpage().get_text_range()
        pdf.close()
    return time.perf_counter() - start


def speed_files(files: dict[str, list[Path]], count: int, work: Path) -> dict[str, list[Path]]:
    """Per format, one folder of at least `count` different reports: the clean files of all
    its layouts, topped up with more corpus reports written in those layouts in turn."""
    out = {}
    for name, paths in files.items():
        folder = work / "speed" / name
        folder.mkdir(parents=True)
        layouts = [v for v in VARIANTS if fmt(v) == name]
        copies = []
        for k, p in enumerate(paths):
            copies.append(folder / f"{k:05d}-{p.name}")
            shutil.copyfile(p, copies[-1])
        for k in range(len(copies), count):
            copies.append(write_variant(corpus_report(50_000 + k), layouts[k % len(layouts)], folder / f"{k:05d}-extra"))
        out[name] = copies
    return out


def speed_runs(files: dict[str, list[Path]], jobs_list: list[int], work: Path) -> dict:
    """Per format: a folder of its reports audited with JSON output, for each process count."""
    out = {}
    for name, copies in files.items():
        folder = copies[0].parent
        row = {"files": len(copies)}
        for jobs in jobs_list:
            run_dir = work / "speed-out" / f"{name}-{jobs}"
            run_dir.mkdir(parents=True)
            row[f"jobs_{jobs}"] = {"library": _library_speed(copies, jobs, run_dir), "cli": _cli_speed(folder, jobs, run_dir)}
        if name == "pdf":
            floor = _pdfium_text(copies)
            row["pdfium_text_ms_per_file"] = round(1000 * floor / len(copies), 2)
            for jobs in jobs_list:
                lib = row[f"jobs_{jobs}"]["library"]
                if "ms_per_report" in lib:  # the floor for j processes: the one-process floor divided by j
                    row[f"jobs_{jobs}"]["over_floor"] = round(lib["ms_per_report"] / (1000 * floor / len(copies) / jobs), 2)
        out[name] = row
    return out


# ---------------------------------------------------------------- summary and printing


def _targets(extraction: dict, alarms: dict, detection: dict, speed: dict, jobs_list: list[int]) -> list[dict]:
    def row(name: str, target: str, measured, met: bool | None) -> dict:
        return {"target": name, "wanted": target, "measured": measured, "met": met}

    worst = min(extraction.items(), key=lambda kv: kv[1]["share_exact"] or 0)
    arithmetic = [detection[d] for d in ARITHMETIC if detection[d]["cases"]]
    found = sum(d["found"] for d in arithmetic) / max(1, sum(d["cases"] for d in arithmetic))
    pinpointable = sum(d["pinpointable"] for d in detection.values())
    pinpointed = sum(d["pinpointed"] for d in detection.values()) / pinpointable if pinpointable else None
    undecidable = sum(d["undecidable"] for d in detection.values())
    listed = sum(d["undecidable_listed"] for d in detection.values())
    misplaced = sum(d["misplaced"] for d in detection.values())
    everything = pinpointable + undecidable
    raw = sum(d["pinpointed"] for d in detection.values()) / everything if everything else None
    top = max(jobs_list)
    rows = [
        row("每种格式/版式单元格准确率", "≥ 99.5%", f"最低 {100 * worst[1]['share_exact']:.2f}%（{worst[0]}）",
            worst[1]["share_exact"] >= TARGETS["cells_exact"]),
        row("注入的算术错误全部发现", "100%", f"{100 * found:.1f}%", found >= TARGETS["arithmetic_found"]),
        row("定位到单元格或句子（可判定的缺陷）", "≥ 95%", "-" if pinpointed is None else f"{100 * pinpointed:.1f}%",
            None if pinpointed is None else pinpointed >= TARGETS["pinpointed"]),
        row("定位占全部单元格和句子缺陷（含无法判定的）", "（展示）", _pct(raw), None),
        row("无法判定的缺陷：被改单元格列为候选", "100%", f"{listed}/{undecidable}", listed == undecidable),
        row("定位错误（指向未改动的单元格或给错原值）", "0", str(misplaced), misplaced == 0),
        row("干净报告无误报错误", "0 / 份", f"{alarms['error_per_report']:.3f} / 份", alarms["error_per_report"] == 0),
    ]
    for name, key in (("text", "text_per_s"), ("html", "html_per_s"), ("pdf", "pdf_per_s")):
        if name in speed and f"jobs_{top}" in speed[name]:
            rate = speed[name][f"jobs_{top}"]["library"].get("reports_per_s")
            rows.append(row(f"{name} 速度（{top} 进程，JSON 输出）", f"≥ {TARGETS[key]} 份/秒",
                            "审查出错" if rate is None else f"{rate} 份/秒", rate is not None and rate >= TARGETS[key]))
    if "pdf" in speed and "over_floor" in speed["pdf"].get("jobs_1", {}):
        rows.append(row("PDF 审查时间 / PDFium 仅取文字时间（1 进程）", "（展示）", f"{speed['pdf']['jobs_1']['over_floor']}×", None))
    return rows


def _prose_targets(prose: dict) -> list[dict]:
    """Issue 13's goals on the real openings' prose."""
    recall = prose["stale_year_recall"]
    return [
        {"target": "真实开头：句首年份改早一年的发现率", "wanted": f"≥ {TARGETS['stale_year_recall']:.0%}",
         "measured": f"{prose['stale_year_found']}/{prose['stale_year_sites']}",
         "met": recall is not None and recall >= TARGETS["stale_year_recall"]},
        {"target": "真实开头：未改动时 YEAR-BODY 误报", "wanted": "0", "measured": str(prose["false_year_alarms"]),
         "met": prose["false_year_alarms"] == 0},
        {"target": "真实开头：❗ 问题报出 / ⚠ 陷阱报为错误", "wanted": "全部 / 0",
         "measured": f"{prose['defects_found']}/{prose['defects']} / {prose['traps_as_errors']}",
         "met": prose["defects_found"] == prose["defects"] and prose["traps_as_errors"] == 0},
    ]


# ---------------------------------------------------------------- scans (OCR extra)


def scans_available() -> bool:
    """The OCR extra, and the test-only CJK font the scan writer draws the Chinese with."""
    from importlib.util import find_spec

    from auditor.readers import ocr

    return ocr.available() and find_spec("cvttf_NotoSansCJK_Regular") is not None


def scan_runs(count: int, work: Path, rules) -> dict:
    """`count` generated reports (the layouts of tests.bench.scans in turn) as 200 dpi scans."""
    from tests.bench.scans import generated

    return generated(200, count, work / "scans", rules)


def _scan_targets(scans: dict) -> list[dict]:
    return [
        {"target": "扫描件（200 dpi）单元格准确率", "wanted": "≥ 98%", "measured": f"{100 * scans['cells_exact']:.2f}%",
         "met": scans["cells_exact"] >= 0.98},
        {"target": "扫描件：干净报告上的错误", "wanted": "0", "measured": str(scans["errors_on_clean"]),
         "met": scans["errors_on_clean"] == 0},
        {"target": "扫描件：识别时间（2 核）", "wanted": "≤ 6 秒/页", "measured": f"{scans['ocr_seconds_per_page']:.1f} 秒/页",
         "met": scans["ocr_seconds_per_page"] <= 6.0},
    ]


def _print_scans(scans: dict) -> None:
    print("\n== 扫描件（生成报告渲染为 200 dpi 图像，倾斜、噪点、JPEG、印章；图像 PDF 与 TIFF 交替；离线文字识别）")
    print(f"  {scans['reports']} 份 {scans['pages']} 页，单元格完全一致 {100 * scans['cells_exact']:.2f}%（{scans['cells']} 格，"
          f"误读 {scans['wrong']['misread']}，读成空白 {scans['wrong']['blank']}）；干净报告上的错误 {scans['errors_on_clean']} 条、"
          f"警告 {scans['warnings_on_clean']} 条；识别 {scans['ocr_seconds_per_page']:.1f} 秒/页"
          f"（CPU {scans['cpu_seconds_per_page']:.1f} 秒/页）")
    print("  " + "，".join(f"{k} {100 * v:.2f}%" for k, v in scans["by_layout"].items()))
    for line in scans["examples"][:_EXAMPLES]:
        print("   ", line)


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def print_summary(result: dict) -> None:
    print(f"\n== 抽取：单元格逐格准确（表二/表三/表四），每种格式/版式 {result['size']} 份干净报告")
    for variant, r in result["extraction"].items():
        print(f"  {variant:<24}{r['cells_exact']:>7}/{r['cells']:<7}{100 * r['share_exact']:>8.2f}%"
              + (f"  无法审查或出错 {r['unreadable']}" if r["unreadable"] else ""))
    a = result["false_alarms"]
    print(f"\n== 干净报告上的意见（{a['reports']} 份）：错误 {a['error_per_report']:.3f} / 份，警告 {a['warning_per_report']:.3f} / 份")
    for rule, n in list(a["by_rule"].items())[:10]:
        print(f"  {rule:<40}{n:>6}")
    for variant, counts in a["by_variant"].items():
        print(f"  其中 {variant}：错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}")
    print(f"\n== 发现：每类缺陷 {result['size']} 例，轮流写成各种格式/版式")
    print("  可定位 = 只有一种同类改法能让报告自洽（corpus/repairs.py 独立判定）；无法判定的只要求把被改单元格列为候选")
    print(f"  {'缺陷':<22}{'例数':>6}{'发现':>8}{'可定位':>8}{'定位':>8}{'仅候选':>8}{'无法判定':>8}{'列为候选':>8}{'定位错误':>8}  说明")
    for name, d in result["detection"].items():
        note = f"尚无规则：{', '.join(d['no_rule_yet'])}" if d["no_rule_yet"] else ""
        print(f"  {name:<22}{d['cases']:>6}{_pct(d['share_found']):>8}{d['pinpointable']:>8}{_pct(d['share_pinpointed']):>8}"
              f"{d['candidate_only']:>8}{d['undecidable']:>8}{d['undecidable_listed']:>8}{d['misplaced']:>8}  {note}")
    print("\n== 速度（库的批量路径 audit_paths + JSON 输出，计时不含启动和一次预热；cli = 真实命令 auditor check --format json 含启动的总耗时）")
    for name, s in result["speed"].items():
        for key, run in s.items():
            if not key.startswith("jobs_"):
                continue
            lib, cli = run["library"], run["cli"]
            if "error" in lib or "error" in cli:
                print(f"  {name:<6}{key.replace('jobs_', '--jobs '):<10}出错：{lib.get('error') or cli.get('error')}")
                continue
            floor = f"  PDFium 仅取文字 {s['pdfium_text_ms_per_file']} ms/份，为其 {run['over_floor']}×" if "over_floor" in run else ""
            print(f"  {name:<6}{key.replace('jobs_', '--jobs '):<10}{lib['reports']:>5} 份 {lib['reports_per_s']:>8} 份/秒 "
                  f"{lib['ms_per_report']:>7} ms/份 峰值 {lib['peak_rss_mb']} MB；cli {cli['wall_seconds']} 秒"
                  f"（{cli['reports_per_s']} 份/秒，峰值 {cli['peak_rss_mb']} MB）{floor}")
    if result.get("scans"):
        _print_scans(result["scans"])
    print("\n== 真实报告开头的正文（tests/fixtures/real-openings，python -m tests.support.real_openings 同样给出）")
    print_prose(result["real_prose"])
    print("\n== 目标")
    for t in result["targets"]:
        mark = {True: "达到", False: "未达到", None: "—"}[t["met"]]
        print(f"  {t['target']:<36}{t['wanted']:<14}{t['measured']:<28}{mark}")


def _machine() -> dict:
    model = ""
    try:
        model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                      if ln.startswith("model name")), "")
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model or platform.processor(), "python": platform.python_version(),
            "platform": platform.platform(), "cjk_fonts": _cjk_fonts()}


def _cjk_fonts() -> "int | None":
    """Chinese fonts installed (fontconfig), or None if it cannot tell. The PDFs whose font is
    not embedded (every pdf/ layout but pdf/embedded-font, and some writer2 files) are read
    with whatever the machine has: 0 is the no-font case, as on a fresh server or CI."""
    if not shutil.which("fc-list"):
        return None
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return len([line for line in out.splitlines() if line.strip()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20, help="clean reports per format/layout and cases per defect (default 20)")
    parser.add_argument("--jobs", default="1,2", help="process counts for the speed runs, comma separated (default 1,2)")
    parser.add_argument("--speed-files", type=int, default=200,
                        help="different reports per format for the speed runs (default 200; at least the clean files)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--scans", type=int, default=None,
                        help="generated reports read back as 200 dpi scans (default 3 when the OCR extra is installed, else 0)")
    args = parser.parse_args()
    if args.scans is None:
        args.scans = 3 if scans_available() else 0
    jobs_list = [int(j) for j in args.jobs.split(",") if j.strip()]
    rules = load_catalogue()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        extraction, alarms, files = clean_runs(args.size, work, rules)
        detection = detection_runs(args.size, work, rules)
        speed = speed_runs(speed_files(files, args.speed_files, work), jobs_list, work)
        scans = scan_runs(args.scans, work, rules) if args.scans else None
    prose = prose_figures(rules)
    result = {"real_prose": prose, "machine": _machine(), "size": args.size, "speed_files": args.speed_files, "jobs": jobs_list,
              "rules": sorted(r.id for r in rules),
              "extraction": extraction, "false_alarms": alarms, "detection": detection, "speed": speed, "scans": scans}
    result["targets"] = (_targets(extraction, alarms, detection, speed, jobs_list) + _prose_targets(prose)
                         + (_scan_targets(scans) if scans else []))
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["machine"]["load_average_at_start"] = load_at_start
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print_summary(result)
    m = result["machine"]
    fonts = "未知" if m["cjk_fonts"] is None else m["cjk_fonts"]
    print(f"\n本机中文字体 {fonts} 种（未嵌入字体的 PDF 用本机字体读取；0 即无字体的情形，如 CI）")
    print(f"\n共用时 {result['seconds']} 秒；{m['cpus']} 核 {m['cpu_model']}；系统负载（1/5/15 分钟平均）"
          f"开始时 {m['load_average_at_start']}，结束时 {m['load_average_at_end']}（其他进程占用 CPU 时速度偏低）")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
