"""Demo staff accounts for `seed_demo` (only with DEMO_ACCOUNTS on): an administrator, and one
receptionist per clinic to try the clinic scoping in the admin."""

import os
import secrets
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bookings.models import Clinic, StaffMember

DEMO_ADMIN_USERNAME = "admin"
RECEPTION_ACCOUNTS = {"reception-ru": "restoration-u", "reception-lr": "laser-reverse"}


def ensure_demo_user(
    *, username: str, email: str, log: Callable[[str], None], superuser: bool = False
):
    """Create a demo staff account once; its password comes from DEMO_ADMIN_PASSWORD or is
    generated and printed.

    An existing account keeps its password unless DEMO_ADMIN_PASSWORD names a different one, so
    running the command again changes nothing.
    """
    User = get_user_model()
    wanted = os.environ.get("DEMO_ADMIN_PASSWORD", "")
    user = User.objects.filter(username=username).first()
    if user is None:
        password = wanted or secrets.token_urlsafe(12)
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username=username, email=email, password=password, is_staff=True)
        shown = "from DEMO_ADMIN_PASSWORD" if wanted else password
        log(f"created staff account '{username}' (password: {shown})")
    elif wanted and not user.check_password(wanted):
        user.set_password(wanted)
        user.save(update_fields=["password"])
        log(f"updated staff account '{username}' password from DEMO_ADMIN_PASSWORD")
    else:
        log(f"found staff account '{username}' (password unchanged)")
    return user


def ensure_demo_admin(*, log: Callable[[str], None]) -> None:
    ensure_demo_user(
        username=DEMO_ADMIN_USERNAME, email="admin@restoration-u.example", log=log, superuser=True
    )


def seed_reception_accounts(*, log: Callable[[str], None]) -> None:
    reception = Group.objects.get(name="Reception")
    for username, clinic_slug in RECEPTION_ACCOUNTS.items():
        user = ensure_demo_user(username=username, email=f"{username}@staff.example", log=log)
        user.groups.add(reception)
        StaffMember.objects.get_or_create(
            user=user, defaults={"clinic": Clinic.objects.get(slug=clinic_slug)}
        )
