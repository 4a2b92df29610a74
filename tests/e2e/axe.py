"""axe-core's WCAG 2.2 AA rules run on the page a browser test has open."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


def assert_no_violations(page: Page, where: str, *, within: str | None = None) -> None:
    """No violation on the page, or only inside the element `within` selects: a box opened
    over the page (a calendar) is checked on its own, as it covers part of what lies under it."""
    results = Axe().run(page, context=within, options=WCAG_22_AA)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]
    assert problems == [], f"{where}:\n" + "\n".join(problems)
