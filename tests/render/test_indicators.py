"""Indicators computed from 表三 and 表四, checked against the generator's own numbers."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from tests.support.auditing import audit_text_result
from auditor.indicators import INDICATORS, MIN_RANKED, changes, indicators, ranks
from tests.support.reportgen import make_report, render


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), template=st.sampled_from(["2019", "2021"]))
def test_indicators_are_the_defined_ratios_of_the_printed_cells(seed, template):
    rep = make_report(template, seed=seed)
    got = indicators(audit_text_result(render(rep, "tabs")).report)
    t3 = {row: cols["tot"] for row, cols in rep.t3.items()}
    t4 = rep.t4
    received = t3["new"] + t3["carried"]
    unable = t3["unable_1"] + t3["unable_2"] + t3["unable_3"]

    def ratio(a, b):
        return None if b == 0 else pytest.approx(a / b, abs=1e-4)

    decided = t4["review"]["total"] - t4["review"]["pending"]
    suits = ("suit_direct", "suit_after_review")
    suit_decided = sum(t4[b]["total"] - t4[b]["pending"] for b in suits)
    assert got == {
        "disclosed": ratio(t3["open"] + t3["partial"], received),
        "unable": ratio(unable, t3["handled_total"]),
        "not_held": ratio(t3["unable_1"], t3["handled_total"]),
        "carried": ratio(t3["carry_fwd"], received),
        "review_corrected": ratio(t4["review"]["corrected"], decided),
        "suit_corrected": ratio(sum(t4[b]["corrected"] for b in suits), suit_decided),
    }


def test_a_blank_cell_leaves_its_indicators_unknown_never_zero():
    text = render(make_report("2021", seed=7), "tabs")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("（一）予以公开\t"))
    lines[at] = lines[at].rsplit("\t", 1)[0] + "\t"  # its 总计 left blank
    result = audit_text_result("\n".join(lines))
    assert result.report.tables["t3"].value("open", "tot") is None
    got = indicators(result.report)
    assert got["disclosed"] is None and got["carried"] is not None
    assert indicators(None) == {i.id: None for i in INDICATORS}


def test_changes_from_last_year_and_no_ranks_under_thirty():
    assert changes({"disclosed": 0.5, "unable": None}, {"disclosed": 0.4, "unable": 0.1}) == {"disclosed": 0.1, "unable": None}
    assert changes({"disclosed": 0.5}, None) == {"disclosed": None}
    assert ranks([0.1 * (i % 10) for i in range(MIN_RANKED - 1)]) == [None] * (MIN_RANKED - 1)
    values = [i / 100 for i in range(MIN_RANKED)] + [None]
    ranked = ranks(values)
    assert ranked[MIN_RANKED - 1] == 1 and ranked[0] == MIN_RANKED and ranked[-1] is None


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 0.5, 0.75, 1.0]), st.floats(0, 1)),
                min_size=MIN_RANKED, max_size=120))
def test_a_rank_is_one_more_than_the_values_above_it_and_ties_share_it(values):
    ranked = ranks(values)
    known = [v for v in values if v is not None]
    if len(known) < MIN_RANKED:
        assert ranked == [None] * len(values)
        return
    assert ranked == [None if v is None else 1 + sum(other > v for other in known) for v in values]


def test_ranks_of_a_large_batch_take_no_longer_than_sorting_it():
    import time

    values = [(i * 7919 % 100_003) / 100_003 for i in range(100_000)]  # distinct, unsorted
    start = time.perf_counter()
    ranked = ranks(values)
    assert time.perf_counter() - start < 5  # a scan of the sorted list per value took minutes here
    assert ranked[values.index(max(values))] == 1 and sorted(ranked) == list(range(1, 100_001))
