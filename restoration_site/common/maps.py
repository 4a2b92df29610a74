"""Links that open a place in the visitor's own maps app. The site shows no third-party map
(no tiles, no scripts): these are plain links, followed only when the visitor chooses.

- Google Maps' universal address (`https://www.google.com/maps/search/?api=1&query=...`)
  opens the Google Maps app on Android, and on an iPhone that has it installed, and Google
  Maps in the browser everywhere else, desktops included. It needs no key.
- Apple Maps' (`https://maps.apple.com/?...`) opens Maps on an iPhone, iPad or Mac (the map
  most iPhone owners use), and Apple Maps on the web elsewhere.
- `geo:` is not used: desktop browsers and iOS have nothing to open it with, so the link
  would do nothing for many visitors.
"""

from decimal import Decimal
from urllib.parse import urlencode

GOOGLE_MAPS_SEARCH = "https://www.google.com/maps/search/"
APPLE_MAPS = "https://maps.apple.com/"


def google_maps_url(*, name: str, address: str) -> str:
    """Google Maps searching for the place by its name and address: the business's own
    listing where Google has one, the address itself where it has not."""
    return f"{GOOGLE_MAPS_SEARCH}?{urlencode({'api': '1', 'query': f'{name}, {address}'})}"


def apple_maps_url(
    *,
    name: str,
    address: str,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
) -> str:
    """Apple Maps showing the place with its name as the pin's label: at its coordinates when
    known (exact, whatever the geocoder makes of the address), otherwise at its address.
    Either way Maps shows the spot rather than searching (Apple's Map Links reference: `q` is
    the label when `ll` or `address` gives the location)."""
    if latitude is not None and longitude is not None:
        where = {"ll": f"{latitude},{longitude}"}
    else:
        where = {"address": address}
    return f"{APPLE_MAPS}?{urlencode({**where, 'q': name})}"
