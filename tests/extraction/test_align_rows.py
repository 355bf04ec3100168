"""The alignment of value rows to the template's rows is the best monotone one, as the plain
dynamic programme over every (value row, template row) pair finds it, ties included."""
from hypothesis import given, settings, strategies as st

from auditor.extraction.labels import MIN_MATCH, best_label_score
from auditor.extraction.tables import NO_LABEL_SCORE, align_rows
from auditor.extraction.value_rows import ValueRow
from auditor.spec import format_spec

_LABELS = format_spec("2021").t3_alignable


def _plain_alignment(value_rows, labels):
    ids = list(labels)
    n, m = len(value_rows), len(ids)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        candidates = tuple(value_rows[i - 1].label_candidates())
        scores = [best_label_score(list(candidates), label) for label in labels.values()] if candidates \
            else [NO_LABEL_SCORE] * m
        for j in range(1, m + 1):
            s = scores[j - 1]
            best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            if (s >= MIN_MATCH or not candidates) and score[i - 1][j - 1] + s > best:
                best, how = score[i - 1][j - 1] + s, 3
            score[i][j], move[i][j] = best, how
    pairs, i, j = [], n, m
    while i > 0 and j > 0:
        if move[i][j] == 3:
            pairs.append((i - 1, ids[j - 1]))
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


# A printed label: an official one (perhaps cut short or with a word dropped), a stranger, or none.
_official = st.sampled_from(list(_LABELS.values()))
_label = st.one_of(
    _official,
    _official.map(lambda label: label[: max(2, len(label) // 2)]),
    st.tuples(_official, st.integers(0, 10)).map(lambda p: p[0][: p[1]] + p[0][p[1] + 2:]),
    st.sampled_from(["合计", "其他", "备注：无", "申请人情况", ""]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_label, max_size=30))
def test_alignment_is_the_plain_dynamic_programmes(printed):
    value_rows = [ValueRow([], [label] if label else [], [], False, None) for label in printed]
    assert align_rows(value_rows, _LABELS) == _plain_alignment(value_rows, _LABELS)
