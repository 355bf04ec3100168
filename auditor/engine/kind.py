"""What a rule kind is, in one place: the contract every kind of check declares.

A rule (rules/*.toml, engine/rule.py) says *what* is checked: a kind and its params, a message.
A kind says *how*: its check function, registered with one decorator beside it,

    @kind("copied_text", scope=PAIR, params={"threshold": Param(float, default=0.5)},
          fields=("share", "threshold", "last_year", "last_file"))
    def check_copied_text(earlier, current, rule): ...

which declares what the catalogue checks every rule against when it loads (params by name and
type, required ones present; every {placeholder} of the message a field the kind fills) and
what the engine needs to run it (its scope: what the check is given). A new kind is one
decorated function and its rules' docs; nothing else names kinds.
"""
from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

# Scopes: what a kind's check function is given, so where the engine runs it.
REPORT = "report"  # check(report, rule): one report
CATALOGUE = "catalogue"  # check(report, rule, rules): one report and the other rules (identities to pinpoint)
PAIR = "pair"  # check(earlier, current, rule): YearRecords of one agency in consecutive years
OFFICE = "office"  # check(result, context, rule): one audited report with what the office knows (roster, dates)
BATCH = "batch"  # check(submissions, context, rule): the whole batch against the office's roster (an iterable
#                 that may be read more than once: a large batch reads it from disk at each pass)
SCOPES = (REPORT, CATALOGUE, PAIR, OFFICE, BATCH)

# Why the examples of a kind's rules can only be described, not run on one generated text report.
_DESCRIBED_ONLY = {
    PAIR: "此例需要同一机关相邻两年的报告一起批量审查，无法用一份报告演示",
    OFFICE: "此例需要主管部门的单位名录、发布日期或原文件，无法用一份生成的文本报告演示",
    BATCH: "此例需要主管部门的单位名录和整批报告，无法用一份报告演示",
}

ParamType = Union[type, types.GenericAlias]  # str, float, int, bool, list[str]
_TYPE_WORDS = {str: "文字（用引号括起）", float: "数", int: "整数", bool: "布尔值 true 或 false（不加引号）", list[str]: "文字的列表，如 [\"a\", \"b\"]"}


@dataclass(frozen=True)
class Param:
    """One param a rule of the kind may set in [params]."""

    type: ParamType
    required: bool = False
    default: Any = None  # given to rules that leave the param out (None: the param stays absent)
    # A message template the kind fills: True, with the kind's fields; a tuple, with these names.
    message: Union[bool, tuple[str, ...]] = False

    def problem(self, value: Any) -> Optional[str]:
        """Why the value does not fit the type, in words; None when it fits."""
        if _fits(value, self.type):
            return None
        return f"应为{_TYPE_WORDS.get(self.type, str(self.type))}，而不是 {value!r}"


def _fits(value: Any, wanted: ParamType) -> bool:
    if wanted is float:  # a whole number is a number too: threshold = 1
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if wanted is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(wanted, types.GenericAlias):  # list[str]
        (item,) = wanted.__args__
        return isinstance(value, wanted.__origin__) and all(_fits(v, item) for v in value)
    return isinstance(value, wanted)


@dataclass(frozen=True)
class Kind:
    name: str
    scope: str
    check: Callable[..., list]
    params: dict[str, Param] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # what `message` may name as {placeholders}
    pinpoints: bool = False  # its findings name the one cell that explains failing equations
    equations: bool = False  # its rules are sums over a table's cells (pinpointing reads them)
    # Checks of the params beyond their types (e.g. that tables, rows and columns exist in the
    # rule's formats): a function (params, formats) → the problem in Chinese, or None.
    validate: Optional[Callable[[dict[str, Any], tuple[str, ...]], Optional[str]]] = None
    described_only: Optional[str] = None  # why its examples cannot run on a generated text report
    summary: str = ""  # what it checks, when the check function has no docstring saying it

    @property
    def doc(self) -> str:
        return self.summary or (self.check.__doc__ or "").strip()

    def with_defaults(self, params: dict[str, Any]) -> dict[str, Any]:
        """The rule's params with the defaults of those it leaves out."""
        defaults = {k: p.default for k, p in self.params.items() if p.default is not None and k not in params}
        return {**params, **defaults} if defaults else params


_KINDS: dict[str, Kind] = {}


def kind(name: str, *, scope: str = REPORT, params: Optional[dict[str, Param]] = None,
         fields: tuple[str, ...] = (), pinpoints: bool = False, equations: bool = False,
         validate: Optional[Callable] = None, described_only: Optional[str] = None, doc: str = "") -> Callable:
    """Register the decorated check function as the kind `name` (see the module docstring)."""
    if scope not in SCOPES:
        raise ValueError(f"kind {name}: unknown scope {scope!r}")

    def register(check: Callable) -> Callable:
        if name in _KINDS and _KINDS[name].check is not check:
            raise ValueError(f"kind {name} is registered twice ({_KINDS[name].check.__module__}, {check.__module__})")
        _KINDS[name] = Kind(name, scope, check, dict(params or {}), tuple(fields), pinpoints, equations, validate,
                            described_only or _DESCRIBED_ONLY.get(scope), doc)
        return check

    return register


def kind_named(name: str) -> Optional[Kind]:
    return _KINDS.get(name)


def registered_kinds() -> dict[str, Kind]:
    """Every kind registered so far (the engine imports all kind modules before it asks)."""
    return dict(_KINDS)
