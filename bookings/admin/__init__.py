"""The bookings admin, one module per part of the clinic's work; importing them registers
their pages with the admin site."""

from bookings.admin import appointments, enquiries, prices, schedules, waiting_list

__all__ = ["appointments", "enquiries", "prices", "schedules", "waiting_list"]
