"""The bookings admin, one module per part of the clinic's work; importing them registers
their pages with the admin site."""

from bookings.admin import appointments, clinics, enquiries, prices, schedules, waiting_list

__all__ = ["appointments", "clinics", "enquiries", "prices", "schedules", "waiting_list"]
