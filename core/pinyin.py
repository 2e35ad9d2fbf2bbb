"""Pinyin sort and search keys for personal names.

``name_pinyin("张谦")`` returns ``("zhangqian", "zq")``: the full toneless
pinyin and the initials, both lower-case with no separators. The full form
is a sort key (安 < 张 < 赵); both are search keys.

pypinyin reads characters by their most common pronunciation, which is wrong
for several surnames (单 is "shan" as a surname, not "dan"). When such a
character opens the name, its surname reading is used instead.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAME_READINGS",
    "name_pinyin",
    "pinyin_search_terms",
]

# Single-character surnames whose surname reading differs from the reading
# pypinyin picks for the character on its own.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
}

# Two-character surnames, one syllable per character. pypinyin 0.55 reads
# these correctly from its phrase dictionary; they are pinned here so that a
# change in that dictionary, or a given name that forms a different phrase with
# the surname, cannot alter them. Checked before SURNAME_READINGS.
COMPOUND_SURNAMES = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
}

# Spaces are removed by str.split(); these are the separators written between
# the parts of transliterated (e.g. Uyghur, Tibetan) names.
_DROPPED = str.maketrans(dict.fromkeys("·•‧・･∙⋅.．", None))
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HAN_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _clean_name(name: str) -> str:
    text = (name or "").translate(_FULLWIDTH_TO_ASCII).translate(_DROPPED)
    return "".join(text.split())


def _surname_override(name: str) -> tuple[int, list[str]]:
    """Return (characters covered, syllables) for a surname needing a fix."""
    if name[:2] in COMPOUND_SURNAMES:
        return 2, list(COMPOUND_SURNAMES[name[:2]])
    if name[:1] in SURNAME_READINGS:
        return 1, [SURNAME_READINGS[name[:1]]]
    return 0, []


def _syllables(name: str, *, personal: bool = True) -> list[tuple[str, str]]:
    """Split a cleaned name into (full, initial) pairs.

    Each Chinese character gives one pair; each run of other characters is
    passed through lower-cased as a single pair, as both full and initial.
    """
    pairs: list[tuple[str, str]] = []
    position = 0
    for match in _HAN_RUN.finditer(name):
        if match.start() > position:
            other = name[position : match.start()].lower()
            pairs.append((other, other))
        run = match.group()
        syllables = lazy_pinyin(run, style=Style.NORMAL)
        if personal and match.start() == 0:
            covered, fixed = _surname_override(run)
            if covered:
                # Read the given name on its own so that it cannot form a
                # dictionary phrase with the surname (解放 → xie + fang).
                syllables = fixed + lazy_pinyin(run[covered:], style=Style.NORMAL)
        pairs.extend((s.lower(), s[:1].lower()) for s in syllables)
        position = match.end()
    if position < len(name):
        other = name[position:].lower()
        pairs.append((other, other))
    return pairs


def name_pinyin(name: str, *, personal: bool = True) -> tuple[str, str]:
    """Return (full pinyin, initials) for a name, e.g. ("zhangqian", "zq").

    `personal=False` for organisation names: their first character is no
    surname (单位 is danwei, not shanwei)."""
    pairs = _syllables(_clean_name(name), personal=personal)
    return "".join(full for full, _ in pairs), "".join(initial for _, initial in pairs)


def pinyin_search_terms(query: str) -> str:
    """Lower-case the query and remove its spaces, to match the stored keys."""
    text = (query or "").translate(_FULLWIDTH_TO_ASCII)
    return "".join(text.split()).lower()


def surname_pinyin(name: str) -> str:
    """The toneless pinyin of a personal name's surname: "zhang" for 张谦, "ouyang" for 欧阳修.

    The surname is the first character, or the first two for the compound surnames
    listed above; a name that does not open with a Chinese character has none ("")."""
    name = _clean_name(name)
    match = _HAN_RUN.match(name)
    if not match:
        return ""
    covered, fixed = _surname_override(match.group())
    if covered:
        return "".join(fixed)
    return lazy_pinyin(name[0], style=Style.NORMAL)[0].lower()


def has_han(text: str) -> bool:
    return bool(_HAN_RUN.search(text or ""))


def is_all_han(text: str) -> bool:
    return bool(text) and all(_HAN_RUN.fullmatch(ch) for ch in text)
