"""Demo reception accounts for `seed_demo` (debug only): one per clinic, to try the clinic
scoping in the admin."""

from collections.abc import Callable

from django.contrib.auth.models import Group

from bookings.models import Clinic, StaffMember
from restoration_site.demo import ensure_demo_user

RECEPTION_ACCOUNTS = {"reception-ru": "restoration-u", "reception-lr": "laser-reverse"}


def seed_reception_accounts(*, log: Callable[[str], None]) -> None:
    reception = Group.objects.get(name="Reception")
    for username, clinic_slug in RECEPTION_ACCOUNTS.items():
        user = ensure_demo_user(username=username, email=f"{username}@staff.example", log=log)
        user.groups.add(reception)
        StaffMember.objects.get_or_create(
            user=user, defaults={"clinic": Clinic.objects.get(slug=clinic_slug)}
        )
