import datetime
from typing import TypeAlias

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject

from restoration_site.common.choices import EnquiryType


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def postal_address(self) -> str:
        return settings.CLINIC_ADDRESS_OVERRIDES.get(self.slug) or self.address


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
    history): the admin, exports, the photo view and the emails' links all read through
    `for_staff`, so no route can see more than it allows.

    A staff account sees rows of its own clinic's enquiries, and only of the kinds its
    permissions let it view; a superuser sees everything; anyone else sees nothing.
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
    """The audit trail of an enquiry: routing, re-routing and each status change."""

    class Kind(models.TextChoices):
        ROUTED = "routed", "Routed"
        REROUTED = "rerouted", "Re-routed"
        STATUS = "status", "Status changed"
        EXPORTED = "exported", "Data exported"
        CORRECTED = "corrected", "Details corrected"

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
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

    # Emails to the client: from the clinic that will call them, replies going to that clinic.
    TO_CLIENT = (Kind.CLIENT, Kind.HANDOVER)

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
    kind = models.CharField(max_length=10, choices=Kind.choices)
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="notifications",
        help_text="The clinic the email is about or addressed to.",
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
