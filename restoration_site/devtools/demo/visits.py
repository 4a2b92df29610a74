"""The demo clinics' "Visit us" details for `seed_demo`: directions, parking, access,
coordinates and a street map drawn at run time. A clinic whose details are already filled
in (by an earlier run, or by staff) is left as it is.

Everything here is invented for the demo, like the clinics' addresses: the streets,
stations, bus stops and car parks do not exist, and the coordinates are only somewhere in
central London.
"""

import dataclasses
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile

from bookings.models import Clinic
from bookings.services import clinics
from restoration_site.devtools.demo.drawing import Street, StreetMap, draw_street_map


@dataclasses.dataclass(frozen=True, kw_only=True)
class DemoVisit:
    clinic: str
    public_transport: str
    parking: str
    step_free_access: bool | None
    accessible_toilet: bool | None
    accessibility: str
    latitude: Decimal
    longitude: Decimal
    plan: StreetMap
    map_alt: str


VISITS = [
    DemoVisit(
        clinic="restoration-u",
        public_transport=(
            "Example Circus Underground station (Central and Victoria lines) is a four-minute "
            "walk. Leave by the Sample Lane exit, walk north up Sample Lane and turn right "
            "into Example Street: we are at number 12, on the left, with a teal door.\n\n"
            "Buses 7, 25 and 98 stop on Example Street at Model Row (stop K), a minute from "
            "the door. There are cycle stands outside number 10."
        ),
        parking=(
            "The clinic has no parking of its own. Model Row car park, a two-minute walk, is "
            "open every day; it is not ours, so check its charges on the sign. Example Street "
            "is a pay-by-phone zone during the day.\n\n"
            "Two Blue Badge bays are on Sample Lane at the corner with Example Street."
        ),
        step_free_access=True,
        accessible_toilet=True,
        accessibility=(
            "We are on the ground floor, with a level entrance from the street. The door is "
            "heavy: ring the bell (at wheelchair height) and we will open it for you.\n\n"
            "The consultation room and the accessible toilet are on the same floor, with no "
            "steps. The waiting area has chairs with arms, and reception has a portable "
            "hearing loop.\n\n"
            "Assistance dogs are welcome."
        ),
        latitude=Decimal("51.518200"),
        longitude=Decimal("-0.143700"),
        plan=StreetMap(
            streets=(
                Street("Example Street", at=0.42, major=True),
                Street("Specimen Road", at=0.8, label_from=0.76),
                Street("Sample Lane", at=0.28, north_south=True, label_from=0.1),
                Street("Model Row", at=0.7, north_south=True, label_from=0.5),
            ),
            clinic=(0.5, 0.38),
            clinic_label="Restoration U\n12 Example Street",
            station=(0.28, 0.8),
            station_label="Example Circus station",
            park=(0.74, 0.06, 0.9, 0.3),
            park_label="Example\nGardens",
            route=((0.28, 0.42), (0.5, 0.42)),
            car_park=(0.82, 0.6),
        ),
        map_alt=(
            "Illustrated street map: Restoration U is at 12 Example Street, on the north side "
            "between Sample Lane and Model Row. From Example Circus station, on Sample Lane at "
            "Specimen Road, walk north up Sample Lane and turn right into Example Street. The "
            "car park is on Model Row."
        ),
    ),
    DemoVisit(
        clinic="laser-reverse",
        public_transport=(
            "Sample Park Overground station is a five-minute walk. Leave by the main exit onto "
            "Trial Street, turn right, then right again into Example Road: we are at number "
            "34, on the left, above the pharmacy.\n\n"
            "Buses 14, 38 and 73 stop on Example Road outside number 30 (stop P)."
        ),
        parking=(
            "The clinic has no parking of its own. Example Road has pay-by-phone bays for up "
            "to two hours, and a Blue Badge bay outside number 36."
        ),
        step_free_access=True,
        accessible_toilet=False,
        accessibility=(
            "Laser Reverse is on the first floor. A lift large enough for a wheelchair goes up "
            "from the lobby, which is level with the street; there are also stairs with a "
            "handrail.\n\n"
            "Our toilet is on the same floor but is not wheelchair accessible. The nearest "
            "accessible toilet is in Sample Park, two minutes away.\n\n"
            "Assistance dogs are welcome. Everyone in the room during laser treatment wears "
            "protective glasses, which we provide."
        ),
        latitude=Decimal("51.516900"),
        longitude=Decimal("-0.139800"),
        plan=StreetMap(
            streets=(
                Street("Trial Street", at=0.24, label_from=0.62),
                Street("Pattern Mews", at=0.78),
                Street("Example Road", at=0.56, north_south=True, major=True, label_from=0.6),
                Street("Draft Lane", at=0.88, north_south=True, label_from=0.6),
            ),
            clinic=(0.585, 0.5),
            clinic_label="Laser Reverse\n34 Example Road\nfirst floor",
            station=(0.2, 0.24),
            station_label="Sample Park station",
            park=(0.04, 0.4, 0.34, 0.95),
            park_label="Sample Park",
            route=((0.56, 0.24), (0.56, 0.5)),
        ),
        map_alt=(
            "Illustrated street map: Laser Reverse is at 34 Example Road, on the east side "
            "between Trial Street and Pattern Mews. From Sample Park station on Trial Street, "
            "walk east to Example Road and turn right. Sample Park is to the west, across "
            "Example Road."
        ),
    ),
]


def seed_visits(*, log: Callable[[str], None]) -> None:
    for demo in VISITS:
        clinic = Clinic.objects.get(slug=demo.clinic)
        if clinic.map_image or clinic.public_transport:
            log(f"found the visit details of '{demo.clinic}'")
            continue
        _fill_in(clinic, demo)
        log(f"filled in the visit details of '{demo.clinic}', with a drawn map")


def _fill_in(clinic: Clinic, demo: DemoVisit) -> None:
    for field in (
        "public_transport",
        "parking",
        "step_free_access",
        "accessible_toilet",
        "accessibility",
        "latitude",
        "longitude",
        "map_alt",
    ):
        setattr(clinic, field, getattr(demo, field))
    drawn = draw_street_map(
        width=1200, height=900, plan=demo.plan, caption=f"example map, {clinic.name}"
    )
    clinic.map_image = ContentFile(drawn, name=f"{clinic.slug}-map.jpg")
    clinic.full_clean()
    clinics.save_clinic(clinic=clinic, map_changed=True)
