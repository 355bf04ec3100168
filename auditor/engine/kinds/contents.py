"""Required contents of the narrative (国办公开办函〔2021〕30号 and 条例第五十条): what a part
must say, beyond its numbers.

A rule about a part only speaks when the text holds that part whole: its heading was found,
the text does not stop inside or before it (Report.cut) and does not start after it
(Report.start). A web excerpt cut in section 一 says nothing about section 五.
"""
from __future__ import annotations

from typing import Optional

import regex as re

from ...model import Finding, Report, Sentence
from ...spec import T3_TOTAL
from ..kind import kind

ORDER = ("s1", "s2", "s3", "s4", "s5", "s6")
SECTION_NAMES = {"s1": "第一部分“总体情况”", "s5": "第五部分“存在的主要问题及改进情况”", "s6": "第六部分“其他需要报告的事项”"}

DEFAULT_MEASURES = (r"下一步|今后|明年|将|拟|计划|措施|整改|改进|改正|纠正|加强|完善|健全|优化|强化|提升|提高|推进|规范|"
                    r"建立|落实")
_NEEDS = re.compile(r"(?:有待|亟待|亟需|急需|需要|仍需|还需|尚需|不够|不足)(?:进一步|持续|继续)?\p{Han}{0,2}")
_EMPTY = re.compile(r"^[\s。．.;；:：、]*(?:无|暂无|没有|无相关情况|本年度无)?[\s。．.;；:：]*$")


def part_whole(report: Report, sid: str) -> bool:
    """The text holds section `sid` from its heading to the next part (or the end)."""
    section = report.sections.get(sid)
    if section is None or section.heading is None:
        return False
    at = ORDER.index(sid)
    start = report.start
    if start is not None and (ORDER.index(start.section) > at or (start.section == sid and not start.heading)):
        return False
    cut = report.cut
    if cut is not None and (cut.section is None or ORDER.index(cut.section) <= at):
        return False
    # A copy may stop at a line's end inside the part without looking cut: the next part's
    # heading closes it (the last part runs to the end of the text).
    following = report.sections.get(ORDER[at + 1]) if at + 1 < len(ORDER) else None
    return at + 1 == len(ORDER) or (following is not None and following.heading is not None)


def part_sentences(report: Report, sid: str) -> list[Sentence]:
    """The sentences of a part, without its heading and the sign-off (agency and date)."""
    section = report.sections.get(sid)
    heading_line = section.line if section else None
    signoff_line = report.signoff.line if report.signoff else None
    out = []
    for s in report.sentences:
        if s.section != sid or (s.line == heading_line and _is_heading(s.text, section)):
            continue
        if signoff_line is not None and s.line is not None and s.line >= signoff_line - 1 and _is_signoff(s.text, report):
            continue
        out.append(s)
    return out


def _is_heading(text: str, section) -> bool:
    return section is not None and section.heading is not None and "".join(text.split()).startswith(
        "".join(section.heading.split())[:4])


def _is_signoff(text: str, report: Report) -> bool:
    compact = "".join(text.split())
    return bool(report.signoff) and (compact.endswith(report.signoff.text.replace(" ", "")) or compact == (report.agency or ""))


def _text(sentences: list[Sentence]) -> str:
    return "".join(s.text for s in sentences)


def _location(report: Report, sid: str) -> tuple[Optional[int], Optional[int]]:
    section = report.sections.get(sid)
    return (section.line if section else None), None


def _finding(rule, report: Report, sid: str, message: str, key: str, severity: Optional[str] = None,
             excerpt: Optional[str] = None) -> Finding:
    line, page = _location(report, sid)
    return Finding(rule.id, severity or rule.severity, "fail", message, line=line, page=page,
                   excerpt=excerpt, key=key)


def _terms(rule, name: str, default: str) -> re.Pattern:
    return re.compile(rule.params.get(name, default))


# ---------------------------------------------------------------- NARR-SEC5-THIN


@kind("section5_measures", fields=("problem", "section"))
def check_section5_measures(report: Report, rule) -> list[Finding]:
    """Section 五 empty, only "无", or naming problems without any measure to improve."""
    if not part_whole(report, "s5"):
        return []
    sentences = part_sentences(report, "s5")
    text = _text(sentences)
    if _EMPTY.match(text):
        shown = text.strip() or "（空白）"
        return [_finding(rule, report, "s5", rule.render(section=SECTION_NAMES["s5"], problem=f"只有“{shown}”，没有写存在的问题和改进情况"),
                         key="s5-empty")]
    # "有待提升""仍需加强" name a problem, not a measure: taken out before measures are looked for.
    stated = _NEEDS.sub("", text)
    if _terms(rule, "measures", DEFAULT_MEASURES).search(stated):
        return []
    excerpt = text[:80]
    return [_finding(rule, report, "s5", rule.render(section=SECTION_NAMES["s5"],
                                                      problem=f"只写了问题（“{excerpt}”），没有写改进措施或整改情况"),
                     key="s5-no-measure", excerpt=excerpt)]


# ---------------------------------------------------------------- NARR-FEE-REPORTED


@kind("fee_reported", fields=("problem", "section"))
def check_fee_reported(report: Report, rule) -> list[Finding]:
    """The report says whether 信息处理费 was charged; it must where 表三 shows requests closed
    for unpaid fees (row "2.申请人逾期未按收费通知要求缴纳费用")."""
    if not part_whole(report, "s6"):
        return []
    said = _terms(rule, "fee_terms", r"信息处理费|处理费|收费|收取[^。；]{0,12}费|费用")
    if said.search(_text(report.sentences)):
        return []
    unpaid = _unpaid_fee_requests(report)
    if unpaid:
        problem = (f"表三“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”一行总计为 {unpaid} 件，"
                   "说明本年度发出过收费通知，报告却没有说明收取信息处理费的情况")
        return [_finding(rule, report, "s6", rule.render(section=SECTION_NAMES["s6"], problem=problem), key="fee-unpaid",
                         severity="error")]
    problem = "没有说明本年度是否收取信息处理费（未收取也应写明）"
    return [_finding(rule, report, "s6", rule.render(section=SECTION_NAMES["s6"], problem=problem), key="fee-silent")]


def _unpaid_fee_requests(report: Report) -> Optional[int]:
    table = report.tables.get("t3")
    if table is None or "other_2" not in table.row_labels:
        return None
    value = table.value("other_2", T3_TOTAL)
    return int(value) if value else None


# ---------------------------------------------------------------- NARR-GOV-SUPERVISION

SUPERVISION_ITEMS = {  # what 条例第五十条 asks a government's report for, and words that report it
    "工作考核": r"考核|考评|绩效",
    "社会评议": r"评议|满意度|第三方评估|群众评价|社会评价",
    "责任追究结果": r"责任追究|追责|问责|追究",
}


def is_government(report: Report) -> bool:
    """A people's government itself reports (not its office, a department or a 街道办事处)."""
    return "".join((report.agency or "").split()).endswith("人民政府")


@kind("government_supervision", fields=("missing",))
def check_government_supervision(report: Report, rule) -> list[Finding]:
    """A government's report covers 工作考核、社会评议和责任追究结果 (条例第五十条)."""
    # Said anywhere counts (some report it under 五 or 六), so only a whole text can lack it.
    if not is_government(report) or not part_whole(report, "s6") or report.cut or report.start:
        return []
    text = _text(report.sentences)
    missing = [item for item, words in SUPERVISION_ITEMS.items() if not re.search(words, text)]
    if not missing:
        return []
    return [_finding(rule, report, "s1", rule.render(missing="、".join(missing)), key="supervision:" + "|".join(missing))]


# ---------------------------------------------------------------- STRUCT-SEC6-ELEMENTS

SECTION6_ITEMS = {  # what 〔2021〕30号 asks section 六 for besides the fees
    "落实上级年度政务公开工作要点情况": r"工作要点|要点落实|落实[^。；]{0,20}要点",
    "人大代表建议和政协提案办理结果公开情况": r"建议|提案",
}


@kind("section6_elements", fields=("missing", "section"),
      doc="Section 六 says how the year's 政务公开工作要点 were carried out and that 建议提案办理结果 were published.")
def check_section6_elements(report: Report, rule) -> list[Finding]:
    if not part_whole(report, "s6"):
        return []
    text = _text(part_sentences(report, "s6"))
    missing = [item for item, words in SECTION6_ITEMS.items() if not re.search(words, text)]
    if not missing:
        return []
    return [_finding(rule, report, "s6", rule.render(section=SECTION_NAMES["s6"], missing="、".join(missing)),
                     key="s6:" + "|".join(missing))]
