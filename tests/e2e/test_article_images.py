"""Images in an article's body and tag chips, in a real browser: a reader sees the figure and
follows a tag to its list, with JavaScript on and off; staff place an image from the admin."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_no_violations
from tests.e2e.keyboard import tab_until
from tests.factories import ArticleFactory, ArticleImageFactory, TagFactory
from tests.images import photo_bytes, photo_with_exif

TITLE = "Designing a hairline that suits your face"
ALT = "Illustration of a shaved head with a soft, curved hairline of dots"
CAPTION = "Lighter, scattered dots at the front, building density further back."


@pytest.fixture
def article(site):
    hairline, laser = TagFactory(name="hairline"), TagFactory(name="laser")
    article = ArticleFactory(
        title=TITLE,
        body="<p>A soft edge looks natural.</p><p>[image 1]</p><p>[image 4]</p>"
        "<p>Planning it together comes next.</p>",
        tags=[hairline, laser],
    )
    ArticleImageFactory(
        article=article, image=photo_with_exif(width=1800, height=1200), alt=ALT, caption=CAPTION
    )
    ArticleFactory(title="Another article on hairlines", tags=[hairline])
    ArticleFactory(title="An article on lasers only", tags=[laser])
    return article


def expect_the_figure(page: Page) -> None:
    """The body's image: responsive sources, its own size, described, captioned, in place."""
    figure = page.locator(".prose figure")
    expect(figure).to_have_count(1)
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", ALT)
    expect(image).to_have_attribute("width", "1600")
    expect(image).to_have_attribute("height", "1067")
    expect(image).to_have_attribute("srcset", _widths("480w", "960w", "1600w"))
    expect(image).to_have_attribute("sizes", "(min-width: 42rem) 38rem, 100vw")
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("decoding", "async")
    expect(figure.locator("source[type='image/webp']")).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text(CAPTION)
    # The placeholder for an image the article does not have shows nothing.
    expect(page.locator(".prose")).not_to_contain_text("[image")
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    assert box["width"] <= page.viewport_size["width"]
    assert abs(box["height"] / box["width"] - 1067 / 1600) < 0.01


def _widths(*widths: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(w) for w in widths))


def test_a_reader_sees_the_image_in_the_body_and_follows_a_tag_to_its_list(
    page: Page, site: str, article
):
    page.goto(site + article.get_absolute_url())
    expect_the_figure(page)
    image = page.locator(".prose figure img")
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") > 0
    assert_no_violations(page, "article with an image in the body")

    tags = page.get_by_role("list", name="Tags")
    chip = tags.get_by_role("link", name="hairline")
    for each in tags.get_by_role("link").all():
        box = each.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    tab_until(page, chip)  # every stop on the way, and the chip, shows its focus
    page.keyboard.press("Enter")

    expect(page).to_have_url(site + "/articles/tag/hairline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles tagged “hairline”")
    expect(page.locator(".card__title")).to_have_text(["Another article on hairlines", TITLE])
    assert_no_violations(page, "tag page")


def test_without_javascript_the_image_and_the_tag_links_work(
    browser: Browser, site: str, article, viewport
):
    context = browser.new_context(java_script_enabled=False, viewport=viewport, locale="en-GB")
    page = context.new_page()
    page.goto(site + article.get_absolute_url())
    expect_the_figure(page)
    page.get_by_role("list", name="Tags").get_by_role("link", name="laser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles tagged “laser”")
    expect(page.locator(".card__title")).to_have_text(["An article on lasers only", TITLE])
    context.close()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_staff_upload_an_image_and_place_it_in_the_body(page: Page, site: str, django_user_model):
    article = ArticleFactory(body="<p>The first paragraph.</p>")
    django_user_model.objects.create_superuser("editor", "editor@staff.example", "pw-for-e2e-123")
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw-for-e2e-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")
    page.goto(site + f"/admin/blog/article/{article.pk}/change/")

    page.get_by_role("button", name="Add another Image in the body").click()
    page.locator("#id_images-0-image").set_input_files(
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes(1200, 800)}
    )
    page.locator("#id_images-0-alt").fill(ALT)
    page.locator("#id_images-0-caption").fill(CAPTION)
    page.get_by_role("button", name="Save and continue editing").click()
    placeholder = page.locator(".field-placeholder_to_copy code")
    expect(placeholder).to_have_text("[image 1]")
    assert_no_violations(page, "the article form with an image in the body")

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.locator("p").last.click()
    page.keyboard.press("End")
    # The editor acts on its own record of the caret, which follows the browser's a moment
    # later (on selectionchange): type before then and the text lands where the click put it.
    page.wait_for_function(
        "() => { const s = getSelection(); return s.focusNode"
        " && s.focusOffset === s.focusNode.textContent.length"
        " && s.focusNode.textContent.endsWith('The first paragraph.'); }"
    )
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
    page.keyboard.press("Enter")
    page.keyboard.type(placeholder.inner_text())
    expect(editor.locator("p")).to_have_text(["The first paragraph.", "[image 1]"])
    # The page already shows the first save's messages: wait for the second save's page.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".messagelist .warning")).to_have_count(0)

    page.goto(site + article.get_absolute_url())
    figure = page.locator(".prose figure")
    expect(figure.locator("img")).to_have_attribute("alt", ALT)
    expect(figure.locator("img")).to_have_attribute("width", "1200")
    expect(figure.locator("figcaption")).to_have_text(CAPTION)
