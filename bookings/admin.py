import csv
import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from bookings import services
from bookings.forms import ClientEmailField, is_same_site_path
from bookings.models import (
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
    RoutingRule,
    StaffMember,
)


def _stamp(moment) -> str:
    """A date and time as staff read it, in the clinic's time zone."""
    return f"{timezone.localtime(moment):%d %b %Y %H:%M}"


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV rows."""

    def write(self, value: str) -> str:
        return value


class StaffScopedInline(admin.TabularInline):
    """An enquiry's notes, photos, emails or history, read through the same authorization path
    as the enquiry itself (`for_staff`), not only through the enquiry page that shows them."""

    def get_queryset(self, request):
        return self.model.objects.for_staff(request.user)


class EnquiryNoteInline(StaffScopedInline):
    model = EnquiryNote
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name = "internal note"
    verbose_name_plural = "internal notes (never shown to the client)"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # notes are a history: add, never rewrite

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
    fields = ["thumbnail", "created_at"]
    readonly_fields = ["thumbnail", "created_at"]

    @admin.display(description="Photo")
    def thumbnail(self, photo: EnquiryPhoto) -> str:
        url = photo.get_absolute_url()
        return format_html(
            '<a href="{}"><img src="{}" alt="Photo {} sent with the request" width="160"></a>',
            url,
            url,
            photo.pk,
        )


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = [
        "kind",
        "recipients",
        "copy_to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    readonly_fields = fields
    verbose_name_plural = "emails"


class EnquiryEventInline(ReadOnlyInline):
    model = EnquiryEvent
    fields = ["created_at", "description", "actor"]
    readonly_fields = fields
    verbose_name_plural = "history"


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
        "created_at",
        "source",
    ]
    list_filter = ["status", "enquiry_type", "clinic", "created_at", "is_spam"]
    search_fields = ["reference", "full_name", "email", "phone"]
    date_hierarchy = "created_at"
    list_select_related = ["clinic"]
    list_per_page = 50
    # A full COUNT(*) over every enquiry on each page load is the slowest part at scale.
    show_full_result_count = False
    actions = ["mark_contacted", "export_csv", "resend", "export_personal_data", "erase"]
    inlines = [EnquiryNoteInline, EnquiryPhotoInline, NotificationInline, EnquiryEventInline]
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
                    "created_at",
                    "full_name",
                    "email",
                    "phone",
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
        return ", ".join(enquiry.preferred_dates) or "None given"

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
        return (
            f"Given {_stamp(enquiry.consent_given_at)} "
            f"(privacy policy {enquiry.privacy_policy_version})"
        )

    @admin.display(description="Routing")
    def routing(self, enquiry: ConsultationRequest) -> str:
        who = enquiry.routed_by or "the routing rules"
        return (
            f"{enquiry.clinic} since {_stamp(enquiry.routed_at)}, by {who}: "
            f"{enquiry.routing_reason}"
        )

    @admin.display(description="Status changed")
    def status_changed(self, enquiry: ConsultationRequest) -> str:
        return (
            f"{_stamp(enquiry.status_changed_at)} by {enquiry.status_changed_by or 'the website'}"
        )

    def save_model(self, request, obj: ConsultationRequest, form, change: bool) -> None:
        stored = ConsultationRequest.objects.for_staff(request.user).get(pk=obj.pk)
        if "email" in form.changed_data:
            services.correct_client_email(
                enquiry=stored, email=form.cleaned_data["email"], by=request.user
            )
        if "status" in form.changed_data:
            services.change_status(enquiry=stored, status=obj.status, by=request.user)
        if "clinic" in form.changed_data:
            services.reroute_enquiry(
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
                services.add_note(enquiry=form.instance, author=request.user, text=note.text)
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
            services.change_status(
                enquiry=enquiry, status=ConsultationRequest.Status.CONTACTED, by=request.user
            )
            changed += 1
        self.message_user(request, f"Marked {changed} request(s) as contacted.")

    @admin.action(description="Export selected to CSV", permissions=["view"])
    def export_csv(self, request, queryset) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in services.csv_rows(queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="consultation-requests-{timezone.localdate()}.csv"'
        )
        return response

    @admin.action(description="Resend the emails of selected requests", permissions=["resend"])
    def resend(self, request, queryset) -> None:
        count = services.resend_notifications(
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
                services.erase_enquiry(
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
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1:
            self.message_user(
                request,
                "Select the requests of exactly one person (one email address) to export.",
                messages.ERROR,
            )
            return None
        (email,) = emails
        data = services.subject_access_export(email=email, by=request.user)
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
        "status",
        "attempts",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "kind", "clinic"]
    list_select_related = ["request", "clinic"]
    search_fields = ["request__reference", "subject"]
    actions = ["resend", "cancel"]
    readonly_fields = [
        "request_link",
        "kind",
        "clinic",
        "recipients",
        "copy_to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "locked_until",
        "sent_at",
        "created_at",
    ]
    exclude = ["request"]

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

    @admin.display(description="Last error")
    def last_error_short(self, notification: Notification) -> str:
        return notification.last_error[:80]

    @admin.display(description="Request")
    def request_link(self, notification: Notification) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bookings_consultationrequest_change", args=[notification.request_id]),
            notification.request.reference,
        )

    @admin.action(description="Resend selected emails", permissions=["resend"])
    def resend(self, request, queryset) -> None:
        count = services.resend_notifications(notifications=queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.")

    @admin.action(description="Cancel selected emails not sent yet", permissions=["resend"])
    def cancel(self, request, queryset) -> None:
        count = services.cancel_notifications(notifications=queryset)
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
