"""The Content-Security-Policy blocks nothing the site itself needs: every page type, the
comparison slider, the booking form and the admin's rich-text editor work under it."""

from playwright.sync_api import Page, expect

from bookings.forms import iso_moment
from tests.e2e.booking_data import booked_with_link, first_free_time, open_clinics
from tests.e2e.pages import FIXED_PAGES
from tests.factories import ArticleFactory, BeforeAfterCaseFactory, PractitionerFactory

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_no_page_breaks_the_content_security_policy(page: Page, site: str, django_user_model):
    article = ArticleFactory(title="Aftercare basics")
    case = BeforeAfterCaseFactory(title="A soft hairline")
    PractitionerFactory(with_photo=True)
    django_user_model.objects.create_superuser("editor", "editor@staff.example", "pw-for-e2e-123")
    clinics = open_clinics()
    first_time = iso_moment(first_free_time(clinics["smp"]).starts_at)
    _, token = booked_with_link(clinics)
    page.add_init_script(WATCH_VIOLATIONS)
    console_errors = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))

    for path in [
        *FIXED_PAGES,
        article.get_absolute_url(),
        "/articles/search/?q=care",
        "/portfolio/",
        case.get_absolute_url(),
        "/book/?type=laser_smp",
        "/book/times/",
        "/book/times/?type=new_smp",
        f"/book/details/?type=new_smp&consultation=free-smp-consultation&time={first_time}",
        f"/appointments/{token}/",
        f"/appointments/{token}/move/",
        f"/appointments/{token}/cancel/",
        "/appointments/" + "x" * 43 + "/",
        "/missing/",
    ]:
        response = page.goto(site + path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert violations(page) == [], path

    page.goto(site + case.get_absolute_url())
    page.get_by_role("slider").press("ArrowLeft")
    expect(page.get_by_role("slider")).to_have_value("49")

    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw-for-e2e-123")
    page.get_by_role("button", name="Log in").click()
    # Signing in replaces the session; a page asked for before that answer arrives would carry
    # the old one, and Django refuses a request whose session was replaced meanwhile (400).
    page.wait_for_url(site + "/admin/")
    page.goto(site + f"/admin/blog/article/{article.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type(" Edited in the browser.")
    expect(editor).to_contain_text("Edited in the browser.")
    assert violations(page) == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
