"""Title, agency, report year, 统计期限 and which official format the tables follow.

Real reports state their year and agency in many ways, and mirror sites and cut-off copies
drop some of them: a title line, the title inside the preamble's sentence ("现公布……2023年
政府信息公开工作年度报告"), the 统计期限, "截至2023年12月31日", sentences that open with the
year. Each is read as evidence; the report year is the one most of them name.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

import regex as re

from ..model import Period, Sentence, SignOff
from ..spec import expected_template, format_spec
from ..textnorm import label_key
from .rows import Row

# A year as digits, or in Chinese numerals as some titles print it ("二〇二三年").
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2}|二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*年")
_ORG_SUFFIX = re.compile(
    r"(?:人民政府办公室|人民政府|政府办公室|办公室|办公厅|委员会|管理委员会|管委会|局|委|厅|办|院|中心|署|处|所|站|队|街道办事处|街道|镇|乡|部|会|公司)$"
)
_TITLE_MARK = re.compile(r"(?:政府信息公开|政务公开).{0,6}(?:(?:年度)?报告|年报)|年度报告")
_PERIOD = re.compile(
    r"统计(?:期限|周期|时限|区间|时段|时间|范围)?[^。\d]{0,12}?"
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
# The same span named before the word: "自2023年1月1日至2023年12月31日统计".
_PERIOD_BEFORE_WORD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日\s*(?:止)?[，,]?\s*(?:的|期间的?)?(?:数据)?统计"
)
# Dates written with dots, slashes or dashes: "统计期限为2023.1.1-2023.12.31".
_NUMERIC_DATE = r"(?P<y{n}>\d{{4}})(?P<sep{n}>[./-])(?P<m{n}>\d{{1,2}})(?P=sep{n})(?P<d{n}>\d{{1,2}})\s*日?"
_PERIOD_NUMERIC = re.compile(
    r"统计(?:期限|周期|时限|区间|时段|时间|范围)?[^。\d]{0,12}?"
    + _NUMERIC_DATE.format(n=1) + r"\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*" + _NUMERIC_DATE.format(n=2)
)
# Other statements that the report counts a whole year: "截至2023年12月31日",
# "2023年1月1日至12月31日，共受理……".
_WHOLE_YEAR = re.compile(
    r"截[至止](?:到)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
    r"|(?P<start>(?:19|20)\d{2})\s*年\s*1\s*月(?:\s*1\s*日)?\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*"
    r"(?:(?P<end>(?:19|20)\d{2})\s*年\s*)?12\s*月(?:\s*31\s*日|底|末)?"
)
# A clause that opens with the year: after a sentence break, or after a run-in heading
# ("（一）主动公开情况2023年，我局……"); the year is followed by a comma or by the subject
# ("2020年度我街办……"), not by a month, a range or "以来".
_CLAUSE_START_YEAR = re.compile(
    r"(?:^|[。；！？\n]|[（(][一二三四五六七八九十]{1,3}[)）][\p{Han}、]{0,16}?)\s*(20\d{2})\s*年(?:度)?"
    r"(?:\s*[，,]|(?=\p{Han})(?![月底末初以至起前后内及和、]))"
)
_CLAUSE_END = re.compile(r"[，,。；;：:！？]")
_MIN_YEAR, _MAX_YEAR = 2000, 2100  # years a report can be about; "1949年" is history


@dataclass
class TitleInfo:
    title: Optional[str]
    agency: Optional[str]
    year: Optional[int]
    line: Optional[int]


_MARKDOWN_HEADING = re.compile(r"^#+\s*")


def _clean(text: str) -> str:
    return (_MARKDOWN_HEADING.sub("", text) if text.startswith("#") else text).strip()


# ---------------------------------------------------------------- agency names

# An organisation's name ends in what it is. Place names (省/市/区/县) name a whole
# government only where a title puts them before the year ("四川省2019年……").
_AGENCY_END = re.compile(
    r"(?:局|委员会|管委会|委|办公室|办公厅|办事处|办|政府|街道|镇|乡|室|院|中心|部|署|厅|处|所|站|队|馆|公司|联合会|协会)$"
)
_PLACE_END = re.compile(r"(?:省|市|区|县|州|旗|盟)$")
_NAME_CHARS = re.compile(r"^\p{Han}[\p{Han}（）()0-9]{1,29}$")  # "第3中学" has a digit
# Sentence fragments start with a pronoun or a preposition ("我委的政府", "在区委", "全镇政府");
# 全/本 only as "全省"/"本局" (全椒县 and 本溪市 are places).
_FRAGMENT_START = re.compile(
    r"^(?:我|在|各|该|其|此|这|由|对|为|与|及|据|按|经(?!济)|"
    r"全(?=[国省市区县镇乡街局委厅办机系])|本(?=[年局委办部厅院级机单省市区县镇乡街所站]))"
)
_FRAGMENT_WORDS = re.compile(
    r"的|了|按照|根据|依据|依照|坚持|深化|推进|认真|严格|加强|落实|贯彻|围绕|紧扣|聚焦|持续|不断|积极|扎实|切实|"
    r"始终|全面|进一步|高度|做好|开展|完善|提升|提高|报告"
)
_BARE_SUFFIX = re.compile(r"^(?:人民)?(?:政府|办公室|办公厅|委员会|街道(?:办事处)?|中心|机关)$")
_LEADING_JUNK = re.compile(r"^[^\p{Han}]+")
_TRAILING_JUNK = re.compile(r"[^\p{Han}0-9）)]+$")


def is_agency_name(name: Optional[str], place: bool = False) -> bool:
    """A real organisation's name, not a sentence fragment or a page header; with place=True
    a place name ("开远市") counts, as in a title."""
    if not name or not _NAME_CHARS.match(name):
        return False
    if name.count("（") + name.count("(") != name.count("）") + name.count(")"):
        return False  # "广东省教育考试院(以下简称": cut inside a bracket
    if not (_AGENCY_END.search(name) or (place and _PLACE_END.search(name))):
        return False
    return not (_FRAGMENT_START.match(name) or _FRAGMENT_WORDS.search(name) or _BARE_SUFFIX.match(name))


def _agency(name: str, place: bool = False) -> Optional[str]:
    name = _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", name))  # "Page 8 - ", "【……】", list marks
    return name if is_agency_name(name, place) else None


# ---------------------------------------------------------------- title

_TITLE_TAIL_CHARS = 8
_YEAR_LINE_CHARS = 12  # "（2023年度）" under a title that has no year
_MAX_TITLE_CHARS = 60
# Lines that mention an annual report without being its title: a sentence, the preamble
# ("本年度报告根据……"), a page's breadcrumbs ("首页 > 政务公开 > 年度报告"), a notice about
# writing reports.
_NOT_A_TITLE = re.compile(r"[。；;>＞»]|^(?:本(?:年度)?报告|根据|依据|按照|依照)|^关于.*(?:通知|意见|方案|要点|函)$")
_HEADING_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _title_at(head: list[Row], texts: list[str], i: int) -> Optional[TitleInfo]:
    """The title on head[i] (texts: the head's lines cleaned), if it is one."""
    text = texts[i]
    nxt = texts[i + 1] if i + 1 < len(head) else ""
    if "报" not in text and "报" not in nxt:
        return None  # _TITLE_MARK needs 报 (报告, 年报), here or on the next line: most lines are told by that
    wrapped = not _TITLE_MARK.search(text) and 0 < len(nxt) <= _TITLE_TAIL_CHARS and _TITLE_MARK.search(text + nxt)
    if wrapped:
        text = text + nxt  # "……工作年" / "度报告": a title the page wrapped
    if not _TITLE_MARK.search(text) or len(text) > _MAX_TITLE_CHARS or _NOT_A_TITLE.search(text):
        return None
    parts = [text]
    if not _YEAR.search(text) and nxt and len(nxt) <= _YEAR_LINE_CHARS and _YEAR.search(nxt) \
            and not _HEADING_LINE.match(nxt):
        parts.append(nxt)  # the year printed under the title
    if not text.endswith("报告") and nxt and "报告" in nxt[:8] and not _HEADING_LINE.match(nxt):
        parts.append(nxt)
    if i > 0:
        prev = texts[i - 1]
        if len(prev) <= 30 and (_ORG_SUFFIX.search(prev) or _PLACE_END.search(prev)) and not _YEAR.search(prev):
            parts.insert(0, prev)  # the name printed on the line above; the title keeps it as printed
    title = "".join(dict.fromkeys(parts))
    year_match = _YEAR.search(title)
    year = _date_number(year_match.group(1)) if year_match else None
    return TitleInfo(title, _title_agency(title), year, head[i].source.line)


def find_title(rows: list[Row]) -> TitleInfo:
    """The report's title near the top. Web pages print it twice (the page heading, then the
    document's own heading, often with the agency's name on the line above): the first that
    has a year is the title, unless another of the same year also names the agency."""
    head = [r for r in rows[:25] if not r.grid and r.text.strip()][:12]
    texts = [_clean(r.text) for r in head]
    found = [t for t in (_title_at(head, texts, i) for i in range(len(head))) if t is not None]
    if not found:
        return TitleInfo(None, None, None, None)
    first = next((t for t in found if t.year is not None), found[0])
    if first.agency is None:
        named = next((t for t in found if t.agency and t.year in (None, first.year)), None)
        if named is not None:
            return named if named.year == first.year else TitleInfo(first.title, named.agency, first.year, first.line)
    return first


_REPORT_SUBJECT = r"(?:政府信息公开|政务公开)"


def _title_agency(title: str) -> Optional[str]:
    """The name before the year ("四川省2019年……"), or between the year and the subject
    ("2022年上海市政府信息公开……"); without a year, the name before the subject."""
    m = _YEAR.search(title)
    if not m:
        subject = re.search(_REPORT_SUBJECT, title)
        return _agency(title[: subject.start()], place=True) if subject else None
    before = _agency(title[: m.start()].strip().removesuffix("关于"), place=True)  # "甲市统计局关于2023年……"
    if before:
        return before
    n = re.match(rf"\s*度?\s*(?P<org>\p{{Han}}{{2,24}}?){_REPORT_SUBJECT}", title[m.end():])
    return _agency(n.group("org"), place=True) if n else None


# ---------------------------------------------------------------- the report named in a sentence

_NAMED_REPORT = re.compile(
    rf"(?P<before>[\p{{Han}}（）()]{{0,30}}?)(?P<year>(?:19|20)\d{{2}})\s*年度?\s*"
    rf"(?P<after>[\p{{Han}}（）()]{{0,24}}?){_REPORT_SUBJECT}(?:工作)?(?:年度报告|年报|报告)"
)
# Words that lead in to the report's name: "现公布", "特向社会公布", "编制了", "现将".
_LEAD_IN = re.compile(r"^.*(?:公布|发布|印发|编制了?|制作了?|形成了?|现将|现予|报送|呈报)")
# The name of another document or an instruction about reports, not this report's name.
_ABOUT_REPORTS = re.compile(r"^(?:编制|(?:发布|公布)(?!如下)|工作|有关|格式|模板|的通知|的编制)")
_PREAMBLE_SENTENCES = 8


def _inside_other_document(text: str, start: int, end: int) -> bool:
    """In 《……》 that is not itself the report's name, or an instruction ("关于做好……")."""
    before = text[:start]
    if before.count("《") > before.count("》") and not text[end:end + 1] == "》":
        return True
    return "关于" in text[max(0, start - 4):start] or bool(_ABOUT_REPORTS.match(text[end:end + 4]))


def find_named_report(sentences: list[Sentence]) -> TitleInfo:
    """The report named inside a preamble sentence ("现公布广东省人民政府办公厅2023年政府信息
    公开工作年度报告"), for reports whose copy has no title line."""
    for s in sentences[:_PREAMBLE_SENTENCES]:
        if s.section not in (None, "s1") or "公开" not in s.text:
            continue  # the name holds 政府信息公开 or 政务公开: a slow pattern is spared most sentences
        for m in _NAMED_REPORT.finditer(s.text):
            if _inside_other_document(s.text, m.start("year"), m.end()):
                continue
            before = _LEAD_IN.sub("", m.group("before"))
            agency = _agency(before, place=True) or _agency(m.group("after"), place=True)
            return TitleInfo(m.group(0)[len(m.group("before")) - len(before):], agency, int(m.group("year")), s.line)
    return TitleInfo(None, None, None, None)


# ---------------------------------------------------------------- agency in sentences

_COMPILED_BY = re.compile(
    r"由(?P<org>[\p{Han}（）()]{2,30}?)(?:[（(]以下简称[^）)]*[）)])?(?:根据|依据|按照|依照|负责)?(?:编制|制作|编写|根据|依据|按照)"
)
# What may follow a name and still be part of it: "松木塘镇" + "人民政府", "山东省人民政府" + "办公厅".
_NAME_TAIL = r"(?:人民政府|政府|办公厅|办公室|街道办事处|办事处|管理委员会|委员会|管委会|办|局)*"
_BODY_AGENCY = re.compile(
    rf"^\s*(?:[（(][一二三四五六七八九十]{{1,3}}[)）][\p{{Han}}、]{{0,16}}?)?"
    rf"(?:19|20)\d{{2}}\s*年度?\s*[，,]?\s*(?P<org>\p{{Han}}{{1,24}}?"
    rf"(?:局|委员会|管委会|委|办公室|办公厅|政府|中心|厅|院|部|署|街道办事处|街道|办|镇|乡){_NAME_TAIL})"
    rf"(?!信息|工作|公开)"
)
_BODY_SENTENCES = 40


def _compiled_by(sentences: list[Sentence]) -> Optional[str]:
    """"本报告由国家机关事务管理局根据……编制"."""
    for s in sentences[:_PREAMBLE_SENTENCES]:
        for m in _COMPILED_BY.finditer(s.text):
            found = _agency(m.group("org"))
            if found:
                return found
    return None


def body_agency(sentences: list[Sentence]) -> Optional[str]:
    """The subject of a sentence of the overview that opens with the year: "2023年，广东省人民
    政府办公厅坚持……" (later sections name other offices: "2023年，省政府办公厅印发……")."""
    for s in sentences[:_BODY_SENTENCES]:
        m = _BODY_AGENCY.match(s.text) if s.section in (None, "s1") else None
        found = _agency(m.group("org")) if m else None
        if found:
            return found
    return None


def signoff_agency(rows: list[Row], signoff: Optional[SignOff]) -> Optional[str]:
    """The name above (or before) the 落款 date."""
    if signoff is None or signoff.line is None:
        return None
    at = next((i for i, r in enumerate(rows) if r.source.line == signoff.line and not r.grid), None)
    if at is None:
        return None
    line = _clean(rows[at].text).replace(" ", "")
    m = _SIGNOFF_DATE.search(line)
    own = line[: m.start()] if m else ""
    if own:
        return _agency(own)
    previous = next((rows[i] for i in range(at - 1, -1, -1) if rows[i].text.strip() and not rows[i].grid), None)
    return _agency(_clean(previous.text)) if previous is not None else None


def find_agency(title: TitleInfo, named: TitleInfo, sentences: list[Sentence], rows: list[Row],
                signoff: Optional[SignOff]) -> Optional[str]:
    """The title's name first, then the report's name in the preamble, who compiled it, the
    sign-off, and last the subject of a sentence about the year's work."""
    return (title.agency or named.agency or _compiled_by(sentences) or signoff_agency(rows, signoff)
            or body_agency(sentences))


# ---------------------------------------------------------------- 统计期限 and the year


def _plausible(year: Optional[int]) -> bool:
    return year is not None and _MIN_YEAR <= year <= _MAX_YEAR


def find_period(sentences: list[Sentence]) -> Optional[Period]:
    for s in sentences:
        if "统计" not in s.text:
            continue  # each of the three patterns needs the word: most sentences are told by that alone
        m = _PERIOD.search(s.text) or _PERIOD_BEFORE_WORD.search(s.text) or _PERIOD_NUMERIC.search(s.text)
        if not m:
            continue
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2")) if m.group("y2") else y1
        if not (_plausible(y1) and _plausible(y2)):
            continue
        full = tuple(int(m.group(k)) for k in ("m1", "d1", "m2", "d2")) == (1, 1, 12, 31)
        return Period(m.group(0), y1, y2, s.line, full)
    return None


def dominant_body_year(sentences: list[Sentence]) -> Optional[int]:
    """The year most sentences open with ("2019年，…"): the year the report describes."""
    counts: Counter[int] = Counter()
    for s in sentences:
        if "年" not in s.text:
            continue  # no year (the pattern needs 年): no regex needed to tell
        for m in _CLAUSE_START_YEAR.finditer(s.text):
            if not _TITLE_MARK.search(_CLAUSE_END.split(s.text[m.end():], 1)[0]):
                counts[int(m.group(1))] += 1  # a title ("2023年政府信息公开工作年度报告") is counted as the title
    if not counts:
        return None
    (year, n), *rest = counts.most_common(2) + [(None, 0)]
    return year if n > rest[0][1] else None


def whole_year(sentences: list[Sentence], period: Optional[Period]) -> Optional[int]:
    """The year a sentence says the report counts whole: "截至2023年12月31日",
    "2023年1月1日至12月31日" (not the 统计期限 again, which is evidence of its own)."""
    for s in sentences:
        text = s.text.replace(period.text, "", 1) if period and s.line == period.line else s.text
        if "12" not in text:
            continue  # both spans end in 12月 (no regex needed to tell)
        for m in _WHOLE_YEAR.finditer(text):
            year = int(m.group("year") or m.group("start"))
            if _plausible(year) and (m.group("end") is None or int(m.group("end")) == year):
                return year
    return None


_SIGNED_BY_MONTH = 6  # a report is signed early in the next year (by 31 January, some late)


def report_year(title: TitleInfo, named: TitleInfo, period: Optional[Period], sentences: list[Sentence],
                signoff: Optional[SignOff] = None) -> Optional[int]:
    """The year most of the evidence names: the title (or without one, the report's name in the
    preamble), the 统计期限, "截至……12月31日" and other whole-year spans, and the year sentences
    open with. A tie goes to the evidence named first, so one stale sentence never outweighs the
    title or the period. Only when the text names no year, an early-year sign-off date tells it
    (a copied report keeps last year's date, so the date never outvotes the text)."""
    period_year = period.end_year if period and period.start_year == period.end_year else None
    named_year = named.year if title.year is None else None  # with a title line, the preamble repeats it
    evidence = [title.year, named_year, period_year, whole_year(sentences, period), dominant_body_year(sentences)]
    votes = Counter(y for y in evidence if _plausible(y))
    if not votes:
        signed_year = signoff.year - 1 if signoff and signoff.month <= _SIGNED_BY_MONTH else None
        return signed_year if _plausible(signed_year) else None
    best = max(votes.values())
    return next(y for y in evidence if votes.get(y) == best)


def detect_template(table_rows: list[Row], year: Optional[int]) -> tuple[Optional[str], dict[str, list[str]]]:
    """2019 or 2021 format, from the table labels' markers; the year decides only a tie."""
    text = label_key("".join(r.text for r in table_rows))
    evidence = {
        fmt: [m for m in format_spec(fmt).markers if label_key(m) and label_key(m) in text] for fmt in ("2019", "2021")
    }
    score = {fmt: len(v) for fmt, v in evidence.items()}
    if score["2019"] > score["2021"]:
        return "2019", evidence
    if score["2021"] > score["2019"]:
        return "2021", evidence
    if year:
        evidence["by_year"] = [str(year)]
        return expected_template(year), evidence
    return None, evidence


# ---------------------------------------------------------------- 落款 (sign-off date)

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PART = r"\d{1,4}|[〇零○Ｏ一二三四五六七八九十]{1,4}"
_SIGNOFF_DATE = re.compile(
    rf"[（(]?\s*(?P<y>{_DATE_PART})\s*年\s*(?P<m>{_DATE_PART})\s*月\s*(?P<d>{_DATE_PART})\s*日\s*[)）]?$"
)
_ORG_NAME = re.compile(r"^[\p{Han}（）()]{2,30}$")


def _date_number(text: str) -> Optional[int]:
    """"2024", "二〇二四", "十二", "二十" as numbers (years digit by digit, days as tens)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    digits = [_CN_DIGITS.get(ch) for ch in text]
    return None if None in digits else int("".join(map(str, digits)))


def _signoff_of(row: Row) -> Optional[SignOff]:
    """A line that is only a date, perhaps after the agency's name: "2024年1月20日"."""
    text = _clean(row.text).replace(" ", "") if not row.grid else ""
    m = _SIGNOFF_DATE.search(text) if "日" in text else None  # the date ends in 日: most lines lack it
    if not m:
        return None
    org = text[: m.start()]
    if org and not (_ORG_NAME.match(org) and _ORG_SUFFIX.search(org)):
        return None
    year, month, day = (_date_number(m.group(k)) for k in ("y", "m", "d"))
    if year is None or not 1900 < year < 2200 or not month or not 1 <= month <= 12 or not day or not 1 <= day <= 31:
        return None
    return SignOff(_clean(row.text), year, month, day, row.source.line, row.source.page)


_SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";")


def _closes_block(row: Row) -> bool:
    """A line after which a date line starts afresh: the end of a sentence, or a short line
    naming the agency or the report (not the middle of a sentence wrapped by the layout)."""
    text = _clean(row.text)
    if text.endswith(_SENTENCE_END):
        return True
    return len(text) <= 40 and "。" not in text and bool(_ORG_SUFFIX.search(text) or _TITLE_MARK.search(text))


def _signoff_at(rows: list[Row], i: int) -> Optional[SignOff]:
    found = _signoff_of(rows[i])
    if found is None:
        return None
    previous = next((rows[k] for k in range(i - 1, -1, -1) if rows[k].text.strip()), None)
    return found if previous is None or _closes_block(previous) else None


def find_signoff(rows: list[Row], first_heading: Optional[int], last_heading: Optional[int]) -> Optional[SignOff]:
    """The 落款 date: a date-only line after the last section's text, with no sentence after
    it; failing that, a date-only line under the title (web pages print the date there).
    Dates inside sentences ("自2024年1月1日起施行"), even when a line break leaves them on
    a line of their own, are never the sign-off."""
    if last_heading is not None:
        for i in range(len(rows) - 1, last_heading, -1):
            if "。" in rows[i].text:
                break  # the sign-off comes after the last sentence
            found = _signoff_at(rows, i)
            if found:
                return found
    head_end = first_heading if first_heading is not None else min(len(rows), 15)
    return next((s for s in (_signoff_at(rows, i) for i in range(head_end)) if s), None)
