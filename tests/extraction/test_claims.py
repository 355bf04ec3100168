"""Sentence → claims as data (tests/extraction_cases/claims.toml): what extraction reads from
the narrative's sentences, and that an audited report carries those claims."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditor.extraction.claims import read_claims
from auditor.model import Claim, Sentence
from tests.support.auditing import audit_text_result
from tests.support.reportgen import make_report, render
from tests.support.paths import TESTS

CASES_FILE = TESTS / "extraction_cases" / "claims.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]
CASE_KEYS = {"name", "sentence", "sentences", "section", "agency", "claims"}
# A claim's fields and their defaults: a case lists only the fields that are not at their default.
DEFAULTS = {"value": None, "verb": "", "items": [], "column": "", "percent": None, "scope": None, "also_handled": False}


def _sentences(case: dict) -> list[str]:
    return case["sentences"] if "sentences" in case else [case["sentence"]]


def _as_data(claim: Claim) -> dict:
    data = {"concept": claim.concept, **{k: getattr(claim, k) for k in DEFAULTS}}
    data["items"] = list(claim.items)
    return data


def _expected(claim: dict) -> dict:
    unknown = set(claim) - set(DEFAULTS) - {"concept"}
    assert not unknown, f"unknown claim fields {sorted(unknown)}"
    data = {**DEFAULTS, **claim}
    if data["value"] is not None:
        data["value"] = float(data["value"])
    return data


def test_the_cases_are_well_formed():
    assert len(CASES) >= 30
    assert sum(not c["claims"] for c in CASES) >= 5, "cases that must give no claim"
    for case in CASES:
        assert set(case) <= CASE_KEYS, f"{case.get('name')}: unknown keys {sorted(set(case) - CASE_KEYS)}"
        assert ("sentence" in case) != ("sentences" in case), case["name"]
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names are unique"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sentence_claims(case):
    section = case.get("section", "s1")
    sentences = [Sentence(text, line, section) for line, text in enumerate(_sentences(case), 1)]
    got = [_as_data(c) for c in read_claims(sentences, case.get("agency"))]
    assert got == [_expected(c) for c in case["claims"]]


def test_claims_keep_their_sentence_and_clause():
    sentence = Sentence("全年共收到政府信息公开申请 618 件，办结 600 件。", 7, "s1")
    received, handled = read_claims([sentence], None)
    assert received.sentence is sentence and handled.sentence is sentence
    assert "618 件" in received.clause and "600 件" in handled.clause


def test_an_audited_report_carries_the_claims_of_its_sentences():
    """Extraction reads the claims once; they come with the report (Report.claims)."""
    case = next(c for c in CASES if c["name"] == "received, carried over, handled and carried forward in one sentence")
    rep = make_report("2021", seed=7)
    rep.extra_s1.append(case["sentence"])
    report = audit_text_result(render(rep)).report
    mine = [_as_data(c) for c in report.claims if c.sentence.text == case["sentence"]]
    assert mine == [_expected(c) for c in case["claims"]]


def test_a_sentence_the_text_stops_inside_gives_no_claim():
    """A count in the last sentence of a cut-off copy may have lost digits ("申请 6" of 619):
    not a claim. The same sentence whole is one."""
    rep = make_report("2021", seed=7)
    rep.extra_s1.append("全年共收到政府信息公开申请 619 件，办结 600 件。")
    text = render(rep)
    whole = audit_text_result(text).report
    assert [c.value for c in whole.claims if c.concept == "received"] == [619]
    cut = text[:text.index("全年共收到政府信息公开申请 6") + len("全年共收到政府信息公开申请 6")]
    report = audit_text_result(cut).report
    assert report.cut is not None and report.cut.mid_sentence
    assert not [c for c in report.claims if c.concept == "received"]
