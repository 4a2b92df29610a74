from django.apps import AppConfig


class RestorationSiteConfig(AppConfig):
    """The project package as an app, so it can own site-wide commands and pages."""

    name = "restoration_site"
    verbose_name = "Restoration U site"
