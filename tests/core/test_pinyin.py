"""Tests for core.pinyin: name sort/search keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from core.pinyin import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    name_pinyin,
    pinyin_search_terms,
)


def test_it_gives_full_pinyin_and_initials():
    assert name_pinyin("张谦") == ("zhangqian", "zq")


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("单雄", "shanxiong", "sx"),
        ("曾国", "zengguo", "zg"),
        ("解放", "xiefang", "xf"),
        ("仇英", "qiuying", "qy"),
        ("区华", "ouhua", "oh"),
        ("朴树", "piaoshu", "ps"),
        ("查良镛", "zhaliangyong", "zly"),
    ],
)
def test_it_uses_the_surname_reading_of_the_first_character(name, full, initials):
    assert name_pinyin(name) == (full, initials)


@pytest.mark.parametrize("surname", sorted(SURNAME_READINGS))
def test_pypinyin_alone_misreads_each_listed_surname(surname):
    # Documents why the table exists; if pypinyin ever fixes a reading the
    # entry becomes redundant but harmless.
    assert lazy_pinyin(surname)[0] != SURNAME_READINGS[surname]


def test_it_keeps_the_ordinary_reading_after_the_first_character():
    assert name_pinyin("王单") == ("wangdan", "wd")
    assert name_pinyin("李曾") == ("liceng", "lc")


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("欧阳修", "ouyangxiu", "oyx"),
        ("司马光", "simaguang", "smg"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("上官婉儿", "shangguanwaner", "sgwe"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟卨", "moqixie", "mqx"),
    ],
)
def test_it_reads_compound_surnames_correctly(name, full, initials):
    assert name_pinyin(name) == (full, initials)


def test_compound_surnames_have_one_syllable_per_character():
    assert all(len(k) == len(v) == 2 for k, v in COMPOUND_SURNAMES.items())


def test_it_drops_spaces_and_middle_dots_of_minority_names():
    assert name_pinyin("阿依古丽·买买提") == ("ayigulimaimaiti", "ayglmmt")
    assert name_pinyin("阿依古丽•买买提") == name_pinyin("阿依古丽·买买提")
    assert name_pinyin(" 张  谦 ") == ("zhangqian", "zq")


def test_it_passes_non_chinese_characters_through_lower_cased():
    assert name_pinyin("Tom李") == ("tomli", "toml")
    assert name_pinyin("ANNA") == ("anna", "anna")
    assert name_pinyin("李2") == ("li2", "l2")


def test_it_writes_u_umlaut_as_v():
    assert name_pinyin("吕女") == ("lvnv", "ln")


def test_it_returns_empty_keys_for_an_empty_name():
    assert name_pinyin("") == ("", "")


def test_sorting_by_the_key_orders_surnames_alphabetically():
    names = ["赵六", "单雄", "张谦", "安娜", "李四", "孙七"]
    ordered = sorted(names, key=lambda name: name_pinyin(name)[0])
    assert ordered == ["安娜", "李四", "单雄", "孙七", "张谦", "赵六"]
    assert ordered.index("安娜") < ordered.index("张谦") < ordered.index("赵六")


def test_shan_sorts_under_s():
    assert name_pinyin("单雄")[0].startswith("s") is True
    assert name_pinyin("单雄")[1].startswith("s") is True


@given(st.text(alphabet="张王李赵刘陈杨黄周吴谦伟芳娜秀英敏静丽强磊军洋勇艳", max_size=4))
def test_initials_are_the_first_letters_of_the_syllables(name):
    full, initials = name_pinyin(name)
    assert initials == "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    assert full == "".join(lazy_pinyin(name))
    assert full.isascii() is True


def test_pinyin_search_terms_lower_cases_and_removes_spaces():
    assert pinyin_search_terms(" Zhang Qian ") == "zhangqian"
    assert pinyin_search_terms("Z Q") == "zq"
    assert pinyin_search_terms("") == ""
