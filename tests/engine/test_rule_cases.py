"""Every rule's documented examples and its data cases (tests/rule_cases/*.toml), run as tests."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.engine import load_catalogue
from tests.support.rulecases import EDIT_KEYS, Case, data_cases, judge, report_text

CATALOGUE = load_catalogue()
DATA_CASES = data_cases()


def _example_cases() -> list[Case]:
    cases = []
    for rule in CATALOGUE:
        for i, ex in enumerate(rule.doc.examples):
            if not ex.runnable:
                continue
            data = {**ex.edits, "template": ex.template}
            if ex.message:
                data["message"] = ex.message
            cases.append(Case(rule.id, f"doc example {i + 1}", ex.verdict, data))
    return cases


def _runs(cases: list[Case]) -> list:
    runs = []
    for case in cases:
        rule = next(r for r in CATALOGUE if r.id == case.rule)
        if case.file is not None or case.files:
            runs.append(pytest.param(case, None, None, id=f"{case.rule}:{case.name}"))
            continue
        template = case.data.get("template", rule.formats[0])
        for layout in case.layouts():
            runs.append(pytest.param(case, template, layout, id=f"{case.rule}:{case.name}:{layout}"))
    return runs


def _audit(run_cli, path, *options: str) -> dict:
    code, out = run_cli("check", path, "--format", "json", "--fail-on", "never", *options)
    assert code == 0, out
    return json.loads(out)


def _edited_copy(case: Case, path: Path, folder: Path) -> Path:
    """The file itself, or a copy with the case's text replacements (text files only)."""
    assert not set(case.edits) - {"replace"}, "real files take only text replacements"
    replacements = [(old, new) for old, new in case.edits.get("replace", []) if old in _text(path)]
    if not replacements:
        return path
    text = _text(path)
    for old, new in replacements:
        text = text.replace(old, new)
    copy = folder / "edited" / path.name
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(text, encoding="utf-8")
    return copy


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.suffix in (".txt", ".md") else ""


def _audit_batch(run_cli, tmp_path: Path, case: Case) -> dict:
    """Audit the case's files as one batch; the findings of all its reports together."""
    src = tmp_path / "in"
    src.mkdir()
    for path in case.files:
        shutil.copy(_edited_copy(case, path, tmp_path), src / path.name)
    replaced = sum(old in _text(p) for p in case.files for old, _ in case.edits.get("replace", []))
    assert replaced == len(case.edits.get("replace", [])), "a replacement matches no file of the batch"
    roster = []
    if "roster" in case.data:  # the office's units.csv, written as the case gives it
        (tmp_path / "units.csv").write_text(case.data["roster"], encoding="utf-8")
        roster = ["--roster", tmp_path / "units.csv"]
    code, out = run_cli("check", src, "-o", tmp_path / "out", "--format", "json", "--fail-on", "never", *roster)
    assert code == 0, out
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    batch_json = tmp_path / "out" / "batch.json"  # findings about the batch (roster, duplicates), when any
    batch = json.loads(batch_json.read_text(encoding="utf-8"))["findings"] if batch_json.exists() else []
    return {"findings": [f for ln in lines for f in json.loads(ln)["findings"]] + batch}


@pytest.mark.parametrize("case,template,layout", _runs(_example_cases()) + _runs(DATA_CASES))
def test_case(run_cli, write_report, tmp_path, case, template, layout):
    if case.files:
        result = _audit_batch(run_cli, tmp_path, case)
    elif case.file is not None:
        ocr = ("--ocr", case.data["ocr"]) if "ocr" in case.data else ()  # a picture page left unread
        result = _audit(run_cli, _edited_copy(case, case.file, tmp_path), *ocr)
    else:
        result = _audit(run_cli, write_report(report_text(case, template, layout)))
    problem = judge(case, result)
    assert problem is None, problem


def test_every_rule_has_a_passing_and_a_failing_data_case():
    have = {(c.rule, c.verdict) for c in DATA_CASES}
    for rule in CATALOGUE:
        assert (rule.id, "pass") in have and (rule.id, "fail") in have, rule.id


def test_data_cases_name_known_rules_and_edits():
    ids = {r.id for r in CATALOGUE}
    for case in DATA_CASES:
        assert case.rule in ids, case.rule
        assert case.verdict in ("pass", "fail")
        assert set(case.edits) <= EDIT_KEYS
