from django.apps import AppConfig
from django.conf import settings


class CommonConfig(AppConfig):
    """The shared library as an app, so its template tags load in every app's templates."""

    name = "restoration_site.common"
    label = "common"
    verbose_name = "Shared library"

    def ready(self) -> None:
        from PIL import Image

        # Pillow's own decompression-bomb guard, set to our limit rather than its default, so no
        # code path (admin, forms, renditions) decodes more pixels than the site accepts.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
