"""The demo clinics' schedules for `seed_demo`: practitioners with drawn portraits, their
weekly hours (one with a split shift) and a day off, what can be booked at each clinic, and
the bank holidays. Created once by slug; a second run finds them and changes nothing.

Every person and registration here is invented: the local authority and licence numbers
belong to no one.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

from bookings.models import Clinic, ConsultationType, Practitioner, ScheduleOverride, WorkingHours
from bookings.services import closures, team
from restoration_site.common.clinic_clock import clinic_today
from restoration_site.devtools.demo.drawing import draw_portrait

MONDAY_TO_FRIDAY = range(5)
SATURDAY = 5


@dataclasses.dataclass(frozen=True, kw_only=True)
class DemoPractitioner:
    clinic: str
    slug: str
    name: str
    role: str
    qualifications: str
    registration: str
    bio: str
    # (weekdays, starts, ends), each "HH:MM"
    hours: list[tuple[range | list[int], str, str]]
    # A day off this many days after seeding (rounded to the practitioner's next working day).
    day_off_in_days: int | None = None


PRACTITIONERS = [
    DemoPractitioner(
        clinic="restoration-u",
        slug="amelia-hart",
        name="Amelia Hart",
        role="Lead SMP practitioner",
        qualifications="Level 4 Certificate in Micropigmentation; Level 2 Award in Infection "
        "Prevention and Control",
        registration="Registered with Example Borough Council for skin piercing and "
        "micropigmentation (licence RU-2019-014)",
        bio="Amelia designs every hairline by hand with the client in the chair, and has "
        "specialised in scalp micropigmentation since 2016. She leads the free consultations "
        "and most first sessions.",
        # A split shift on weekdays (a break from 13:00 to 14:00), a short Saturday.
        hours=[
            (MONDAY_TO_FRIDAY, "09:00", "13:00"),
            (MONDAY_TO_FRIDAY, "14:00", "17:30"),
            ([SATURDAY], "09:00", "13:00"),
        ],
        day_off_in_days=10,
    ),
    DemoPractitioner(
        clinic="restoration-u",
        slug="tom-whitfield",
        name="Tom Whitfield",
        role="SMP practitioner",
        qualifications="Level 4 Certificate in Micropigmentation",
        registration="Registered with Example Borough Council for skin piercing and "
        "micropigmentation (licence RU-2022-031)",
        bio="Tom looks after density work and scar camouflage, and the top-up sessions that "
        "keep SMP looking fresh. He works late on Tuesdays and Thursdays for clients who "
        "cannot come during the day.",
        hours=[([1, 3], "12:00", "20:00"), ([2], "09:00", "17:00")],
    ),
    DemoPractitioner(
        clinic="laser-reverse",
        slug="daniel-okafor",
        name="Daniel Okafor",
        role="Laser specialist",
        qualifications="Level 5 Certificate in Laser and IPL Treatments; Core of Knowledge in "
        "laser safety",
        registration="Registered with Example City Council for laser treatments (licence "
        "LR-2021-007)",
        bio="Daniel fades unwanted SMP and tattoos with a Q-switched laser, with a patch test "
        "at the free consultation. He will tell you honestly how many sessions fading may "
        "take.",
        hours=[([0, 2, 4], "10:00", "18:00"), ([3], "12:00", "19:00")],
    ),
]

CONSULTATION_TYPES = [
    {
        "clinic": "restoration-u",
        "slug": "free-smp-consultation",
        "name": "Free SMP consultation",
        "description": "Talk through what you would like and see how SMP would look on you.",
        "duration_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 10,
        "start_step_minutes": 15,
        "minimum_notice_hours": 24,
        "horizon_days": 42,
        "change_cutoff_hours": 24,
    },
    {
        "clinic": "laser-reverse",
        "slug": "free-laser-removal-consultation",
        "name": "Free laser-removal consultation with patch test",
        "description": "A look at the pigment, an honest estimate of the sessions, and a patch "
        "test.",
        "duration_minutes": 45,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "start_step_minutes": 15,
        "minimum_notice_hours": 24,
        "horizon_days": 42,
        "change_cutoff_hours": 24,
    },
]


def seed_team(*, log: Callable[[str], None]) -> None:
    clinics = {clinic.slug: clinic for clinic in Clinic.objects.all()}
    for position, demo in enumerate(PRACTITIONERS):
        if Practitioner.objects.filter(slug=demo.slug).exists():
            log(f"found practitioner '{demo.slug}'")
            continue
        _create_practitioner(demo, clinic=clinics[demo.clinic], position=position)
        log(f"created practitioner '{demo.slug}' with weekly hours")
    for fields in CONSULTATION_TYPES:
        _, created = ConsultationType.objects.get_or_create(
            slug=fields["slug"],
            defaults={**fields, "clinic": clinics[fields["clinic"]]},
        )
        log(f"{'created' if created else 'found'} consultation type '{fields['slug']}'")
    this_year = clinic_today(timezone.now()).year
    added = closures.load_bank_holidays(years=[this_year, this_year + 1])
    if added:
        log(f"added {len(added)} bank-holiday closures for {this_year} and {this_year + 1}")
    else:
        log(f"found the bank-holiday closures for {this_year} and {this_year + 1}")


def _create_practitioner(demo: DemoPractitioner, *, clinic: Clinic, position: int) -> None:
    portrait = draw_portrait(width=960, height=720, variant=position, caption=demo.name)
    practitioner = Practitioner(
        clinic=clinic,
        slug=demo.slug,
        name=demo.name,
        role=demo.role,
        qualifications=demo.qualifications,
        registration=demo.registration,
        bio=demo.bio,
        position=position,
        photo=ContentFile(portrait, name=f"{demo.slug}.jpg"),
        photo_alt=f"Drawing standing in for a photo of {demo.name}",
    )
    team.save_practitioner(practitioner=practitioner, photo_changed=True)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            weekday=weekday,
            starts=datetime.time.fromisoformat(starts),
            ends=datetime.time.fromisoformat(ends),
        )
        for weekdays, starts, ends in demo.hours
        for weekday in weekdays
    )
    if demo.day_off_in_days is not None:
        worked = {weekday for weekdays, _, _ in demo.hours for weekday in weekdays}
        day = clinic_today(timezone.now()) + datetime.timedelta(days=demo.day_off_in_days)
        while day.weekday() not in worked:
            day += datetime.timedelta(days=1)
        ScheduleOverride.objects.create(practitioner=practitioner, date=day, note="Training day")
