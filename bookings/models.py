import datetime
import uuid
from decimal import Decimal
from typing import TypeAlias

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject

from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import appointment_label_with_zone


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"


class TimeOfDay(models.TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Early evening"


class HeardAbout(models.TextChoices):
    SEARCH = "search", "Search engine"
    SOCIAL = "social", "Social media"
    FRIEND = "friend", "A friend or family member"
    ARTICLE = "article", "One of your articles"
    OTHER = "other", "Somewhere else"


class PrivatePhotoStorage(LazyObject):
    """Enquiry photos are health data: Django's `storages["private"]`, a folder outside
    MEDIA_ROOT with no URL or an object-storage prefix (or bucket) readable only through signed
    URLs. Either way they reach a browser only through the photo view, which checks the staff
    member may see the enquiry."""

    def _setup(self):
        storage = storages["private"]
        if isinstance(storage, FileSystemStorage):
            # storages["private"] keeps the folder PRIVATE_MEDIA_ROOT named when settings
            # loaded; tests move it per test (and bookings/apps.py resets this object), so the
            # folder is read afresh here.
            storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
        self._wrapped = storage


private_photo_storage = PrivatePhotoStorage()


def _private_storage():
    return private_photo_storage


class ClinicQuerySet(models.QuerySet):
    def staffed_by(self, user) -> "ClinicQuerySet":
        """The clinics a staff account works for: its own, or every clinic for a superuser.
        What the admin offers when staff choose a clinic for something they add."""
        if user.is_superuser:
            return self
        return self.filter(pk=staff_clinic_id(user))

    def for_staff(self, user) -> "ClinicQuerySet":
        """The clinics a staff account may see in the admin, by the same rule as the rows of
        `StaffScopedQuerySet.for_staff`: the view permission, then its own clinic (every
        clinic for a superuser)."""
        if not (user.is_active and user.is_staff and user.has_perm("bookings.view_clinic")):
            return self.none()
        return self.staffed_by(user)


class Clinic(models.Model):
    """A clinic enquiries are routed to: Restoration U itself, or its sister clinic."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    email = models.EmailField(help_text="Where this clinic's enquiry notifications go.")
    phone = models.CharField(max_length=40)
    address = models.CharField(
        max_length=200, help_text="Shown to clients; a deployment may override it by environment."
    )
    website = models.URLField(blank=True)

    # Its "Visit us" page (/visit/<slug>/): how to get there, parking, access and a map.
    public_transport = models.TextField(
        "by public transport",
        max_length=1500,
        blank=True,
        help_text="The nearest stations and stops, which lines and buses, and the walk from "
        "them. Plain text: a blank line starts a new paragraph.",
    )
    parking = models.TextField(
        max_length=1000,
        blank=True,
        help_text="Where to park nearby, what it costs and for how long, and Blue Badge spaces.",
    )
    step_free_access = models.BooleanField(
        "step-free access",
        null=True,
        blank=True,
        help_text="From the street to the consultation room without a step (a ramp or a lift "
        "counts). Leave it unknown rather than guess: visitors plan around it.",
    )
    accessible_toilet = models.BooleanField(
        "accessible toilet",
        null=True,
        blank=True,
        help_text="A wheelchair-accessible toilet visitors may use.",
    )
    accessibility = models.TextField(
        "accessibility details",
        max_length=1500,
        blank=True,
        help_text="What someone with a disability needs to know before coming: the entrance "
        "and any steps, the lift, doors, toilets, seating, a hearing loop, assistance dogs.",
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Of the entrance, in decimal degrees (51.517900). For search engines.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Of the entrance, in decimal degrees (-0.143100; west of Greenwich is negative).",
    )
    map_image = models.ImageField("map", upload_to="clinics/maps/", blank=True)
    map_alt = models.CharField(
        "map description",
        max_length=300,
        blank=True,
        help_text="What the map shows, for people who cannot see it: where the clinic is and "
        "the way from the nearest station.",
    )
    map_renditions = models.JSONField(default=dict, blank=True, editable=False)

    # The team and "Visit us" pages show a clinic's details: their cached copies are keyed on
    # this (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("visit", kwargs={"slug": self.slug})

    @property
    def postal_address(self) -> str:
        return settings.CLINIC_ADDRESS_OVERRIDES.get(self.slug) or self.address

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both the latitude and the longitude, or neither.")
        if self.map_image and not self.map_alt.strip():
            raise ValidationError({"map_alt": "Describe the map for people who cannot see it."})


class RoutingRule(models.Model):
    """Which clinic hears about an enquiry of a given type (and who is copied)."""

    enquiry_type = models.CharField(max_length=20, choices=EnquiryType.choices, unique=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="rules")
    copy_to = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copied_rules",
        help_text="A second clinic that receives a copy of the staff notification.",
    )
    # What the booking pages offer is cached keyed on the latest change (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enquiry_type"]

    def __str__(self) -> str:
        return f"{self.get_enquiry_type_display()} → {self.clinic}"


class StaffMember(models.Model):
    """Ties a staff account to the clinic whose enquiries it may see and change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")

    def __str__(self) -> str:
        return f"{self.user} ({self.clinic})"


class StaffScopedQuerySet(models.QuerySet):
    """The one authorization path for reading enquiry data (enquiries, notes, photos, emails,
    history) and the clinics' schedules (practitioners, hours, overrides, consultation types,
    closures): the admin, exports, the photo view and the emails' links all read through
    `for_staff`, so no route can see more than it allows.

    A staff account sees rows of its own clinic, and only of the kinds its permissions let it
    view; a superuser sees everything; anyone else sees nothing.
    """

    # The lookup from this model to the clinic of the enquiry it belongs to.
    clinic_lookup = "request__clinic_id"

    def for_staff(self, user) -> "StaffScopedQuerySet":
        opts = self.model._meta
        if not (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        ):
            return self.none()
        if user.is_superuser:
            return self
        clinic_id = staff_clinic_id(user)
        if clinic_id is None:
            return self.none()
        return self.filter(**{self.clinic_lookup: clinic_id})


# A member of staff acting on an enquiry: the admin's `request.user`.
StaffUser: TypeAlias = AbstractBaseUser


def staff_clinic_id(user) -> int | None:
    """The clinic a staff account belongs to, or None."""
    return getattr(getattr(user, "staff_member", None), "clinic_id", None)


class ConsultationRequestQuerySet(StaffScopedQuerySet):
    clinic_lookup = "clinic_id"


class ConsultationRequest(models.Model):
    """A visitor's request for a free consultation: health data under UK GDPR."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        BOOKED = "booked", "Consultation booked"
        WAITING = "waiting", "On the waiting list"
        ATTENDED = "attended", "Attended"
        CLOSED_TREATED = "closed_treated", "Closed: treated"
        CLOSED_NOT_PROCEEDING = "closed_not_proceeding", "Closed: not proceeding"

    CLOSED = (Status.CLOSED_TREATED, Status.CLOSED_NOT_PROCEEDING)

    reference = models.CharField(max_length=20, unique=True, editable=False)
    full_name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254, db_index=True)
    phone = models.CharField(max_length=20, help_text="International format (E.164).")
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices)
    enquiry_type = models.CharField(max_length=20, choices=EnquiryType.choices)
    preferred_dates = models.JSONField(default=list, blank=True)
    preferred_time = models.CharField(max_length=10, choices=TimeOfDay.choices)
    message = models.TextField(max_length=3000, blank=True)
    heard_about = models.CharField(max_length=10, choices=HeardAbout.choices, blank=True)
    consent_given_at = models.DateTimeField()
    privacy_policy_version = models.CharField(max_length=20)
    marketing_opt_in = models.BooleanField(default=False)
    source = models.CharField(
        max_length=200, blank=True, help_text="The article or portfolio case the visitor came from."
    )
    is_spam = models.BooleanField(default=False, db_index=True)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="enquiries")
    routed_at = models.DateTimeField()
    routed_by_rule = models.ForeignKey(
        RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who re-routed it, if anyone did.",
    )
    routing_reason = models.CharField(max_length=300, blank=True)

    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW)
    # Reception's response time (the report's median from enquiry to first contact): set once,
    # when staff first move the enquiry on from "New" or offer it times.
    first_contact_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When staff first contacted the client: moved it on from New or offered times.",
    )
    status_changed_at = models.DateTimeField()
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The retention clock: the request itself, then every staff action on it (a note, a status,
    # a re-route, an email) moves it on, so nothing staff are working on is ever purged.
    last_activity_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="The request, or the latest staff action on it; retention counts from here.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["clinic", "-created_at"], name="enquiry_clinic_list"),
            # Reception's counts: a clinic's enquiries in one status, by age.
            models.Index(fields=["clinic", "status", "created_at"], name="enquiry_clinic_status"),
        ]
        verbose_name = "consultation request"

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:bookings_consultationrequest_change", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def preferred_days(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(day) for day in self.preferred_dates]


def photo_upload_to(instance, filename: str) -> str:
    # The cleaned file already has a random name; group by enquiry for deletion and backups.
    return f"enquiries/{instance.request_id}/{filename}"


class EnquiryPhoto(models.Model):
    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(upload_to=photo_upload_to, storage=_private_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.request.reference}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:photo", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("bookings:photo_download", args=[self.pk])


class EnquiryNote(models.Model):
    """An internal note by staff; never shown to the client."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.request.reference}"


class EnquiryEvent(models.Model):
    """The audit trail of an enquiry: routing, re-routing, each status change, and each move or
    cancellation of its appointment."""

    class Kind(models.TextChoices):
        ROUTED = "routed", "Routed"
        REROUTED = "rerouted", "Re-routed"
        STATUS = "status", "Status changed"
        EXPORTED = "exported", "Data exported"
        CORRECTED = "corrected", "Details corrected"
        APPOINTMENT = "appointment", "Appointment changed"

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class NotificationQuerySet(StaffScopedQuerySet):
    def unsent(self) -> "NotificationQuerySet":
        """Emails that can still be delivered: waiting, being sent, or failed for a while.

        A permanently refused or cancelled email is not among them: no worker will send it, so
        it must not hold the health check at 503 for ever.
        """
        return self.filter(status__in=Notification.UNSENT)

    def due(self, *, now: datetime.datetime) -> "NotificationQuerySet":
        """Unsent emails whose time has come and that no worker holds a live lease on."""
        return self.unsent().filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now),
            next_attempt_at__lte=now,
        )


class Notification(models.Model):
    """An email that must reach someone: stored with the enquiry, sent by the worker.

    The row is the outbox: it is written in the same transaction as the enquiry, claimed by one
    worker at a time with a lease, retried with backoff on failure and never dropped.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff notification"
        COPY = "copy", "Copy to the other clinic"
        CLIENT = "client", "Client confirmation"
        REROUTED = "rerouted", "Re-routed enquiry"
        HANDOVER = "handover", "Client told of the new clinic"
        BOOKED = "booked", "Appointment confirmation"
        MOVED = "moved", "Appointment moved"
        APPOINTMENT_CANCELLED = "appt_cancelled", "Appointment cancelled"
        REMINDER = "reminder", "Appointment reminder"
        STAFF_CHANGE = "staff_change", "Staff told of a client's change"
        TIME_OFFER = "time_offer", "Times offered by staff"
        WAITING_LIST_JOINED = "waiting_joined", "Waiting list confirmation"
        WAITING_LIST_OFFER = "waiting_offer", "Freed time offered from the waiting list"

    # Emails to the client: from the clinic that will call them, replies going to that clinic.
    TO_CLIENT = (
        Kind.CLIENT,
        Kind.HANDOVER,
        Kind.BOOKED,
        Kind.MOVED,
        Kind.APPOINTMENT_CANCELLED,
        Kind.REMINDER,
        Kind.TIME_OFFER,
        Kind.WAITING_LIST_JOINED,
        Kind.WAITING_LIST_OFFER,
    )
    # Emails that carry the appointment's calendar invite.
    WITH_INVITE = (Kind.BOOKED, Kind.MOVED, Kind.APPOINTMENT_CANCELLED, Kind.REMINDER)

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Refused: not retried"
        CANCELLED = "cancelled", "Cancelled by staff"

    UNSENT = (Status.PENDING, Status.SENDING, Status.RETRYING)

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="notifications",
        help_text="The clinic the email is about or addressed to.",
    )
    # Emails about an appointment name the version of it they describe: one queued before a
    # later change (a reminder for a time since moved) is cancelled, never sent.
    appointment = models.ForeignKey(
        "Appointment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    appointment_sequence = models.PositiveIntegerField(null=True, blank=True)
    # The offer an email of times carries (staff's offer, or a freed time from the waiting list).
    time_offer = models.ForeignKey(
        "TimeOffer", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    waiting_list_offer = models.ForeignKey(
        "WaitingListOffer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipients = models.JSONField(default=list)
    # Emails written before copies became emails of their own carried the copy as Cc.
    copy_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        blank=True, help_text="The text of the email as it was sent, so staff know what was said."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request.reference}"


class Erasure(models.Model):
    """The record that an enquiry was erased, kept after everything personal has gone.

    It holds the reference (which identifies no one once the enquiry is deleted), the clinic,
    who erased it, when and why, and how much went with it: enough to show a request for
    erasure was carried out, and nothing about the person.
    """

    class Reason(models.TextChoices):
        REQUEST = "request", "The client asked for erasure"
        MISTAKE = "mistake", "Sent by mistake or a duplicate"
        OTHER = "other", "Another reason"

    reference = models.CharField(max_length=20, db_index=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_at = models.DateTimeField(auto_now_add=True)
    photos = models.PositiveIntegerField(default=0)
    notes = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = "erasure record"

    def __str__(self) -> str:
        return f"{self.reference} erased"


# THE CLINICS' SCHEDULES
#
# Availability is data staff edit in the admin: who works (practitioners), what can be booked
# (consultation types), when (weekly hours, date overrides) and when no one works (closures).
# Every time is a clinic wall-clock time in Europe/London (restoration_site.common.clinic_clock);
# whole minutes on a five-minute grid keep the arithmetic exact across clock changes.

SCHEDULE_GRID_MINUTES = 5


class ClinicScheduleQuerySet(StaffScopedQuerySet):
    """A clinic's own schedule rows (practitioners, consultation types, closures): staff see and
    change only their clinic's, through the same `for_staff` as enquiries."""

    clinic_lookup = "clinic_id"


class PractitionerScheduleQuerySet(StaffScopedQuerySet):
    """A practitioner's hours and date overrides: scoped by the practitioner's clinic."""

    clinic_lookup = "practitioner__clinic_id"


class PractitionerQuerySet(ClinicScheduleQuerySet):
    def active(self) -> "PractitionerQuerySet":
        """Practitioners clients see on the team page and can book."""
        return self.filter(active=True)


def on_schedule_grid(value: int) -> None:
    if value % SCHEDULE_GRID_MINUTES:
        raise ValidationError(f"Use a multiple of {SCHEDULE_GRID_MINUTES} minutes.")


def time_on_schedule_grid(value: datetime.time) -> None:
    if value.second or value.microsecond or value.minute % SCHEDULE_GRID_MINUTES:
        raise ValidationError(
            f"Use a time on the {SCHEDULE_GRID_MINUTES}-minute grid, such as 09:00 or 13:35."
        )


class Practitioner(models.Model):
    """Someone clients can book: shown on the "Our team" page and offered for appointments."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="practitioners")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    role = models.CharField(max_length=100, help_text="For example “SMP practitioner”.")
    qualifications = models.CharField(max_length=200, blank=True)
    registration = models.CharField(
        max_length=200,
        blank=True,
        help_text="Professional body and registration or licence number, as clients can check it.",
    )
    bio = models.TextField(max_length=600, blank=True, help_text="A few sentences, plain text.")
    photo = models.ImageField(upload_to="team/", blank=True)
    photo_alt = models.CharField(
        max_length=200, blank=True, help_text="What the photo shows, for people who cannot see it."
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    active = models.BooleanField(
        default=True, help_text="Inactive practitioners are hidden and offer no times."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the team page.")
    # The team page's cached copy is keyed on the latest change (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"

    @property
    def initials(self) -> str:
        """“AH” for Amelia Hart: what the team page shows in place of a missing photo."""
        words = self.name.split()
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()

    def clean(self) -> None:
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": "Describe the photo for people who cannot see it."})


class ConsultationType(models.Model):
    """What a client can book at a clinic, and the rules for booking and changing it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="consultation_types")
    name = models.CharField(max_length=100, help_text="For example “Free SMP consultation”.")
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(10), MaxValueValidator(240), on_schedule_grid]
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(120), on_schedule_grid],
        help_text="Kept free before each appointment (setting up).",
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=10,
        validators=[MaxValueValidator(120), on_schedule_grid],
        help_text="Kept free after each appointment (notes, cleaning).",
    )
    start_step_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120), on_schedule_grid],
        help_text="Appointments start on this step from the start of a shift (15: 9:00, 9:15…).",
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="No online booking sooner than this; the page gives the phone number."
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days ahead clients can book.",
    )
    change_cutoff_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Clients can move or cancel online until this long before; then by phone.",
    )
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # What the booking pages offer is cached keyed on the latest change (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ShiftTimes(models.Model):
    """A span of a working day in clinic time; several make a split shift."""

    starts = models.TimeField(validators=[time_on_schedule_grid])
    ends = models.TimeField(validators=[time_on_schedule_grid])

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": "The end must be after the start."})


class WorkingHours(ShiftTimes):
    """A practitioner's regular hours on one day of the week."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    # Opening hours on the team page and the home page's structured data come from these rows:
    # their cached copies are keyed on the latest change (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="working_hours_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M} to {self.ends:%H:%M}"


class ScheduleOverride(models.Model):
    """One date that differs from a practitioner's weekly hours: a day off (no times) or the
    hours worked that day, which replace the weekly hours (several rows for a split day)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="overrides"
    )
    date = models.DateField()
    starts = models.TimeField(null=True, blank=True, validators=[time_on_schedule_grid])
    ends = models.TimeField(null=True, blank=True, validators=[time_on_schedule_grid])
    note = models.CharField(max_length=100, blank=True)

    objects = PractitionerScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts__isnull=True, ends__isnull=True)
                | models.Q(starts__isnull=False, ends__isnull=False, ends__gt=models.F("starts")),
                name="override_day_off_or_hours",
            )
        ]

    def __str__(self) -> str:
        if self.is_day_off:
            return f"{self.date:%d %b %Y}: day off"
        return f"{self.date:%d %b %Y}: {self.starts:%H:%M} to {self.ends:%H:%M}"

    @property
    def is_day_off(self) -> bool:
        return self.starts is None

    def clean(self) -> None:
        if (self.starts is None) != (self.ends is None):
            raise ValidationError("Give both a start and an end, or neither for a day off.")
        if self.starts is not None and self.ends <= self.starts:
            raise ValidationError({"ends": "The end must be after the start."})


class ClinicClosure(models.Model):
    """A date a clinic is closed (bank holidays, training days): no times are offered."""

    class Source(models.TextChoices):
        STAFF = "staff", "Added by staff"
        BANK_HOLIDAY = "bank_holiday", "Bank holiday (England and Wales)"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    name = models.CharField(max_length=100)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)

    objects = ClinicScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "date"], name="one_closure_per_clinic_day")
        ]

    def __str__(self) -> str:
        return f"{self.clinic}: {self.name} ({self.date:%d %b %Y})"


# PRICES
#
# What each treatment costs at each clinic, kept by that clinic's staff in the admin: the
# treatment pages and the prices page show it, and search engines read the same figures in
# the structured data (restoration_site.structured_data), except figures marked as examples.


def pounds(amount: Decimal) -> str:
    """An amount as clients read it: “£1,800”, or “£1,800.50” when there are pence."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


class TreatmentPriceQuerySet(ClinicScheduleQuerySet):
    """A clinic's prices: its staff see and change only their own, through `for_staff`."""

    def published(self) -> "TreatmentPriceQuerySet":
        """Prices visitors see on the site."""
        return self.filter(published=True)

    def real_figures(self) -> "TreatmentPriceQuerySet":
        """Prices that are the clinic's own figures, not examples: only these go into the
        structured data search engines read."""
        return self.filter(is_example=False)


class TreatmentPrice(models.Model):
    """What a treatment costs at a clinic: one price, or a “from” price (with a “to” figure
    when there is one), for the whole treatment or per session, with what it includes and the
    sessions it usually takes."""

    class Treatment(models.TextChoices):
        NEW_SMP = "new_smp", "New SMP"
        SMP_CORRECTION = "smp_correction", "SMP correction"
        SCAR_CAMOUFLAGE = "scar_camouflage", "Scar camouflage"
        LASER_REMOVAL = "laser_removal", "Laser removal"

    class Kind(models.TextChoices):
        SINGLE = "single", "A single price"
        FROM = "from", "A “from” price"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="prices")
    treatment = models.CharField(max_length=20, choices=Treatment.choices)
    name = models.CharField(
        max_length=100, help_text="As clients read it, for example “New SMP: full head”."
    )
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(
        "type of price", max_length=10, choices=Kind.choices, default=Kind.SINGLE
    )
    price = models.DecimalField(
        "price (£)",
        max_digits=8,
        decimal_places=2,
        help_text="In pounds: the price, or where a “from” price starts.",
    )
    price_to = models.DecimalField(
        "to (£)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Only with a “from” price, and optional: the most it usually comes to.",
    )
    per_session = models.BooleanField(
        default=False, help_text="The price is for one session, not the whole treatment."
    )
    included = models.TextField(
        "what is included",
        max_length=1000,
        blank=True,
        help_text="One item per line, for example “Aftercare kit”.",
    )
    sessions_min = models.PositiveSmallIntegerField(
        "sessions usually needed: fewest", null=True, blank=True
    )
    sessions_max = models.PositiveSmallIntegerField(
        "sessions usually needed: most",
        null=True,
        blank=True,
        help_text="Leave empty when it is usually the same number.",
    )
    is_example = models.BooleanField(
        "example figures",
        default=False,
        help_text="Invented figures, not the clinic's prices: the site says “Example figures” "
        "beside them and search engines are not given them.",
    )
    published = models.BooleanField(
        default=True, help_text="Unpublished prices are not shown on the site."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the prices page.")
    # The pages that show prices are cached keyed on the latest change (bookings.selectors).
    updated_at = models.DateTimeField(auto_now=True)

    objects = TreatmentPriceQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "position", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="price_above_zero"),
            models.CheckConstraint(
                condition=models.Q(price_to__isnull=True)
                | models.Q(kind="from", price_to__gt=models.F("price")),
                name="price_to_above_from",
            ),
            models.CheckConstraint(
                condition=models.Q(sessions_min__isnull=True) | models.Q(sessions_min__gte=1),
                name="price_sessions_at_least_one",
            ),
            models.CheckConstraint(
                condition=models.Q(sessions_max__isnull=True)
                | models.Q(sessions_min__isnull=False, sessions_max__gte=models.F("sessions_min")),
                name="price_sessions_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"

    def get_absolute_url(self) -> str:
        return f"{reverse('prices')}#price-{self.slug}"

    def clean(self) -> None:
        errors = {}
        if self.price is not None and self.price <= 0:
            errors["price"] = "Give a price of more than £0."
        if self.price_to is not None:
            if self.kind != self.Kind.FROM:
                errors["price_to"] = (
                    "Only a “from” price has a “to” figure: change the type of price, or "
                    "leave this empty."
                )
            elif self.price is not None and self.price_to <= self.price:
                errors["price_to"] = (
                    "The “to” figure must be more than the price it starts from; for one "
                    "figure, choose “A single price”."
                )
        if self.sessions_min is not None and self.sessions_min < 1:
            errors["sessions_min"] = "Give 1 session or more, or leave this empty."
        if self.sessions_max is not None:
            if self.sessions_min is None:
                errors["sessions_min"] = "Give the fewest sessions too, or leave both empty."
            elif self.sessions_max < self.sessions_min:
                errors["sessions_max"] = "The most sessions cannot be fewer than the fewest."
        if errors:
            raise ValidationError(errors)

    @property
    def price_label(self) -> str:
        """“£1,800”, “From £350” or “£350 to £600” (the page adds “per session”)."""
        if self.kind == self.Kind.FROM and self.price_to is not None:
            return f"{pounds(self.price)} to {pounds(self.price_to)}"
        if self.kind == self.Kind.FROM:
            return f"From {pounds(self.price)}"
        return pounds(self.price)

    @property
    def full_price_label(self) -> str:
        """The price with its unit: “From £350 per session”."""
        return f"{self.price_label} per session" if self.per_session else self.price_label

    @property
    def highest_figure(self) -> Decimal:
        """The largest figure stated: the “to” figure, or the price."""
        return self.price_to if self.price_to is not None else self.price

    @property
    def sessions_label(self) -> str:
        """“1 session”, “3 sessions”, “2 to 3 sessions”, or "" when not given."""
        fewest, most = self.sessions_min, self.sessions_max
        if fewest is None:
            return ""
        if most is not None and most != fewest:
            return f"{fewest} to {most} sessions"
        return f"{fewest} session" if fewest == 1 else f"{fewest} sessions"

    @property
    def included_items(self) -> list[str]:
        return [line.strip() for line in self.included.splitlines() if line.strip()]


# APPOINTMENTS


class AppointmentQuerySet(StaffScopedQuerySet):
    clinic_lookup = "clinic_id"

    def booked(self) -> "AppointmentQuerySet":
        """Appointments that hold their time: only these block a practitioner's calendar."""
        return self.filter(status=Appointment.Status.BOOKED)


class Appointment(models.Model):
    """A confirmed time with a practitioner, for the consultation request that holds the
    client's details, photos and consent.

    No two booked appointments of one practitioner overlap, buffers included: on PostgreSQL an
    exclusion constraint says so (migration 0005); on SQLite every write transaction is
    IMMEDIATE (settings), so the check and the insert in bookings.services.appointments run
    with the database's write lock held and cannot interleave.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    class CancelledBy(models.TextChoices):
        CLIENT = "client", "The client, online"
        STAFF = "staff", "Staff"

    class Outcome(models.TextChoices):
        """What happened, set by staff only: a past appointment without one is "unresolved"
        and is never taken for a no-show by itself."""

        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"
        LATE_CANCELLATION = "late_cancel", "Late cancellation"

    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="appointment"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    consultation_type = models.ForeignKey(
        ConsultationType, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    # The span no other appointment of the practitioner may touch: the time plus its buffers.
    blocked_from = models.DateTimeField()
    blocked_until = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    # The calendar invite's UID for the appointment's whole life, and its SEQUENCE, raised on
    # every change, so calendars update the one event instead of adding another.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    outside_hours = models.BooleanField(
        default=False, help_text="Booked by staff outside the practitioner's hours, by choice."
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who booked it by phone; empty when the client booked online.",
    )
    # The booking form's one-time key: the same submission sent twice books once.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_set_at = models.DateTimeField(null=True, blank=True)
    outcome_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "blocked_from"], name="appointment_calendar"),
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_day"),
            # Reception's "unresolved" list: a clinic's past appointments with no outcome.
            models.Index(fields=["clinic", "outcome", "ends_at"], name="appointment_outcomes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at"))
                & models.Q(blocked_from__lte=models.F("starts_at"))
                & models.Q(blocked_until__gte=models.F("ends_at")),
                name="appointment_spans_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}, {appointment_label_with_zone(self.starts_at)}"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED


class AppointmentLink(models.Model):
    """A manage link sent to the client: only a hash of its random token is kept.

    Valid until a week after the appointment; every change to the appointment revokes the
    links sent before it (the email about the change carries a new one).
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Manage link for {self.appointment_id}"


# OFFERS: TIMES STAFF OFFER A CALL-BACK ENQUIRY, AND THE WAITING LIST


class TimeOffer(models.Model):
    """Up to three free times reception offers a call-back enquiry by email: the client opens
    the link, chooses one and it is booked for the enquiry, nothing typed again."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the client"
        ACCEPTED = "accepted", "Accepted: booked"
        WITHDRAWN = "withdrawn", "Withdrawn"

    MAX_TIMES = 3

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="time_offers"
    )
    consultation_type = models.ForeignKey(
        ConsultationType, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Times offered to {self.request.reference}"


class OfferedTimeQuerySet(StaffScopedQuerySet):
    clinic_lookup = "offer__request__clinic_id"


class OfferedTime(models.Model):
    """One of the times in a TimeOffer."""

    offer = models.ForeignKey(TimeOffer, on_delete=models.CASCADE, related_name="times")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()

    objects = OfferedTimeQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return appointment_label_with_zone(self.starts_at)


class WaitingListTime(models.TextChoices):
    ANY = "any", "Any time of day"
    MORNING = "morning", "Mornings"
    AFTERNOON = "afternoon", "Afternoons"


class WaitingListEntry(models.Model):
    """A visitor who found no suitable time: "tell me if something earlier comes up".

    The entry's enquiry (status "On the waiting list") holds who they are, their consent and
    the emails; this row holds what they are waiting for. A freed time that matches is offered
    to the oldest waiting entry first."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "A time is offered"
        BOOKED = "booked", "Booked"
        LEFT = "left", "Left the list"
        ENDED = "ended", "Window passed"

    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="waiting_list_entry"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    consultation_type = models.ForeignKey(
        ConsultationType, on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: any practitioner.",
    )
    earliest = models.DateField()
    latest = models.DateField()
    time_of_day = models.CharField(
        max_length=10, choices=WaitingListTime.choices, default=WaitingListTime.ANY
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waiting list"
        indexes = [
            models.Index(
                fields=["consultation_type", "status", "created_at"], name="waiting_list_queue"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest__gte=models.F("earliest")),
                name="waiting_window_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} waiting for {self.consultation_type.name}"


class WaitingListOfferQuerySet(StaffScopedQuerySet):
    clinic_lookup = "entry__clinic_id"


class WaitingListOffer(models.Model):
    """A freed time offered to one waiting-list entry until a deadline; unclaimed, the same
    time is offered to the next entry in a row of its own, so staff see every offer."""

    class Status(models.TextChoices):
        OPEN = "open", "Offered"
        CLAIMED = "claimed", "Claimed: booked"
        LAPSED = "lapsed", "Not claimed in time"
        GONE = "gone", "Taken or withdrawn before it was claimed"

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.CASCADE, related_name="offers")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    consultation_type = models.ForeignKey(
        ConsultationType, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WaitingListOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="waiting_offer_deadline")]

    def __str__(self) -> str:
        return f"{appointment_label_with_zone(self.starts_at)} offered to {self.entry.request}"
