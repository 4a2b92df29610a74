from django.apps import AppConfig
from django.conf import settings


class RestorationSiteConfig(AppConfig):
    """The project package as an app, so it can own site-wide commands and pages."""

    name = "restoration_site"
    verbose_name = "Restoration U site"

    def ready(self) -> None:
        from PIL import Image

        # Pillow's own decompression-bomb guard, set to our limit rather than its default, so no
        # code path (admin, forms, renditions) decodes more pixels than the site accepts.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
