"""A baseline: the findings of an earlier batch, by report and fingerprint, so the next run
can say which findings are new, which are still there, and which were fixed.

Reports are keyed by their path as given to the batch (relative paths stay valid when the
folder is moved); fingerprints do not contain line numbers, so editing a report elsewhere
does not make its old findings look new.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

FORMAT_VERSION = 1


@dataclass
class ReportDelta:
    new: set[str] = field(default_factory=set)
    still: set[str] = field(default_factory=set)
    fixed: set[str] = field(default_factory=set)


def load(path: Path) -> dict[str, set[str]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION:
            raise ValueError
        return {key: set(fps) for key, fps in data["reports"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise InputError(str(path), "不是本工具写出的基线文件（或已损坏）；请删除后重新运行以生成新的基线") from None


def save(path: Path, current: dict[str, set[str]]) -> None:
    data = {"version": FORMAT_VERSION, "reports": {key: sorted(fps) for key, fps in sorted(current.items())}}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def compare(baseline: dict[str, set[str]], current: dict[str, set[str]]) -> dict[str, ReportDelta]:
    """Per report: findings not in the baseline, in both, and in the baseline only."""
    out: dict[str, ReportDelta] = {}
    for key in sorted(set(baseline) | set(current)):
        before, now = baseline.get(key, set()), current.get(key, set())
        out[key] = ReportDelta(now - before, now & before, before - now)
    return out


def totals(deltas: dict[str, ReportDelta]) -> dict[str, int]:
    return {name: sum(len(getattr(d, name)) for d in deltas.values()) for name in ("new", "still", "fixed")}
