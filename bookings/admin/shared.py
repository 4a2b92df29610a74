"""What the bookings admin pages share: how people and moments are shown, and the per-clinic
scoping of inlines and admin pages (every read of a clinic's data passes staff_clinic_id)."""

from django.contrib import admin
from django.utils import formats, timezone

from bookings.models import (
    Clinic,
    Notification,
    Practitioner,
    staff_clinic_id,
)
from bookings.services import (
    appointment_emails,
    offer_emails,
    waiting_list_emails,
)
from restoration_site.common.clinic_clock import appointment_label_with_zone


def stamp(moment) -> str:
    """A date and time as staff read it, in the clinic's time zone: the same format the admin
    uses for its own date fields, so a page never shows two."""
    return formats.localize(timezone.localtime(moment))


def person(user) -> str:
    """A member of staff by name, as plain text: a link to their account would answer 403 to
    everyone but a superuser."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


# What an enquiry booked by phone says it came from; its consent was taken on the call.
PHONE_BOOKING_SOURCE = "Booked by phone by "


def email_status(notification: Notification) -> str:
    """An email's status as staff read it: one the outbox held back, because the appointment
    it describes has changed since (or the offer it carries can no longer be taken), says so
    and why rather than "Cancelled by staff"."""
    if notification.last_error in (
        *appointment_emails.NOT_SENT_REASONS,
        *offer_emails.NOT_SENT_REASONS,
        *waiting_list_emails.NOT_SENT_REASONS,
    ):
        return f"Not sent ({notification.last_error})"
    return notification.get_status_display()


class Echo:
    """A file-like object whose write returns the line, for streaming CSV rows."""

    def write(self, value: str) -> str:
        return value


class StaffScopedInline(admin.TabularInline):
    """An enquiry's notes, photos, emails or history, read through the same authorization path
    as the enquiry itself (`for_staff`), not only through the enquiry page that shows them."""

    # A photo's own address is the file; the page's links say what they open instead.
    view_on_site = False

    def get_queryset(self, request):
        return self.model.objects.for_staff(request.user)


class ReadOnlyInline(StaffScopedInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StaffScopedAdmin(admin.ModelAdmin):
    """A clinic's schedule, read through the same authorization path as its enquiries
    (`for_staff`): staff see, open, change and delete only their own clinic's rows (another
    clinic's address finds nothing), and can choose only their own clinic, or its
    practitioners, for anything they add or change. A superuser sees and chooses them all."""

    def get_queryset(self, request):
        return self.model.objects.for_staff(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = Clinic.objects.staffed_by(request.user)
        elif db_field.name == "practitioner":
            kwargs["queryset"] = Practitioner.objects.for_staff(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request) -> dict:
        # Staff of one clinic add rows for that clinic: it is chosen for them.
        initial = super().get_changeform_initial_data(request)
        return {"clinic": staff_clinic_id(request.user), **initial}

    def get_list_display(self, request):
        # The column (and the filter) would say the same on every row for one clinic's staff.
        if request.user.is_superuser:
            return self.list_display
        return [column for column in self.list_display if column != "clinic"]

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [name for name in self.list_filter if name != "clinic"]


class PractitionerTimeInline(ReadOnlyInline):
    """A read-only list of times with a practitioner (an enquiry's appointment, the times
    offered to someone waiting), each in UK time."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("practitioner")

    @admin.display(description="Time")
    def time(self, row) -> str:
        return appointment_label_with_zone(row.starts_at)

    @admin.display(description="With")
    def practitioner_name(self, row) -> str:
        return row.practitioner.name
