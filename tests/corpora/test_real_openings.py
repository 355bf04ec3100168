"""The real report openings (tests/support/real_openings.py): each is recognised, gets its year, every
number its tables print is read or reported unread, the cut is not mistaken for defects, and
the genuine defects are reported."""
from __future__ import annotations

import tomllib

import pytest
import regex as re
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit_file
from tests.support.real_openings import OPENINGS, account, agency_fits, openings

ALL = openings()
FINDINGS = tomllib.loads((OPENINGS.parent / "real-openings-findings.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("openings")
    return {o.name: audit_file(o.write(folder)) for o in ALL}


def test_the_set_is_all_there():
    assert len(ALL) == 33 and all(o.text and not o.text.startswith("# ") for o in ALL)


@pytest.mark.parametrize("opening", ALL, ids=lambda o: o.name)
def test_recognised_with_its_year(audited, opening):
    result = audited[opening.name]
    assert result.error is None, result.error
    assert result.report.year == opening.expected["year"]


@pytest.mark.parametrize("opening", ALL, ids=lambda o: o.name)
def test_format_follows_the_tables_seen(audited, opening):
    seen = re.search(r"(2019|2021) format|^\**❗? ?(2019|2021)(?: format)?\b|^(2019|2021)\b", opening.expected["format_seen"])
    template = audited[opening.name].report.template
    if seen:
        assert template == next(g for g in seen.groups() if g)


@pytest.mark.parametrize("opening", ALL, ids=lambda o: o.name)
def test_agency_is_an_organisation_or_none(audited, opening):
    report = audited[opening.name].report
    assert report is not None, "not recognised"
    agency = report.agency
    if agency is None:
        return
    assert agency_fits(agency, opening.expected["agency"]), (agency, opening.expected["agency"])


@pytest.mark.parametrize("opening", ALL, ids=lambda o: o.name)
def test_every_visible_table_number_is_read_or_reported_unread(audited, opening):
    result = audited[opening.name]
    acc = account(result, opening.text)
    assert acc.lost_lines == [], f"lines whose numbers were neither read nor reported: {acc.lost_lines}"
    if acc.unread:  # said by a finding: unplaced numbers, or the last numbers of a cut text
        assert any(f.rule in ("READ-UNREAD-CELLS", "READ-TRUNCATED") for f in result.findings)


@pytest.mark.parametrize("opening", ALL, ids=lambda o: o.name)
def test_the_cut_invents_no_failure_and_only_known_defects_are_errors(audited, opening):
    result = audited[opening.name]
    must = set(FINDINGS["must_report"].get(opening.name, []))
    assert not [f.message for f in result.findings if f.rule[:3] in ("T3-", "T4-") and f.status == "fail"]
    errors = {f.rule for f in result.findings if f.severity == "error"}
    assert errors <= must, [f.message for f in result.findings if f.severity == "error" and f.rule not in must]


@pytest.mark.parametrize("name", sorted(FINDINGS["must_report"]))
def test_genuine_defects_are_reported(audited, name):
    rules = {f.rule for f in audited[name].findings if f.severity in ("error", "warning")}
    assert set(FINDINGS["must_report"][name]) <= rules


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ALL), st.floats(0.1, 1.0), st.integers(0, 30), st.data())
def test_an_opening_cut_anywhere_loses_nothing_and_invents_nothing(tmp_path, opening, share, trim, data):
    """The hidden set holds openings cut at other places: cut each one at any line (and inside
    it), and whatever is still recognised keeps every visible number accounted for, reports no
    missing part after the cut and no arithmetic failure."""
    lines = opening.text.splitlines(keepends=True)
    kept = "".join(lines[:max(1, round(len(lines) * share))])
    text = kept[:max(1, len(kept) - trim)] if data.draw(st.booleans()) else kept
    path = tmp_path / opening.name
    path.write_text(text, encoding="utf-8")
    result = audit_file(path)
    if result.error is not None:
        return  # cut before anything shows it is a report
    assert account(result, text).lost_lines == []
    assert not [f.message for f in result.findings if f.rule[:3] in ("T3-", "T4-") and f.status == "fail"]
    must = set(FINDINGS["must_report"].get(opening.name, [])) | {"STRUCT-FORMAT-YEAR"}
    assert not [f.message for f in result.findings if f.severity == "error" and f.rule not in must]
