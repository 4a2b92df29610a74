from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from portfolio.models import BeforeAfterCase
from tests.factories import ArticleFactory, BeforeAfterCaseFactory, TagFactory
from tests.html import headings_h1, page_title, parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def card_titles(response) -> list[str]:
    return [h.get_text() for h in parse(response).select(".card__title")]


def test_the_gallery_shows_published_cases_in_display_order(client):
    BeforeAfterCaseFactory(title="Second", position=2)
    BeforeAfterCaseFactory(title="First", position=1)
    BeforeAfterCaseFactory(title="Draft", status="draft")
    assert card_titles(client.get(reverse("portfolio:gallery"))) == ["First", "Second"]


def gallery_card(client):
    return parse(client.get(reverse("portfolio:gallery"))).select_one(".case-card")


def test_each_card_shows_the_after_photo_and_the_before_photo_on_request(client):
    case = BeforeAfterCaseFactory()
    card = gallery_card(client)
    assert card.select_one(".card__media img")["alt"] == case.after_alt
    details = card.select_one("details.case-card__before")
    assert "Show the before photo" in details.summary.get_text()
    assert details.find("img")["alt"] == case.before_alt


def test_the_before_photo_toggle_says_show_while_closed_and_hide_while_open(client):
    """Both wordings are in the page and CSS shows the one matching details[open], so the
    toggle reads right with JavaScript off too."""
    BeforeAfterCaseFactory()
    summary = gallery_card(client).select_one("details.case-card__before summary")
    assert summary.select_one(".when-closed").get_text() == "Show the before photo"
    assert summary.select_one(".when-open").get_text() == "Hide the before photo"


def test_a_case_card_has_one_link_its_title_stretched_over_the_card(client):
    case = BeforeAfterCaseFactory(title="A soft hairline")
    card = gallery_card(client)
    assert "card--link" in card["class"]
    (link,) = card.find_all("a")
    assert link["class"] == ["card__link"]
    assert link["href"] == case.get_absolute_url()
    assert link.find_parent(class_="card__title").get_text() == "A soft hairline"
    assert not card.find(attrs={"onclick": True})


def poor_smp_example(**kwargs):
    return BeforeAfterCaseFactory(
        not_our_work=True,
        treatment="smp-correction",
        sessions=2,
        weeks_between_photos=None,
        before_alt="The scalp with no pigment",
        after_alt="A flat, dark hairline by another practitioner",
        description="Work done elsewhere, shown so you know what to look out for.",
        **kwargs,
    )


def test_a_not_our_work_card_says_whose_work_it_is_without_a_session_count(client):
    poor_smp_example()
    card = gallery_card(client)
    assert card.select_one(".badge--warning").get_text() == "Not our work"
    assert card.select_one(".card__meta").get_text() == "Poor SMP by another practitioner"
    assert "session" not in card.get_text()


def test_a_not_our_work_cards_toggle_never_calls_it_a_before_photo(client):
    poor_smp_example()
    summary = gallery_card(client).select_one("details.case-card__before summary")
    assert summary.select_one(".when-closed").get_text() == "Show the photo before SMP elsewhere"
    assert summary.select_one(".when-open").get_text() == "Hide the photo before SMP elsewhere"


def test_the_gallery_filters_by_treatment_with_plain_links(client):
    BeforeAfterCaseFactory(title="Scar case", treatment="scar-camouflage")
    BeforeAfterCaseFactory(title="Hairline case", treatment="hairline-restoration")
    gallery = parse(client.get(reverse("portfolio:gallery")))
    link = gallery.find("a", string="Scar camouflage")
    response = client.get(link["href"])
    assert card_titles(response) == ["Scar case"]
    assert headings_h1(response) == ["Scar camouflage"]
    assert parse(response).select_one(".topic-nav [aria-current=page]").get_text() == (
        "Scar camouflage"
    )


def test_a_draft_case_is_a_404_for_visitors(client):
    case = BeforeAfterCaseFactory(status="draft")
    assert client.get(case.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_case_which_search_engines_are_told_to_skip(admin_client):
    case = BeforeAfterCaseFactory(title="A case still in draft", status="draft")
    response = admin_client.get(case.get_absolute_url())
    assert headings_h1(response) == ["A case still in draft"]
    assert response["X-Robots-Tag"] == "noindex"


def test_with_two_factor_on_a_password_alone_never_previews_a_draft_case(admin_client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    case = BeforeAfterCaseFactory(status="draft")
    assert admin_client.get(case.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("page_number", ["2", "0", "x"])
def test_a_gallery_page_that_does_not_exist_is_a_404(client, page_number):
    BeforeAfterCaseFactory()
    assert client.get(reverse("portfolio:gallery"), {"page": page_number}).status_code == 404


def test_the_gallery_is_paginated(client):
    BeforeAfterCaseFactory.create_batch(13)
    assert len(card_titles(client.get(reverse("portfolio:gallery")))) == 12
    assert len(card_titles(client.get(reverse("portfolio:gallery"), {"page": 2}))) == 1


def test_the_gallerys_page_links_name_cases_for_screen_readers(client):
    BeforeAfterCaseFactory.create_batch(13)
    links = parse(client.get(reverse("portfolio:gallery"))).select_one(".pagination")
    assert "Older cases" in links.get_text()


def test_an_example_of_poor_smp_is_labelled_not_our_work_in_the_gallery(client):
    BeforeAfterCaseFactory(not_our_work=True)
    card = parse(client.get(reverse("portfolio:gallery"))).select_one(".case-card")
    assert card.select_one(".badge--warning").get_text() == "Not our work"


def test_an_example_of_poor_smp_is_labelled_not_our_work_on_its_page(client):
    case = BeforeAfterCaseFactory(not_our_work=True)
    soup = parse(client.get(case.get_absolute_url()))
    notice = soup.select_one(".notice--warning")
    assert "Not our work" in notice.get_text()
    assert notice.find_next("h1").get_text() == case.title


def test_a_not_our_work_case_page_captions_the_photos_as_another_practitioners_work(client):
    case = poor_smp_example()
    compare = parse(client.get(case.get_absolute_url())).select_one("[data-compare]")
    captions = [caption.get_text() for caption in compare.find_all("figcaption")]
    assert captions == ["Before SMP elsewhere", "Poor SMP by another practitioner"]


def test_a_not_our_work_case_pages_slider_speaks_of_the_poor_smp_not_before_and_after(client):
    case = poor_smp_example()
    soup = parse(client.get(case.get_absolute_url()))
    slider = soup.select_one("[data-compare] input[type=range]")
    label = soup.find("label", attrs={"for": slider["id"]}).get_text()
    assert label == (
        "Compare: slide left for more of the poor SMP, right for more of the photo before it"
    )
    assert slider["data-shown"] == "of the photo before SMP elsewhere shown"


def test_a_not_our_work_case_page_shows_no_session_count(client):
    case = poor_smp_example()
    soup = parse(client.get(case.get_absolute_url()))
    assert "session" not in soup.select_one("main").get_text()
    assert soup.select_one("h1 + .meta") is None


def test_a_not_our_work_case_pages_title_says_so_instead_of_before_and_after(client):
    case = poor_smp_example(title="A flat, blocky hairline")
    assert page_title(client.get(case.get_absolute_url())) == (
        "A flat, blocky hairline: not our work | Restoration U"
    )


def test_our_own_case_page_keeps_its_before_and_after_captions(client):
    case = BeforeAfterCaseFactory()
    soup = parse(client.get(case.get_absolute_url()))
    captions = [caption.get_text() for caption in soup.select("[data-compare] figcaption")]
    assert captions == ["Before", "After"]
    assert soup.select_one(".compare__range")["data-shown"] == "of the before photo shown"


def test_the_case_page_has_a_labelled_native_range_slider_over_both_photos(client):
    case = BeforeAfterCaseFactory()
    soup = parse(client.get(case.get_absolute_url()))
    compare = soup.select_one("[data-compare]")
    assert compare.select_one(".compare__item--before img")["alt"] == case.before_alt
    assert compare.select_one(".compare__item--after img")["alt"] == case.after_alt
    slider = compare.select_one("input[type=range]")
    assert soup.find("label", attrs={"for": slider["id"]}).get_text().startswith("Compare")
    # Hidden until the script takes over; without JavaScript the photos sit side by side.
    assert compare.select_one(".compare__control").has_attr("hidden")
    assert soup.find("script", src=lambda src: src and "compare" in src).has_attr("defer")


def test_the_case_page_shows_the_treatment_sessions_and_description(client):
    case = BeforeAfterCaseFactory(sessions=4, weeks_between_photos=10, description="Four visits.")
    text = parse(client.get(case.get_absolute_url())).get_text(" ")
    assert "Hairline restoration · 4 sessions · photos taken 10 weeks apart" in text
    assert "Four visits." in text


def test_a_laser_removal_case_books_a_removal_consultation(client):
    case = BeforeAfterCaseFactory(treatment="laser-removal-of-smp")
    cta = parse(client.get(case.get_absolute_url())).select_one(".cta-block a")
    assert cta["href"] == f"/book/times/?type=laser_smp&from=/portfolio/{case.slug}/"


def test_a_laser_removal_case_offers_its_consultation_in_laser_reverses_name(client):
    case = BeforeAfterCaseFactory(treatment="laser-removal-of-smp")
    cta = parse(client.get(case.get_absolute_url())).select_one(".cta-block a")
    assert cta.get_text() == "Book a free consultation with Laser Reverse"


def test_the_related_articles_heading_keeps_the_treatments_capitals(client):
    ArticleFactory(title="Fading SMP with laser", tags=[TagFactory(name="laser", slug="laser")])
    case = BeforeAfterCaseFactory(treatment="laser-removal-of-smp")
    heading = parse(client.get(case.get_absolute_url())).select_one("#case-articles")
    assert heading.get_text() == "Related articles: Laser removal of SMP"


def test_a_case_links_to_articles_about_the_same_treatment(client):
    scars = TagFactory(name="scars", slug="scars")
    ArticleFactory(title="Scar camouflage explained", tags=[scars])
    ArticleFactory(title="Unrelated article")
    case = BeforeAfterCaseFactory(treatment="scar-camouflage")
    links = [
        a.get_text() for a in parse(client.get(case.get_absolute_url())).select(".link-list a")
    ]
    assert links == ["Scar camouflage explained"]


def test_the_home_page_shows_featured_cases_but_never_poor_work(client):
    BeforeAfterCaseFactory(title="Featured result", featured=True)
    BeforeAfterCaseFactory(title="Not featured")
    bad = BeforeAfterCaseFactory(title="Poor work elsewhere", not_our_work=True)
    BeforeAfterCase.objects.filter(pk=bad.pk).update(featured=True)
    titles = [
        h.get_text()
        for h in parse(client.get(reverse("home"))).select(
            "#featured-cases ~ .card-grid .card__title"
        )
    ]
    assert titles == ["Featured result"]


def test_gallery_images_are_sized_lazy_and_decoded_asynchronously(client):
    BeforeAfterCaseFactory.create_batch(2)
    first, second = parse(client.get(reverse("portfolio:gallery"))).select(".card__media img")
    assert first["loading"] == "eager"
    assert second["loading"] == "lazy"
    for img in (first, second):
        assert img["width"] and img["height"]
        assert img["decoding"] == "async"


def test_every_image_file_the_case_page_serves_has_no_exif(client):
    case = BeforeAfterCaseFactory(before_image=photo_with_exif(), after_image=photo_with_exif())
    soup = parse(client.get(case.get_absolute_url()))
    urls = {img["src"] for img in soup.select(".compare img")}
    for source in soup.select(".compare source, .compare img"):
        urls |= {part.split()[0] for part in source["srcset"].split(",")}
    assert len(urls) == 12  # three widths, WebP and JPEG, before and after
    for url in urls:
        data = b"".join(client.get(url).streaming_content)
        assert not Image.open(BytesIO(data)).getexif(), url


def test_a_page_view_never_generates_renditions(client, monkeypatch):
    case = BeforeAfterCaseFactory()

    def fail(**kwargs):
        raise AssertionError("renditions generated during a page view")

    monkeypatch.setattr("restoration_site.common.images.build_renditions", fail)
    before = set(default_storage.listdir("portfolio/renditions")[1])
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("portfolio:gallery")).status_code == 200
    assert set(default_storage.listdir("portfolio/renditions")[1]) == before


# The sitemap


def sitemap_entry(client, settings, case: BeforeAfterCase) -> str | None:
    """The sitemap's entry for the case's page, or None when it is not listed."""
    body = client.get("/sitemap.xml").content.decode()
    location = f"<loc>{settings.SITE_URL}{case.get_absolute_url()}</loc>"
    return body.split(location)[1].split("</url>")[0] if location in body else None


def test_the_sitemap_lists_a_published_case_with_its_last_change(client, settings):
    case = BeforeAfterCaseFactory()
    assert f"<lastmod>{case.updated_at:%Y-%m-%d}</lastmod>" in sitemap_entry(client, settings, case)


def test_the_sitemap_leaves_out_a_case_not_published(client, settings):
    case = BeforeAfterCaseFactory(status=BeforeAfterCase.Status.DRAFT)
    assert sitemap_entry(client, settings, case) is None
