from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.urls import reverse
from django.utils.functional import LazyObject


class EnquiryType(models.TextChoices):
    """What a visitor asks about; decides which clinic the enquiry is routed to."""

    NEW_SMP = "new_smp", "New SMP treatment"
    SMP_CORRECTION = "smp_correction", "SMP touch-up or correction"
    LASER_SMP = "laser_smp", "Laser removal of SMP"
    LASER_TATTOO = "laser_tattoo", "Laser removal of a tattoo"
    OTHER = "other", "Something else"


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


class ConsultationRequestQuerySet(models.QuerySet):
    def for_staff(self, user) -> "ConsultationRequestQuerySet":
        """What a staff account may see: everything for superusers, its clinic's otherwise."""
        if user.is_superuser:
            return self
        clinic_id = getattr(getattr(user, "staff_member", None), "clinic_id", None)
        if clinic_id is None:
            return self.none()
        return self.filter(clinic_id=clinic_id)


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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["clinic", "-created_at"], name="enquiry_clinic_list"),
            models.Index(fields=["status", "status_changed_at"], name="enquiry_retention"),
        ]
        verbose_name = "consultation request"

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:bookings_consultationrequest_change", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


def photo_upload_to(instance, filename: str) -> str:
    # The cleaned file already has a random name; group by enquiry for deletion and backups.
    return f"enquiries/{instance.request_id}/{filename}"


class EnquiryPhoto(models.Model):
    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(upload_to=photo_upload_to, storage=_private_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.request.reference}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:photo", args=[self.pk])


class EnquiryNote(models.Model):
    """An internal note by staff; never shown to the client."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

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

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class Notification(models.Model):
    """An email that must reach someone: stored with the enquiry, sent by the worker.

    The row is the outbox: it is written in the same transaction as the enquiry, claimed by one
    worker at a time with a lease, retried with backoff on failure and never dropped.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff notification"
        CLIENT = "client", "Client confirmation"
        REROUTED = "rerouted", "Re-routed enquiry"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will retry"

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
    copy_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request.reference}"
