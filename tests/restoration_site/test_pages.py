import pytest
from django.urls import reverse

from tests.html import headings_h1, meta_description, page_title, parse

PAGES = {
    "home": "Restoration U",
    "smp": "Scalp micropigmentation",
    "laser_removal": "Laser removal",
    "about": "About",
    "team": "Our team",
    "prices": "Prices",
    "privacy": "Privacy",
    "blog:article_list": "Articles",
    "portfolio:gallery": "Portfolio",
    "portfolio:reviews": "Client reviews",
    "bookings:consultation": "consultation",
    "bookings:times": "consultation",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "title_word"), PAGES.items())
def test_every_page_renders_with_its_own_title(client, url_name, title_word):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert title_word.lower() in page_title(response).lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_every_page_has_exactly_one_h1(client, url_name):
    assert len(headings_h1(client.get(reverse(url_name)))) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_every_page_has_a_meta_description_search_engines_show_in_full(client, url_name):
    description = meta_description(client.get(reverse(url_name)))
    assert 50 <= len(description) <= 160


@pytest.mark.django_db
def test_pages_have_distinct_titles(client):
    titles = [page_title(client.get(reverse(name))) for name in PAGES]
    assert len(set(titles)) == len(titles)


@pytest.mark.django_db
def test_every_page_starts_with_a_skip_link_to_the_main_content(client):
    soup = parse(client.get(reverse("home")))
    first_link = soup.body.find("a")
    assert first_link["href"] == "#main"
    assert soup.find(id="main").name == "main"


@pytest.mark.django_db
def test_the_navigation_links_to_every_section_and_booking(client):
    soup = parse(client.get(reverse("home")))
    nav_links = {a["href"] for a in soup.select("header a")}
    # Booking from the header starts with the times; the request form is in the footer, and
    # so are the prices (which the treatment pages link to as well); the client reviews are a
    # page of the portfolio, linked from the gallery.
    elsewhere = {"about", "privacy", "prices", "bookings:consultation", "portfolio:reviews"}
    expected = {reverse(name) for name in PAGES if name not in elsewhere}
    assert expected <= nav_links


@pytest.mark.django_db
def test_every_navigation_link_on_the_home_page_opens(client):
    soup = parse(client.get(reverse("home")))
    internal = {a["href"] for a in soup.select("a[href^='/']")}
    for href in internal:
        assert client.get(href, follow=True).status_code == 200, href


@pytest.mark.django_db
def test_the_footer_names_the_sister_clinic_and_the_privacy_policy(client, settings):
    footer = parse(client.get(reverse("home"))).footer
    assert footer.find("a", href=settings.LASER_REVERSE_URL).get_text() == "Laser Reverse"
    assert footer.find("a", href=reverse("privacy"))
    assert settings.CLINIC_PHONE in footer.get_text()


@pytest.mark.django_db
def test_the_footer_links_to_the_team_and_opening_hours(client):
    footer = parse(client.get(reverse("home"))).footer
    assert footer.find("a", href=reverse("team")).get_text() == "Our team and opening hours"


@pytest.mark.django_db
def test_the_current_section_is_marked_in_the_navigation(client):
    soup = parse(client.get(reverse("smp")))
    assert soup.select_one("nav a[aria-current=page]")["href"] == reverse("smp")


@pytest.mark.django_db
def test_nothing_is_loaded_from_another_origin(client, settings):
    soup = parse(client.get(reverse("home")))
    sources = [tag.get("src") for tag in soup.find_all(["script", "img"])]
    sources += [tag.get("href") for tag in soup.find_all("link")]
    assert all(
        src.startswith("/") or src.startswith(f"{settings.SITE_URL}/") for src in sources if src
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/articles/no-such-article/",
        "/articles/topic/no-such-topic/",
        "/portfolio/no-such-case/",
        "/portfolio/treatment/tattoo-art/",
    ],
)
def test_an_unknown_address_shows_the_designed_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert headings_h1(response) == ["Page not found"]
    assert parse(response).select_one("main").find("a", href=reverse("bookings:times"))


def test_a_server_error_shows_the_designed_500_page(rf):
    from restoration_site.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert headings_h1(response) == ["Sorry, something went wrong"]


def test_robots_txt_points_crawlers_at_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()
    assert "Disallow: /book/thank-you/" in response.content.decode()
    assert "admin" not in response.content.decode()


def test_the_favicon_address_leads_to_the_hashed_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/img/favicon.")
    assert response["Location"].endswith(".ico")
    assert response["Location"] != "/static/img/favicon.ico"


@pytest.mark.django_db
def test_the_sitemap_lists_the_clinic_pages(client, settings):
    body = client.get("/sitemap.xml").content.decode()
    for name in ("home", "smp", "laser_removal", "prices", "portfolio:gallery", "about", "team"):
        assert f"<loc>{settings.SITE_URL}{reverse(name)}</loc>" in body


@pytest.mark.django_db
def test_the_footer_keeps_the_request_form_for_visitors_who_would_rather_be_called(client):
    footer = parse(client.get(reverse("home"))).select_one("footer")
    assert footer.find("a", string="Ask us to call you")["href"] == reverse("bookings:consultation")
    assert footer.find("a", string="Book a free consultation")["href"] == reverse("bookings:times")
