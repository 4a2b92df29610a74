"""Demo content shared by the apps: the staff account that `seed_demo` ensures in development."""

import os
import secrets

from django.contrib.auth import get_user_model

DEMO_ADMIN_USERNAME = "admin"


def ensure_demo_admin(*, log) -> None:
    """Create the demo superuser once; its password comes from DEMO_ADMIN_PASSWORD or is generated.

    An existing account keeps its password unless DEMO_ADMIN_PASSWORD names a different one, so
    running the command again changes nothing.
    """
    User = get_user_model()
    wanted = os.environ.get("DEMO_ADMIN_PASSWORD", "")
    user = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if user is None:
        password = wanted or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=DEMO_ADMIN_USERNAME, email="admin@restoration-u.example", password=password
        )
        shown = "from DEMO_ADMIN_PASSWORD" if wanted else password
        log(f"created staff account '{DEMO_ADMIN_USERNAME}' (password: {shown})")
    elif wanted and not user.check_password(wanted):
        user.set_password(wanted)
        user.save(update_fields=["password"])
        log(f"updated staff account '{DEMO_ADMIN_USERNAME}' password from DEMO_ADMIN_PASSWORD")
    else:
        log(f"found staff account '{DEMO_ADMIN_USERNAME}' (password unchanged)")
