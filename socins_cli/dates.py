"""Dates and months as the law counts them.

Retirement is computed in whole months (办法 第一条: "每四个月延迟一个月"), so
months are a first-class value here: ``Month(1965, 1) + 61`` is 1970-02.
"""

from __future__ import annotations

import datetime as _dt

import msgspec

from socins_cli.errors import InputError

#: The span socins answers about: the encoded law starts after 1900 and no instrument is in force after 2100;
#: a date outside it is a typo, and day arithmetic near year 9999 overflows.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100



def _numbers(text: str, widths) -> tuple[int, ...] | None:
    """``text``'s dash-separated runs of digits, if their widths (digit counts) are as allowed, else None.

    String tests, not a pattern: compiling the two patterns this replaces
    cost every command ~0.17 ms. A digit is what ``\\d`` matched (``isdecimal``).
    """
    parts = text.split("-")
    if len(parts) != len(widths) or not all(len(p) in w and p.isdecimal() for p, w in zip(parts, widths)):
        return None
    return tuple(map(int, parts))


_DATE_WIDTHS = ((4,), (2,), (2,))  # YYYY-MM-DD
_MONTH_WIDTHS = ((4,), (1, 2))  # YYYY-MM, or YYYY-M


#: China Standard Time: the day a timestamp with a time zone falls on is its day in China, where the law runs
#: (a birth at 07:00 on 2001-07-01 in Beijing, stored in UTC, reads 2001-06-30T23:00Z).
CHINA_TIME = _dt.timezone(_dt.timedelta(hours=8), "CST")


def day_in_china(value: _dt.datetime) -> _dt.date:
    """A timestamp's day: as written when it has no time zone, else its day in China Standard Time (where that
    day is beyond the calendar's last, the day written: the date's own check refuses it)."""
    if value.tzinfo is None:
        return value.date()
    try:
        return value.astimezone(CHINA_TIME).date()
    except OverflowError:  # late on 9999-12-31 UTC
        return value.date()


def parse_date(value: str | _dt.date, field: str = "as_of") -> _dt.date:
    """A YYYY-MM-DD string (or a date) as a date; anything else is an InputError.

    A timestamp (a Parquet or pandas datetime) is the day it falls on (in China, where it has a time zone): the
    law is asked as in force on a day.
    """
    if isinstance(value, _dt.datetime):
        value = day_in_china(value)
    if isinstance(value, _dt.date):
        return _in_span(value, value.isoformat(), field)
    text = str(value).strip()
    numbers = _numbers(text, _DATE_WIDTHS)
    if numbers is None:
        raise InputError(field, value, "expected a date as YYYY-MM-DD")
    year, month, day = numbers
    if not 1 <= month <= 12:
        raise InputError(field, value, "month must be 01-12")
    try:
        day_asked = _dt.date(year, month, day)
    except ValueError:
        raise InputError(field, value, f"day must be a day of {year}-{month:02d}") from None
    return _in_span(day_asked, value, field)


def _in_span(day: _dt.date, value, field: str) -> _dt.date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InputError(field, value, f"expected a date from {EARLIEST_YEAR}-01-01 to {LATEST_YEAR}-12-31")
    return day


class Month(msgspec.Struct, frozen=True, order=True, gc=False):
    """A calendar month; adding n moves n months on."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: "str | Month | _dt.date", field: str = "birth") -> "Month":
        """A YYYY-MM string as a Month; a date or timestamp (a typed Parquet column) is the month it falls in
        (in China, where it has a time zone)."""
        if isinstance(value, Month):
            return value
        if isinstance(value, _dt.datetime):
            value = day_in_china(value)
        if isinstance(value, _dt.date):
            if value.year < 1900:
                raise InputError(field, value.isoformat(), "year must be 1900 or later")
            return cls(value.year, value.month)
        text = str(value).strip()
        numbers = _numbers(text, _MONTH_WIDTHS)
        if numbers is None:
            raise InputError(field, value, "expected a month as YYYY-MM")
        year, month = numbers
        if not 1 <= month <= 12:
            raise InputError(field, value, "month must be 01-12")
        if year < 1900:
            raise InputError(field, value, "year must be 1900 or later")
        return cls(year, month)

    @classmethod
    def of(cls, day: _dt.date) -> "Month":
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        """Months since year 0: differences of indexes count months."""
        return self.year * 12 + self.month - 1

    @staticmethod
    def index_of(day: _dt.date) -> int:
        """``Month.of(day).index`` without building the Month."""
        return day.year * 12 + day.month - 1

    @classmethod
    def from_index(cls, index: int) -> "Month":
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> "Month":
        return Month.from_index(self.index + months)

    def __sub__(self, other: "Month") -> int:
        return self.index - other.index

    def first_day(self) -> _dt.date:
        return _dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def today() -> _dt.date:
    return _dt.date.today()
