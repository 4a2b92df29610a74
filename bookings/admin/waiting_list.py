"""The waiting list and every offer made from it: what each client waits for, which freed
times they were offered, until when, and what became of each."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from bookings.admin.appointments import OwnClinicFilter
from bookings.admin.shared import PractitionerTimeInline, StaffScopedAdmin, stamp
from bookings.models import WaitingListEntry, WaitingListOffer
from bookings.services import waiting_list, waiting_list_emails
from restoration_site.common.clinic_clock import appointment_label, appointment_label_with_zone


def _enquiry_link(entry: WaitingListEntry) -> str:
    return format_html(
        '<a href="{}">{} {}</a>',
        reverse("admin:bookings_consultationrequest_change", args=[entry.request_id]),
        entry.request.reference,
        entry.request.full_name,
    )


def _appointment_link(offer: WaitingListOffer) -> str:
    if offer.appointment_id is None:
        return "—"
    return format_html(
        '<a href="{}">Open the appointment</a>',
        reverse("admin:bookings_appointment_change", args=[offer.appointment_id]),
    )


class WaitingListOfferInline(PractitionerTimeInline):
    """The times offered to one entry, newest first, read through `for_staff`."""

    model = WaitingListOffer
    fields = ["offered", "time", "practitioner_name", "deadline", "status", "appointment_link"]
    readonly_fields = fields
    verbose_name = "time offered"
    verbose_name_plural = "times offered"

    @admin.display(description="Offered")
    def offered(self, offer: WaitingListOffer) -> str:
        return stamp(offer.created_at)

    @admin.display(description="Book by")
    def deadline(self, offer: WaitingListOffer) -> str:
        return appointment_label_with_zone(offer.expires_at)

    @admin.display(description="Appointment")
    def appointment_link(self, offer: WaitingListOffer) -> str:
        return _appointment_link(offer)


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(StaffScopedAdmin):
    """Who is waiting for what, oldest first (the order freed times are offered in). An
    entry's page is read-only: the client's wish stays as they gave it, and it leaves the list
    through "Remove from the waiting list" (or the client's own link), never by deletion: it
    goes with its enquiry."""

    list_display = [
        "joined",
        "client",
        "type_name",
        "practitioner_name",
        "window",
        "time_of_day",
        "status",
        "offers_count",
        "clinic",
    ]
    list_display_links = ["joined"]
    list_filter = ["status", ("consultation_type", OwnClinicFilter), "clinic"]
    list_select_related = ["request", "consultation_type", "practitioner", "clinic"]
    search_fields = ["request__reference", "request__full_name", "request__email"]
    ordering = ["created_at", "pk"]
    list_per_page = 100
    actions = ["remove_from_list"]
    view_on_site = False
    inlines = [WaitingListOfferInline]
    fields = [
        "client",
        "type_name",
        "practitioner_name",
        "window",
        "time_of_day",
        "status",
        "joined",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(offer_count=Count("offers"))
        )

    def has_add_permission(self, request) -> bool:
        return False  # visitors join through the website's form

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # nothing is edited: an entry leaves the list by the action

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # entries go with their enquiry (erasure or retention)

    def has_remove_permission(self, request) -> bool:
        """Taking someone off the list is the admin's "change" of an entry."""
        return request.user.has_perm("bookings.change_waitinglistentry")

    @admin.display(description="Joined", ordering="created_at")
    def joined(self, entry: WaitingListEntry) -> str:
        return stamp(entry.created_at)

    @admin.display(description="Client", ordering="request__full_name")
    def client(self, entry: WaitingListEntry) -> str:
        return _enquiry_link(entry)

    @admin.display(description="Consultation", ordering="consultation_type__name")
    def type_name(self, entry: WaitingListEntry) -> str:
        return entry.consultation_type.name

    @admin.display(description="Practitioner", ordering="practitioner__name")
    def practitioner_name(self, entry: WaitingListEntry) -> str:
        return entry.practitioner.name if entry.practitioner else "Any practitioner"

    @admin.display(description="Dates", ordering="earliest")
    def window(self, entry: WaitingListEntry) -> str:
        return waiting_list_emails.window_label(entry)

    @admin.display(description="Times offered", ordering="offer_count")
    def offers_count(self, entry: WaitingListEntry) -> int:
        return entry.offer_count

    @admin.action(description="Remove selected from the waiting list", permissions=["remove"])
    def remove_from_list(self, request, queryset) -> None:
        """Take clients off the list (they asked by phone, or booked another way): each
        entry's open offer is withdrawn and its time offered to the next person."""
        removed = 0
        for entry in queryset.filter(status__in=waiting_list.ON_THE_LIST):
            waiting_list.leave_waiting_list(entry=entry, by=request.user)
            removed += 1
        self.message_user(
            request,
            f"Removed {removed} client(s) from the waiting list; any time offered to them "
            "goes to the next person waiting.",
            messages.SUCCESS if removed else messages.WARNING,
        )


@admin.register(WaitingListOffer)
class WaitingListOfferAdmin(StaffScopedAdmin):
    """Every freed time offered from the waiting list, newest first: to whom, until when, and
    whether it was booked, not claimed in time (and passed on in an offer of its own), or
    taken or withdrawn first. Read-only: offers are made and ended by the waiting list."""

    list_display = [
        "offered",
        "client",
        "time",
        "practitioner_name",
        "type_name",
        "deadline",
        "status",
        "appointment_link",
        "clinic",
    ]
    list_display_links = ["offered"]
    list_filter = [
        "status",
        ("practitioner", OwnClinicFilter),
        ("consultation_type", OwnClinicFilter),
    ]
    list_select_related = ["entry__request", "entry__clinic", "practitioner", "consultation_type"]
    search_fields = ["entry__request__reference", "entry__request__full_name"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 100
    view_on_site = False
    fields = [
        "client",
        "time",
        "practitioner_name",
        "type_name",
        "offered",
        "deadline",
        "status",
        "appointment_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Offered", ordering="created_at")
    def offered(self, offer: WaitingListOffer) -> str:
        return stamp(offer.created_at)

    @admin.display(description="Client", ordering="entry__request__full_name")
    def client(self, offer: WaitingListOffer) -> str:
        return _enquiry_link(offer.entry)

    @admin.display(description="Time (UK)", ordering="starts_at")
    def time(self, offer: WaitingListOffer) -> str:
        return appointment_label(offer.starts_at)

    @admin.display(description="Practitioner", ordering="practitioner__name")
    def practitioner_name(self, offer: WaitingListOffer) -> str:
        return offer.practitioner.name

    @admin.display(description="Consultation", ordering="consultation_type__name")
    def type_name(self, offer: WaitingListOffer) -> str:
        return offer.consultation_type.name

    @admin.display(description="Book by (UK)", ordering="expires_at")
    def deadline(self, offer: WaitingListOffer) -> str:
        return appointment_label(offer.expires_at)

    @admin.display(description="Appointment")
    def appointment_link(self, offer: WaitingListOffer) -> str:
        return _appointment_link(offer)

    @admin.display(description="Clinic", ordering="entry__clinic__name")
    def clinic(self, offer: WaitingListOffer) -> str:
        return offer.entry.clinic.name
