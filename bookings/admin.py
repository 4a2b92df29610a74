import csv
import datetime
import itertools
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTimeWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from bookings import staff_forms
from bookings.forms import ClientEmailField, is_same_site_path, stored_phone_number
from bookings.models import (
    Appointment,
    Clinic,
    ClinicClosure,
    ConsultationRequest,
    ConsultationType,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
    Practitioner,
    RoutingRule,
    ScheduleOverride,
    StaffMember,
    Weekday,
    WorkingHours,
    staff_clinic_id,
)
from bookings.services import (
    appointment_emails,
    appointments,
    availability,
    emails,
    exports,
    privacy,
    routing,
    team,
    workflow,
)
from restoration_site.common.admin_display import rendition_thumbnail
from restoration_site.common.clinic_clock import (
    appointment_label,
    appointment_label_with_zone,
    clinic_today,
)
from restoration_site.common.forms import PhotoField


def _stamp(moment) -> str:
    """A date and time as staff read it, in the clinic's time zone: the same format the admin
    uses for its own date fields, so a page never shows two."""
    return formats.localize(timezone.localtime(moment))


def _person(user) -> str:
    """A member of staff by name, as plain text: a link to their account would answer 403 to
    everyone but a superuser."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


# What an enquiry booked by phone says it came from; its consent was taken on the call.
PHONE_BOOKING_SOURCE = "Booked by phone by "


def _email_status(notification: Notification) -> str:
    """An email's status as staff read it: one the outbox held back, because the appointment
    it describes has changed since, says so and why rather than "Cancelled by staff"."""
    if notification.last_error in appointment_emails.NOT_SENT_REASONS:
        return f"Not sent ({notification.last_error})"
    return notification.get_status_display()


class _Echo:
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


class EnquiryNoteInline(StaffScopedInline):
    model = EnquiryNote
    extra = 1
    fields = ["text", "written_by", "written_at"]
    readonly_fields = ["written_by", "written_at"]
    verbose_name = "internal note"
    verbose_name_plural = "internal notes (never shown to the client)"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # notes are a history: add, never rewrite

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="By")
    def written_by(self, note: EnquiryNote) -> str:
        return _person(note.author)

    @admin.display(description="Written")
    def written_at(self, note: EnquiryNote) -> str:
        return _stamp(note.created_at) if note.created_at else ""

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class ReadOnlyInline(StaffScopedInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EnquiryPhotoInline(ReadOnlyInline):
    model = EnquiryPhoto
    fields = ["thumbnail", "received"]
    readonly_fields = ["thumbnail", "received"]

    def get_queryset(self, request):
        # Each photo's place among its enquiry's photos ("Photo 1 of 2"), in the same query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                number=Window(RowNumber(), partition_by=F("request_id"), order_by=F("pk").asc())
            )
        )

    @admin.display(description="Photo")
    def thumbnail(self, photo: EnquiryPhoto) -> str:
        # Opens larger inside the admin; downloading is a separate, deliberate step there.
        viewer = reverse(
            "admin:bookings_consultationrequest_photo", args=[photo.request_id, photo.pk]
        )
        return format_html(
            '<a href="{}"><img src="{}" alt="Photo {} sent with the request, opens larger" '
            'width="240"></a>',
            viewer,
            photo.get_absolute_url(),
            photo.number,
        )

    @admin.display(description="Received")
    def received(self, photo: EnquiryPhoto) -> str:
        return _stamp(photo.created_at)


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ["kind", "to", "subject", "state", "sent", "last_error"]
    readonly_fields = fields
    verbose_name_plural = "emails"

    @admin.display(description="Status")
    def state(self, notification: Notification) -> str:
        return _email_status(notification)

    @admin.display(description="To")
    def to(self, notification: Notification) -> str:
        return ", ".join(notification.recipients + notification.copy_to)

    @admin.display(description="Sent")
    def sent(self, notification: Notification) -> str:
        return _stamp(notification.sent_at) if notification.sent_at else "—"


class EnquiryEventInline(ReadOnlyInline):
    model = EnquiryEvent
    fields = ["when", "description", "by"]
    readonly_fields = fields
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="When")
    def when(self, event: EnquiryEvent) -> str:
        return _stamp(event.created_at)

    @admin.display(description="By")
    def by(self, event: EnquiryEvent) -> str:
        return _person(event.actor) if event.actor_id else "The website"


class AppointmentInline(ReadOnlyInline):
    """The enquiry's appointment, if it has one and the staff member may see it."""

    model = Appointment
    fields = ["time", "practitioner_name", "status", "open_link"]
    readonly_fields = fields
    verbose_name_plural = "appointment"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("practitioner")

    @admin.display(description="Time")
    def time(self, appointment: Appointment) -> str:
        return appointment_label_with_zone(appointment.starts_at)

    @admin.display(description="With")
    def practitioner_name(self, appointment: Appointment) -> str:
        return appointment.practitioner.name

    @admin.display(description="")
    def open_link(self, appointment: Appointment) -> str:
        return format_html(
            '<a href="{}">Open the appointment</a>',
            reverse("admin:bookings_appointment_change", args=[appointment.pk]),
        )


class ConsultationRequestForm(forms.ModelForm):
    email = ClientEmailField(
        label="Email address",
        max_length=254,
        help_text=(
            "Correct it if the client's mail server refused our email, then resend the emails; "
            "the correction is recorded in the history."
        ),
    )
    routing_note = forms.CharField(
        label="Reason for re-routing",
        required=False,
        max_length=250,
        help_text="Needed when you change the clinic; the new clinic is emailed.",
    )

    def clean(self):
        cleaned = super().clean()
        if "clinic" in self.changed_data and not cleaned.get("routing_note"):
            self.add_error("routing_note", "Say why the enquiry goes to another clinic.")
        return cleaned


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    form = ConsultationRequestForm
    list_display = [
        "reference",
        "full_name",
        "enquiry_type",
        "clinic",
        "status",
        "received",
        "came_from",
    ]
    # "View on site" would only reload this page: an enquiry has no public page.
    view_on_site = False
    list_filter = ["status", "enquiry_type", "clinic", "created_at", "is_spam"]
    search_fields = ["reference", "full_name", "email", "phone"]
    date_hierarchy = "created_at"
    list_select_related = ["clinic"]
    list_per_page = 50
    # A full COUNT(*) over every enquiry on each page load is the slowest part at scale.
    show_full_result_count = False
    actions = ["mark_contacted", "export_csv", "resend", "export_personal_data", "erase"]
    inlines = [
        AppointmentInline,
        EnquiryNoteInline,
        EnquiryPhotoInline,
        NotificationInline,
        EnquiryEventInline,
    ]
    fieldsets = [
        (
            "Work on it",
            {"fields": ["status", "status_changed", "clinic", "routing_note", "routing"]},
        ),
        (
            "The request",
            {
                "fields": [
                    "reference",
                    "received",
                    "full_name",
                    "email",
                    "phone_link",
                    "contact_method",
                    "enquiry_type",
                    "dates",
                    "preferred_time",
                    "message",
                    "heard_about",
                    "source_link",
                ]
            },
        ),
        ("Consent", {"fields": ["consent", "marketing_opt_in", "is_spam"]}),
    ]
    # Staff work an enquiry (status, clinic); what the visitor sent stays as they sent it.
    readonly_fields = [
        field
        for _, options in fieldsets
        for field in options["fields"]
        if field not in {"status", "clinic", "routing_note", "email"}
    ]

    def get_queryset(self, request):
        return ConsultationRequest.objects.for_staff(request.user).select_related(
            "clinic", "status_changed_by", "routed_by", "routed_by_rule"
        )

    def get_search_results(self, request, queryset, search_term):
        """Also find a client by their phone number as people say it: `07911 123456`,
        `07911123456` and `+44 7911 123456` are all the stored +447911123456."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = stored_phone_number(search_term)
        if number:
            results |= queryset.filter(phone=number)
        return results, may_have_duplicates

    def get_list_display(self, request):
        # Staff of one clinic see only that clinic's enquiries: the column would say nothing,
        # and the list must fit a reception screen without a sideways scroll.
        if request.user.is_superuser:
            return self.list_display
        return [column for column in self.list_display if column != "clinic"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/photos/<int:photo_id>/",
                self.admin_site.admin_view(self.photo_view),
                name=f"{opts.app_label}_{opts.model_name}_photo",
            ),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def photo_view(self, request, object_id: str, photo_id: int):
        """One photo, shown large inside the admin (never cached: health data), with
        downloading as a separate link."""
        photos = EnquiryPhoto.objects.for_staff(request.user).filter(request_id=object_id)
        photo = get_object_or_404(photos.select_related("request"), pk=photo_id)
        ids = list(photos.values_list("pk", flat=True))
        return TemplateResponse(
            request,
            "admin/bookings/consultationrequest/photo.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Photo {ids.index(photo.pk) + 1} of {len(ids)}, "
                f"{photo.request.reference}",
                "opts": self.model._meta,
                "enquiry": photo.request,
                "photo": photo,
            },
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = Clinic.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        return False  # enquiries come from visitors, through the form

    def has_delete_permission(self, request, obj=None) -> bool:
        # Enquiries leave only through `erase` (recorded) or the retention purge.
        return False

    def has_erase_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_resend_permission(self, request) -> bool:
        return may_work_on_enquiries(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            refused = (
                Notification.objects.for_staff(request.user)
                .filter(request_id=object_id, status=Notification.Status.FAILED)
                .values_list("subject", "last_error")
            )
            for subject, error in refused:
                self.message_user(
                    request,
                    f"“{subject}” was refused by the mail server and will not be retried "
                    f"({error[:200]}). Correct the address if it is wrong, then resend.",
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Preferred dates")
    def dates(self, enquiry: ConsultationRequest) -> str:
        return ", ".join(formats.date_format(day) for day in enquiry.preferred_days) or "None given"

    @admin.display(description="Received", ordering="created_at")
    def received(self, enquiry: ConsultationRequest) -> str:
        return _stamp(enquiry.created_at)

    @admin.display(description="Phone")
    def phone_link(self, enquiry: ConsultationRequest) -> str:
        return format_html('<a href="tel:{}">{}</a>', enquiry.phone, enquiry.phone)

    @admin.display(description="Came from", ordering="source")
    def came_from(self, enquiry: ConsultationRequest) -> str:
        return enquiry.source or "—"

    @admin.display(description="Came from")
    def source_link(self, enquiry: ConsultationRequest) -> str:
        if not enquiry.source:
            return "—"
        if not is_same_site_path(enquiry.source):
            # Stored before sources were checked: shown, never followed.
            return enquiry.source
        return format_html('<a href="{}">{}</a>', enquiry.source, enquiry.source)

    @admin.display(description="Consent to process health details")
    def consent(self, enquiry: ConsultationRequest) -> str:
        how = "on the phone" if enquiry.source.startswith(PHONE_BOOKING_SOURCE) else "online"
        return (
            f"Given {how} {_stamp(enquiry.consent_given_at)} "
            f"(privacy policy {enquiry.privacy_policy_version})"
        )

    @admin.display(description="Routing")
    def routing(self, enquiry: ConsultationRequest) -> str:
        who = _person(enquiry.routed_by) if enquiry.routed_by else "the routing rules"
        return (
            f"{enquiry.clinic} since {_stamp(enquiry.routed_at)}, by {who}: "
            f"{enquiry.routing_reason}"
        )

    @admin.display(description="Status changed")
    def status_changed(self, enquiry: ConsultationRequest) -> str:
        who = _person(enquiry.status_changed_by) if enquiry.status_changed_by else "the website"
        return f"{_stamp(enquiry.status_changed_at)} by {who}"

    def save_model(self, request, obj: ConsultationRequest, form, change: bool) -> None:
        stored = ConsultationRequest.objects.for_staff(request.user).get(pk=obj.pk)
        if "email" in form.changed_data:
            workflow.correct_client_email(
                enquiry=stored, email=form.cleaned_data["email"], by=request.user
            )
        if "status" in form.changed_data:
            workflow.change_status(enquiry=stored, status=obj.status, by=request.user)
        if "clinic" in form.changed_data:
            workflow.reroute_enquiry(
                enquiry=stored,
                clinic=obj.clinic,
                by=request.user,
                reason=form.cleaned_data["routing_note"],
            )
            self.message_user(
                request, f"{obj.reference} was passed to {obj.clinic}, who are being emailed."
            )
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is EnquiryNote:
            for note in formset.save(commit=False):
                workflow.add_note(enquiry=form.instance, author=request.user, text=note.text)
            for note in formset.deleted_objects:
                note.delete()
            return
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        if not ConsultationRequest.objects.for_staff(request.user).filter(pk=obj.pk).exists():
            # Re-routed to a clinic this staff member does not belong to: back to the list.
            self.message_user(request, f"{obj.reference} now belongs to {obj.clinic}.")
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset) -> None:
        changed = 0
        for enquiry in queryset.filter(status=ConsultationRequest.Status.NEW):
            workflow.change_status(
                enquiry=enquiry, status=ConsultationRequest.Status.CONTACTED, by=request.user
            )
            changed += 1
        self.message_user(request, f"Marked {changed} request(s) as contacted.")

    @admin.action(description="Export selected to CSV", permissions=["view"])
    def export_csv(self, request, queryset) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            itertools.chain(
                [exports.CSV_BYTE_ORDER_MARK],
                (writer.writerow(row) for row in exports.csv_rows(enquiries=queryset)),
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="consultation-requests-{timezone.localdate()}.csv"'
        )
        return response

    @admin.action(description="Resend the emails of selected requests", permissions=["resend"])
    def resend(self, request, queryset) -> None:
        count = workflow.resend_notifications(
            notifications=Notification.objects.for_staff(request.user).filter(request__in=queryset)
        )
        self.message_user(request, f"{count} email(s) queued to be sent again.")

    @admin.action(
        description="Erase selected requests with their photos, notes and emails",
        permissions=["erase"],
    )
    def erase(self, request, queryset):
        """The right to erasure: asks for the reason on a confirmation page, then deletes."""
        form = ErasureForm(request.POST if "confirm_erasure" in request.POST else None)
        if form.is_bound and form.is_valid():
            erased = [
                privacy.erase_enquiry(
                    enquiry=enquiry, by=request.user, reason=form.cleaned_data["reason"]
                ).reference
                for enquiry in queryset
            ]
            self.message_user(
                request, f"Erased {len(erased)} request(s): {', '.join(erased)}.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/bookings/consultationrequest/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase consultation requests",
                "opts": self.model._meta,
                "enquiries": queryset.annotate(
                    photo_count=Count("photos", distinct=True),
                    note_count=Count("notes", distinct=True),
                    email_count=Count("notifications", distinct=True),
                ),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description="Export one person's data (subject access, JSON)", permissions=["view"]
    )
    def export_personal_data(self, request, queryset):
        addresses = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(addresses) != 1:
            self.message_user(
                request,
                "Select the requests of exactly one person (one email address) to export.",
                messages.ERROR,
            )
            return None
        (email,) = addresses
        data = privacy.subject_access_export(email=email, by=request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "request",
        "kind",
        "to",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "kind", "clinic"]
    list_select_related = ["request", "clinic"]
    search_fields = ["request__reference", "subject"]
    actions = ["resend", "cancel"]
    exclude = ["request"]

    def get_fields(self, request, obj=None):
        fields = ["request_link", "kind", "clinic", "to", "subject", "state", "attempts"]
        if obj is not None and obj.appointment_id:
            fields.insert(2, "appointment_time")
        if obj is not None and obj.status == Notification.Status.SENT:
            fields += ["sent"]
        else:
            fields += ["next_attempt", "last_error"]
        return [*fields, "created", "text"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_queryset(self, request):
        return Notification.objects.for_staff(request.user).select_related("request", "clinic")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_resend_permission(self, request) -> bool:
        return may_work_on_enquiries(request)

    @admin.display(description="To")
    def to(self, notification: Notification) -> str:
        return ", ".join(notification.recipients + notification.copy_to)

    @admin.display(description="Status", ordering="status")
    def state(self, notification: Notification) -> str:
        return _email_status(notification)

    @admin.display(description="Appointment")
    def appointment_time(self, notification: Notification) -> str:
        appointment = notification.appointment
        return (
            f"{appointment_label_with_zone(appointment.starts_at)} with "
            f"{appointment.practitioner.name} ({appointment.get_status_display().lower()})"
        )

    @admin.display(description="Last error")
    def last_error_short(self, notification: Notification) -> str:
        return notification.last_error[:80]

    @admin.display(description="Sent")
    def sent(self, notification: Notification) -> str:
        return _stamp(notification.sent_at)

    @admin.display(description="Written")
    def created(self, notification: Notification) -> str:
        return _stamp(notification.created_at)

    @admin.display(description="Next attempt")
    def next_attempt(self, notification: Notification) -> str:
        if notification.status not in Notification.UNSENT:
            return "None: it will not be sent unless someone resends it"
        return _stamp(notification.next_attempt_at)

    @admin.display(description="What it says")
    def text(self, notification: Notification) -> str:
        """What the client or clinic was told: the text as sent, or as it will be sent."""
        if notification.status == Notification.Status.SENT and notification.body:
            body = notification.body
        else:
            # A preview: no manage link is made for an email that is only being read.
            body = emails.build_email(notification=notification, preview=True).body
        return format_html('<pre class="email-text">{}</pre>', body)

    @admin.display(description="Request")
    def request_link(self, notification: Notification) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bookings_consultationrequest_change", args=[notification.request_id]),
            notification.request.reference,
        )

    @admin.action(description="Resend selected emails", permissions=["resend"])
    def resend(self, request, queryset) -> None:
        count = workflow.resend_notifications(notifications=queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.")

    @admin.action(description="Cancel selected emails not sent yet", permissions=["resend"])
    def cancel(self, request, queryset) -> None:
        count = workflow.cancel_notifications(notifications=queryset)
        self.message_user(request, f"{count} email(s) cancelled.")


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label="Why are they being erased?", choices=Erasure.Reason.choices)


def may_work_on_enquiries(request) -> bool:
    """Sending, resending or cancelling an enquiry's emails is working on the enquiry: it needs
    the permission to change enquiries, not only to view them."""
    return request.user.has_perm("bookings.change_consultationrequest")


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    """What was erased, when, by whom and why: the proof an erasure request was carried out."""

    list_display = ["reference", "clinic", "reason", "erased_by", "erased_at", "photos", "emails"]
    list_filter = ["reason", "clinic"]
    search_fields = ["reference"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "address"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["enquiry_type", "clinic", "copy_to"]
    list_editable = ["clinic", "copy_to"]
    list_display_links = ["enquiry_type"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_select_related = ["user", "clinic"]
    autocomplete_fields = ["user"]


# THE CLINICS' SCHEDULES


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


def _span(starts, ends) -> str:
    return f"{starts:%H:%M} to {ends:%H:%M}"


def overlapping_spans(spans: list[tuple[str, object, object]]) -> list[str]:
    """What is wrong with a set of (day, starts, ends) spans: one message per pair on the same
    day that overlap. Spans that touch (13:00 to 14:00 after 09:00 to 13:00) do not overlap."""
    problems = []
    by_day: dict[str, list[tuple]] = {}
    for day, starts, ends in spans:
        by_day.setdefault(day, []).append((starts, ends))
    for day, day_spans in by_day.items():
        # Each span against the one reaching latest among those before it: a long span
        # overlapping two short ones is named with each.
        ordered = sorted(day_spans)
        reaching = ordered[0]
        for starts, ends in ordered[1:]:
            if starts < reaching[1]:
                problems.append(
                    f"{day}: {_span(*reaching)} and {_span(starts, ends)} overlap. "
                    "Change or remove one; a split shift is two spans with a gap between."
                )
            if ends > reaching[1]:
                reaching = (starts, ends)
    return problems


class ScheduleFormSet(forms.BaseInlineFormSet):
    """An inline of time spans, checked together: the rows kept (not being deleted) may not
    overlap on the same day."""

    def kept_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            if form.is_valid()
        ]


class WorkingHoursFormSet(ScheduleFormSet):
    def clean(self) -> None:
        super().clean()
        spans = [
            (Weekday(row["weekday"]).label, row["starts"], row["ends"])
            for row in self.kept_rows()
            if row.get("weekday") is not None and row.get("starts") and row.get("ends")
        ]
        if problems := overlapping_spans(spans):
            raise forms.ValidationError(problems)


class ScheduleOverrideFormSet(ScheduleFormSet):
    def clean(self) -> None:
        super().clean()
        problems = []
        spans = []
        days_off = set()
        for row in self.kept_rows():
            if not row.get("date"):
                continue
            day = formats.date_format(row["date"], "l j F Y")
            if row.get("starts") is None:
                days_off.add(day)
            else:
                spans.append((day, row["starts"], row["ends"]))
        problems += [
            f"{day}: a day off cannot also have hours. Remove the day off, or the hours."
            for day in sorted({day for day, _, _ in spans} & days_off)
        ]
        problems += overlapping_spans(spans)
        if problems:
            raise forms.ValidationError(problems)


class ScheduleInline(StaffScopedInline):
    """Spans of a practitioner's time, read and written as the clinic says them: 09:00."""

    extra = 1
    formfield_overrides = {models.TimeField: {"widget": AdminTimeWidget(format="%H:%M")}}


class WorkingHoursInline(ScheduleInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    fields = ["weekday", "starts", "ends"]
    verbose_name_plural = "weekly hours (two rows on one day make a split shift)"


class ScheduleOverrideForm(forms.ModelForm):
    def clean_date(self):
        day = self.cleaned_data["date"]
        if "date" in self.changed_data and day < clinic_today(timezone.now()):
            raise forms.ValidationError("This date has passed: overrides change days to come.")
        return day


class ScheduleOverrideInline(ScheduleInline):
    """Days to come that differ from the weekly hours; past ones are kept but not listed."""

    model = ScheduleOverride
    form = ScheduleOverrideForm
    formset = ScheduleOverrideFormSet
    fields = ["date", "starts", "ends", "note"]
    verbose_name = "date that differs"
    verbose_name_plural = (
        "dates that differ: leave the times empty for a day off, or give the hours worked "
        "that day (they replace the weekly hours)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(date__gte=clinic_today(timezone.now()))


class PractitionerForm(forms.ModelForm):
    """The admin's form (ModelAdmin supplies model and fields) with the upload check;
    bookings.services.team stores the cleaned copy."""

    photo = PhotoField(label="Photo", required=False)

    class Meta:
        labels = {"photo_alt": "Photo description"}


@admin.register(Practitioner)
class PractitionerAdmin(StaffScopedAdmin):
    form = PractitionerForm
    list_display = ["thumbnail", "name", "role", "clinic", "active", "position"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["clinic", "active"]
    list_select_related = ["clinic"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview"]
    inlines = [WorkingHoursInline, ScheduleOverrideInline]
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["clinic", "name", "slug", "role", "active", "position"]}),
        (
            "On the team page",
            {
                "fields": ["qualifications", "registration", "bio"],
                "description": "Clients read these before booking: give qualifications and "
                "registrations as they can check them.",
            },
        ),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_preview"]}),
    ]

    @admin.display(description="Photo")
    def thumbnail(self, practitioner: Practitioner) -> str:
        return rendition_thumbnail(practitioner.photo_renditions, practitioner.photo_alt, 48)

    @admin.display(description="Preview")
    def photo_preview(self, practitioner: Practitioner) -> str:
        return rendition_thumbnail(practitioner.photo_renditions, practitioner.photo_alt, 160)

    def save_model(self, request, obj: Practitioner, form, change: bool) -> None:
        team.save_practitioner(practitioner=obj, photo_changed="photo" in form.changed_data)

    def delete_model(self, request, obj: Practitioner) -> None:
        team.delete_practitioner(practitioner=obj)

    def delete_queryset(self, request, queryset) -> None:
        for practitioner in queryset:
            team.delete_practitioner(practitioner=practitioner)


@admin.register(ConsultationType)
class ConsultationTypeAdmin(StaffScopedAdmin):
    list_display = ["name", "clinic", "duration_minutes", "horizon_days", "active", "position"]
    list_editable = ["position"]
    list_filter = ["clinic", "active"]
    list_select_related = ["clinic"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["clinic", "name", "slug", "description", "active", "position"]}),
        (
            "Time",
            {"fields": ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]},
        ),
        (
            "Booking rules",
            {
                "fields": [
                    "start_step_minutes",
                    "minimum_notice_hours",
                    "horizon_days",
                    "change_cutoff_hours",
                ]
            },
        ),
    ]


@admin.register(ClinicClosure)
class ClinicClosureAdmin(StaffScopedAdmin):
    list_display = ["day", "name", "clinic", "source"]
    list_display_links = ["day"]
    list_filter = ["clinic", "source"]
    list_select_related = ["clinic"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date", "clinic__name"]
    fields = ["clinic", "date", "name", "source"]
    # Staff add closures of their own; bank holidays come from `load_bank_holidays`.
    readonly_fields = ["source"]

    @admin.display(description="Date", ordering="date")
    def day(self, closure: ClinicClosure) -> str:
        return formats.date_format(closure.date, "D j M Y")


# APPOINTMENTS


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter with a choice that applies when none is chosen; the choice showing
    everything is one of its own, so there is no "All"."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.chosen = self.value() or self.default_choice(request)

    def default_choice(self, request) -> str:
        return self.lookup_choices[0][0]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.chosen == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AppointmentTimeFilter(DefaultChoiceFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past"), ("any", "Any time")]

    def default_choice(self, request) -> str:
        # A day chosen in the date drill-down shows the whole day, its past hours too.
        if any(name.startswith("starts_at__") for name in request.GET):
            return "any"
        return "upcoming"

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.chosen == "upcoming":
            # An appointment under way is still reception's business.
            return queryset.filter(ends_at__gt=now)
        if self.chosen == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset


class AppointmentStatusFilter(DefaultChoiceFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Appointment.Status.choices, ("any", "Any status")]

    def queryset(self, request, queryset):
        if self.chosen in Appointment.Status.values:
            return queryset.filter(status=self.chosen)
        return queryset


class OwnClinicFilter(admin.RelatedFieldListFilter):
    """Practitioners or consultation types to filter by: the staff member's clinic's only,
    read through `for_staff` like everything else."""

    def field_choices(self, field, request, model_admin):
        rows = field.related_model.objects.for_staff(request.user)
        if request.user.is_superuser:
            return [(row.pk, str(row)) for row in rows.select_related("clinic")]
        return [(row.pk, row.name) for row in rows]


def _submitted(request, button: str) -> tuple[dict | None, dict]:
    """A choose-a-time page's form data: bound when `button` sent it (to book or move), or
    else the choices so far as initial values, so that showing other times keeps what was
    typed and shows no errors."""
    if request.method != "POST":
        return None, request.GET.dict()
    if button in request.POST:
        return request.POST, {}
    initial = request.POST.dict()
    if "_next_week" in request.POST:
        chosen = staff_forms.TimeChoiceForm.base_fields["from_day"]
        try:
            day = chosen.clean(initial.get("from_day")) or clinic_today(timezone.now())
        except forms.ValidationError:
            day = clinic_today(timezone.now())
        initial["from_day"] = day + datetime.timedelta(days=staff_forms.DAYS_SHOWN)
    return None, initial


@admin.register(Appointment)
class AppointmentAdmin(StaffScopedAdmin):
    """Reception's appointments, day by day. An appointment's page is read-only: it is booked
    by phone ("Book an appointment"), moved and cancelled through the appointment services,
    which email the client, and it leaves only with its enquiry (erasure or retention)."""

    list_display = ["time", "practitioner_name", "type_name", "client", "state", "booked", "clinic"]
    list_display_links = ["time"]
    list_filter = [
        AppointmentTimeFilter,
        AppointmentStatusFilter,
        ("practitioner", OwnClinicFilter),
        ("consultation_type", OwnClinicFilter),
        "clinic",
    ]
    list_select_related = ["request", "practitioner", "consultation_type", "booked_by", "clinic"]
    search_fields = ["request__reference", "request__full_name", "request__email"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at", "pk"]
    list_per_page = 100
    actions = ["cancel_selected"]
    view_on_site = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "time",
                    "ends",
                    "practitioner_name",
                    "type_name",
                    "state",
                    "outside_hours",
                ]
            },
        ),
        ("The client", {"fields": ["enquiry_link", "client", "phone_link"]}),
        ("Record", {"fields": ["booked", "cancellation"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_change_permission(self, request, obj=None) -> bool:
        # Nothing is edited on the page: times change only by moving or cancelling.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_move_permission(self, request) -> bool:
        """Moving and cancelling are the admin's "change" of an appointment."""
        return request.user.has_perm("bookings.change_appointment")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name=f"{name}_move",
            ),
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name=f"{name}_cancel",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Time (UK)", ordering="starts_at")
    def time(self, appointment: Appointment) -> str:
        return appointment_label(appointment.starts_at)

    @admin.display(description="Ends")
    def ends(self, appointment: Appointment) -> str:
        return appointment_label_with_zone(appointment.ends_at)

    @admin.display(description="Practitioner", ordering="practitioner__name")
    def practitioner_name(self, appointment: Appointment) -> str:
        return appointment.practitioner.name

    @admin.display(description="Consultation", ordering="consultation_type__name")
    def type_name(self, appointment: Appointment) -> str:
        return appointment.consultation_type.name

    @admin.display(description="Client", ordering="request__full_name")
    def client(self, appointment: Appointment) -> str:
        return appointment.request.full_name

    @admin.display(description="Status", ordering="status")
    def state(self, appointment: Appointment) -> str:
        return appointment.get_status_display()

    @admin.display(description="Booked")
    def booked(self, appointment: Appointment) -> str:
        if appointment.booked_by_id is None:
            return "Online"
        return f"By phone, {_person(appointment.booked_by)}"

    @admin.display(description="Enquiry")
    def enquiry_link(self, appointment: Appointment) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bookings_consultationrequest_change", args=[appointment.request_id]),
            appointment.request.reference,
        )

    @admin.display(description="Phone")
    def phone_link(self, appointment: Appointment) -> str:
        phone = appointment.request.phone
        return format_html('<a href="tel:{}">{}</a>', phone, phone)

    @admin.display(description="Cancelled")
    def cancellation(self, appointment: Appointment) -> str:
        if appointment.is_booked:
            return "—"
        return (
            f"{_stamp(appointment.cancelled_at)} by "
            f"{appointment.get_cancelled_by_display().lower()}: {appointment.cancel_reason}"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_move": self.has_move_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _appointment_or_redirect(self, request, object_id):
        """The appointment, read through `for_staff`, or the admin's own answer to an address
        that finds nothing (another clinic's appointment is one)."""
        appointment = self.get_object(request, unquote(object_id))
        if appointment is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_move_permission(request):
            raise PermissionDenied
        return appointment, None

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        for appointment in [context.get("original"), *context.get("appointments", ())]:
            if appointment is not None:
                appointment.when = appointment_label_with_zone(appointment.starts_at)
        return TemplateResponse(
            request,
            f"admin/bookings/appointment/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "has_view_permission": self.has_view_permission(request),
                "days_shown": staff_forms.DAYS_SHOWN,
                **context,
            },
        )

    def _free_times(self, *, form, consultation_type, practitioners, now, excluding=None):
        """The free times the page lists for the form's choices, grouped by day."""
        if consultation_type is None:
            return []
        practitioner = form.selected("practitioner")
        if practitioner is not None and practitioner.clinic_id != consultation_type.clinic_id:
            practitioner = None
        days = availability.free_times(
            consultation_type=consultation_type,
            practitioner=practitioner,
            now=now,
            first_day=form.first_day(),
            days=staff_forms.DAYS_SHOWN,
            for_staff=True,
            excluding_appointment_id=excluding,
        )
        names = (
            {practitioner.pk: practitioner.name}
            if practitioner
            else {p.pk: p.name for p in practitioners if p.clinic_id == consultation_type.clinic_id}
        )
        return staff_forms.free_time_days(days, names=names, chosen=form.selected("time"))

    def _refused(self, request, refusal: appointments.BookingRefused) -> list[dict]:
        """Tell the member of staff why, and return the nearest free times to offer."""
        self.message_user(request, refusal.reason, messages.ERROR)
        return [
            {"value": time.starts_at.isoformat(), "label": time.label_with_zone}
            for time in getattr(refusal, "alternatives", ())
        ]

    def _done(self, request, appointment: Appointment, what: str) -> HttpResponseRedirect:
        self.message_user(
            request,
            f"{appointment.request.full_name}: {what} "
            f"{appointment_label_with_zone(appointment.starts_at)} with "
            f"{appointment.practitioner.name}. The client is being emailed.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:bookings_appointment_change", args=[appointment.pk])
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Book an appointment for a caller: their details, then a free time (or one outside
        the practitioner's hours), stored as an enquiry and its appointment in one go."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        now = timezone.now()
        types = (
            ConsultationType.objects.for_staff(request.user)
            .filter(active=True)
            .select_related("clinic")
        )
        practitioners = Practitioner.objects.for_staff(request.user).active()
        data, initial = _submitted(request, "_book")
        form = staff_forms.PhoneBookingForm(
            data,
            initial=initial,
            consultation_types=types,
            practitioners=practitioners,
            enquiry_types=routing.clinic_of_each_enquiry_type(),
            now=now,
        )
        alternatives = []
        if form.is_bound and form.is_valid():
            chosen = form.cleaned_data
            try:
                appointment = appointments.book_consultation(
                    full_name=chosen["full_name"],
                    email=chosen["email"],
                    phone=chosen["phone"],
                    contact_method=chosen["contact_method"],
                    enquiry_type=chosen["enquiry_type"],
                    message=chosen["message"],
                    consultation_type=chosen["consultation_type"],
                    practitioner=chosen["practitioner"],
                    starts_at=chosen["starts_at"],
                    outside_hours=chosen["outside_hours"],
                    submission_key=chosen["submission_key"],
                    source=f"{PHONE_BOOKING_SOURCE}{_person(request.user)}"[:200],
                    by=request.user,
                )
            except appointments.BookingRefused as refusal:
                alternatives = self._refused(request, refusal)
            else:
                return self._done(request, appointment, "booked for")
        consultation_type = form.selected("consultation_type") or types.first()
        return self._page(
            request,
            "book.html",
            "Book an appointment",
            form=form,
            has_types=types.exists(),
            days=self._free_times(
                form=form,
                consultation_type=consultation_type,
                practitioners=practitioners,
                now=now,
            ),
            alternatives=alternatives,
        )

    def move_view(self, request, object_id):
        """A new time for a booked appointment: free times of its consultation type, or one
        outside the practitioner's hours; the client is sent the new time."""
        appointment, redirect = self._appointment_or_redirect(request, object_id)
        if redirect:
            return redirect
        now = timezone.now()
        practitioners = (
            Practitioner.objects.for_staff(request.user)
            .active()
            .filter(clinic_id=appointment.clinic_id)
        )
        data, initial = _submitted(request, "_move")
        form = staff_forms.MoveForm(
            data if appointment.is_booked else None,
            initial=initial,
            appointment=appointment,
            practitioners=practitioners,
            now=now,
        )
        alternatives = []
        if appointment.is_booked and form.is_bound and form.is_valid():
            try:
                moved = appointments.reschedule_appointment(
                    appointment=appointment,
                    starts_at=form.cleaned_data["starts_at"],
                    practitioner=form.cleaned_data["practitioner"],
                    outside_hours=form.cleaned_data["outside_hours"],
                    by=request.user,
                )
            except appointments.BookingRefused as refusal:
                alternatives = self._refused(request, refusal)
            else:
                return self._done(request, moved, "moved to")
        return self._page(
            request,
            "move.html",
            "Move the appointment",
            original=appointment,
            form=form,
            days=self._free_times(
                form=form,
                consultation_type=appointment.consultation_type,
                practitioners=practitioners,
                now=now,
                excluding=appointment.pk,
            )
            if appointment.is_booked
            else [],
            alternatives=alternatives,
            cancelled=None if appointment.is_booked else self.cancellation(appointment),
        )

    def cancel_view(self, request, object_id):
        """Cancel one appointment, with the reason kept on it; the client is told."""
        appointment, redirect = self._appointment_or_redirect(request, object_id)
        if redirect:
            return redirect
        change_page = reverse("admin:bookings_appointment_change", args=[appointment.pk])
        if not appointment.is_booked:
            self.message_user(request, "This appointment is already cancelled.", messages.WARNING)
            return HttpResponseRedirect(change_page)
        form = staff_forms.CancelForm(request.POST or None)
        if form.is_valid():
            appointments.cancel_appointment(
                appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
            )
            self.message_user(
                request,
                f"{appointment.request.full_name}'s appointment on "
                f"{appointment_label_with_zone(appointment.starts_at)} is cancelled. The client "
                "is being emailed, and the time is free again.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_page)
        return self._page(
            request,
            "cancel.html",
            "Cancel the appointment",
            original=appointment,
            appointments=[appointment],
            form=form,
            back=change_page,
        )

    @admin.action(description="Cancel selected appointments", permissions=["move"])
    def cancel_selected(self, request, queryset):
        """Cancel several appointments at once (a practitioner off sick): asks for the reason
        on a page of its own, then cancels each; the clients are told."""
        booked = list(queryset.booked())
        if not booked:
            self.message_user(request, "None of those appointments is booked.", messages.WARNING)
            return None
        form = staff_forms.CancelForm(request.POST if "confirm_cancel" in request.POST else None)
        if form.is_bound and form.is_valid():
            for appointment in booked:
                appointments.cancel_appointment(
                    appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
                )
            self.message_user(
                request,
                f"Cancelled {len(booked)} appointment(s). The clients are being emailed.",
                messages.SUCCESS,
            )
            return None
        return self._page(
            request,
            "cancel.html",
            "Cancel appointments",
            appointments=booked,
            form=form,
            bulk=True,
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
            back=reverse("admin:bookings_appointment_changelist"),
        )
