"""`seed_demo`: the demo content is built once for this module (it draws every illustration,
the slowest thing the suite does), with the demo staff accounts on; the tests read it.

Tests that run the command again do it inside their own transaction, which is rolled back,
on top of the content already there: that is what a second `make run` does.
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from bookings import reception
from bookings.models import (
    Clinic,
    ClinicClosure,
    ConsultationType,
    Practitioner,
    ScheduleOverride,
    TreatmentPrice,
    WaitingListEntry,
    WorkingHours,
)
from portfolio.models import BeforeAfterCase, ClientReview, Treatment
from tests.html import parse
from tests.structured_data import structured_data

pytestmark = pytest.mark.django_db

PHONE_WIDTH_PX = 390
WORST_PIXEL_RATIO = 3


@dataclass(frozen=True)
class Seeded:
    output: str
    media: Path


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def rows() -> dict:
    """The primary keys of every row in the database, by model."""
    return {
        model: set(model._base_manager.values_list("pk", flat=True)) for model in apps.get_models()
    }


def delete_rows_added_since(before: dict) -> None:
    """Delete every row that is not in `before`, in as many passes as protected references
    need; fail if any is left, so no later test finds demo content it did not ask for."""
    for _ in range(len(before)):
        blocked = False
        for model, kept in before.items():
            try:
                model._base_manager.exclude(pk__in=kept).delete()
            except ProtectedError:
                blocked = True
        if not blocked:
            break
    assert rows() == before, "demo content left behind"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Seeded:
    """The demo content, with demo staff accounts and a generated password, loaded once for
    this module and removed after it."""
    media = tmp_path_factory.mktemp("seeded-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, DEMO_ACCOUNTS=True),
        pytest.MonkeyPatch.context() as environment,
    ):
        environment.delenv("DEMO_ADMIN_PASSWORD", raising=False)
        before = rows()
        # The clinics come from a migration: the demo fills in their visiting details, which
        # are put back afterwards, as the rows the demo adds are deleted.
        clinics = list(Clinic.objects.values())
        try:
            yield Seeded(output=seed(), media=media)
        finally:
            delete_rows_added_since(before)
            for fields in clinics:
                Clinic.objects.filter(pk=fields["id"]).update(**fields)


@pytest.fixture
def seeding_again(seeded, settings, monkeypatch):
    """Settings and environment for running the command again as the first run did."""
    settings.DEMO_ACCOUNTS = True
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    return monkeypatch


# The articles


def test_demo_content_has_at_least_eight_published_articles_across_the_topics(seeded):
    public = Article.objects.published()
    assert public.count() >= 8
    assert set(public.values_list("topic__slug", flat=True)) == {
        "scalp-micropigmentation",
        "laser-removal",
        "aftercare",
        "clinic-news",
    }


def test_demo_content_includes_the_clinics_regretting_smp_article(seeded):
    article = Article.objects.published().get(
        title="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP"
    )
    assert timezone.localtime(article.published_at).date() == datetime.date(2024, 4, 12)
    assert article.topic.slug == "laser-removal"
    assert article.cta_enquiry_type == "laser_smp"


def test_demo_content_includes_one_draft_article(seeded):
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1


def test_demo_content_includes_one_scheduled_article(seeded):
    scheduled = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    assert scheduled.count() == 1


def test_every_demo_article_has_a_generated_hero_image_with_renditions(seeded):
    for article in Article.objects.all():
        assert article.hero_renditions["sources"], article.slug
        assert article.hero_alt.startswith("Illustration")


def test_demo_articles_show_described_illustrations_in_their_bodies(seeded, client, settings):
    settings.MEDIA_ROOT = seeded.media
    illustrated = Article.objects.published().filter(images__isnull=False).distinct()
    assert illustrated.count() >= 1
    for article in illustrated:
        images = list(article.images.all())
        soup = parse(client.get(article.get_absolute_url()))
        figures = soup.select(".prose figure")
        assert len(figures) == len(images), article.slug
        for figure, image in zip(figures, images, strict=True):
            assert image.alt.startswith("Illustration")
            assert figure.img["alt"] == image.alt
            assert figure.figcaption.get_text() == image.caption
            assert default_storage.exists(image.renditions["sources"][-1]["jpeg"])
        assert "[image" not in soup.select_one(".prose").get_text()


def test_demo_articles_make_no_claims_the_claims_check_would_flag(seeded):
    from blog.services import find_claims

    assert [a.slug for a in Article.objects.all() if find_claims(article=a)] == []


# The portfolio


def test_demo_content_has_at_least_eight_cases_across_every_treatment(seeded):
    cases = BeforeAfterCase.objects.published()
    assert cases.count() >= 8
    assert set(cases.values_list("treatment", flat=True)) == set(Treatment.values)


def test_demo_content_has_one_example_of_poor_smp_that_is_not_featured(seeded):
    (example,) = BeforeAfterCase.objects.filter(not_our_work=True)
    assert not example.featured


def test_the_example_of_poor_smps_photos_are_described_as_another_practitioners_work(seeded):
    (example,) = BeforeAfterCase.objects.filter(not_our_work=True)
    assert "another practitioner" in example.after_alt
    assert "treatment" not in example.before_alt + example.after_alt


def test_demo_photos_are_labelled_as_illustrations(seeded):
    for case in BeforeAfterCase.objects.all():
        assert case.before_alt.startswith("Illustration")
        assert case.after_alt.startswith("Illustration")


def test_images_on_the_gallerys_first_phone_screen_weigh_under_300_kb(seeded, client, settings):
    """The first two cards can show on a 390 px phone; count the WebP file a browser picks at
    the densest common screen (3x), the worst case."""
    settings.MEDIA_ROOT = seeded.media
    soup = parse(client.get(reverse("portfolio:gallery")))
    sources = soup.select(".card__media source[type='image/webp']")[:2]
    assert len(sources) == 2
    total = 0
    for source in sources:
        candidates = sorted(
            (int(width.rstrip("w")), url)
            for url, width in (item.split() for item in source["srcset"].split(", "))
        )
        needed = PHONE_WIDTH_PX * WORST_PIXEL_RATIO
        _, url = next(((w, u) for w, u in candidates if w >= needed), candidates[-1])
        total += default_storage.size(url.removeprefix(settings.MEDIA_URL))
    assert total < 300 * 1024


# Client reviews


def test_demo_reviews_are_all_examples_by_invented_clients_with_consent_recorded(seeded):
    reviews = ClientReview.objects.published()
    assert reviews.count() >= 2
    assert all(review.is_example for review in reviews)
    assert not ClientReview.objects.real().exists()


def test_a_demo_review_is_shown_beside_its_demo_case(seeded, client):
    review = ClientReview.objects.published().get(show_case_photo=True)
    assert review.shown_case is not None
    soup = parse(client.get(review.shown_case.get_absolute_url()))
    assert soup.select_one(".case__reviews .review__example")


def test_the_demo_reviews_page_labels_every_review_as_an_example(seeded, client):
    soup = parse(client.get(reverse("portfolio:reviews")))
    reviews = soup.select(".review")
    assert len(reviews) == ClientReview.objects.published().count()
    assert all(r.select_one(".review__example .badge").text == "Example review" for r in reviews)


def test_demo_reviews_make_no_claims_the_claims_check_would_flag(seeded):
    from blog.models import ClaimPhrase

    phrases = [phrase.lower() for phrase in ClaimPhrase.objects.values_list("phrase", flat=True)]
    for review in ClientReview.objects.all():
        assert not [phrase for phrase in phrases if phrase in review.text.lower()], review.pk


# The demo staff accounts


def test_seed_demo_creates_a_demo_staff_account_with_a_printed_password(seeded):
    user = get_user_model().objects.get(username="admin")
    password = seeded.output.split("(password: ")[1].split(")")[0]
    assert user.is_staff and user.check_password(password)


def test_seed_demo_takes_the_demo_password_from_the_environment(seeding_again):
    get_user_model().objects.filter(username="admin").delete()
    seeding_again.setenv("DEMO_ADMIN_PASSWORD", "a-long-demo-password")
    seed()
    assert get_user_model().objects.get(username="admin").check_password("a-long-demo-password")


def test_seed_demo_creates_no_staff_account_unless_demo_accounts_are_on(seeding_again, settings):
    get_user_model().objects.all().delete()
    settings.DEMO_ACCOUNTS = False
    seed()
    assert not get_user_model().objects.exists()


# A second run


def test_a_second_seed_demo_run_creates_and_changes_nothing(seeding_again):
    before = rows()
    password_hash = get_user_model().objects.get(username="admin").password
    second = seed()
    assert "created" not in second
    assert "updated" not in second
    assert rows() == before
    assert get_user_model().objects.get(username="admin").password == password_hash


# The team and its schedule


def test_demo_content_has_practitioners_at_both_clinics_with_drawn_photos(seeded):
    team = Practitioner.objects.active()
    assert set(team.values_list("clinic__slug", flat=True)) == {"restoration-u", "laser-reverse"}
    assert all(p.photo_renditions and p.photo_alt.startswith("Drawing") for p in team)


def test_demo_content_gives_a_practitioner_a_split_shift(seeded):
    monday = WorkingHours.objects.filter(practitioner__slug="amelia-hart", weekday=0)
    assert monday.count() == 2


def test_demo_content_gives_a_practitioner_a_day_off_to_come(seeded):
    override = ScheduleOverride.objects.get(practitioner__slug="amelia-hart")
    assert override.is_day_off
    assert override.date > timezone.localdate()


@pytest.mark.parametrize(
    ("slug", "rules"),
    [
        ("free-smp-consultation", (30, 0, 10, 15, 24, 42, 24)),
        ("free-laser-removal-consultation", (45, 0, 15, 15, 24, 42, 24)),
    ],
)
def test_demo_content_has_each_clinics_free_consultation_with_its_booking_rules(
    seeded, slug, rules
):
    kind = ConsultationType.objects.get(slug=slug)
    assert (
        kind.duration_minutes,
        kind.buffer_before_minutes,
        kind.buffer_after_minutes,
        kind.start_step_minutes,
        kind.minimum_notice_hours,
        kind.horizon_days,
        kind.change_cutoff_hours,
    ) == rules


def test_demo_content_closes_both_clinics_on_christmas_day(seeded):
    christmas = datetime.date(timezone.localdate().year, 12, 25)
    closed = ClinicClosure.objects.filter(date=christmas, source="bank_holiday")
    assert set(closed.values_list("clinic__slug", flat=True)) == {"restoration-u", "laser-reverse"}


# The clinics' "Visit us" pages


def test_demo_content_gives_both_clinics_directions_access_and_coordinates(seeded):
    for place in Clinic.objects.all():
        assert place.public_transport and place.parking and place.accessibility, place.slug
        assert place.step_free_access is not None, place.slug
        assert place.has_coordinates, place.slug


def test_demo_content_draws_each_clinic_a_map_described_for_people_who_cannot_see_it(seeded):
    for place in Clinic.objects.all():
        assert place.map_renditions["sources"], place.slug
        assert place.map_alt.startswith("Illustrated street map"), place.slug
        assert place.postal_address.split(",")[0] in place.map_alt, place.slug


def test_the_demo_map_a_phone_loads_weighs_under_150_kb(seeded, client, settings):
    """The WebP a browser picks for the map at the densest common phone screen (3x)."""
    settings.MEDIA_ROOT = seeded.media
    for slug in ("restoration-u", "laser-reverse"):
        soup = parse(client.get(reverse("visit", kwargs={"slug": slug})))
        source = soup.select_one(".visit__map source[type='image/webp']")
        candidates = sorted(
            (int(width.rstrip("w")), url)
            for url, width in (item.split() for item in source["srcset"].split(", "))
        )
        needed = PHONE_WIDTH_PX * WORST_PIXEL_RATIO
        _, url = next(((w, u) for w, u in candidates if w >= needed), candidates[-1])
        assert default_storage.size(url.removeprefix(settings.MEDIA_URL)) < 150 * 1024, slug


# The prices


def test_demo_content_prices_each_treatment_at_its_clinic(seeded):
    priced = set(TreatmentPrice.objects.published().values_list("clinic__slug", "treatment"))
    assert priced == {
        ("restoration-u", "new_smp"),
        ("restoration-u", "smp_correction"),
        ("restoration-u", "scar_camouflage"),
        ("laser-reverse", "laser_removal"),
    }


def test_every_demo_price_is_marked_as_example_figures(seeded):
    assert not TreatmentPrice.objects.filter(is_example=False).exists()


def test_the_demo_prices_page_says_example_figures_beside_every_figure(seeded, client):
    page = parse(client.get(reverse("prices")))
    figures = page.select(".price-card__figure")
    assert len(figures) == TreatmentPrice.objects.count()
    assert all(figure.select_one(".price-card__example") for figure in figures)


def test_the_demo_prices_are_never_given_to_search_engines(seeded, client):
    assert structured_data(client.get(reverse("prices"))) == []
    (clinic_data,) = structured_data(client.get(reverse("home")))
    assert "priceRange" not in clinic_data


# Reception's demo morning


def test_demo_content_gives_each_clinics_reception_a_morning_to_work_through(seeded):
    now = timezone.now()
    for clinic in Clinic.objects.all():
        row = reception.clinics_today(user=superuser(), now=now)
        counts = next(r for r in row if r.clinic == clinic)
        assert counts.unresolved >= 2  # yesterday's two, and today's once over
        assert counts.appointments_today == 2
        assert counts.new_for_over_a_working_day >= 1
        assert WaitingListEntry.objects.filter(clinic=clinic).count() == 1


def superuser():
    return get_user_model().objects.get(username="admin")
