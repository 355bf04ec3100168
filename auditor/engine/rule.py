"""A rule as the catalogue gives it: what is checked (kind, params), how it is said (message),
and its documentation. It stands alone: the kinds that carry rules out, the catalogue that
reads them and the renderers all import it, and it imports nothing from the engine."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RuleExample:
    verdict: str  # pass | fail
    template: str  # "2019" | "2021": the format of the generated report
    says: str  # the situation in words
    edits: dict[str, Any]  # EDIT_KEYS → value as written in the TOML
    message: str | None = None  # a failing finding of the rule must contain this text
    runnable: bool = True  # False: described only (needs two years' reports or a PDF)


@dataclass(frozen=True)
class RuleDoc:
    what: str
    why: str
    fix: str
    examples: tuple[RuleExample, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    formats: tuple[str, ...]
    kind: str
    message: str
    params: dict[str, Any]
    doc: RuleDoc
    path: str = field(default="", compare=False)

    def applies_to(self, template: str | None) -> bool:
        return template is None or template in self.formats

    def render(self, **values: Any) -> str:
        # Placeholders were checked against the kind's fields when the rule loaded; one a kind
        # leaves out on some path shows as written instead of stopping the file's audit.
        return self.message.format_map(_Filled(values))


class _Filled(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
