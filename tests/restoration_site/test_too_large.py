"""A request too large to read ends on the site's own 413 page, which says how to go back with
the answers kept and how to reach the clinic."""

import pytest

from tests.html import parse

pytestmark = pytest.mark.django_db


def post_over_the_limit(client, settings, content_type: str = "multipart/form-data; boundary=x"):
    """A form sent with a body one byte over the limit (as its Content-Length says)."""
    return client.generic(
        "POST",
        "/book/",
        b"x",
        content_type=content_type,
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )


@pytest.fixture
def too_large(client, settings):
    response = post_over_the_limit(client, settings)
    assert response.status_code == 413
    return response


def test_a_request_body_over_the_limit_is_refused_with_413_before_it_is_read(client, settings):
    # A plain form's body would be read whole to parse it; it is refused first.
    response = post_over_the_limit(client, settings, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert b"too large" in response.content


def test_the_413_page_is_the_sites_own_page_with_header_and_footer(too_large):
    page = parse(too_large)
    assert page.select_one("header.site-header") and page.select_one("footer.site-footer")
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/static/css/site")


def test_the_413_page_names_the_clinics_phone_number_as_a_link(too_large, settings):
    main = parse(too_large).main
    link = main.find("a", href="tel:" + settings.CLINIC_PHONE.replace(" ", ""))
    assert link.get_text() == settings.CLINIC_PHONE


def test_the_413_page_says_the_back_button_keeps_what_was_typed(too_large):
    text = parse(too_large).main.get_text(" ", strip=True)
    assert (
        "Use your browser's Back button to return to the form. What you typed is still there."
        in text
    )


def test_the_413_page_offers_a_back_link_only_to_its_script(too_large):
    link = parse(too_large).main.select_one("a[data-history-back]")
    assert link.find_parent(hidden=True) is not None


def test_the_413_page_states_the_photo_limits_from_settings(client, settings):
    settings.MAX_ENQUIRY_PHOTOS = 2
    settings.ENQUIRY_PHOTO_MAX_BYTES = {
        "JPEG": 8 * 1_048_576,
        "PNG": 8 * 1_048_576,
        "WEBP": 3 * 1_048_576,
    }
    response = post_over_the_limit(client, settings)
    assert "up to 2, 8 MB each (WebP 3 MB)" in parse(response).main.get_text(" ", strip=True)


def test_the_413_page_is_not_offered_to_search_engines_as_a_canonical_page(too_large):
    assert parse(too_large).select_one("link[rel=canonical]") is None


def test_the_413_page_carries_the_sites_content_security_policy(too_large):
    assert "default-src 'self'" in too_large["Content-Security-Policy"]
    assert too_large["Permissions-Policy"].startswith("camera=()")
