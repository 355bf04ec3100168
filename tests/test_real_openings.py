"""The real report openings (tests/real_openings.py): each is recognised, gets its year, every
number its tables print is read or reported unread, the cut is not mistaken for defects, and
the genuine defects are reported."""
from __future__ import annotations

import tomllib

import pytest
import regex as re

from auditor import audit_file
from real_openings import OPENINGS, account, openings

ALL = openings()
FINDINGS = tomllib.loads((OPENINGS.parent / "real-openings-findings.toml").read_text(encoding="utf-8"))
# A whole government's report may name the place alone ("上海市", "西山区").
_ORG_END = re.compile(r"(?:局|委|委员会|办|办公室|办公厅|政府|街道|街道办事处|办事处|乡|镇|室|院|中心|部|署|厅|会|所|站|处|队|省|市|区|县|州|旗)$")
_NOT_A_NAME_START = re.compile(r"^(?:我|本|全|在|各|对|由|按|经|该|Page)")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("openings")
    return {o.name: audit_file(o.write(folder)) for o in ALL}


def _common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


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
    expected = re.sub(r"[\s()（）]|某|lzq\.gov\.cn", "", opening.expected["agency"])
    assert _ORG_END.search(agency) and not _NOT_A_NAME_START.search(agency), agency
    assert _common_run(agency, expected) >= min(3, len(agency)), (agency, expected)


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
