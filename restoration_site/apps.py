import logging

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class RestorationSiteConfig(AppConfig):
    """The project package as an app, so it can own site-wide commands and pages."""

    default = True
    name = "restoration_site"
    verbose_name = "Restoration U site"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="restoration.log_lockout")


def log_lockout(*, request, username, ip_address, **kwargs) -> None:
    """One structured line per lockout: the account and address, needed to unlock it."""
    logging.getLogger("restoration.security").warning(
        "admin_lockout username=%s ip=%s", username, ip_address
    )


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with the clinic's admin site (two-factor login) as the default."""

    default = False
    default_site = "restoration_site.admin_site.ClinicAdminSite"
