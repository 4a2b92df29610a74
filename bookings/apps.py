from django.apps import AppConfig
from django.core.signals import setting_changed


def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting in ("PRIVATE_MEDIA_ROOT", "STORAGES"):
        from django.utils.functional import empty

        from bookings.models import private_photo_storage

        private_photo_storage._wrapped = empty


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Consultation requests"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from bookings.models import EnquiryPhoto
        from bookings.services.privacy import delete_photo_file

        # Tests point PRIVATE_MEDIA_ROOT at a folder of their own, or STORAGES at a bucket of
        # their own; follow them there.
        setting_changed.connect(_reset_private_storage)
        # Photo files go with their rows however those are deleted (an erasure, the purge, a
        # cascade, a bulk delete): Django's deletion sends this for every row it removes.
        post_delete.connect(
            delete_photo_file, sender=EnquiryPhoto, dispatch_uid="bookings.delete_photo_file"
        )
