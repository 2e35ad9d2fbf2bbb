"""Reading cells as Excel users fill them in, writing cells that cannot become formulas."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.xlsx import XlsxWriter, cell_date, cell_text, safe_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2016, 9, 5), dt.date(2016, 9, 5)),
        (dt.datetime(2016, 9, 5, 0, 0), dt.date(2016, 9, 5)),
        (42618, dt.date(2016, 9, 5)),  # Excel's serial number of that day
        (42618.0, dt.date(2016, 9, 5)),
        ("42618", dt.date(2016, 9, 5)),
        ("2016年9月5日", dt.date(2016, 9, 5)),
        ("2016 年 9 月 5 日", dt.date(2016, 9, 5)),
        ("2016/9/5", dt.date(2016, 9, 5)),
        ("2016-09-05", dt.date(2016, 9, 5)),
        ("2016.9.5", dt.date(2016, 9, 5)),
        ("20160905", dt.date(2016, 9, 5)),
        ("２０１６／９／５", dt.date(2016, 9, 5)),  # full-width digits and slash
        ("", None),
        (None, None),
    ],
)
def test_it_reads_every_form_of_date_excel_produces(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["2016-02-30", "明天", "2016年13月1日", -3])
def test_it_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        cell_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13812345678.0, "13812345678"),  # a phone typed as a number gains no ".0"
        (13812345678, "13812345678"),
        (Decimal("12.50"), "12.50"),
        ("４３３１２７１９４８０５０６００１Ｘ", "43312719480506001X"),
        ("  张　三  ", "张 三"),  # ideographic space normalised, trimmed
        (None, ""),
        (True, "是"),
    ],
)
def test_cell_text_normalises_numbers_and_full_width(value, expected):
    assert cell_text(value) == expected


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_integral_numbers_read_back_as_their_digits(number):
    assert cell_text(float(number)) == str(number)


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tcmd"])
def test_formula_starts_are_escaped(text):
    assert safe_text(text) == "'" + text


def test_written_strings_stay_strings_and_id_columns_are_text(tmp_path):
    writer = XlsxWriter("测试", [("姓名", "auto"), ("身份证号", "text"), ("日期", "auto")])
    writer.append(['=HYPERLINK("http://x")', "43312719480506001X", dt.date(2016, 9, 5)])
    path = tmp_path / "out.xlsx"
    path.write_bytes(writer.close().read())

    sheet = load_workbook(path).active
    name, number, date = sheet[2]
    assert name.data_type == "s"
    assert name.value == '\'=HYPERLINK("http://x")'
    assert number.value == "43312719480506001X"
    assert number.number_format == "@"
    assert date.value.date() == dt.date(2016, 9, 5)
    assert [cell.value for cell in sheet[1]] == ["姓名", "身份证号", "日期"]
