import logging

from django import forms
from django.core.exceptions import ValidationError

from restoration_site.images import clean_uploaded_image

security_log = logging.getLogger("restoration.security")


def check_photo(upload) -> None:
    """clean_uploaded_image, with each refusal logged as one structured line (no file name)."""
    try:
        clean_uploaded_image(upload)
    except ValidationError as error:
        security_log.info("upload_refused reason=%s bytes=%s", error.code, upload.size)
        raise


class PhotoField(forms.ImageField):
    """An image upload refused with a specific message (not an image, wrong format, damaged,
    too large, too many pixels) before Django's own generic image check runs."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        check_photo(upload)
        return super().to_python(data)
