"""The team: practitioners' public photos."""

from django.core.files.storage import default_storage
from django.db import transaction

from bookings.models import Practitioner
from restoration_site.common.images import delete_renditions, store_and_render

RENDITIONS_FOLDER = "team/renditions"


def save_practitioner(*, practitioner: Practitioner, photo_changed: bool) -> Practitioner:
    """Save a practitioner, with renditions of a new photo written once, before the save, so
    the team page never shows them without. A photo replaced or removed is a person's likeness
    the clinic no longer shows: its file and renditions are deleted once the save commits.
    """
    previous = (
        Practitioner.objects.filter(pk=practitioner.pk).values("photo", "photo_renditions").first()
        if practitioner.pk
        else None
    )
    if photo_changed or (practitioner.photo and not practitioner.photo_renditions):
        practitioner.photo_renditions = (
            store_and_render(practitioner.photo, folder=RENDITIONS_FOLDER)
            if practitioner.photo
            else {}
        )
    practitioner.save()
    if previous and previous["photo"] and previous["photo"] != practitioner.photo.name:
        _delete_after_commit(previous["photo"], previous["photo_renditions"])
    return practitioner


def _delete_after_commit(name: str, renditions: dict) -> None:
    def delete() -> None:
        default_storage.delete(name)
        delete_renditions(storage=default_storage, renditions=renditions)

    transaction.on_commit(delete)


def delete_practitioner(*, practitioner: Practitioner) -> None:
    """Delete a practitioner (with their hours and overrides), and their photo's files once
    that commits. One with appointments is protected: the database refuses."""
    name, renditions = practitioner.photo.name, practitioner.photo_renditions
    practitioner.delete()
    if name:
        _delete_after_commit(name, renditions)
