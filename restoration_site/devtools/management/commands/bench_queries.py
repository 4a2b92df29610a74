"""Part of `make bench`: SQL queries per page, first view and cached view, in-process."""

import json

from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from restoration_site.common.caching import PAGE_CACHE


def first_and_cached(client: Client, path: str) -> list[int]:
    """The SQL queries of a page's first view (its cached copy gone) and of the view after."""
    caches[PAGE_CACHE].clear()
    with CaptureQueriesContext(connection) as first:
        client.get(path)
    with CaptureQueriesContext(connection) as cached:
        client.get(path)
    return [len(first), len(cached)]


class Command(BaseCommand):
    help = "Count SQL queries per page (used by make bench)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--post", default="", help="A form body to POST to /book/.")

    def handle(self, *args, paths: list[str], post: str, **options) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        counts = {path: first_and_cached(client, path) for path in paths}
        if post:
            with CaptureQueriesContext(connection) as sent:
                client.post("/book/", data=post, content_type="application/x-www-form-urlencoded")
            counts["POST /book/"] = [len(sent), len(sent)]
        self.stdout.write(json.dumps(counts))
