"""The gallery under a finger (390x844 phone with a touch screen) and a mouse (desktop): the
before/after divider dragged on the photo itself, whole cards as links, the before photo's
toggle and the "Not our work" captions."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import PHONE
from tests.factories import ArticleFactory, BeforeAfterCaseFactory, topic

# Photos the size of a real case's, so the divider has room to move.
PHOTOS = {
    "before_image__width": 900,
    "before_image__height": 600,
    "after_image__width": 900,
    "after_image__height": 600,
}


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    """The phone has a touch screen, as a real one does; the desktop has a mouse."""
    return {**browser_context_args, "has_touch": viewport == PHONE}


@pytest.fixture
def on_phone(viewport) -> bool:
    return viewport == PHONE


def our_case(**kwargs):
    return BeforeAfterCaseFactory(title="A soft hairline", **PHOTOS, **kwargs)


def poor_smp_example():
    return BeforeAfterCaseFactory(
        title="A flat, blocky hairline",
        not_our_work=True,
        treatment="smp-correction",
        before_alt="The scalp with no pigment",
        after_alt="A flat, dark hairline by another practitioner",
        description="Work done elsewhere, shown so you know what to look out for.",
        **PHOTOS,
    )


def touch_drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A finger on the screen, moved in small steps, then lifted: real touch input through
    Chromium's input pipeline, so touch-action and the browser's own gestures apply."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = start, end
    steps = 12
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for step in range(1, steps + 1):
        x = x0 + (x1 - x0) * step / steps
        y = y0 + (y1 - y0) * step / steps
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def mouse_drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def drag(page: Page, on_phone: bool, start, end) -> None:
    (touch_drag if on_phone else mouse_drag)(page, start, end)


def tap(page: Page, on_phone: bool, x: float, y: float) -> None:
    if on_phone:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def photo_box(page: Page) -> dict:
    return page.locator(".compare__item--before img").bounding_box()


def at(box: dict, fraction_x: float, fraction_y: float = 0.5) -> tuple[float, float]:
    return box["x"] + box["width"] * fraction_x, box["y"] + box["height"] * fraction_y


def slider_value(page: Page) -> int:
    return int(page.locator(".compare__range").input_value())


def open_case_from_the_gallery(page: Page, site: str, case) -> None:
    """Arrive as a visitor does, so there is a page to go back to."""
    page.goto(site + "/portfolio/")
    page.get_by_role("link", name=case.title).click()
    expect(page).to_have_url(site + case.get_absolute_url())
    expect(page.locator(".compare--active")).to_be_visible()


# Dragging the divider on the photo


def test_dragging_across_the_photo_moves_the_divider_and_the_slider(
    page: Page, site: str, on_phone
):
    case = our_case()
    open_case_from_the_gallery(page, site, case)
    box = photo_box(page)
    drag(page, on_phone, at(box, 0.7), at(box, 0.2))

    assert abs(slider_value(page) - 20) <= 2
    value = slider_value(page)
    expect(page.locator(".compare__range")).to_have_attribute(
        "aria-valuetext", f"{value}% of the before photo shown"
    )
    clip = page.locator(".compare__item--after").evaluate("el => getComputedStyle(el).clipPath")
    assert f"{value}%" in clip
    handle = page.locator(".compare__handle").bounding_box()
    assert abs(handle["x"] + handle["width"] / 2 - at(box, value / 100)[0]) <= 2


def test_a_sideways_drag_from_the_photos_left_edge_never_goes_back_a_page(
    page: Page, site: str, on_phone
):
    case = our_case()
    open_case_from_the_gallery(page, site, case)
    history = page.evaluate("history.length")
    box = photo_box(page)
    drag(page, on_phone, (box["x"] + 1, box["y"] + box["height"] / 2), at(box, 0.9))

    assert abs(slider_value(page) - 90) <= 2
    page.wait_for_timeout(300)  # time for a back gesture, if there were one
    assert page.url == site + case.get_absolute_url()
    assert page.evaluate("history.length") == history
    assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_on_a_phone_an_upward_swipe_on_the_photo_scrolls_the_page_and_leaves_the_divider(
    page: Page, site: str
):
    case = our_case()
    page.goto(site + case.get_absolute_url())
    expect(page.locator(".compare--active")).to_be_visible()
    box = photo_box(page)
    touch_drag(page, at(box, 0.3, 0.9), at(box, 0.32, 0.1))

    page.wait_for_function("window.scrollY > 0")
    assert slider_value(page) == 50


def test_a_tap_or_click_on_the_photo_moves_the_divider_there(page: Page, site: str, on_phone):
    page.goto(site + our_case().get_absolute_url())
    expect(page.locator(".compare--active")).to_be_visible()
    tap(page, on_phone, *at(photo_box(page), 0.75))
    assert abs(slider_value(page) - 75) <= 2


@pytest.mark.parametrize(("motion", "glides"), [("no-preference", True), ("reduce", False)])
def test_a_tap_glides_the_divider_unless_the_visitor_asks_for_reduced_motion(
    page: Page, site: str, on_phone, motion, glides
):
    page.emulate_media(reduced_motion=motion)
    page.goto(site + our_case().get_absolute_url())
    expect(page.locator(".compare--active")).to_be_visible()
    tap(page, on_phone, *at(photo_box(page), 0.25))
    expect(page.locator(".compare--glide")).to_be_visible()
    seconds = page.locator(".compare__item--after").evaluate(
        "el => parseFloat(getComputedStyle(el).transitionDuration)"
    )
    assert (seconds >= 0.1) is glides


def test_the_keyboard_still_moves_the_slider(page: Page, site: str):
    page.goto(site + our_case().get_absolute_url())
    slider = page.get_by_role("slider", name=re.compile("^Compare"))
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("47")
    page.keyboard.press("End")
    expect(slider).to_have_value("100")
    expect(slider).to_have_attribute("aria-valuetext", "100% of the before photo shown")
    page.keyboard.press("Home")
    expect(slider).to_have_value("0")
    assert "0%" in page.locator(".compare__item--after").evaluate(
        "el => getComputedStyle(el).clipPath"
    )


# Whole cards as links


def card_points(card) -> dict[str, tuple[float, float]]:
    """Places on a card away from its title: the photo's corner and the card's bottom edge."""
    card.scroll_into_view_if_needed()
    card_box = card.bounding_box()
    return {
        "photo": (card_box["x"] + card_box["width"] * 0.85, card_box["y"] + 30),
        "bottom": (
            card_box["x"] + card_box["width"] - 12,
            card_box["y"] + card_box["height"] - 8,
        ),
    }


@pytest.mark.parametrize("where", ["photo", "bottom"])
def test_a_tap_anywhere_on_a_gallery_card_opens_its_case(page: Page, site: str, on_phone, where):
    case = our_case()
    page.goto(site + "/portfolio/")
    tap(page, on_phone, *card_points(page.locator(".case-card"))[where])
    expect(page).to_have_url(site + case.get_absolute_url())


@pytest.mark.parametrize("where", ["photo", "bottom"])
def test_a_tap_anywhere_on_an_article_card_opens_the_article(
    page: Page, site: str, on_phone, where
):
    article = ArticleFactory(title="Designing a hairline")
    page.goto(site + "/articles/")
    tap(page, on_phone, *card_points(page.locator(".card"))[where])
    expect(page).to_have_url(site + article.get_absolute_url())


@pytest.mark.parametrize("section", ["#latest-articles", "#featured-cases"])
def test_a_tap_on_a_home_page_card_opens_it(page: Page, site: str, on_phone, section):
    article = ArticleFactory(title="Designing a hairline")
    case = our_case(featured=True)
    opens = {"#latest-articles": article, "#featured-cases": case}[section]
    page.goto(site + "/")
    card = page.locator(f"{section} ~ .card-grid .card").first
    tap(page, on_phone, *card_points(card)["bottom"])
    expect(page).to_have_url(site + opens.get_absolute_url())


def test_the_topic_link_inside_an_article_card_still_opens_the_topic(
    page: Page, site: str, on_phone
):
    ArticleFactory(title="Designing a hairline", topic=topic("scalp-micropigmentation"))
    page.goto(site + "/articles/")
    link = page.locator(".card .card__meta a")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    tap(page, on_phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(site + "/articles/topic/scalp-micropigmentation/")


def test_the_card_title_looks_like_a_link(page: Page, site: str):
    our_case()
    page.goto(site + "/portfolio/")
    link = page.locator(".case-card .card__link")
    assert link.evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"
    assert link.evaluate("el => getComputedStyle(el).color") == "rgb(11, 95, 88)"


def test_a_focused_card_link_draws_its_focus_ring_round_the_whole_card(page: Page, site: str):
    our_case()
    page.goto(site + "/portfolio/")
    card = page.locator(".case-card")
    assert card.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('card__link')"):
            break
    expect(card.locator(".card__link")).to_be_focused()
    assert card.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert card.evaluate("el => getComputedStyle(el).outlineWidth") == "3px"


# The before photo's toggle


def test_the_before_photo_toggle_opens_in_the_card_and_says_hide_when_open(
    page: Page, site: str, on_phone
):
    case = our_case()
    page.goto(site + "/portfolio/")
    toggle = page.locator(".case-card summary")
    expect(toggle).to_have_accessible_name(f"Show the before photo for {case.title}")
    toggle.scroll_into_view_if_needed()
    box = toggle.bounding_box()
    tap(page, on_phone, box["x"] + 10, box["y"] + box["height"] / 2)
    expect(toggle).to_have_accessible_name(f"Hide the before photo for {case.title}")
    expect(toggle).to_have_text(re.compile("^Hide the before photo"), use_inner_text=True)
    expect(page.locator(".case-card details img")).to_be_visible()
    assert page.url == site + "/portfolio/"
    tap(page, on_phone, box["x"] + 10, box["y"] + box["height"] / 2)
    expect(toggle).to_have_text(re.compile("^Show the before photo"), use_inner_text=True)


def test_without_javascript_the_toggle_still_says_hide_when_open(browser: Browser, site: str):
    our_case()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/portfolio/")
    toggle = page.locator(".case-card summary")
    expect(toggle).to_have_text(re.compile("^Show the before photo"), use_inner_text=True)
    toggle.click()
    expect(toggle).to_have_text(re.compile("^Hide the before photo"), use_inner_text=True)
    context.close()


# "Not our work"


def test_a_not_our_work_card_carries_its_own_label_and_caption(page: Page, site: str):
    poor_smp_example()
    page.goto(site + "/portfolio/")
    card = page.locator(".case-card")
    expect(card.locator(".badge--warning")).to_have_text(re.compile("not our work", re.I))
    expect(card.locator(".card__meta")).to_have_text("Poor SMP by another practitioner")
    expect(card).not_to_contain_text("session")
    expect(card.locator("summary")).to_have_text(
        re.compile("^Show the photo before SMP elsewhere"), use_inner_text=True
    )


def test_a_not_our_work_case_captions_and_slider_name_another_practitioners_work(
    page: Page, site: str, on_phone
):
    case = poor_smp_example()
    open_case_from_the_gallery(page, site, case)
    expect(page.locator(".compare figcaption")).to_have_text(
        ["Before SMP elsewhere", "Poor SMP by another practitioner"]
    )
    for caption in page.locator(".compare figcaption").all():
        expect(caption).to_be_visible()
    slider = page.get_by_role(
        "slider", name=re.compile("^Compare: slide left for more of the poor")
    )
    box = photo_box(page)
    drag(page, on_phone, at(box, 0.5), at(box, 0.3))
    value = slider_value(page)
    expect(slider).to_have_attribute(
        "aria-valuetext", f"{value}% of the photo before SMP elsewhere shown"
    )
    expect(page.locator("main")).not_to_contain_text("session")


def test_the_gallery_pages_have_no_accessibility_violations(page: Page, site: str):
    ours = our_case(featured=True)
    poor = poor_smp_example()
    ArticleFactory.create_batch(2)
    for path in [
        "/portfolio/",
        ours.get_absolute_url(),
        poor.get_absolute_url(),
        "/articles/",
        "/",
    ]:
        page.goto(site + path)
        assert_no_violations(page, path)
    page.goto(site + "/portfolio/")
    page.locator(".case-card summary").first.click()
    assert_no_violations(page, "/portfolio/ with a before photo open")
