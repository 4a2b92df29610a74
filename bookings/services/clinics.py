"""The clinics' own details: the map on each clinic's "Visit us" page (renditions written on
save, files deleted when the map is replaced or removed)."""

from django.core.files.storage import default_storage
from django.db import transaction

from bookings.models import Clinic
from restoration_site.common.images import delete_renditions, store_and_render

RENDITIONS_FOLDER = "clinics/maps/renditions"


def save_clinic(*, clinic: Clinic, map_changed: bool) -> Clinic:
    """Save a clinic, with renditions of a new map written once, before the save, so its page
    never shows the map without them. The upload is stored as the other public images are:
    re-encoded, without metadata, under a random name. A map replaced or removed has its file
    and renditions deleted once the save commits.
    """
    previous = (
        Clinic.objects.filter(pk=clinic.pk).values("map_image", "map_renditions").first()
        if clinic.pk
        else None
    )
    if map_changed or (clinic.map_image and not clinic.map_renditions):
        clinic.map_renditions = (
            store_and_render(clinic.map_image, folder=RENDITIONS_FOLDER) if clinic.map_image else {}
        )
    clinic.save()
    if previous and previous["map_image"] and previous["map_image"] != clinic.map_image.name:
        name, renditions = previous["map_image"], previous["map_renditions"]

        def delete() -> None:
            default_storage.delete(name)
            delete_renditions(storage=default_storage, renditions=renditions)

        transaction.on_commit(delete)
    return clinic
