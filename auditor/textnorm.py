"""Text normalisation shared by readers and extraction: full-width forms, traditional script, label keys."""
from __future__ import annotations

import re as stdlib_re
import unicodedata
from functools import lru_cache

import regex as re

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u200b": "", "\ufeff": ""})
_FULLWIDTH.update({"＋": "+", "．": ".", "％": "%", "／": "/", "－": "-"})
_TRANSLATE = str.maketrans(_FULLWIDTH)
# str.translate looks every character up in a dict (8 µs for a sentence); finding out first
# that nothing needs it is fifteen times faster, and most text has nothing to change.
_TO_TRANSLATE = stdlib_re.compile("[" + "".join(stdlib_re.escape(c) for c in _FULLWIDTH) + "]")


def normalise_text(text: str) -> str:
    """Full-width digits, signs and spaces to ASCII; Chinese punctuation is kept as printed."""
    return text.translate(_TRANSLATE) if _TO_TRANSLATE.search(text) else text


_NUMBERING = re.compile(
    r"^\s*(?:(?P<cn>[一二三四五六七八九十]+)\s*[、.．]"
    r"|[（(]\s*(?P<paren>[一二三四五六七八九十]+)\s*[)）]"
    r"|(?P<digit>\d{1,2})\s*[.、．](?!\d))"
)


_LABEL_LENGTH = 64  # table labels are shorter; longer text is a line of prose, seen once


def numbering(text: str) -> tuple[str | None, str]:
    """Split a leading list marker ("一、", "（三）", "2.", "1、") from a label."""
    return _label_numbering(text) if len(text) <= _LABEL_LENGTH else _numbering(text)


def _numbering(text: str) -> tuple[str | None, str]:
    m = _NUMBERING.match(text)
    if not m:
        return None, text
    kind = "cn" if m.group("cn") else "paren" if m.group("paren") else "digit"
    value = m.group("cn") or m.group("paren") or m.group("digit")
    return f"{kind}:{value}", text[m.end():]


_KEY_DROP = re.compile(r"[\s\p{P}\p{S}]+")


# Most text is ASCII, CJK ideographs and the common Chinese punctuation. NFKC changes such
# text one character at a time (it holds no combining marks, so nothing composes) and only
# its punctuation, into punctuation again: its key is the text less what _KEY_DROP drops,
# which a stdlib character class finds five times faster than NFKC and `regex`'s \p classes.
_PLAIN_PUNCTUATION = "，。、；：？！（）“”‘’《》〈〉【】〔〕—…·～％＋－／．\u3000\u00a0\u2002\u2003"
_PLAIN_TEXT = stdlib_re.compile("[\x00-\x7f\u4e00-\u9fff" + stdlib_re.escape(_PLAIN_PUNCTUATION) + "]*")
_PLAIN_DROP = stdlib_re.compile(
    "[" + stdlib_re.escape("".join(c for c in map(chr, range(128)) if _KEY_DROP.fullmatch(c)) + _PLAIN_PUNCTUATION) + "]+")


def label_key(text: str) -> str:
    """A comparison key for labels: NFKC, no spaces, no punctuation."""
    return _label_key(text) if len(text) <= _LABEL_LENGTH else _key(text)


def _key(text: str) -> str:
    if _PLAIN_TEXT.fullmatch(text):
        return _PLAIN_DROP.sub("", text)
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text))


# Labels recur in every report of a batch, so their results are kept; only short texts are,
# because keeping every line of prose that passes through would hold memory for nothing.
_label_numbering = lru_cache(maxsize=2048)(_numbering)
_label_key = lru_cache(maxsize=2048)(_key)


_HAN = re.compile(r"\p{Han}")
_COMMON_HAN = stdlib_re.compile("[\u4e00-\u9fff]")  # all Han: the standard library finds them three times faster


def has_cjk(text: str) -> bool:
    return _COMMON_HAN.search(text) is not None or _HAN.search(text) is not None


# ---------------------------------------------------------------- traditional script

# Mirror sites republish reports in traditional script, some with the pinyin of a few
# characters injected after them ("機(jī)關(guān)"). The text is read as simplified, converted
# by OpenCC phrase by phrase ("乾淨" → "干净" but "乾隆" stays). These are the traditional
# characters most frequent in these reports (each one OpenCC folds to another character, none
# of them used in simplified text): a report in traditional script has dozens of them, so
# telling one costs a simplified report a single scan and no conversion.
_TRADITIONAL_COMMON = (
    "開務數項請條況關結規動辦報發處內計進據總實機區強時體範對會佈類網國議業訴審複問確"
    "題設門屬為決組讀費點準縣過轉織導眾構現專單維臺訟領監統態無羣認質與嚴續標權號堅後"
    "糾爲編華習將圍應責經斷貫欄萬徹鎮護養戶採環衆聯個級許穩執罰針資澤廳購檢製優電黨傳"
    "鄉簡運繞減從舉義繼補員層額創視係協調錄詢訓興稱別線當獲廣廢這頻學緊陽並積極負職載"
    "圖來慶繫訪還難長預書話細沒紮濟見聞財覈測節滿評場納間參產則郵讓東劃佔際試鍵頭講復"
    "揮鏈熱餘徵訂貼隊營溝較暢賬識備陣醫險礎輿誰終彙錯蓋賦該種遠銀豐寬頁療擴兩屆幹記冊"
    "祕約夠語術變誤勵繳論順籌寫陝達顯曉買臨適聲閉響驗樣鞏諮盡貧庫覺園絲遞築爭紛隱狀階"
    "綜饋勢瀏覽邊託證麗遷隨離閱擺績們農闡釋盤銜詞帶觀給詳輯籤戰風蹤歸髮雖雜夢湧億樂"
)
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_FOLD_HINT = stdlib_re.compile(f"[{_TRADITIONAL_COMMON}{_TONE_MARKS}]")
_TRADITIONAL = stdlib_re.compile(f"[{_TRADITIONAL_COMMON}]")
_INJECTED_PINYIN = re.compile(
    rf"(?<=\p{{Han}})[（(][a-zü{_TONE_MARKS}]{{0,5}}[{_TONE_MARKS}][a-zü{_TONE_MARKS}]{{0,5}}[)）]"
)


def fold_script(texts: list[str]) -> list[str]:
    """The texts of one document with injected pinyin dropped and, when the document is in
    traditional script, converted to simplified (all of it: a short cell such as "訴訟" is
    converted with the rest). The same list comes back when there is nothing to fold."""
    if not _FOLD_HINT.search("\n".join(texts)):  # one search over the document, not one per text
        return texts
    folded = [_INJECTED_PINYIN.sub("", t) for t in texts]
    if any(_TRADITIONAL.search(t) for t in folded):
        to_simplified = _traditional_to_simplified()
        folded = [to_simplified(t) if has_cjk(t) else t for t in folded]
    return folded


@lru_cache(maxsize=1)
def _traditional_to_simplified():
    import opencc  # only a report in traditional script loads the converter and its dictionaries

    return opencc.OpenCC("t2s").convert


def shorten(text: str, limit: int = 80) -> str:
    """A long sentence cut for a message; the excerpt keeps it whole."""
    return text if len(text) <= limit else text[:limit] + "……"
