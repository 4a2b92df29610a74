"""The enquiry list's date drill-down, built from the first and last dates only.

Django's own date hierarchy asks the database for every distinct year, month or day, a scan
of the whole table through a per-row date function (half a second at 100,000 enquiries on
SQLite). Two indexed MIN/MAX queries give the range instead; a period in the range with no
enquiries simply shows an empty list.
"""

import calendar
import datetime

from django import template
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def enquiry_date_hierarchy(cl) -> dict:
    field = cl.date_hierarchy
    year_field, month_field, day_field = (f"{field}__{part}" for part in ("year", "month", "day"))
    year, month, day = (cl.params.get(name) for name in (year_field, month_field, day_field))

    def link(filters: dict) -> str:
        return cl.get_query_string(filters, [f"{field}__"])

    def choice(filters: dict, title: str) -> dict:
        return {"link": link(filters), "title": title}

    bounds = cl.queryset.aggregate(first=Min(field), last=Max(field))
    if not (bounds["first"] and bounds["last"]):
        return {"show": False}
    first, last = (timezone.localtime(bounds[key]).date() for key in ("first", "last"))

    if year and month and day:
        chosen = datetime.date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if year and month:
        year_number, month_number = int(year), int(month)
        days = [
            datetime.date(year_number, month_number, n)
            for n in range(1, calendar.monthrange(year_number, month_number)[1] + 1)
        ]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                choice(
                    {year_field: year, month_field: month, day_field: d.day},
                    capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                )
                for d in days
                if first <= d <= last
            ],
        }
    if year:
        year_number = int(year)
        months = [datetime.date(year_number, n, 1) for n in range(1, 13)]
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"},
            "choices": [
                choice(
                    {year_field: year, month_field: m.month},
                    capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                )
                for m in months
                if (first.year, first.month) <= (m.year, m.month) <= (last.year, last.month)
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [choice({year_field: str(y)}, str(y)) for y in range(first.year, last.year + 1)],
    }
