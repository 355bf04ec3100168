"""Realistic generated reports: a random agency and year of the format, tables of a real
report's shape, and a body whose sentences state the tables' figures correctly."""
from __future__ import annotations

import random
from typing import Optional

from auditor.spec import format_spec
from tests.support.corpus.narrative import agency_name, rich_body
from tests.support.corpus.tables import realistic_t2, realistic_t3, realistic_t4
from tests.support.reportgen import GenReport

YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024, 2025)}


def rich_report(template: str = "2021", year: Optional[int] = None, seed: int = 0,
                agency: Optional[str] = None) -> GenReport:
    format_spec(template)  # an unknown template fails here, with the spec's message
    rng = random.Random(f"rich-{template}-{seed}")
    year = year or rng.choice(YEARS[template])
    rep = GenReport(template, year, agency=agency or agency_name(rng),
                    t2=realistic_t2(template, rng), t3=realistic_t3(template, rng), t4=realistic_t4(rng))
    rep.title_with_agency = rng.random() < 0.5
    rep.sign_day = rng.randint(10, 31)
    rep.cases_after_table = rng.random() < 0.5
    rep.body = rich_body(rep, rng)
    return rep
