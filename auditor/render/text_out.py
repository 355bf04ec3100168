"""A terminal summary: one block per report, findings by severity."""
from __future__ import annotations

from ..labels import FORMAT_SHORT_NAMES, SEVERITY_LABELS as _LABEL
from ..model import AuditResult

_STATUS = {"fail": "", "uncertain": "（无法核对）"}


def render_text(result: AuditResult) -> str:
    if result.error:
        return f"✗ {result.path}\n  无法审查：{result.error}\n"
    report = result.report
    s = result.summary
    head = (
        f"{'✗' if s['error'] else '✓'} {result.path}\n"
        f"  {report.agency or '（未识别机关）'} · {report.year or '年度未知'} 年度 · "
        f"{FORMAT_SHORT_NAMES.get(report.template or '', '格式未识别')} · "
        f"错误 {s['error']} · 警告 {s['warning']} · 提示 {s['info']}"
        f"{f' · 已豁免 {result.suppressed}' if result.suppressed else ''}\n"
    )
    lines = [head]
    shown = {f.fingerprint for f in result.findings}
    under: dict[str, list] = {}
    for f in result.findings:  # a finding a pinpoint explains is printed under that pinpoint
        if f.explained_by in shown and f.explained_by != f.fingerprint:
            under.setdefault(f.explained_by, []).append(f)
    for f in result.findings:
        if f.explained_by in under and f in under[f.explained_by]:
            continue
        lines.append(_line(f, "  "))
        for e in under.get(f.fingerprint, []):
            lines.append(_line(e, "      ↳ 由此引起，不另计数："))
    return "".join(lines)


def _line(f, indent: str) -> str:
    where = f"{f.location} " if f.location else ""
    waived = f"[已豁免：{f.suppressed.reason}] " if f.suppressed else ""
    return f"{indent}{waived}[{_LABEL[f.severity]}] {f.rule}{_STATUS[f.status]} {where}{f.message}\n"
