"""Clinic closures: the bank holidays of England and Wales, added for every clinic."""

import datetime
from collections.abc import Iterable

import holidays
from django.db import transaction

from bookings.models import Clinic, ClinicClosure


def bank_holidays(*, years: Iterable[int]) -> list[tuple[datetime.date, str]]:
    """England and Wales's bank holidays in those years, by date (with substitute days, such
    as “Boxing Day (observed)”, and one-off ones the `holidays` package knows of)."""
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).items())


@transaction.atomic
def load_bank_holidays(*, years: Iterable[int]) -> list[ClinicClosure]:
    """Close every clinic on each bank holiday of those years; returns the closures added.

    Idempotent: a date a clinic already has a closure for (a bank holiday loaded before, or a
    closure staff added, whatever its name) is left exactly as it is.
    """
    added = []
    clinics = list(Clinic.objects.all())
    for day, name in bank_holidays(years=years):
        for clinic in clinics:
            closure, created = ClinicClosure.objects.get_or_create(
                clinic=clinic,
                date=day,
                defaults={"name": name[:100], "source": ClinicClosure.Source.BANK_HOLIDAY},
            )
            if created:
                added.append(closure)
    return added
