"""A visitor compares before and after photos and books from a case, in a real browser."""

import re

from playwright.sync_api import Page, expect

from tests.factories import BeforeAfterCaseFactory


def test_a_visitor_filters_the_gallery_moves_the_slider_and_books(page: Page, site: str):
    case = BeforeAfterCaseFactory(title="Blending a transplant scar", treatment="scar-camouflage")
    BeforeAfterCaseFactory(title="A hairline case", treatment="hairline-restoration")

    page.goto(site + "/portfolio/")
    page.get_by_role("link", name="Scar camouflage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scar camouflage")
    expect(page.locator(".card__title")).to_have_text(["Blending a transplant scar"])
    page.get_by_role("link", name=case.title).click()

    slider = page.get_by_role("slider", name=re.compile("^Compare"))
    expect(slider).to_be_visible()
    expect(slider).to_have_value("50")
    after = page.locator(".compare__item--after")

    # Keyboard: focus shows, arrows move it, and the after photo's visible part follows.
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("52")
    expect(slider).to_have_attribute("aria-valuetext", "52% of the before photo shown")
    assert "52%" in after.evaluate("el => getComputedStyle(el).clipPath")
    outline = slider.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"

    # Dragging: grab the thumb and pull it to the left end.
    box = slider.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    expect(slider).to_have_value("0")
    assert "0%" in after.evaluate("el => getComputedStyle(el).clipPath")

    page.locator(".cta-block").get_by_role("link", name="Book a free consultation").click()
    expect(page).to_have_url(re.compile(r"/book/times/\?type=new_smp&from=/portfolio/" + case.slug))


def test_without_javascript_the_photos_sit_side_by_side(browser, site: str):
    case = BeforeAfterCaseFactory()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site + case.get_absolute_url())
    before = page.locator(".compare__item--before img").bounding_box()
    after = page.locator(".compare__item--after img").bounding_box()
    assert before["y"] == after["y"]
    assert before["x"] + before["width"] <= after["x"]
    expect(page.get_by_role("slider")).to_be_hidden()
    context.close()
