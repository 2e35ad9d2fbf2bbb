"""Validators and normalisers for identifiers used in the ledger.

* 18-digit PRC resident identity card number (身份证号, GB 11643-1999)
* mainland mobile and landline telephone numbers
* unified social credit code (统一社会信用代码, GB 32100-2015)

Everything here is pure Python: no models and no database. Error messages are
lazy translations, so importing this module does not need Django settings.
Callers should compare ``ValidationError.code`` rather than message text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CREDIT_CODE_CHARSET",
    "IdNumberInfo",
    "address_codes",
    "credit_code_check_char",
    "id_check_digit",
    "mask_id_number",
    "normalize_credit_code",
    "normalize_id_number",
    "normalize_mobile",
    "parse_id_number",
    "validate_credit_code",
    "validate_id_number",
    "validate_phone",
]

# Full-width ASCII variants (！ to ～) map onto ASCII by a fixed offset;
# the ideographic space becomes an ordinary space.
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_ASCII[0x3000] = 0x20
# Invisible characters that ride along when numbers are pasted from
# spreadsheets or chat apps; str.split() does not treat them as whitespace.
_INVISIBLE = {0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None}


def _clean(value) -> str:
    """Full-width → ASCII, then drop all whitespace and invisible characters."""
    if value is None:
        return ""
    text = str(value).translate(_FULLWIDTH_TO_ASCII).translate(_INVISIBLE)
    return "".join(text.split())


# ---------------------------------------------------------------------------
# 身份证号
# ---------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_EARLIEST_BIRTH_DATE = date(1880, 1, 1)

_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID_RE = re.compile(r"[0-9]{15}")
_DIGITS17_RE = re.compile(r"[0-9]{17}")

ID_MESSAGES = {
    "id_number_old_format": _("请填写18位新版身份证号，15位旧号码已停用"),
    "id_number_length": _("身份证号应为18位，当前为%(length)s位"),
    "id_number_characters": _("身份证号只能由数字组成，最后一位可以是字母X"),
    "id_number_invalid_date": _("身份证号中的出生日期（第7至14位）不是有效日期"),
    "id_number_future_date": _("身份证号中的出生日期晚于今天，请核对"),
    "id_number_date_too_early": _("身份证号中的出生日期早于1880年1月1日，请核对"),
    "id_number_checksum": _("身份证号校验位不正确，请核对是否有输错的数字"),
    "id_number_address_code": _("身份证号前6位（%(address)s）不是有效的行政区划代码，请核对"),
}

ADDRESS_CODES_FILE = Path(__file__).resolve().parent / "data" / "address_codes.tsv"


@functools.cache
def address_codes() -> frozenset[str]:
    """The six-digit address codes an ID number may start with: today's administrative divisions
    and those used since 1980 and since abolished (an elder's number keeps its old county's code)."""
    with ADDRESS_CODES_FILE.open(encoding="utf-8") as lines:
        return frozenset(line[:6] for line in lines if line[:1].isdigit())


@dataclass(frozen=True)
class IdNumberInfo:
    """What an 18-digit ID number says about its holder."""

    number: str
    birth_date: date
    gender: Literal["M", "F"]
    region_code: str


def normalize_id_number(value: str) -> str:
    """Remove spaces, turn full-width digits and Ｘ/ｘ into ASCII, x into X."""
    return _clean(value).upper()


def id_check_digit(first17: str) -> str:
    """Return the check character ("0"–"9" or "X") for the first 17 digits."""
    if not _DIGITS17_RE.fullmatch(first17):
        raise ValueError("id_check_digit() needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _id_error(code: str, **params) -> ValidationError:
    return ValidationError(ID_MESSAGES[code], code=code, params=params or None)


def parse_id_number(value: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an ID number and return what it encodes.

    Raises ``ValidationError`` with one of the codes in ``ID_MESSAGES``.
    ``today`` defaults to ``date.today()``; pass it to pin the future-date check.
    """
    number = normalize_id_number(value)
    if _OLD_ID_RE.fullmatch(number):
        raise _id_error("id_number_old_format")
    if len(number) != 18:
        raise _id_error("id_number_length", length=len(number))
    if not _ID_RE.fullmatch(number):
        raise _id_error("id_number_characters")
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _id_error("id_number_invalid_date") from None
    if birth_date > (today or date.today()):
        raise _id_error("id_number_future_date")
    if birth_date < ID_EARLIEST_BIRTH_DATE:
        raise _id_error("id_number_date_too_early")
    if id_check_digit(number[:17]) != number[17]:
        raise _id_error("id_number_checksum")
    # After the checksum: a mistyped digit gets the checksum's message, an invented number this one.
    if number[:6] not in address_codes():
        raise _id_error("id_number_address_code", address=number[:6])
    return IdNumberInfo(
        number=number,
        birth_date=birth_date,
        gender="M" if int(number[16]) % 2 == 1 else "F",
        region_code=number[:6],
    )


def validate_id_number(value: str) -> None:
    """Django validator for the 18-digit resident identity card number."""
    parse_id_number(value)


def mask_id_number(value: str) -> str:
    """Mask for display: ``511102********1234``.

    Values of 10 characters or more keep their first 6 and last 4 characters
    around eight asterisks; shorter values are fully starred; empty stays empty.
    """
    number = normalize_id_number(value)
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[-4:]}"


# ---------------------------------------------------------------------------
# Telephone numbers
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_AREA_CODE_RE = re.compile(r"0[0-9]{2,3}")
_LOCAL_NUMBER_RE = re.compile(r"[0-9]{7,8}")
_LANDLINE_COMPACT_RE = re.compile(r"0[0-9]{9,11}")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})

PHONE_MESSAGES = {
    "mobile_invalid": _("手机号码格式不正确，应为1开头的11位号码，第二位为3至9"),
    "phone_invalid": _("请填写正确的手机号码（11位）或固定电话（如0833-1234567）"),
}


def _strip_country_code(digits: str) -> str:
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and _MOBILE_RE.fullmatch(digits[len(prefix) :]):
            return digits[len(prefix) :]
    return digits


def _landline(text: str) -> str | None:
    """Return ``0xx(x)-xxxxxxx(x)`` or None."""
    if "-" in text:
        area, _sep, rest = text.partition("-")
        local = rest.replace("-", "")
        if _AREA_CODE_RE.fullmatch(area) and _LOCAL_NUMBER_RE.fullmatch(local):
            return f"{area}-{local}"
    compact = text.replace("-", "")
    if _LANDLINE_COMPACT_RE.fullmatch(compact):
        # 010 and 020–029 are the only three-digit area codes (incl. the 0);
        # every other mainland area code has four digits.
        split = 3 if compact[1] in "12" else 4
        local = compact[split:]
        if _LOCAL_NUMBER_RE.fullmatch(local):
            return f"{compact[:split]}-{local}"
    return None


def _parse_phone(value) -> tuple[str, str]:
    """Return (kind, normalised) where kind is "mobile", "landline" or ""."""
    # "(0833)1234567" → "0833-1234567"
    text = _clean(value).translate(_DASHES).replace("(", "").replace(")", "-")
    digits = _strip_country_code(text.replace("-", ""))
    if _MOBILE_RE.fullmatch(digits):
        return "mobile", digits
    landline = _landline(text)
    if landline is not None:
        return "landline", landline
    return "", text


def normalize_mobile(value: str) -> str:
    """Normalise a mainland mobile (11 digits) or landline (``0833-1234567``).

    Spaces, hyphens and a leading +86/86/0086 are removed from mobiles;
    landlines keep exactly one hyphen after the area code. Input that is
    neither is returned with whitespace removed (``validate_phone`` rejects it).
    """
    return _parse_phone(value)[1]


def validate_phone(value: str) -> None:
    """Django validator: mainland mobile number or landline with area code."""
    kind, normalised = _parse_phone(value)
    if kind:
        return
    digits = normalised.replace("-", "")
    if digits.startswith(("1", "+861", "00861")) and digits.lstrip("+").isdigit():
        raise ValidationError(PHONE_MESSAGES["mobile_invalid"], code="mobile_invalid")
    raise ValidationError(PHONE_MESSAGES["phone_invalid"], code="phone_invalid")


# ---------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_RE = re.compile(f"[{CREDIT_CODE_CHARSET}]{{18}}")

CREDIT_CODE_MESSAGES = {
    "credit_code_length": _("统一社会信用代码应为18位，当前为%(length)s位"),
    "credit_code_characters": _("统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）"),
    "credit_code_checksum": _("统一社会信用代码校验位不正确，请核对是否有输错的字符"),
}


def normalize_credit_code(value: str) -> str:
    """Remove spaces, turn full-width characters into ASCII, upper-case."""
    return _clean(value).upper()


def credit_code_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters."""
    if len(first17) != 17 or any(c not in CREDIT_CODE_CHARSET for c in first17):
        raise ValueError("credit_code_check_char() needs 17 characters of the charset")
    total = sum(CREDIT_CODE_CHARSET.index(char) * weight for char, weight in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Django validator for the 18-character unified social credit code."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            CREDIT_CODE_MESSAGES["credit_code_length"],
            code="credit_code_length",
            params={"length": len(code)},
        )
    if not _CREDIT_CODE_RE.fullmatch(code):
        raise ValidationError(
            CREDIT_CODE_MESSAGES["credit_code_characters"],
            code="credit_code_characters",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            CREDIT_CODE_MESSAGES["credit_code_checksum"],
            code="credit_code_checksum",
        )
