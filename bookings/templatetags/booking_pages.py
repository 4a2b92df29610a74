"""How the booking pages write a time: in the address and the forms, and on the clinic's
clock."""

import datetime

from django import template

from bookings.forms import iso_moment as write_moment
from restoration_site.common.clinic_clock import clinic_time

register = template.Library()


@register.filter
def iso_moment(moment: datetime.datetime) -> str:
    """“2026-12-08T10:30:00Z”: a time in a form or an address, read back by
    `bookings.forms.read_moment`."""
    return write_moment(moment)


@register.filter
def clock(moment: datetime.datetime) -> str:
    """“10:30”, as the clinic's clock reads it; the page says the date and “UK time” beside
    it (in visually hidden text where the day is already a heading)."""
    return f"{clinic_time(moment):%H:%M}"
