"""What several browser tests share: the site's pages that need no content, and signing in to
the admin as a member of staff made by `tests.factories.staff_user`."""

from playwright.sync_api import Page, expect

from tests.factories import STAFF_PASSWORD

FIXED_PAGES = [
    "/",
    "/scalp-micropigmentation/",
    "/laser-removal/",
    "/about/",
    "/team/",
    "/visit/restoration-u/",
    "/prices/",
    "/privacy/",
    "/articles/",
]


def sign_in(page: Page, site: str, username: str, password: str = STAFF_PASSWORD) -> None:
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Clinic administration")).to_be_visible()
