"""Moving through a page with the keyboard alone, as the browser tests do."""

from playwright.sync_api import Locator, Page

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {id: el.id, tag: el.tagName, outline: style.outlineStyle, width: style.outlineWidth};
}"""


def tab_until(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until `target` has focus, checking every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["outline"] != "none" and focused["width"] != "0px", focused
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has focus (see `tab_until`)."""
    tab_until(page, page.locator(f'[id="{element_id}"]'), limit=limit)


def type_into(page: Page, fields: dict[str, str]) -> None:
    """Tab to each field in turn (by id) and type into it."""
    for element_id, text in fields.items():
        tab_to(page, element_id)
        page.keyboard.type(text)
