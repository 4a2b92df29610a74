from django import forms

from restoration_site.images import clean_uploaded_image


class PhotoField(forms.ImageField):
    """An image upload refused with a specific message (not an image, wrong format, damaged,
    too large, too many pixels) before Django's own generic image check runs."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        clean_uploaded_image(upload)
        return super().to_python(data)
