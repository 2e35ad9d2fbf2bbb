# Simplified Chinese formats for the project (FORMAT_MODULE_PATH = "config.formats").
#
# Output formats use Django date-format syntax:
# https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
# Input formats use Python strptime syntax. Django's bundled zh_Hans module
# lists "%Y年%n月%j日", which never matches: %n and %j are not month/day codes
# in strptime. %m and %d accept both "9" and "09", so one pattern per
# separator covers padded and unpadded dates.

DATE_FORMAT = "Y年n月j日"  # 2016年9月5日
TIME_FORMAT = "H:i"  # 20:45
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2016年9月5日 20:45
YEAR_MONTH_FORMAT = "Y年n月"  # 2016年9月
MONTH_DAY_FORMAT = "n月j日"  # 9月5日
SHORT_DATE_FORMAT = "Y-m-d"  # 2016-09-05
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2016-09-05 20:45
FIRST_DAY_OF_WEEK = 1  # 星期一

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2016-09-05, 2016-9-5
    "%Y年%m月%d日",  # 2016年9月5日, 2016年09月05日
    "%Y/%m/%d",  # 2016/9/5, 2016/09/05
    "%Y.%m.%d",  # 2016.9.5
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 20:45:29
    "%H:%M",  # 20:45
    "%H时%M分",  # 20时45分
]
DATETIME_INPUT_FORMATS = [
    *(f"{date_format} {time_format}" for date_format in DATE_INPUT_FORMATS for time_format in ("%H:%M:%S", "%H:%M")),
    "%Y年%m月%d日 %H时%M分",  # 2016年9月5日 20时45分
    "%Y年%m月%d日%H时%M分",  # 2016年9月5日20时45分
    *DATE_INPUT_FORMATS,  # a bare date means midnight
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
