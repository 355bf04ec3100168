"""Matching printed row labels to the template's labels.

Printed labels are broken over lines, split per character, missing words ("其他法律行政止公开")
or carry a group label in front ("（三）不予公开1.属于国家秘密"). A label is compared on its
key (no spaces or punctuation) with its list marker ("1.", "（三）") scored separately.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

import regex as re

from ..textnorm import label_key, numbering

MIN_MATCH = 0.5
# A filling hint in brackets after a label: "规章(设区的市、自治州人民政府应提供相关数据)",
# "其他对外管理服务事项(指行政许可以外的……)"; the official "（二）部分公开（区分处理的，…）" has one too.
_HINT = re.compile(r"[（(][^（）()]*[)）]")


@lru_cache(maxsize=4096)
def _parts(label: str) -> tuple[str | None, str, str]:
    """The list marker, the key, and the key without bracketed hints."""
    marker, rest = numbering(label)
    return marker, label_key(rest), label_key(_HINT.sub("", rest))


@lru_cache(maxsize=65536)
def similarity(printed: str, official: str) -> float:
    """0..1.15: how well a printed label matches an official one (markers agreeing add a little).
    Labels are compared with and without their bracketed hints: local versions of the format
    add long hints ("规章(设区的市…应提供相关数据)") that are not part of the label."""
    p_marker, p_core, p_bare = _parts(printed)
    o_marker, o_core, o_bare = _parts(official)
    score = _core_score(p_core, o_core)
    if (p_bare != p_core or o_bare != o_core) and p_bare and o_bare:
        score = max(score, _core_score(p_bare, o_bare))
    if score == 0.0:
        return 0.0
    if p_marker and o_marker:
        score += 0.15 if p_marker == o_marker else -0.3
    return score


def _core_score(p_core: str, o_core: str) -> float:
    if not p_core or not o_core:
        return 0.0
    if p_core == o_core:
        score = 1.0
    elif len(o_core) >= 4 and o_core in p_core and len(p_core) <= 2 * len(o_core):
        score = 0.95
    elif len(p_core) >= 4 and p_core in o_core:
        score = 0.9
    else:
        matcher = SequenceMatcher(None, p_core, o_core, autojunk=False)
        if matcher.real_quick_ratio() < 0.4 or matcher.quick_ratio() < 0.4:
            return 0.0
        score = matcher.ratio()
    return score


def own_label(fragments: list[str]) -> str:
    """The row's own label: from the last numbered fragment on (earlier ones are group labels)."""
    for i in range(len(fragments) - 1, -1, -1):
        if numbering(fragments[i])[0]:
            return "".join(fragments[i:])
    return "".join(fragments[-1:])


def best_label_score(candidates: list[str], official: str) -> float:
    return max((similarity(c, official) for c in candidates if c), default=0.0)


@lru_cache(maxsize=8)  # one for each table's official labels
def label_scorer(official: tuple[str, ...]):
    """A row's best_label_score against each of these official labels, and the labels it
    matches at least MIN_MATCH with their scores (few: an alignment looks at those only).
    Reports print the same labels, so they are worked out once per process; a table asks
    through its own scorer, so that its long tuple of labels is not hashed for every row."""

    @lru_cache(maxsize=4096)
    def scores_and_matches(candidates: tuple[str, ...]) -> tuple[tuple[float, ...], tuple[tuple[int, float], ...]]:
        scores = tuple(best_label_score(list(candidates), label) for label in official)
        return scores, tuple((j, s) for j, s in enumerate(scores) if s >= MIN_MATCH)

    return scores_and_matches
