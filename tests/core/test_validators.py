"""Tests for core.validators: ID numbers, phone numbers, credit codes."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from core.validators import (
    ID_MESSAGES,
    ID_WEIGHTS,
    IdNumberInfo,
    address_codes,
    credit_code_check_char,
    id_check_digit,
    mask_id_number,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    parse_id_number,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

if not settings.configured:  # rendering lazy messages needs settings
    settings.configure(USE_I18N=False)


def error_code(validator, value):
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


def make_id(region: str, born: date, sequence: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + id_check_digit(first17)


FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

region_codes = st.sampled_from(sorted(address_codes()))
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today())


@st.composite
def valid_id_numbers(draw):
    return make_id(draw(region_codes), draw(birth_dates), draw(sequences))


# --- 身份证号: known vectors ------------------------------------------------


def test_it_accepts_the_female_vector_born_1949_12_31():
    info = parse_id_number("11010519491231002X")
    assert info == IdNumberInfo(
        number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        gender="F",
        region_code="110105",
    )


def test_it_accepts_the_male_vector_born_on_the_earliest_allowed_date():
    info = parse_id_number("440524188001010014")
    assert info.birth_date == date(1880, 1, 1)
    assert info.gender == "M"
    assert info.region_code == "440524"


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("51110219500101123", "0"),
        ("51110219870615005", "8"),
        ("51110220000229457", "1"),
    ],
)
def test_id_check_digit_matches_hand_computed_values(first17, check):
    assert id_check_digit(first17) == check
    assert validate_id_number(first17 + check) is None


def test_it_computes_check_digit_x_for_remainder_ten():
    # Σ mod 11 == 2 → (12 − 2) mod 11 == 10 → "X"
    assert id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("bad", ["1234567890123456", "abcdefghijklmnopq", ""])
def test_id_check_digit_rejects_anything_but_17_digits(bad):
    with pytest.raises(ValueError):
        id_check_digit(bad)


def test_parse_id_number_returns_a_frozen_dataclass():
    info = parse_id_number("11010519491231002X")
    with pytest.raises(AttributeError):
        info.gender = "M"


# --- 身份证号: rejections ---------------------------------------------------


def test_it_rejects_wrong_checksum():
    assert error_code(validate_id_number, "110105194912310021") == "id_number_checksum"


@pytest.mark.parametrize("address", ["999999", "000000", "110199", "433180"])
def test_it_rejects_an_address_code_that_is_no_administrative_division(address):
    number = make_id(address, date(1950, 3, 1), "021")

    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(number)

    assert excinfo.value.code == "id_number_address_code"
    assert excinfo.value.messages == [f"身份证号前6位（{address}）不是有效的行政区划代码，请核对"]


@pytest.mark.parametrize(
    "address",
    [
        "433127",  # 永顺县, 511102 市中区, 520329 余庆县, 370911 岱岳区, 431224 溆浦县: the demo's counties
        "511102",
        "520329",
        "370911",
        "431224",
        "110103",  # 崇文区, merged into 东城区 in 2010: an elder's card still carries it
        "810000",  # 港澳台居民居住证
    ],
)
def test_it_accepts_todays_and_abolished_divisions(address):
    assert validate_id_number(make_id(address, date(1950, 3, 1), "021")) is None


def test_the_address_codes_are_six_digits_and_many():
    codes = address_codes()
    assert len(codes) > 7000
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_it_rejects_old_15_digit_numbers_with_their_own_message():
    assert error_code(validate_id_number, "110105491231002") == "id_number_old_format"
    assert "15位" in str(ID_MESSAGES["id_number_old_format"])


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002X1"])
def test_it_rejects_wrong_length(value):
    assert error_code(validate_id_number, value) == "id_number_length"


def test_the_length_message_states_the_actual_length():
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number("1101051949")
    assert excinfo.value.messages == ["身份证号应为18位，当前为10位"]


@pytest.mark.parametrize("value", ["1101051949123100XX", "11010519491231002Y", "X10105194912310021"])
def test_it_rejects_bad_characters(value):
    assert error_code(validate_id_number, value) == "id_number_characters"


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490001", "19000229"])
def test_it_rejects_impossible_dates(birth):
    first17 = f"110105{birth}002"
    assert error_code(validate_id_number, first17 + id_check_digit(first17)) == ("id_number_invalid_date")


def test_it_rejects_future_birth_dates():
    tomorrow = date.today() + timedelta(days=1)
    number = make_id("110105", tomorrow, "002")
    assert error_code(validate_id_number, number) == "id_number_future_date"


def test_it_accepts_a_birth_date_of_today():
    today = date.today()
    assert parse_id_number(make_id("110105", today, "002")).birth_date == today


def test_it_uses_the_given_today_for_the_future_check():
    number = make_id("110105", date(2024, 6, 1), "002")
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(number, today=date(2024, 5, 31))
    assert excinfo.value.code == "id_number_future_date"
    assert parse_id_number(number, today=date(2024, 6, 1)).birth_date == date(2024, 6, 1)


def test_it_rejects_birth_dates_before_1880():
    number = make_id("440524", date(1879, 12, 31), "001")
    assert error_code(validate_id_number, number) == "id_number_date_too_early"


def test_each_id_error_has_its_own_chinese_message():
    messages = [str(message) for message in ID_MESSAGES.values()]
    assert len(set(messages)) == len(messages)
    assert all("身份证号" in message for message in messages)


# --- 身份证号: normalisation and masking ----------------------------------


def test_it_normalises_full_width_digits_spaces_and_lower_case_x():
    assert normalize_id_number(" １１０１０５ 19491231 002ｘ ") == "11010519491231002X"
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number("11010519491231002Ｘ") == "11010519491231002X"


def test_parse_returns_the_normalised_number():
    assert parse_id_number("110105 1949 1231 002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("511102195001011230", "511102********1230"),
        ("11010519491231002x", "110105********002X"),
        ("0123456789", "012345********6789"),
        ("123456789", "*********"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_mask_id_number_keeps_first_six_and_last_four(value, masked):
    assert mask_id_number(value) == masked


# --- 身份证号: properties ---------------------------------------------------


@given(region=region_codes, born=birth_dates, sequence=sequences)
def test_any_number_built_with_the_check_digit_validates(region, born, sequence):
    number = make_id(region, born, sequence)
    assert validate_id_number(number) is None
    info = parse_id_number(number)
    assert info.birth_date == born
    assert info.region_code == region
    assert info.gender == ("M" if int(sequence[2]) % 2 == 1 else "F")


@given(
    number=valid_id_numbers(),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from("0123456789X"),
)
def test_changing_any_single_character_makes_the_number_invalid(number, position, replacement):
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(changed)


@given(
    region=region_codes,
    born=birth_dates,
    sequence=sequences,
    widen=st.lists(st.booleans(), min_size=18, max_size=18),
    space_at=st.integers(min_value=0, max_value=18),
)
def test_full_width_lower_case_and_spaced_input_normalises_and_validates(region, born, sequence, widen, space_at):
    number = make_id(region, born, sequence)
    messy = "".join(c.translate(FULLWIDTH) if wide else c for c, wide in zip(number, widen)).replace("X", "x")
    messy = messy[:space_at] + " " + messy[space_at:]
    assert normalize_id_number(messy) == number
    assert validate_id_number(messy) is None
    assert parse_id_number(messy).number == number


@given(first17=st.integers(min_value=0, max_value=10**17 - 1).map(lambda n: f"{n:017d}"))
def test_id_check_digit_agrees_with_the_standard_lookup_table(first17):
    # GB 11643 lists the check character by Σ mod 11 as "10X98765432".
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    assert id_check_digit(first17) == "10X98765432"[total % 11]


@given(first16=st.integers(min_value=0, max_value=10**16 - 1))
def test_each_seventeenth_digit_gives_a_different_check_digit(first16):
    checks = [id_check_digit(f"{first16:016d}{d}") for d in "0123456789"]
    assert len(set(checks)) == 10


# --- Telephone numbers -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "8613812345678",
        "008613812345678",
        "138-1234-5678",
        " 138 1234 5678 ",
        "１３８１２３４５６７８",
    ],
)
def test_it_normalises_mobiles_to_eleven_digits(value):
    assert validate_phone(value) is None
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("0833-1234567", "0833-1234567"),
        ("08331234567", "0833-1234567"),
        ("0833 1234567", "0833-1234567"),
        ("(0833)1234567", "0833-1234567"),
        ("021-8765432", "021-8765432"),
        ("0755-87654321", "0755-87654321"),
        ("0833-123-4567", "0833-1234567"),
    ],
)
def test_it_accepts_landlines_with_one_hyphen_after_the_area_code(value, normalised):
    assert validate_phone(value) is None
    assert normalize_mobile(value) == normalised


@pytest.mark.parametrize("value", ["12345678901", "1381234567", "138123456789"])
def test_it_rejects_malformed_mobiles(value):
    assert error_code(validate_phone, value) == "mobile_invalid"


@pytest.mark.parametrize("value", ["12", "99", "", "abc", "010-123456", "0833-123456789", "23456789"])
def test_it_rejects_strings_that_are_no_phone_number(value):
    assert error_code(validate_phone, value) in {"phone_invalid", "mobile_invalid"}


def test_it_rejects_two_digit_strings():
    with pytest.raises(ValidationError):
        validate_phone("12")
    with pytest.raises(ValidationError):
        validate_phone("88")


def test_normalize_mobile_leaves_unrecognised_input_stripped_but_otherwise_alone():
    assert normalize_mobile(" 12 ") == "12"


@given(
    body=st.integers(min_value=0, max_value=10**9 - 1),
    second=st.sampled_from("3456789"),
    prefix=st.sampled_from(["", "+86", "86", "0086", "+86 "]),
    separator=st.sampled_from(["", " ", "-"]),
)
def test_any_mobile_with_prefix_and_separators_normalises(body, second, prefix, separator):
    mobile = f"1{second}{body:09d}"
    written = prefix + separator.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert validate_phone(written) is None
    assert normalize_mobile(written) == mobile


# --- 统一社会信用代码 ----------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"])
def test_it_accepts_published_credit_codes(code):
    assert validate_credit_code(code) is None
    assert credit_code_check_char(code[:17]) == code[17]


def test_it_normalises_credit_codes_to_upper_case_without_spaces():
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_credit_code("91350100m000100y43") is None
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") is None


def test_it_rejects_a_credit_code_with_the_wrong_check_character():
    assert error_code(validate_credit_code, "91350100M000100Y44") == ("credit_code_checksum")


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_it_rejects_credit_codes_of_the_wrong_length(code):
    assert error_code(validate_credit_code, code) == "credit_code_length"


@pytest.mark.parametrize("letter", "IOZSV")
def test_it_rejects_letters_outside_the_credit_code_charset(letter):
    code = "91350100" + letter + "000100Y43"
    assert error_code(validate_credit_code, code) == "credit_code_characters"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_any_credit_code_built_with_its_check_character_validates(first17):
    code = first17 + credit_code_check_char(first17)
    assert validate_credit_code(code) is None
    assert validate_credit_code(code.lower()) is None
