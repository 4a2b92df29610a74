import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from portfolio.models import BeforeAfterCase, Treatment
from tests.html import parse

pytestmark = pytest.mark.django_db

PHONE_WIDTH_PX = 390
WORST_PIXEL_RATIO = 3


def test_demo_content_has_at_least_eight_cases_across_every_treatment(seeded):
    cases = BeforeAfterCase.objects.published()
    assert cases.count() >= 8
    assert set(cases.values_list("treatment", flat=True)) == set(Treatment.values)


def test_demo_content_has_one_example_of_poor_smp_that_is_not_featured(seeded):
    (example,) = BeforeAfterCase.objects.filter(not_our_work=True)
    assert not example.featured


def test_demo_photos_are_labelled_as_illustrations(seeded):
    for case in BeforeAfterCase.objects.all():
        assert case.before_alt.startswith("Illustration")
        assert case.after_alt.startswith("Illustration")


def test_images_on_the_gallerys_first_phone_screen_weigh_under_300_kb(seeded, client, settings):
    """The first two cards can show on a 390 px phone; count the WebP file a browser picks at
    the densest common screen (3x), the worst case."""
    settings.MEDIA_ROOT = seeded
    soup = parse(client.get(reverse("portfolio:gallery")))
    total = 0
    for source in soup.select(".card__media source[type='image/webp']")[:2]:
        candidates = sorted(
            (int(width.rstrip("w")), url)
            for url, width in (item.split() for item in source["srcset"].split(", "))
        )
        needed = PHONE_WIDTH_PX * WORST_PIXEL_RATIO
        _, url = next(((w, u) for w, u in candidates if w >= needed), candidates[-1])
        total += default_storage.size(url.removeprefix(settings.MEDIA_URL))
    assert total < 300 * 1024
