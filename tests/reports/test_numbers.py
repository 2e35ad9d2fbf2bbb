"""The number conventions of Chinese official reports (reports.numbers), on their own."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.numbers import clause, count, sentence, series, yuan


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0元"),
        (400, "400元"),
        (3000, "3000元"),
        (Decimal("1234.5"), "1234.5元"),
        (Decimal("0.35"), "0.35元"),
        (9999, "9999元"),
        (10000, "1万元"),
        (15000, "1.5万元"),
        (15500, "1.55万元"),
        (15350, "1.5万余元"),
        (150000, "15万元"),
        (160350, "16万余元"),
        (250000, "25万元"),
        (1500000, "150万元"),
        (1600000, "160万元"),
        (1234567, "123万余元"),
        (Decimal("100000.01"), "10万余元"),
    ],
)
def test_amounts_are_written_in_yuan_or_wan_with_yu_for_over(amount, text):
    assert yuan(amount) == text


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=10000, max_value=10**9, places=2))
def test_an_amount_in_wan_never_says_more_than_it_is(amount):
    text = yuan(amount)
    assert text.endswith("万元") or text.endswith("万余元")
    number = Decimal(text.removesuffix("万余元").removesuffix("万元")) * 10000
    if text.endswith("万余元"):
        assert number < amount  # 余: there is more than the figure says
        assert amount - number < Decimal("0.1") * 10000 * (10 if number >= 100000 else 1)
    else:
        assert number == amount


def test_counts_carry_their_measure_word():
    assert count(25, "期次") == "25期次"
    assert count(1097, "人次") == "1097人次"


def test_a_zero_figure_is_left_out_of_the_sentence():
    text = sentence(
        clause("开展关爱“三童”慰问%(n)s次", n=251),
        clause("共慰问%(n)s人次", n=843),
        clause("发放助学金%(a)s", money=("a",), a=0),
        clause("慰问物资累计价值%(v)s", money=("v",), v=160350),
        lead="近年来，该党支部与镇关工委一道",
    )
    assert text == "近年来，该党支部与镇关工委一道开展关爱“三童”慰问251次，共慰问843人次，慰问物资累计价值16万余元。"


def test_a_sentence_of_zeros_is_left_out_altogether():
    assert sentence(clause("调解矛盾纠纷%(n)s起", n=0), lead="2024年以来，") == ""
    assert sentence(None, clause("调解矛盾纠纷%(n)s起", n=32), lead="2024年以来，") == "2024年以来，调解矛盾纠纷32起。"


def test_a_series_joins_its_non_zero_parts_with_the_enumeration_comma():
    assert series(("县级", 1), ("乡镇", 0), ("村", 5), unit="个") == "县级1个、村5个"
    assert series(("县级", 0), unit="个") == ""
