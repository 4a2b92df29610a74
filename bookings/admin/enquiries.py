"""Consultation requests, their emails, erasures, and the routing rules."""

import csv
import itertools
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from bookings.admin import offers
from bookings.admin.reception import EnquiryReceptionFilter
from bookings.admin.shared import (
    PHONE_BOOKING_SOURCE,
    Echo,
    PractitionerTimeInline,
    ReadOnlyInline,
    StaffScopedInline,
    email_status,
    person,
    stamp,
)
from bookings.forms import ClientEmailField, is_same_site_path, stored_phone_number
from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
    RoutingRule,
    StaffMember,
    WaitingListEntry,
)
from bookings.services import (
    emails,
    exports,
    privacy,
    waiting_list_emails,
    workflow,
)
from restoration_site.common.admin_display import NamedListEditable
from restoration_site.common.clinic_clock import (
    appointment_label_with_zone,
)


class EnquiryNoteInline(StaffScopedInline):
    model = EnquiryNote
    extra = 1
    fields = ["text", "written_by", "written_at"]
    readonly_fields = ["written_by", "written_at"]
    verbose_name = "internal note"
    verbose_name_plural = "internal notes (never shown to the client)"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # notes are a history: add, never rewrite

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            # A tabular inline names its fields only in the column heading, which a screen
            # reader does not announce as the field's label (WCAG 1.3.1, 4.1.2).
            field.widget.attrs["aria-label"] = "New internal note"
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="By")
    def written_by(self, note: EnquiryNote) -> str:
        return person(note.author)

    @admin.display(description="Written")
    def written_at(self, note: EnquiryNote) -> str:
        return stamp(note.created_at) if note.created_at else ""

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


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
        return stamp(photo.created_at)


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ["kind", "to", "subject", "state", "sent", "last_error"]
    readonly_fields = fields
    verbose_name_plural = "emails"

    @admin.display(description="Status")
    def state(self, notification: Notification) -> str:
        return email_status(notification)

    @admin.display(description="To")
    def to(self, notification: Notification) -> str:
        return ", ".join(notification.recipients + notification.copy_to)

    @admin.display(description="Sent")
    def sent(self, notification: Notification) -> str:
        return stamp(notification.sent_at) if notification.sent_at else "—"


class EnquiryEventInline(ReadOnlyInline):
    model = EnquiryEvent
    fields = ["when", "description", "by"]
    readonly_fields = fields
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="When")
    def when(self, event: EnquiryEvent) -> str:
        return stamp(event.created_at)

    @admin.display(description="By")
    def by(self, event: EnquiryEvent) -> str:
        return person(event.actor) if event.actor_id else "The website"


class AppointmentInline(PractitionerTimeInline):
    """The enquiry's appointment, if it has one and the staff member may see it."""

    model = Appointment
    fields = ["time", "practitioner_name", "status", "open_link"]
    readonly_fields = fields
    verbose_name_plural = "appointment"

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
        if "clinic" in self.changed_data:
            if refusal := workflow.why_not_reroutable(enquiry=self.instance):
                self.add_error("clinic", refusal)
            elif not cleaned.get("routing_note"):
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
    # "reception": the lists the admin home's counts open (bookings.reception).
    list_filter = [
        EnquiryReceptionFilter,
        "status",
        "enquiry_type",
        "clinic",
        "created_at",
        "is_spam",
    ]
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
    ] + ["waiting_list"]

    def get_queryset(self, request):
        return ConsultationRequest.objects.for_staff(request.user).select_related(
            "clinic", "status_changed_by", "routed_by", "routed_by_rule"
        )

    def get_fieldsets(self, request, obj=None):
        # An enquiry from the waiting list says what its client waits for, read through
        # `for_staff` like its other parts.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        if not hasattr(obj, "waiting_list_wish"):
            obj.waiting_list_wish = (
                WaitingListEntry.objects.for_staff(request.user)
                .select_related("consultation_type", "practitioner")
                .filter(request_id=obj.pk)
                .first()
            )
        if obj.waiting_list_wish is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "waiting_list"]}), *rest]

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
            path(
                "<path:object_id>/offer-times/",
                self.admin_site.admin_view(self.offer_times_view),
                name=f"{opts.app_label}_{opts.model_name}_offer_times",
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

    def offer_times_view(self, request, object_id: str):
        """Offer the enquiry up to three free times by email (bookings/admin/offers.py)."""
        return offers.offer_times_view(self, request, object_id)

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
        # None for an address that opens no enquiry of this clinic (another clinic's, or not
        # a number at all): the admin's own answer follows, and nothing here reads with it.
        enquiry = self.get_object(request, unquote(object_id))
        if enquiry is None:
            return super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            refused = (
                Notification.objects.for_staff(request.user)
                .filter(request_id=enquiry.pk, status=Notification.Status.FAILED)
                .values_list("subject", "last_error")
            )
            for subject, error in refused:
                self.message_user(
                    request,
                    f"“{subject}” was refused by the mail server and will not be retried "
                    f"({error[:200]}). Correct the address if it is wrong, then resend.",
                    messages.WARNING,
                )
        # The "Offer times" link and the times offered so far.
        extra_context = {
            **(extra_context or {}),
            **offers.change_page_context(self, request, enquiry=enquiry),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Waiting list")
    def waiting_list(self, enquiry: ConsultationRequest) -> str:
        entry = enquiry.waiting_list_wish
        who = entry.practitioner.name if entry.practitioner else "any practitioner"
        return format_html(
            '{} for {} with {}, {}, {} (<a href="{}">{}</a>)',
            "On the waiting list"
            if entry.status in (WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED)
            else "Was on the waiting list",
            entry.consultation_type.name,
            who,
            waiting_list_emails.window_label(entry),
            entry.get_time_of_day_display().lower(),
            reverse("admin:bookings_waitinglistentry_change", args=[entry.pk]),
            entry.get_status_display().lower(),
        )

    @admin.display(description="Preferred dates")
    def dates(self, enquiry: ConsultationRequest) -> str:
        return ", ".join(formats.date_format(day) for day in enquiry.preferred_days) or "None given"

    @admin.display(description="Received", ordering="created_at")
    def received(self, enquiry: ConsultationRequest) -> str:
        return stamp(enquiry.created_at)

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
            f"Given {how} {stamp(enquiry.consent_given_at)} "
            f"(privacy policy {enquiry.privacy_policy_version})"
        )

    @admin.display(description="Routing")
    def routing(self, enquiry: ConsultationRequest) -> str:
        who = person(enquiry.routed_by) if enquiry.routed_by else "the routing rules"
        return (
            f"{enquiry.clinic} since {stamp(enquiry.routed_at)}, by {who}: {enquiry.routing_reason}"
        )

    @admin.display(description="Status changed")
    def status_changed(self, enquiry: ConsultationRequest) -> str:
        who = person(enquiry.status_changed_by) if enquiry.status_changed_by else "the website"
        return f"{stamp(enquiry.status_changed_at)} by {who}"

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
        writer = csv.writer(Echo())
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
        return email_status(notification)

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
        return stamp(notification.sent_at)

    @admin.display(description="Written")
    def created(self, notification: Notification) -> str:
        return stamp(notification.created_at)

    @admin.display(description="Next attempt")
    def next_attempt(self, notification: Notification) -> str:
        if notification.status not in Notification.UNSENT:
            return "None: it will not be sent unless someone resends it"
        return stamp(notification.next_attempt_at)

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


@admin.register(RoutingRule)
class RoutingRuleAdmin(NamedListEditable, admin.ModelAdmin):
    list_display = ["enquiry_type", "clinic", "copy_to"]
    list_editable = ["clinic", "copy_to"]
    list_display_links = ["enquiry_type"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_select_related = ["user", "clinic"]
    autocomplete_fields = ["user"]
