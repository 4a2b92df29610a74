"""Work with side effects for portfolio cases: storing photos and publishing."""

from django.core.files.storage import default_storage

from portfolio.models import BeforeAfterCase
from restoration_site.common.images import delete_renditions, store_and_render

RENDITIONS_FOLDER = "portfolio/renditions"


def save_case(*, case: BeforeAfterCase, changed_images: set[str]) -> BeforeAfterCase:
    """Check the case's rules and save it, with renditions of any new photo written first.

    `changed_images` names the photos ("before_image", "after_image") that were newly uploaded.
    Raises ValidationError (nothing stored) when the case breaks a publication rule.
    """
    case.full_clean(exclude=["before_image", "after_image"])
    replaced = []
    for side in ("before", "after"):
        renditions_field = f"{side}_renditions"
        if f"{side}_image" in changed_images or not getattr(case, renditions_field):
            replaced.append(getattr(case, renditions_field))
            rendered = store_and_render(getattr(case, f"{side}_image"), folder=RENDITIONS_FOLDER)
            setattr(case, renditions_field, rendered)
    case.save()
    for renditions in replaced:
        delete_renditions(storage=default_storage, renditions=renditions)
    return case


def publish_case(*, case: BeforeAfterCase) -> BeforeAfterCase:
    """Publish a case; refused (ValidationError) without recorded consent and unretouched photos."""
    case.status = BeforeAfterCase.Status.PUBLISHED
    return save_case(case=case, changed_images=set())
