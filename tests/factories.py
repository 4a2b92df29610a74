"""factory_boy factories for the apps' models; they save through the apps' services where the
site has one."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from blog import services as blog_services
from blog.models import Article, ArticleImage, Author, Tag, Topic
from bookings.forms import clean_enquiry_photo
from bookings.models import (
    Appointment,
    Clinic,
    ClinicClosure,
    ConsultationRequest,
    ConsultationType,
    Notification,
    Practitioner,
    ScheduleOverride,
    StaffMember,
    TreatmentPrice,
    WaitingListEntry,
    Weekday,
    WorkingHours,
)
from bookings.services import clinics, enquiries, team, waiting_list
from portfolio import services as portfolio_services
from portfolio.models import BeforeAfterCase, ClientReview, Treatment
from restoration_site.common.clinic_clock import clinic_moment


def topic(slug: str = "scalp-micropigmentation") -> Topic:
    """The topics are data loaded by a migration, so tests use them rather than make more."""
    return Topic.objects.get(slug=slug)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Sam Author {n}")
    job_title = "SMP practitioner"


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: o.name.replace(" ", "-"))


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n} on caring for a new hairline")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short, plain summary of what this article explains, long enough to describe it."
    body = "<p>Scalp micropigmentation places tiny dots of pigment in the scalp.</p>"
    hero_image = factory.django.ImageField(width=48, height=32, color="teal", filename="hero.jpg")
    hero_alt = "Illustration of a shaved head with a soft hairline"
    author = factory.SubFactory(AuthorFactory)
    topic = factory.LazyFunction(topic)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=1000) + datetime.timedelta(hours=n)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Saved as the admin saves it: wording with claims is published only when
        # `claims_reviewed_by` names the editor who reviewed it.
        reviewer = kwargs.pop("claims_reviewed_by", None)
        article = model_class(*args, **kwargs)
        blog_services.save_article(article=article, hero_changed=True, claims_reviewed_by=reviewer)
        return article

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class ArticleImageFactory(DjangoModelFactory):
    """An image in an article's body, saved as the admin saves one: through the blog service,
    which stores it cleaned, writes its renditions and numbers it."""

    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    image = factory.django.ImageField(width=64, height=48, color="tan", filename="body.jpg")
    alt = factory.Sequence(lambda n: f"Illustration {n} of a hairline of soft dots")
    caption = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return blog_services.save_article_image(
            image=model_class(*args, **kwargs), image_changed=True
        )


class BeforeAfterCaseFactory(DjangoModelFactory):
    class Meta:
        model = BeforeAfterCase

    title = factory.Sequence(lambda n: f"Case {n}: a natural hairline")
    slug = factory.Sequence(lambda n: f"case-{n}")
    treatment = Treatment.HAIRLINE
    description = "A receding hairline rebuilt over three sessions."
    sessions = 3
    weeks_between_photos = 6
    before_image = factory.django.ImageField(width=48, height=32, color="tan", filename="b.jpg")
    before_alt = "Before: a receding hairline"
    after_image = factory.django.ImageField(width=48, height=32, color="brown", filename="a.jpg")
    after_alt = "After: a soft, natural hairline"
    consent_recorded_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 10))
    photos_unretouched = True
    status = BeforeAfterCase.Status.PUBLISHED
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return portfolio_services.save_case(
            case=model_class(*args, **kwargs), changed_images={"before_image", "after_image"}
        )


class ClientReviewFactory(DjangoModelFactory):
    """A published review by an invented client who agreed to show their first name and the
    treatment, with written consent recorded."""

    class Meta:
        model = ClientReview

    text = "The hairline looks natural, and every step was explained before we started."
    rating = 5
    reviewed_on = datetime.date(2026, 3, 2)
    treatment = Treatment.HAIRLINE
    first_name = "Sam"
    consent_recorded_on = datetime.date(2026, 3, 5)
    consent_method = ClientReview.ConsentMethod.SIGNED_FORM
    consent_reference = factory.Sequence(lambda n: f"Review consent form {n:03d}")
    show_first_name = True
    show_treatment = True
    status = ClientReview.Status.PUBLISHED


def make_enquiry(**overrides) -> ConsultationRequest:
    """A consultation request made the way the website makes one: photos (uploads) cleaned as
    the form cleans them, then the service."""
    overrides["photos"] = [clean_enquiry_photo(photo) for photo in overrides.get("photos", ())]
    data = {
        "full_name": "Jamie Example",
        "email": "jamie@client.example",
        "phone": "+447911123456",
        "contact_method": "email",
        "enquiry_type": "new_smp",
        "preferred_dates": [],
        "preferred_time": "any",
        "message": "My hairline is receding at the temples.",
    }
    return enquiries.create_consultation_request(**(data | overrides))


def waiting_list_entry(*, consultation_type: ConsultationType, **overrides) -> WaitingListEntry:
    """A visitor on the waiting list for `consultation_type` (its clinic's enquiry type: new
    SMP at Restoration U, laser removal at Laser Reverse), joined as the website joins them:
    any practitioner, any time of day, from today for four weeks unless told otherwise."""
    today = timezone.localdate()
    laser = consultation_type.clinic.slug == "laser-reverse"
    data = {
        "full_name": "Avery Waiting",
        "email": "avery@client.example",
        "phone": "+447911123456",
        "enquiry_type": "laser_smp" if laser else "new_smp",
        "consultation_type": consultation_type,
        "practitioner": None,
        "earliest": today,
        "latest": today + datetime.timedelta(days=28),
    }
    return waiting_list.join_waiting_list(**(data | overrides))


STAFF_PASSWORD = "a-long-staff-password-123"


def staff_user(clinic_slug: str = "restoration-u", username: str | None = None):
    """A reception staff account belonging to one clinic."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username or f"reception-{clinic_slug}",
        email=f"{clinic_slug}@staff.example",
        password=STAFF_PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Reception"))
    StaffMember.objects.create(user=user, clinic=Clinic.objects.get(slug=clinic_slug))
    return user


def clinic(slug: str = "restoration-u") -> Clinic:
    """The clinics are data loaded by a migration, so tests use them rather than make more."""
    return Clinic.objects.get(slug=slug)


def with_visit_details(slug: str = "restoration-u", *, with_map: bool = True, **fields) -> Clinic:
    """A clinic with its "Visit us" details filled in as staff would, saved through the
    clinics service (a map is stored re-encoded, with renditions); `fields` override them."""
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from tests.images import photo_bytes

    place = clinic(slug)
    details = {
        "public_transport": "Example Circus station is a four-minute walk.\n\nBuses 7 and 98 "
        "stop outside.",
        "parking": "Model Row car park is a two-minute walk.",
        "step_free_access": True,
        "accessible_toilet": False,
        "accessibility": "A level entrance from the street.",
        "latitude": Decimal("51.518200"),
        "longitude": Decimal("-0.143700"),
        "map_alt": f"Street map: {place.name} is on the north side of Example Street."
        if with_map
        else "",
    }
    for name, value in (details | fields).items():
        setattr(place, name, value)
    if with_map:
        place.map_image = ContentFile(photo_bytes(1200, 900), name="map.jpg")
    return clinics.save_clinic(clinic=place, map_changed=with_map)


class PractitionerFactory(DjangoModelFactory):
    """A practitioner saved the way the admin saves one: a photo through the team service."""

    class Meta:
        model = Practitioner

    class Params:
        with_photo = factory.Trait(
            photo=factory.django.ImageField(width=64, height=48, color="teal", filename="p.jpg"),
            photo_alt=factory.LazyAttribute(lambda o: f"{o.name} smiling at the camera"),
        )

    clinic = factory.LazyFunction(clinic)
    name = factory.Sequence(lambda n: f"Robin Practitioner {n:03d}")
    slug = factory.Sequence(lambda n: f"practitioner-{n}")
    role = "SMP practitioner"
    qualifications = "Level 4 Certificate in Micropigmentation"
    registration = "Registered with Example Borough Council for skin piercing (licence RU-2020-001)"
    bio = "Works on hairlines and density."
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return team.save_practitioner(practitioner=model_class(*args, **kwargs), photo_changed=True)


class ConsultationTypeFactory(DjangoModelFactory):
    class Meta:
        model = ConsultationType

    clinic = factory.LazyFunction(clinic)
    name = "Free SMP consultation"
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    duration_minutes = 30
    buffer_before_minutes = 0
    buffer_after_minutes = 10
    start_step_minutes = 15
    minimum_notice_hours = 24
    horizon_days = 42
    change_cutoff_hours = 24


class WorkingHoursFactory(DjangoModelFactory):
    class Meta:
        model = WorkingHours

    practitioner = factory.SubFactory(PractitionerFactory)
    weekday = Weekday.MONDAY
    starts = datetime.time(9)
    ends = datetime.time(17)


class ScheduleOverrideFactory(DjangoModelFactory):
    """A day off unless given `starts` and `ends`."""

    class Meta:
        model = ScheduleOverride

    practitioner = factory.SubFactory(PractitionerFactory)
    date = datetime.date(2027, 1, 4)
    starts = None
    ends = None


class ClinicClosureFactory(DjangoModelFactory):
    class Meta:
        model = ClinicClosure

    clinic = factory.LazyFunction(clinic)
    date = datetime.date(2027, 1, 4)
    name = "Staff training"


class TreatmentPriceFactory(DjangoModelFactory):
    """Restoration U's price for new SMP, its own figure (not an example), unless told."""

    class Meta:
        model = TreatmentPrice

    clinic = factory.LazyFunction(clinic)
    treatment = TreatmentPrice.Treatment.NEW_SMP
    name = factory.Sequence(lambda n: f"Treatment {n:03d}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    price = Decimal("1800")
    included = "Hairline design\nAftercare kit"
    sessions_min = 2
    sessions_max = 3
    position = factory.Sequence(lambda n: n)


def hours(practitioner: Practitioner, weekday: int, starts: str, ends: str) -> WorkingHours:
    """One span of a practitioner's week, times written as on the team page ("09:00")."""
    return WorkingHoursFactory(
        practitioner=practitioner,
        weekday=weekday,
        starts=datetime.time.fromisoformat(starts),
        ends=datetime.time.fromisoformat(ends),
    )


def a_week_ahead_at_half_past_ten() -> datetime.datetime:
    return clinic_moment(timezone.localdate() + datetime.timedelta(days=7), datetime.time(10, 30))


class AppointmentFactory(DjangoModelFactory):
    """A booked appointment for a request made through the service, with its buffers blocked."""

    class Meta:
        model = Appointment

    request = factory.LazyFunction(make_enquiry)
    clinic = factory.LazyAttribute(lambda o: o.request.clinic)
    practitioner = factory.SubFactory(PractitionerFactory, clinic=factory.SelfAttribute("..clinic"))
    consultation_type = factory.SubFactory(
        ConsultationTypeFactory, clinic=factory.SelfAttribute("..clinic")
    )
    starts_at = factory.LazyFunction(a_week_ahead_at_half_past_ten)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + o.consultation_type.duration)
    blocked_from = factory.LazyAttribute(
        lambda o: (
            o.starts_at - datetime.timedelta(minutes=o.consultation_type.buffer_before_minutes)
        )
    )
    blocked_until = factory.LazyAttribute(
        lambda o: o.ends_at + datetime.timedelta(minutes=o.consultation_type.buffer_after_minutes)
    )


class AppointmentNotificationFactory(DjangoModelFactory):
    """An email about an appointment, queued for the appointment as it stands (its SEQUENCE)
    and due now; a client's email unless `recipients` say otherwise."""

    class Meta:
        model = Notification

    appointment = factory.SubFactory(AppointmentFactory)
    request = factory.SelfAttribute("appointment.request")
    clinic = factory.SelfAttribute("appointment.clinic")
    appointment_sequence = factory.SelfAttribute("appointment.sequence")
    kind = Notification.Kind.BOOKED
    recipients = factory.LazyAttribute(lambda o: [o.request.email])
    subject = "Your consultation is booked"
    next_attempt_at = factory.LazyFunction(timezone.now)
