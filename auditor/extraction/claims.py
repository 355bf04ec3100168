"""What narrative sentences say about the tables, read as claims.

"全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到
下年度答复）" says four things: received 3119, handled 3050, carried over 34, carried forward 103.

A sentence is cut into clauses at punctuation (a clause in brackets is marked as such). A
clause that states exactly one count ("N 件") is a claim when its words say what was counted;
a count the words do not name is left alone. Approximate counts ("3000 余件", "近 300 件")
are not claims. Words that say the count may have another scope than the tables (an office
acting for the government, 备案 cases, 复议 not tied to 信息公开) are kept with the claim
as `scope`, so that the check can warn instead of fail. Nothing here knows the tables.

Claims are facts about the report, read once here (Report.claims); the narrative rules only
compare them with the cells.
"""
from __future__ import annotations

import re as plain_re  # keyword patterns: searched three times faster than with `regex`, which \p classes need
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex as re

from ..model import Claim, Sentence
from ..textnorm import normalise_text

# ---------------------------------------------------------------- clauses and numbers

_BREAK = "，,；;。：:！？!?"
_OPEN = "（("
_CLOSE = "）)"
COUNT = re.compile(r"(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s*(?:件|宗|起)(?!数)")
PERCENT = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*%")
_APPROX_BEFORE = re.compile(r"(?:近|约|逾|超过|将近|大约|不足|不到)\s*$")
_APPROX_AFTER = re.compile(r"^\s*(?:以上|以下|左右|之多)")
# A percent that is a rate or a change, not a share of a count.
_NOT_A_SHARE = plain_re.compile(r"率|增长|下降|减少|增加|提高|降低|同比|环比|上升|百分点")


@dataclass(frozen=True)
class Clause:
    text: str
    in_brackets: bool  # inside （…）: an aside about the clause before it
    after_semicolon: bool = False  # the clause opens a new part of the sentence (after ；)


def clauses(text: str) -> list[Clause]:
    """The clauses of a sentence; a clause holding several counts is cut again at 、."""
    return list(_clauses(text))


_DELIMITER = plain_re.compile("([" + plain_re.escape(_BREAK + _OPEN + _CLOSE) + "])")


@lru_cache(maxsize=4096)  # several rules read the clauses of the same sentences
def _clauses(text: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    depth = 0
    start_depth = 0
    new_part = True
    # split() with a group alternates text and delimiters: text, delimiter, text, ...
    pieces = _DELIMITER.split(normalise_text(text))
    for k, piece in enumerate(pieces):
        if k % 2 == 0:
            piece = piece.strip()
            if piece:
                out.extend(_split_list(Clause(piece, start_depth > 0, new_part)))
            continue
        depth = depth + 1 if piece in _OPEN else max(depth - 1, 0) if piece in _CLOSE else depth
        start_depth = depth
        new_part = piece in "；;"
    return tuple(out)


def _split_list(clause: Clause) -> list[Clause]:
    """'规章 1 件、规范性文件 11 件' → two clauses; '予以公开、部分公开 208 件' stays one."""
    if len(counts(clause.text)) < 2:
        return [clause]
    pieces: list[str] = []
    pending = ""
    for part in clause.text.split("、"):
        pending = f"{pending}、{part}" if pending else part
        if counts(pending):
            pieces.append(pending)
            pending = ""
    if pending and pieces:
        pieces[-1] += "、" + pending
    return [Clause(p, clause.in_brackets, clause.after_semicolon and i == 0) for i, p in enumerate(pieces)]


@lru_cache(maxsize=2048)  # a clause is asked for its counts several times (by one report)
def counts(text: str) -> tuple[re.Match, ...]:
    """Exact counts ("21 件"); approximate ones ("近 300 件", "50 件以上") are left out."""
    return tuple(
        m for m in COUNT.finditer(text)
        if not _APPROX_BEFORE.search(text[: m.start()]) and not _APPROX_AFTER.match(text[m.end():])
    )


def count_value(match: re.Match) -> float:
    return float(match.group("num").replace(",", ""))


def share_percent(clause: Clause, after: int = 0) -> Optional[str]:
    """The printed percent of a share ("占 17.46%", "（17.46%）") in a clause, if it is one."""
    text = clause.text[after:]
    m = PERCENT.search(text)
    if m is None or _NOT_A_SHARE.search(text):
        return None
    if after == 0 and not clause.in_brackets and not text.lstrip().startswith("占"):
        return None  # a percent standing alone is not tied to the count before it
    return m.group("num")


def attached_percent(parts: list[Clause], i: int, count_end: int) -> Optional[str]:
    """The share printed with the count of clause i: in the same clause after the count
    ("50 件，占 52%" split as two clauses, or "50 件占 52%"), or in the clause right after."""
    here = parts[i].text[count_end:]
    if "占" in here:
        return share_percent(Clause(here.strip(), False))
    if i + 1 < len(parts) and not counts(parts[i + 1].text):
        return share_percent(parts[i + 1])
    return None


# ---------------------------------------------------------------- what a clause counts

_APPLY = plain_re.compile(r"公开申请|信息公开申请|依申请|申请公开|申请人")
_OTHER_TOPIC = plain_re.compile(r"建议|提案|信访|投诉|咨询|留言|热线|来信|来电|许可|审批|政务服务|办件|12345")
_T4_WORDS = plain_re.compile(r"复议|诉讼|起诉|应诉")
_CASES = plain_re.compile(r"案件|案")

_CARRIED = plain_re.compile(r"上一?年度?(?:的)?(?:申请)?(?:结转|转入|遗留|未办结)|(?:结转|转入)自?上一?年|往年结转|以前年度结转")
_CARRY_FWD = re.compile(
    r"(?:结转|转入|转至|转到|顺延|延至|留待)[^，。；]{0,6}(?:下一?年|下年度|次年|明年|下一年度|\d{4}\s*年)"
    r"|转下一?年|结转下|(?:下一?年度?|次年)继续办理"
)
_RECEIVED = plain_re.compile(r"(?P<verb>新收|受理|收到|接收|接到)")
_HANDLED = plain_re.compile(r"(?P<verb>办结|答复|办理|处理完毕|作出处理)")
# A channel or a kind of applicant: the count is a part of the requests, not all of them.
_PART_QUALIFIER = plain_re.compile(r"通过|网上|网络|在线|信函|当面|现场|邮寄|传真|电子邮件|自然人|法人|其他组织|企业|律师")
_PART_OF = ("其中", "含", "包括", "包含")
_CHANGE = plain_re.compile(r"较|同比|环比|比上年|比去年|增加|减少|增长|下降|持平")
_REQUEST_FILLER = re.compile(r"了|共|共计|各类|政府信息公开|信息公开|依申请公开|申请|的|\s")
_NOT_HANDLED = plain_re.compile(r"办理中|正在办理|尚未办结|未办结|尚未答复|未答复|待办")

OUTCOME_WORDS = {  # outcome group -> words naming it in the narrative
    "open": r"(?<![不部分])(?:予以公开|同意公开|准予公开|全部公开)",
    "partial": r"部分公开",
    "deny": r"不予公开",
    "unable": r"无法提供",
    "noproc": r"不予处理",
    "other": r"其他处理",
}
OUTCOME_WORDS_RE = {k: plain_re.compile(v) for k, v in OUTCOME_WORDS.items()}  # compiled once: hot in every sentence
_ANY_OUTCOME = plain_re.compile("|".join(OUTCOME_WORDS.values()))  # most clauses name none: one search says so

_T4_COLUMNS = {  # 表四 column -> words naming it
    "maintained": r"维持",
    "corrected": r"纠正|纠错",
    "other": r"其他结果",
    "pending": r"尚未审结|未审结|审理中|正在审理",
}
_T4_COLUMNS_RE = {k: plain_re.compile(v) for k, v in _T4_COLUMNS.items()}  # compiled once: hot in every sentence
_SUIT_AFTER_REVIEW = plain_re.compile(r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)")
_SUIT_DIRECT = plain_re.compile(r"直接(?:提起)?(?:行政)?(?:诉讼|起诉)|未经复议")
_REVIEW = plain_re.compile(r"复议")
# Counts of a stage or of concluded cases, which 表四 does not print ("一审 2 件", "审结 5 件").
_T4_OTHER_COUNTS = re.compile(r"(?<!未|尚未)审结|结案|办结|一审|二审|再审|上诉|申诉|听证|开庭|出庭")
_SUIT = plain_re.compile(r"诉讼|起诉|应诉")
_UPHELD = re.compile(
    r"(?:均|全部|都)(?:获|被|予以|得到)?(?:维持|胜诉)|未被(?:\p{Han}{0,8})?(?:纠正|纠错|撤销|确认违法)"
    r"|(?:无|没有|未发生|零)(?:一件|被)?(?:纠正|纠错|败诉)|未败诉|零败诉|无败诉"
)
_NONE_T4 = plain_re.compile(
    r"(?:(?:未|没有)(?:发生|收到|出现|产生|涉及|被|提起|有)|无(?!法|论|异议|需))[^，。；]{0,24}?(?:行政复议|行政诉讼)"
)
_NONE_RECEIVED = plain_re.compile(r"(?:未|没有)(?:收到|受理|接到|接收)[^，。；]{0,12}申请")

_DOC_ROWS = {"normative_docs": r"规范性文件", "regulations": r"规章(?!制度)"}
_DOC_VERBS = {
    "made": r"制发|制定|出台|印发|新制作|新制定|发文",
    "repealed": r"废止|宣布失效|失效",
    "valid": r"现行有效|有效",
    "published": r"新公开",
    "total_published": r"对外公开总数量?",
}
_DOC_ROWS_RE = {k: plain_re.compile(v) for k, v in _DOC_ROWS.items()}  # compiled once: hot in every sentence
_ANY_DOC_ROW = plain_re.compile("|".join(_DOC_ROWS.values()))
_DOC_VERBS_RE = {k: plain_re.compile(v) for k, v in _DOC_VERBS.items()}  # compiled once: hot in every sentence
_DOC_OTHER_ACTS = plain_re.compile(r"审核|审查|备案|清理|征求|解读|评估|起草|修订|修改|报送|梳理|汇编")
_DOC_FILLER = re.compile(r"全年|本年度?|当年|共计?|累计|另有?|其中|目前|截至|截止|年底|年末|底|年|已|予以|的|有|为|数量?|计|达|\s|件|宗|\d|,")

_ALL_DONE = plain_re.compile(
    r"(?:所有|全部|各类)[^，。；]{0,12}申请[^，。；]{0,6}(?:均|全部|都)?已[^，。；]{0,8}"
    r"(?:办结|办理完成|办理完毕|处理完毕|答复完毕)|申请(?:均|全部|都)已(?:全部)?(?:办结|办理完成|办理完毕)"
)

# Who counted: words that may mean another scope than the tables of the report.
# A whole area ("全县共受理…") may add up every office of the area, while the tables may be the
# government's own; the reports seen use it for the tables' figures, but it is not sure.
_SCOPE_UNITS = ("各部门", "部门共", "县直", "市直", "区直", "各乡镇", "乡镇", "街道", "各单位", "所属单位", "下属",
                "全市", "全县", "全区", "全省")
_SCOPE_OFFICE = plain_re.compile("代表|政府办|办公室|办公厅|本级|" + "|".join(_SCOPE_UNITS))
_RECORD_FILING = plain_re.compile(r"备案")
_DISCLOSURE = plain_re.compile(r"信息公开|政务公开|公开|相关|涉及")


@dataclass
class _State:
    """What the sentence is about so far: a clause like "共办理 718 件" leans on it."""

    topic: Optional[str] = None  # "apply" | "t4"
    blocks: tuple[str, ...] = ()  # 表四 blocks named so far
    t4_here: bool = False  # 复议/诉讼 named in this sentence (not only in one before)
    in_parts: bool = False  # inside a "其中" list: counts there are parts, not the whole
    doc_row: Optional[str] = None
    subject: str = ""  # the sentence up to the current clause


def read_claims(sentences: list[Sentence], agency: Optional[str]) -> list[Claim]:
    """The claims of the sentences, in order; `agency` is the report's own (a count made by
    another office may have another scope). Give the report's finished sentences: a count in
    a sentence the text stops inside may have lost digits."""
    return list(_sentence_claims(sentences, agency or ""))


def _sentence_claims(sentences: list[Sentence], agency: str) -> Iterator[Claim]:
    """What a sentence is about carries on to the next ones of the same section ("共收到申请
    21 件。全年办结 20 件……") until other matters come up."""
    previous = _State()
    previous_section: Optional[str] = None
    for sentence in sentences:
        text = normalise_text(sentence.text)
        state = _State()
        if sentence.section == previous_section:
            state.topic, state.blocks = previous.topic, previous.blocks
        parts = clauses(text)
        for i, clause in enumerate(parts):
            claim = _claim(parts, i, state, sentence, agency)
            state.subject += clause.text + "，"
            if claim is not None:
                yield claim
        previous, previous_section = state, sentence.section


def _claim(parts: list[Clause], i: int, state: _State, sentence: Sentence, agency: str) -> Optional[Claim]:
    clause = parts[i]
    text = clause.text
    topical = _ANY_TOPIC_WORD.search(text) is not None
    if topical:
        _update_topic(text, state)
    if clause.after_semicolon:
        state.in_parts = False
    if text.startswith(_PART_OF):
        state.in_parts = True
    found = counts(text)
    if len(found) > 1 or (found and _CHANGE.search(text)):
        return None  # several counts, or a change ("较上年增加 5 件"), not a count of this year
    if not found:
        return _statement(text, state, sentence) if topical or state.topic == "t4" else None
    match = found[0]
    claim = (
        _t4_claim(text, state, sentence)
        or _carry_claim(text, state, sentence)
        or _outcome_claim(text, sentence)
        or _doc_claim(text, state, sentence)
        or _request_claim(text, state, sentence)
    )
    if claim is None:
        return None
    claim.value = count_value(match)
    claim.percent = attached_percent(parts, i, match.end())
    claim.scope = claim.scope or _scope(state.subject + text, claim, agency)
    return claim


# Every word _update_topic acts on, and every word _statement needs but for what it reads in a
# clause about 复议 or 诉讼 ("均予以维持" leans on the topic): a clause with none of them (most)
# changes no topic and, without a count, states nothing. One search tells.
_ANY_TOPIC_WORD = plain_re.compile("|".join(p.pattern for p in (_T4_WORDS, _APPLY, _OTHER_TOPIC, _ANY_DOC_ROW)) + "|申请")


def _update_topic(text: str, state: _State) -> None:
    if _T4_WORDS.search(text):
        state.topic = "t4"
        state.t4_here = True
        blocks = _t4_blocks(text)
        if blocks:
            state.blocks = blocks
    elif _APPLY.search(text) or ("申请" in text and _RECEIVED.search(text)):
        state.topic = "apply"
    elif _OTHER_TOPIC.search(text) and not _ANY_OUTCOME.search(text):
        state.topic = None
    if _ANY_DOC_ROW.search(text):
        for row, words in _DOC_ROWS_RE.items():
            if words.search(text):
                state.doc_row = row


def _t4_blocks(text: str) -> tuple[str, ...]:
    if _SUIT_AFTER_REVIEW.search(text):
        return ("suit_after_review",)
    if _SUIT_DIRECT.search(text):
        return ("suit_direct",)
    review, suit = bool(_REVIEW.search(text)), bool(_SUIT.search(text))
    if review and suit:
        return ("review", "suit_direct", "suit_after_review")
    if review:
        return ("review",)
    if suit:
        return ("suit_direct", "suit_after_review")
    return ()


# ---------------------------------------------------------------- clauses with a count


def _t4_claim(text: str, state: _State, sentence: Sentence) -> Optional[Claim]:
    if state.topic != "t4" or not state.blocks or _T4_OTHER_COUNTS.search(text):
        return None
    for column, words in _T4_COLUMNS_RE.items():
        if words.search(text):
            return Claim("t4_column", sentence, text, items=state.blocks, column=column)
    if _T4_WORDS.search(text) or (_CASES.search(text) and state.t4_here):
        return Claim("t4_total", sentence, text, items=state.blocks)
    return None


def _carry_claim(text: str, state: _State, sentence: Sentence) -> Optional[Claim]:
    if state.topic != "apply":
        return None
    carried, forward = _CARRIED.search(text), _CARRY_FWD.search(text)
    if carried and forward:
        return None
    if carried:
        return Claim("carried", sentence, text, verb=carried.group(0))
    if forward:
        return Claim("carry_fwd", sentence, text, verb=forward.group(0))
    return None


def _outcome_claim(text: str, sentence: Sentence) -> Optional[Claim]:
    if _T4_WORDS.search(text):
        return None
    if not _ANY_OUTCOME.search(text):
        return None
    groups = tuple(g for g, words in OUTCOME_WORDS_RE.items() if words.search(text))
    return Claim("outcome", sentence, text, items=groups)


def _doc_claim(text: str, state: _State, sentence: Sentence) -> Optional[Claim]:
    """'制发规范性文件 6 件', and after it '废止 1 件', '现行有效 32 件'."""
    if state.doc_row is None or _DOC_OTHER_ACTS.search(text):
        return None
    verbs = [(kind, m) for kind, words in _DOC_VERBS_RE.items() if (m := words.search(text))]
    if len(verbs) != 1:
        return None
    kind, verb = verbs[0]
    named = _DOC_ROWS_RE[state.doc_row].search(text)
    if named is None and _DOC_FILLER.sub("", text.replace(verb.group(0), "")):
        return None  # a clause leaning on the sentence must be just the verb and the count
    if named is not None and _DOC_FILLER.sub("", text[named.end():].replace(verb.group(0), "")):
        return None  # words after the document kind: the count may be of something else
    return Claim("docs", sentence, text, verb=verb.group(0), items=(state.doc_row,), column=kind)


def _request_claim(text: str, state: _State, sentence: Sentence) -> Optional[Claim]:
    if state.topic != "apply" or _OTHER_TOPIC.search(text) or _NOT_HANDLED.search(text):
        return None
    if state.in_parts or _PART_QUALIFIER.search(text):
        return None  # "其中通过网络收到申请 30 件，当面受理 5 件": parts, not the whole
    received = _RECEIVED.search(text)
    if received and "申请" in text:
        also = bool(_HANDLED.search(text[received.end():]))
        return Claim("received", sentence, text, verb=received.group("verb"), also_handled=also)
    handled = _HANDLED.search(text)
    if handled and not received and _names_only_requests(text, handled):
        return Claim("handled", sentence, text, verb=handled.group("verb"))
    return None


def _names_only_requests(text: str, verb: re.Match) -> bool:
    """'共办理 718 件', '答复申请 3050 件': the count follows the verb with nothing but requests
    between ("另有 3 件顺延答复" counts something else)."""
    count = counts(text)[0]
    return count.start() >= verb.end() and not _REQUEST_FILLER.sub("", text[verb.end():count.start()])


# ---------------------------------------------------------------- clauses without a count


_LAST_YEAR_OR_CARRIED = plain_re.compile(r"上一?年|结转")
_T4_OUTCOME = plain_re.compile(r"纠|维持|败诉|胜诉")


def _statement(text: str, state: _State, sentence: Sentence) -> Optional[Claim]:
    if _ALL_DONE.search(text) and not _LAST_YEAR_OR_CARRIED.search(text):
        return Claim("all_done", sentence, text)
    if state.topic == "t4" and _UPHELD.search(text):
        blocks = state.blocks or ("review", "suit_direct", "suit_after_review")
        if "败诉" in text and not _T4_WORDS.search(text):
            blocks = tuple(b for b in blocks if b != "review") or ("suit_direct", "suit_after_review")
        return Claim("upheld", sentence, text, items=blocks, scope=_t4_scope(state.subject + text, sentence))
    if _NONE_T4.search(text) and not _T4_OUTCOME.search(text):
        return Claim("none_t4", sentence, text, value=0, items=_t4_blocks(text),
                     scope=_t4_scope(state.subject + text, sentence))
    if _NONE_RECEIVED.search(text) and "公开" in text:
        return Claim("received", sentence, text, value=0, verb="新收")
    return None


# ---------------------------------------------------------------- scope


def _scope(subject: str, claim: Claim, agency: str) -> Optional[str]:
    if claim.concept in ("t4_total", "t4_column"):
        return _t4_scope(subject, claim.sentence)
    office = _scope_word(subject, claim.clause)
    if office and office.group(0) not in agency:
        return f"句中的统计主体是“{_who(subject, office)}”，统计范围可能与表格不同"
    if claim.concept == "carried" and claim.verb and _in_aside(claim):
        return "括号中说明的是已办结申请中含有的上年结转件数，可能少于上年结转总数"
    return None


def _t4_scope(subject: str, sentence: Sentence) -> Optional[str]:
    record = _RECORD_FILING.search(subject)
    if record:
        return "句中的件数是备案案件，统计范围可能与表四不同"
    office = _scope_word(subject, subject.rsplit("，", 1)[-1])
    if office and office.group(0) in _SCOPE_UNITS:
        return f"句中的统计主体是“{_who(subject, office)}”，统计范围可能与表四不同"
    if not _DISCLOSURE.search(subject) and sentence.section != "s4":
        return "句中没有写明是因政府信息公开引起的案件，可能包含其他行政复议、行政诉讼"
    return None


def _scope_word(subject: str, clause: str) -> Optional[re.Match]:
    """The word naming who counted: in the claim's own clause first, else earlier in the sentence."""
    start = subject.rfind(clause) if clause else -1
    if start >= 0:
        own = _SCOPE_OFFICE.search(subject, start)
        if own:
            return own
    return _SCOPE_OFFICE.search(subject)


def _in_aside(claim: Claim) -> bool:
    return claim.clause.startswith(("含", "包括", "其中"))


_ACT = re.compile(r"受理|收到|新收|接收|接到|办结|答复|办理|制发|制定|出台|印发|废止|发生|\d")
_TRAILING = re.compile(r"(?:共计|共|累计|全年|本年度?|的)+$")


def _who(text: str, match: re.Match) -> str:
    """Who counted: the clause holding the scope word, up to what was done ("区政府办代表区政府")."""
    left = text.rfind("，", 0, match.start()) + 1
    act = _ACT.search(text, match.end())
    right = act.start() if act else min(len(text), match.end() + 10)
    comma = text.find("，", match.end())
    if 0 <= comma < right:
        right = comma
    return _TRAILING.sub("", text[left:right].strip()) or match.group(0)
