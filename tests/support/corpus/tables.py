"""Consistent tables with the shape real reports have: most requests from natural persons,
most outcomes 予以公开 or 无法提供, review and lawsuit counts small and often nil, and
表二 figures of the size a county office prints (decimals for money).

Every 表三 column satisfies both official identities, every 表四 block adds up; the values
are plain ints (表三/表四) or the printed text (表二), as in reportgen.
"""
from __future__ import annotations

import random
from collections import Counter

from auditor.spec import format_spec

ORG = ["np", "biz", "sci", "pub", "law", "oth"]

# Who asks: natural persons nearly always; companies and law firms sometimes.
_APPLICANTS = {"np": 0.86, "biz": 0.06, "sci": 0.005, "pub": 0.005, "law": 0.04, "oth": 0.03}

# How requests end, roughly as in the published reports of 2020–2024.
_OUTCOMES = {
    "open": 0.42, "partial": 0.12,
    "deny_1": 0.003, "deny_2": 0.004, "deny_3": 0.004, "deny_4": 0.01, "deny_5": 0.01, "deny_6": 0.012,
    "deny_7": 0.006, "deny_8": 0.006,
    "unable_1": 0.2, "unable_2": 0.03, "unable_3": 0.015,
    "noproc_1": 0.03, "noproc_2": 0.02, "noproc_3": 0.004, "noproc_4": 0.004, "noproc_5": 0.006,
    "other": 0.05, "other_1": 0.02, "other_2": 0.002, "other_3": 0.03,
}


def split(total: int, weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """total items spread at random over the keys in proportion to the weights."""
    if total <= 0:
        return {k: 0 for k in weights}
    counts = Counter(rng.choices(list(weights), list(weights.values()), k=total))
    return {k: counts.get(k, 0) for k in weights}


def realistic_t3(template: str, rng: random.Random) -> dict:
    spec = format_spec(template)
    outcomes = spec.t3_outcome_rows
    weights = {r: _OUTCOMES[r] for r in outcomes}
    size = 0 if rng.random() < 0.06 else int(10 ** rng.uniform(0.3, 3.4))
    new = split(size, _APPLICANTS, rng)
    t3 = {r: {c: 0 for c in ORG + ["tot"]} for r in spec.t3_rows}
    for c in ORG:
        carried = rng.randint(0, new[c] // 8) if rng.random() < 0.5 else 0
        pending = new[c] + carried
        forward = rng.randint(0, pending // 6) if rng.random() < 0.5 else 0
        counts = split(pending - forward, weights, rng)
        for r in outcomes:
            t3[r][c] = counts[r]
        t3["new"][c], t3["carried"][c] = new[c], carried
        t3["handled_total"][c], t3["carry_fwd"][c] = pending - forward, forward
    for r in t3:
        t3[r]["tot"] = sum(t3[r][c] for c in ORG)
    return t3


def realistic_t4(rng: random.Random) -> dict:
    """Most agencies have no case at all; the others a few, reviews more often than suits."""
    t4 = {}
    busy = rng.random() < 0.55
    for block, high in (("review", 12), ("suit_direct", 4), ("suit_after_review", 3)):
        if not busy or rng.random() < 0.3:
            parts = {c: 0 for c in ("maintained", "corrected", "other", "pending")}
        else:
            parts = split(rng.randint(1, high), {"maintained": 0.6, "corrected": 0.1, "other": 0.15, "pending": 0.15}, rng)
        t4[block] = {**parts, "total": sum(parts.values())}
    return t4


def _money(rng: random.Random, high: float) -> str:
    if rng.random() < 0.3:
        return "0"
    return f"{rng.uniform(0.5, high):.2f}".rstrip("0").rstrip(".")


def realistic_t2(template: str, rng: random.Random) -> dict:
    """表二 as printed text per (block, row)."""
    rule_maker = rng.random() < 0.15  # only governments of cities with districts make 规章
    if template == "2021":
        made = rng.randint(0, 2) if rule_maker else 0
        regulations = [made, rng.randint(0, 1) if rule_maker else 0, rng.randint(made, 40) if rule_maker else 0]
        docs_made = rng.randint(0, 25)
        docs_repealed = rng.randint(0, 8)
        values = {
            ("art20_1", "regulations"): regulations,
            ("art20_1", "normative_docs"): [docs_made, docs_repealed, rng.randint(docs_made, docs_made + 150)],
            ("art20_5", "licensing"): [rng.choice([0, rng.randint(1, 300), rng.randint(300, 60000)])],
            ("art20_6", "punishment"): [rng.choice([0, rng.randint(1, 200), rng.randint(200, 9000)])],
            ("art20_6", "coercion"): [rng.choice([0, rng.randint(1, 50), rng.randint(50, 900)])],
            ("art20_8", "fees"): [_money(rng, 9000)],
        }
    else:
        def items() -> list:
            prev = rng.randint(0, 300)
            return [prev, rng.randint(-min(prev, 20), 20), rng.randint(0, 20000)]

        docs_made = rng.randint(0, 25)
        values = {
            ("art20_1", "regulations"): [0, 0, 0] if not rule_maker else [1, 1, rng.randint(1, 30)],
            ("art20_1", "normative_docs"): [docs_made, rng.randint(0, docs_made), rng.randint(docs_made, docs_made + 150)],
            ("art20_5", "licensing"): items(),
            ("art20_5", "other_services"): items(),
            ("art20_6", "punishment"): items(),
            ("art20_6", "coercion"): items(),
            ("art20_8", "fees"): items()[:2],
            ("art20_9", "central_procurement"): [rng.randint(0, 60), _money(rng, 3000)],
        }
    return {key: [str(v) for v in row] for key, row in values.items()}


def t2_number(text: str) -> float | None:
    """The value a printed 表二 cell stands for (blank: None)."""
    text = text.strip()
    return float(text) if text else None
