"""Links that let a client act on an offer without signing in: signed, never stored.

An offer email (times staff offer, or a freed time from the waiting list) carries the offer's
number signed with the site's secret key under a purpose of its own, so a link for one offer
opens no other, and a link made for one purpose is refused by the other. Nothing in the
database can be turned into a link; whether the offer can still be taken (open, not past its
deadline) is checked against the offer itself each time the link is opened.
"""

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bookings.services.manage_links import LINK_NOT_KEPT

TIME_OFFER = "bookings.time_offer"
WAITING_LIST_OFFER = "bookings.waiting_list_offer"
WAITING_LIST_ENTRY = "bookings.waiting_list_entry"

# Staff's offers (/book/offers/<token>/) and the waiting list's claim and leave links
# (/book/waiting-list/offers/<token>/, /book/waiting-list/leave/<token>/): the token is the last
# part of the path, so the pattern names every part before it.
_OFFER_URL_IN_TEXT = re.compile(
    r"https?://\S+?/book/(?:offers|waiting-list(?:/offers|/leave)?)/[A-Za-z0-9_:.-]+/?"
)
# A signed number is short; anything much longer is not one of ours and is not unsigned.
_MAX_TOKEN_LENGTH = 80


def make_token(*, purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=purpose, compress=False)


def read_token(*, purpose: str, token: str) -> int | None:
    """The number a link carries, or None for one that is malformed, forged or for another
    purpose."""
    if len(token) > _MAX_TOKEN_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=purpose)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def absolute(*, view: str, token: str) -> str:
    """The full address of a client page taking a token, as an email links to it."""
    return settings.SITE_URL + reverse(view, kwargs={"token": token})


def without_client_links(*, text: str) -> str:
    """The text with every offer link replaced by a note that it is not kept."""
    return _OFFER_URL_IN_TEXT.sub(LINK_NOT_KEPT, text)
