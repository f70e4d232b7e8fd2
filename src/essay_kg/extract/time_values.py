"""The value of one time expression: an XSD value as precise as the text allows, or a range.

Absolute forms ("14 July 2015", "July 14, 2015", "in 1990", "the 21st century") need nothing
else; relative ones ("last week", "five weeks ago", "this summer", "mid-December", "this coming
Bastille Day", "this century") are read against the publication date of the document, and give
None when it is unknown (or, for a week or a day, when it is known only to the month).  Weeks are
ISO weeks, Monday to Sunday; seasons are meteorological, at month bounds; centuries are ordinal
(the 20th century is 1901-2000).  "Six days later" and "the following year" move on from the
previous dated expression of the text (`later`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from essay_kg.extract.rules.load import TimeRule
from essay_kg.model import Span, TimeExpression, Value

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
Published = tuple[int, ...]  # (year, month) or (year, month, day)


def _month(name: str) -> int:
    return MONTHS[name.capitalize()]


def _count(rule: TimeRule, word: str) -> int:
    word = word.lower()
    return rule.numbers[word] if word in rule.numbers else int(word)


def _day_of(published: Published | None) -> date | None:
    return date(*published[:3]) if published is not None and len(published) >= 3 else None


def _range(rule: TimeRule, precision: str, earliest: Value, latest: Value | None) -> TimeExpression:
    return TimeExpression(Span(0, 0, ""), rule.id, None, precision, earliest, latest)


def _days(first: date, last: date) -> tuple[Value, Value]:
    return Value(first.isoformat(), "date"), Value(last.isoformat(), "date")


def _year_month(day: date) -> Value:
    return Value(f"{day.year:04d}-{day.month:02d}", "gYearMonth")


def resolve(rule: TimeRule, fields: dict[str, str], published: Published | None) -> TimeExpression | None:
    """The value of one match, or None when it needs a publication date that is unknown."""
    absolute = _absolute(rule, fields)
    if absolute is not None or rule.kind in ABSOLUTE:
        return absolute
    if published is None:
        return None
    relative = _relative_to_month(rule, fields, published)
    if relative is not None or rule.kind in TO_THE_MONTH:
        return relative
    day = _day_of(published)
    return None if day is None else _relative_to_day(rule, fields, day)


ABSOLUTE = {"date", "month", "after-event", "before-event", "year", "years", "decade", "century", "later", "same",
            "year-part", "opening",
            "range"}
TO_THE_MONTH = {"last-month", "recent-month", "day-month", "since-year", "years-ago", "months-ago", "next-century",
                "century-part",
                "present", "this-century", "season", "month-part", "holiday"}


def _absolute(rule: TimeRule, fields: dict[str, str]) -> TimeExpression | None:
    span, kind = Span(0, 0, ""), rule.kind
    if kind == "date":
        value = Value(f"{int(fields['year']):04d}-{_month(fields['month']):02d}-{int(fields['day']):02d}", "date")
        return TimeExpression(span, rule.id, value, "day")
    if kind == "month":
        return TimeExpression(span, rule.id, Value(f"{int(fields['year']):04d}-{_month(fields['month']):02d}",
                                                   "gYearMonth"), "month")
    if kind == "year":
        return TimeExpression(span, rule.id, Value(f"{int(fields['year']):04d}", "gYear"), "year")
    if kind == "years":  # "from 1992 to 1995", "between 1992 and 1995": the first year to the last
        return _range(rule, "year", Value(f"{int(fields['year']):04d}", "gYear"), Value(f"{int(fields['last']):04d}", "gYear"))
    if kind == "decade":
        start = int(fields["year"])
        return _range(rule, "decade", Value(f"{start:04d}", "gYear"), Value(f"{start + 9:04d}", "gYear"))
    if kind == "century":
        return _century(rule, int(fields["ordinal"]))
    if kind in {"season", "year-part"} and "year" in fields:  # "the summer of 2016", "mid-2015": months of that year
        return _months_of(rule, int(fields["year"]), *rule.parts[fields["part"].lower()])
    return None  # after-event, before-event, opening, range: read around other expressions (`extract.dates`)


def _months_of(rule: TimeRule, year: int, first: int, last: int) -> TimeExpression:
    """Months `first` to `last` of a year, as a range at month bounds (a winter's 14 is the next February)."""
    start = date(year, first, 1)
    end = date(year + (last - 1) // 12, (last - 1) % 12 + 1, 1)
    return _range(rule, "season" if rule.kind == "season" else "month", _year_month(start), _year_month(end))


def _century(rule: TimeRule, ordinal: int) -> TimeExpression:
    first = (ordinal - 1) * 100 + 1
    return _range(rule, "century", Value(f"{first:04d}", "gYear"), Value(f"{first + 99:04d}", "gYear"))


def _relative_to_month(rule: TimeRule, fields: dict[str, str], published: Published) -> TimeExpression | None:
    span, kind = Span(0, 0, ""), rule.kind
    year, month = published[0], published[1]
    if kind in {"last-month", "recent-month"}:
        wanted = _month(fields["month"])
        strictly_before = kind == "last-month"
        target_year = year if (wanted < month or (wanted == month and not strictly_before)) else year - 1
        return TimeExpression(span, rule.id, Value(f"{target_year:04d}-{wanted:02d}", "gYearMonth"), "month")
    if kind == "day-month":  # "on 8 May": the publication's year
        value = Value(f"{year:04d}-{_month(fields['month']):02d}-{int(fields['day']):02d}", "date")
        return TimeExpression(span, rule.id, value, "day")
    if kind == "since-year":  # "since 2015": from that year to the publication
        return _range(rule, "year", Value(f"{int(fields['year']):04d}", "gYear"), Value(f"{year:04d}", "gYear"))
    if kind == "years-ago":
        return TimeExpression(span, rule.id, Value(f"{year - _count(rule, fields['number']):04d}", "gYear"), "year")
    if kind == "this-century":  # "this century", said in 1995: 1901-2000
        return _century(rule, (year - 1) // 100 + 1)
    if kind == "next-century":
        return _century(rule, (year - 1) // 100 + 2)
    if kind == "century-part":
        low, high = rule.parts[fields["part"].lower()]
        century = (year - 1) // 100 * 100 - 100  # the last century: 1800 for 1994
        return _range(rule, "century", Value(f"{century + low:04d}", "gYear"), Value(f"{century + high:04d}", "gYear"))
    if kind == "season":  # "this summer": its months in the publication's year (a winter runs into the next)
        shift = -1 if fields.get("number", "this").lower() == "last" else 0
        return _months_of(rule, year + shift, *rule.parts[fields["part"].lower()])
    if kind == "months-ago":  # "last month", "this month", "next month"
        months = year * 12 + month - 1 - _count(rule, fields["number"])
        return TimeExpression(span, rule.id, Value(f"{months // 12:04d}-{months % 12 + 1:02d}", "gYearMonth"), "month")
    if kind == "month-part":  # "mid-December": days 11-20 of that month of the publication's year
        low, high = rule.parts[fields["part"].lower()]
        wanted = _month(fields["month"])
        high = min(high, calendar.monthrange(year, wanted)[1])
        return _range(rule, "month-part", *_days(date(year, wanted, low), date(year, wanted, high)))
    if kind == "holiday":  # "this coming Bastille Day": its next date from the publication
        wanted, day = rule.parts[fields["part"].lower()]
        on = year if (wanted, day) >= (month, published[2] if len(published) > 2 else 1) else year + 1
        return TimeExpression(span, rule.id, Value(f"{on:04d}-{wanted:02d}-{day:02d}", "date"), "day")
    if kind == "present":
        return TimeExpression(span, rule.id, Value(f"{year:04d}-{month:02d}", "gYearMonth"), "month",
                              dates_events=rule.dates_events)
    return None


def _relative_to_day(rule: TimeRule, fields: dict[str, str], published: date) -> TimeExpression | None:
    kind = rule.kind
    monday = published - timedelta(days=published.weekday())
    if kind == "days-ago":  # "a week ago": the day, N days before publication
        day = published - timedelta(days=_count(rule, fields["number"]))
        return TimeExpression(Span(0, 0, ""), rule.id, Value(day.isoformat(), "date"), "day")
    if kind == "weeks-ago":  # "last week", "five weeks ago", "next week": that ISO week
        start = monday - timedelta(weeks=_count(rule, fields["number"]))
        return _range(rule, "week", *_days(start, start + timedelta(days=6)))
    if kind == "rest-of-week":  # "later this week": from the next day to Sunday
        return _range(rule, "week", *_days(published + timedelta(days=1), monday + timedelta(days=6)))
    if kind == "weeks-range-ago":  # "a few weeks ago": between the bounds of `parts`, at month precision
        nearest, farthest = rule.parts[fields["part"].lower()]
        return _range(rule, "month", _year_month(published - timedelta(weeks=farthest)),
                      _year_month(published - timedelta(weeks=nearest)))
    raise ValueError(f"unknown time kind {kind}")


def later(rule: TimeRule, fields: dict[str, str], previous: TimeExpression) -> TimeExpression | None:
    """ "six days later", "the following year": the previous dated expression moved on, as precise as both
    allow (a day needs a previous day; a year, any previous date); None when the previous is too coarse."""
    if previous.value is None or previous.precision not in {"day", "month", "year"}:
        return None
    count = _count(rule, fields["number"]) if "number" in fields else 1
    unit = fields["part"].lower().rstrip("s")
    parts = [int(p) for p in previous.value.lexical.split("-")]
    span = Span(0, 0, "")
    if unit == "year":
        return TimeExpression(span, rule.id, Value(f"{parts[0] + count:04d}", "gYear"), "year")
    if unit == "month" and len(parts) >= 2:
        months = parts[0] * 12 + parts[1] - 1 + count
        return TimeExpression(span, rule.id, Value(f"{months // 12:04d}-{months % 12 + 1:02d}", "gYearMonth"), "month")
    if unit in {"day", "week"} and len(parts) == 3:
        day = date(*parts) + timedelta(days=count * (7 if unit == "week" else 1))
        if unit == "day":
            return TimeExpression(span, rule.id, Value(day.isoformat(), "date"), "day")
        monday = day - timedelta(days=day.weekday())
        return _range(rule, "week", *_days(monday, monday + timedelta(days=6)))
    return None
