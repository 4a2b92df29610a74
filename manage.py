#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restoration_site.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings now, to report a bad environment
    except ImproperlyConfigured as error:
        # One clear line instead of a traceback: the fix is in the environment, not the code.
        sys.exit(f"Configuration error: {error}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
