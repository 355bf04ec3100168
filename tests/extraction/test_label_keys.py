"""label_key's fast path for plain Chinese text gives the key its definition gives: NFKC, then
no spaces, punctuation or symbols."""
import unicodedata

import regex
from hypothesis import given, settings, strategies as st

from auditor.textnorm import label_key

_DEFINITION_DROP = regex.compile(r"[\s\p{P}\p{S}]+")


def _defined_key(text: str) -> str:
    return _DEFINITION_DROP.sub("", unicodedata.normalize("NFKC", text))


# Plain text (ASCII, ideographs, Chinese punctuation) and what must leave the fast path:
# full-width letters, compatibility ideographs, circled numbers, combining marks, Hangul jamo.
_ALPHABET = ("abcXYZ019 \t|-.,:;()%+/#　\u00a0\u2002\u2003" "政府信息公开申请予以部分不处理总计件年"
             "，。、；：？！（）“”‘’《》〈〉【】〔〕—…·～％＋－／．" "ＡＢａ１２﹐︰豈①⑵㈠™℃½ﬁ\u0301\u0308e\u1100\u1161\u11a8가")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=140))
def test_label_key_is_nfkc_without_punctuation(text):
    assert label_key(text) == _defined_key(text)


def test_long_plain_line_keeps_only_words_and_digits():
    line = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t“三安全一稳定”" * 3
    assert label_key(line) == _defined_key(line)
    assert "（" not in label_key(line) and "\t" not in label_key(line)
