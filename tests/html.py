"""Reading rendered pages the way a browser or a crawler would."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def page_title(response) -> str:
    return parse(response).title.get_text(strip=True)


def headings_h1(response) -> list[str]:
    return [h1.get_text(" ", strip=True) for h1 in parse(response).find_all("h1")]


def meta_description(response) -> str:
    tag = parse(response).find("meta", attrs={"name": "description"})
    return tag["content"] if tag else ""
