# English formats for the project (FORMAT_MODULE_PATH = "config.formats").
#
# Output follows Django's English formats, with a 24-hour clock and ISO short
# dates. Input accepts the Chinese-style dates the office staff type as well
# as ISO and spelled-out English dates. Purely numeric US (9/5/2016) and
# British (5/9/2016) orders are left out on purpose: they are ambiguous.

DATE_FORMAT = "N j, Y"  # Sept. 5, 2016
TIME_FORMAT = "H:i"  # 20:45
DATETIME_FORMAT = "N j, Y, H:i"  # Sept. 5, 2016, 20:45
YEAR_MONTH_FORMAT = "F Y"  # September 2016
MONTH_DAY_FORMAT = "F j"  # September 5
SHORT_DATE_FORMAT = "Y-m-d"  # 2016-09-05
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2016-09-05 20:45
FIRST_DAY_OF_WEEK = 1  # Monday, as in the Chinese calendar the data follows

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2016-09-05, 2016-9-5
    "%Y年%m月%d日",  # 2016年9月5日
    "%Y/%m/%d",  # 2016/9/5, 2016/09/05
    "%Y.%m.%d",  # 2016.9.5
    "%b %d %Y",  # Sep 5 2016
    "%b %d, %Y",  # Sep 5, 2016
    "%d %b %Y",  # 5 Sep 2016
    "%d %b, %Y",  # 5 Sep, 2016
    "%B %d %Y",  # September 5 2016
    "%B %d, %Y",  # September 5, 2016
    "%d %B %Y",  # 5 September 2016
    "%d %B, %Y",  # 5 September, 2016
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 20:45:29
    "%H:%M:%S.%f",  # 20:45:29.000200
    "%H:%M",  # 20:45
    "%H时%M分",  # 20时45分
]
DATETIME_INPUT_FORMATS = [
    *(
        f"{date_format} {time_format}"
        for date_format in DATE_INPUT_FORMATS[:4]
        for time_format in ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")
    ),
    "%Y年%m月%d日 %H时%M分",  # 2016年9月5日 20时45分
    "%Y年%m月%d日%H时%M分",  # 2016年9月5日20时45分
    *DATE_INPUT_FORMATS[:4],  # a bare date means midnight
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
