from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Commands for development and measurement (bench, audit_pages, seed_demo, ...), kept out
    of production's INSTALLED_APPS."""

    name = "restoration_site.devtools"
    label = "devtools"
    verbose_name = "Development tools"
