"""Demo prices for `seed_demo`: one for each treatment, created once by slug; a second run
finds them and changes nothing (nor undoes a figure staff have since made their own).

Every figure here is invented: each row is marked as example figures, so the site says
“Example figures” beside it and never gives it to search engines.
"""

from collections.abc import Callable
from decimal import Decimal

from bookings.models import Clinic, TreatmentPrice

Treatment = TreatmentPrice.Treatment
FROM = TreatmentPrice.Kind.FROM
SINGLE = TreatmentPrice.Kind.SINGLE

PRICES = [
    {
        "clinic": "restoration-u",
        "slug": "new-smp-hairline",
        "name": "New SMP: hairline and temples",
        "treatment": Treatment.NEW_SMP,
        "kind": FROM,
        "price": Decimal("1200"),
        "included": "Hairline design, agreed with you before any pigment is placed\n"
        "Every session the treatment needs\nWritten aftercare instructions",
        "sessions_min": 2,
        "sessions_max": 3,
    },
    {
        "clinic": "restoration-u",
        "slug": "new-smp-full-head",
        "name": "New SMP: full head",
        "treatment": Treatment.NEW_SMP,
        "kind": FROM,
        "price": Decimal("1800"),
        "price_to": Decimal("2600"),
        "included": "Hairline design, agreed with you before any pigment is placed\n"
        "Every session the treatment needs\nWritten aftercare instructions",
        "sessions_min": 3,
        "sessions_max": 4,
    },
    {
        "clinic": "restoration-u",
        "slug": "smp-correction",
        "name": "SMP correction",
        "treatment": Treatment.SMP_CORRECTION,
        "kind": FROM,
        "price": Decimal("450"),
        "included": "A look at the existing SMP and an honest plan\n"
        "The correction sessions\nWritten aftercare instructions",
        "sessions_min": 1,
        "sessions_max": 3,
    },
    {
        "clinic": "restoration-u",
        "slug": "scar-camouflage",
        "name": "Scar camouflage",
        "treatment": Treatment.SCAR_CAMOUFLAGE,
        "kind": FROM,
        "price": Decimal("350"),
        "included": "Shade matching to the surrounding skin and hair\n"
        "The camouflage sessions\nWritten aftercare instructions",
        "sessions_min": 2,
        "sessions_max": 3,
    },
    {
        "clinic": "laser-reverse",
        "slug": "laser-removal-of-smp",
        "name": "Laser removal of SMP",
        "treatment": Treatment.LASER_REMOVAL,
        "kind": SINGLE,
        "price": Decimal("150"),
        "per_session": True,
        "included": "A patch test at the free consultation\n"
        "Cooling after each session\nWritten aftercare instructions",
        "sessions_min": 4,
        "sessions_max": 8,
    },
]


def seed_prices(*, log: Callable[[str], None]) -> None:
    clinics = {clinic.slug: clinic for clinic in Clinic.objects.all()}
    for position, fields in enumerate(PRICES):
        _, created = TreatmentPrice.objects.get_or_create(
            slug=fields["slug"],
            defaults={
                **fields,
                "clinic": clinics[fields["clinic"]],
                "position": position,
                "is_example": True,
            },
        )
        log(f"{'created' if created else 'found'} example price '{fields['slug']}'")
