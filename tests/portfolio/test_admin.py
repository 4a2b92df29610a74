import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from PIL import Image

from portfolio.models import BeforeAfterCase
from tests.factories import BeforeAfterCaseFactory
from tests.html import form_data, parse
from tests.images import photo_with_exif, upload

pytestmark = pytest.mark.django_db


def case_form(**overrides) -> dict:
    data = {
        "title": "A soft hairline",
        "slug": "a-soft-hairline",
        "treatment": "hairline-restoration",
        "description": "Rebuilt over three sessions.",
        "sessions": "3",
        "weeks_between_photos": "6",
        "before_image": photo_with_exif(name="before.jpg"),
        "before_alt": "Before: a receding hairline",
        "after_image": photo_with_exif(name="after.jpg"),
        "after_alt": "After: a soft hairline",
        "consent_recorded_on": "2026-02-01",
        "photos_unretouched": "on",
        "status": "published",
        "position": "0",
    }
    return form_data(data, overrides)


def media_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_staff_publish_a_consented_case_with_both_photos(admin_client):
    response = admin_client.post(reverse("admin:portfolio_beforeaftercase_add"), case_form())
    assert response.status_code == 302
    case = BeforeAfterCase.objects.get()
    assert case.status == "published"
    assert case.before_renditions["sources"] and case.after_renditions["sources"]


def test_publishing_without_consent_keeps_the_case_and_its_photos_as_a_draft(admin_client):
    response = admin_client.post(
        reverse("admin:portfolio_beforeaftercase_add"),
        case_form(consent_recorded_on=None),
        follow=True,
    )
    case = BeforeAfterCase.objects.get()
    assert case.status == "draft"
    assert case.before_renditions["sources"] and case.after_renditions["sources"]
    warning = parse(response).select_one(".messagelist .warning").get_text()
    assert "saved as a draft with its photos, not published" in warning
    assert "only be published once the client's written consent is recorded" in warning
    assert response.redirect_chain[-1][0] == reverse(
        "admin:portfolio_beforeaftercase_change", args=[case.pk]
    )


def test_publishing_retouched_photos_keeps_the_case_as_a_draft_and_says_why(admin_client):
    response = admin_client.post(
        reverse("admin:portfolio_beforeaftercase_add"),
        case_form(photos_unretouched=None),
        follow=True,
    )
    assert BeforeAfterCase.objects.get().status == "draft"
    warning = parse(response).select_one(".messagelist .warning").get_text()
    assert "confirm the photos are unretouched" in warning


def test_a_case_can_be_saved_as_a_draft_before_consent_arrives(admin_client):
    admin_client.post(
        reverse("admin:portfolio_beforeaftercase_add"),
        case_form(consent_recorded_on=None, photos_unretouched=None, status="draft"),
    )
    assert BeforeAfterCase.objects.get().status == "draft"


def test_an_upload_that_is_not_a_photo_is_refused_and_nothing_is_stored(admin_client, media_root):
    # Every kind of refusal is tested once, in tests/restoration_site/test_images.py.
    notes = upload(b"just some text, not a photo", "notes.jpg")
    response = admin_client.post(
        reverse("admin:portfolio_beforeaftercase_add"), case_form(before_image=notes)
    )
    assert response.status_code == 200
    errors = parse(response).select_one(".field-before_image .errorlist").get_text()
    assert "This file is not an image" in errors
    assert not BeforeAfterCase.objects.exists()
    assert media_files(media_root) == []


def test_each_staff_photo_is_decoded_once_and_renditions_come_from_the_cleaned_copy(
    admin_client, monkeypatch
):
    uploads_opened, copies_opened = [], []
    real_open = Image.open

    def counting_open(fp, *args, **kwargs):
        (uploads_opened if isinstance(fp, UploadedFile) else copies_opened).append(fp)
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    response = admin_client.post(reverse("admin:portfolio_beforeaftercase_add"), case_form())
    assert response.status_code == 302
    assert len(uploads_opened) == 2  # the form's check, once per photo
    assert len(copies_opened) == 2  # the renditions, from each cleaned copy in memory
    case = BeforeAfterCase.objects.get()
    assert case.before_renditions["sources"] and case.after_renditions["sources"]


def test_the_admin_list_shows_thumbnails_of_both_photos(admin_client):
    case = BeforeAfterCaseFactory()
    soup = parse(admin_client.get(reverse("admin:portfolio_beforeaftercase_changelist")))
    row = soup.select_one("#result_list tbody tr")
    images = [img["alt"] for img in row.select("img[src^='/media/']")]
    assert images == [case.before_alt, case.after_alt]


def test_the_admin_form_previews_both_photos(admin_client):
    case = BeforeAfterCaseFactory()
    soup = parse(
        admin_client.get(reverse("admin:portfolio_beforeaftercase_change", args=[case.pk]))
    )
    assert soup.select_one(".field-before_preview img")["alt"] == case.before_alt
    assert soup.select_one(".field-after_preview img")["alt"] == case.after_alt


def test_the_admin_list_filters_by_treatment_and_state(admin_client):
    filters = (
        parse(admin_client.get(reverse("admin:portfolio_beforeaftercase_changelist")))
        .select_one("#changelist-filter")
        .get_text()
    )
    assert "By treatment" in filters
    assert "By status" in filters


def test_staff_reorder_cases_from_the_list(admin_client):
    first, second = BeforeAfterCaseFactory(position=0), BeforeAfterCaseFactory(position=1)
    admin_client.post(
        reverse("admin:portfolio_beforeaftercase_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": str(first.pk),
            "form-0-position": "5",
            "form-1-id": str(second.pk),
            "form-1-position": "1",
            "_save": "Save",
        },
    )
    assert list(BeforeAfterCase.objects.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_the_publish_action_refuses_cases_without_consent_and_says_why(admin_client):
    ready = BeforeAfterCaseFactory(status="draft")
    waiting = BeforeAfterCaseFactory(status="draft", consent_recorded_on=None)
    response = admin_client.post(
        reverse("admin:portfolio_beforeaftercase_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, waiting.pk]},
        follow=True,
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"“{waiting}” was not published" in m and "written consent" in m for m in messages)
    assert BeforeAfterCase.objects.get(pk=ready.pk).status == "published"
    assert BeforeAfterCase.objects.get(pk=waiting.pk).status == "draft"


def test_the_case_form_says_how_to_describe_the_photos_of_poor_smp_that_is_not_ours(
    admin_client,
):
    text = parse(admin_client.get(reverse("admin:portfolio_beforeaftercase_add"))).get_text(" ")
    assert "the scalp before the other practitioner's SMP" in text
    assert "Describe it as theirs, not as a result of treatment." in text


def test_a_cases_position_in_the_list_is_named_by_its_column_and_case(admin_client):
    first = BeforeAfterCaseFactory(title="Hairline at 34")
    second = BeforeAfterCaseFactory(title="Crown density at 51")
    page = parse(admin_client.get(reverse("admin:portfolio_beforeaftercase_changelist")))
    names = {field["aria-label"] for field in page.select("#result_list input[name$='-position']")}
    assert names == {f"Display order of {first}", f"Display order of {second}"}
