"""The clinics' prices: what each treatment costs at each clinic, kept by that clinic's staff
and shown on the treatment pages and the prices page."""

from django.contrib import admin

from bookings.admin.shared import StaffScopedAdmin
from bookings.models import TreatmentPrice
from restoration_site.common.admin_display import NamedListEditable


@admin.register(TreatmentPrice)
class TreatmentPriceAdmin(NamedListEditable, StaffScopedAdmin):
    list_display = [
        "name",
        "clinic",
        "treatment",
        "price_shown",
        "sessions",
        "is_example",
        "published",
        "position",
    ]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["clinic", "treatment", "published", "is_example"]
    list_select_related = ["clinic"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    radio_fields = {"kind": admin.VERTICAL}
    fieldsets = [
        (None, {"fields": ["clinic", "treatment", "name", "slug", "published", "position"]}),
        (
            "Price",
            {
                "fields": ["kind", "price", "price_to", "per_session", "is_example"],
                "description": "In pounds, as clients pay them. A single price shows as "
                "“£1,800”; a “from” price as “From £350”, or “£350 to £600” with a “to” "
                "figure. Search engines are given the same figures, unless they are examples.",
            },
        ),
        (
            "What the client gets",
            {"fields": ["included", "sessions_min", "sessions_max"]},
        ),
    ]

    @admin.display(description="Price", ordering="price")
    def price_shown(self, price: TreatmentPrice) -> str:
        return price.full_price_label

    @admin.display(description="Sessions usually needed")
    def sessions(self, price: TreatmentPrice) -> str:
        return price.sessions_label or "—"
