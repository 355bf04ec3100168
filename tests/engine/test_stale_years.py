"""Stale years in prose (YEAR-BODY), as properties: set one year that opens a sentence on this
year's work back by one, in a generated report or in a real report opening, and the auditor
must report YEAR-BODY on that very sentence; the untouched texts get no YEAR-BODY at all.

The places a year opens a sentence are found from the text alone (real_openings.year_sites),
with or without the comma after the year ("2019年，我乡……", "2019年我乡按照《条例》……")."""
from __future__ import annotations

import pytest
import regex as re
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.auditing import audit_text_result
from tests.support.real_openings import openings, sentence_at, set_back, year_sites, year_stated_elsewhere
from tests.support.reportgen import render
from tests.support.strategies import rich_reports

OPENINGS = openings()
# (opening, site): every real place a year opens a sentence, where the text names its year elsewhere.
REAL_SITES = [(o, site) for o in OPENINGS for site in year_sites(o.text, o.expected["year"])
              if year_stated_elsewhere(set_back(o.text, site), o.expected["year"])]


def _compact(text: str) -> str:
    return "".join(text.split())


def _flagged(result, text: str, site: int) -> bool:
    start = _compact(sentence_at(text, site))[:12]
    return any(f.rule == "YEAR-BODY" and start in _compact(f.excerpt or "") for f in result.findings)


def _without_comma(text: str, site: int) -> str:
    """'2019年，我乡……' written '2019年我乡……' (the comma after the year dropped), unless the
    comma keeps a date apart ('2019年，截至12月31日' is not '2019年截至12月31日')."""
    end = site + 4 + (2 if text[site + 4:site + 6] == "年度" else 1)
    if text[end:end + 1] not in "，," or re.match(r"\s*(?:截至|截止|至|\d)", text[end + 1:]):
        return text
    return text[:end] + text[end + 1:]


def test_the_real_openings_have_sentences_opening_with_their_year():
    assert len(REAL_SITES) >= 30


@pytest.mark.parametrize("opening", OPENINGS, ids=lambda o: o.name)
def test_untouched_real_openings_have_no_stale_year(opening):
    result = audit_text_result(opening.text)
    assert not [f.excerpt for f in result.findings if f.rule == "YEAR-BODY"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REAL_SITES), st.booleans())
def test_a_year_set_back_in_a_real_opening_is_reported_on_its_sentence(pair, drop_comma):
    opening, site = pair
    text = _without_comma(opening.text, site) if drop_comma else opening.text
    changed = set_back(text, site)
    assert _flagged(audit_text_result(changed), changed, site), sentence_at(changed, site)[:60]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_reports(), st.data())
def test_a_year_set_back_in_a_generated_report_is_reported_on_its_sentence(rep, data):
    text = render(rep, "tabs")
    sites = year_sites(text, rep.year)
    assert sites, "a generated report opens sentences with its year"
    site = data.draw(st.sampled_from(sites))
    if data.draw(st.booleans()):
        text = _without_comma(text, site)
    assert not [f for f in audit_text_result(text).findings if f.rule == "YEAR-BODY"]
    changed = set_back(text, site)
    assert _flagged(audit_text_result(changed), changed, site), sentence_at(changed, site)[:60]
