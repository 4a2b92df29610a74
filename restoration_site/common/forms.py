import logging

from django import forms
from django.core.exceptions import ValidationError

from restoration_site.common.images import CleanImage, clean_uploaded_image

security_log = logging.getLogger("restoration.security")


def clean_photo(upload, **options) -> CleanImage:
    """clean_uploaded_image (with the same options), each refusal logged as one structured line
    (no file name)."""
    try:
        return clean_uploaded_image(upload, **options)
    except ValidationError as error:
        security_log.info("upload_refused reason=%s bytes=%s", error.code, upload.size)
        raise


class PhotoField(forms.ImageField):
    """An image upload refused with a specific message (not an image, wrong format, damaged,
    too large, too many pixels).

    The upload is decoded here once: the cleaned copy travels on as its `clean_image`, which
    `store_and_render` stores without decoding the upload again. Django's own image check (a
    second decode) is not needed after this stricter one.
    """

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        upload.clean_image = clean_photo(upload)
        return upload
