"""The clinics: contact details, and what each clinic's "Visit us" page says (how to get
there, parking, access, where it is and a map)."""

from django import forms
from django.contrib import admin
from django.db import models

from bookings.models import Clinic
from bookings.services import clinics
from restoration_site.common.admin_display import rendition_thumbnail
from restoration_site.common.forms import PhotoField

# What routing, the emails and every page rely on: a superuser's to change. An account given
# the clinic permissions edits only the "Visit us" details of its own clinic.
IDENTITY_FIELDS = ["name", "slug", "email", "phone", "address", "website"]


class ClinicForm(forms.ModelForm):
    """The admin's form (ModelAdmin supplies model and fields) with the upload check;
    bookings.services.clinics stores the cleaned copy."""

    map_image = PhotoField(
        label="Map",
        required=False,
        help_text="A JPEG, PNG or WebP image of the streets around the clinic, drawn or "
        "exported from a map you may publish (no third-party map is loaded on the page). It "
        "is stored without its metadata, in sizes for phones and desktops.",
    )


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    form = ClinicForm
    list_display = ["name", "email", "phone", "address"]
    readonly_fields = ["map_preview"]
    # A website typed without a scheme is on https, as every site is now (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": IDENTITY_FIELDS}),
        (
            "Getting here",
            {
                "fields": ["public_transport", "parking"],
                "description": "Shown on the clinic's “Visit us” page, as written.",
            },
        ),
        (
            "Accessibility",
            {
                "fields": ["step_free_access", "accessible_toilet", "accessibility"],
                "description": "Visitors plan around these: say what is true today, and leave "
                "a question unknown rather than guess.",
            },
        ),
        (
            "Where it is",
            {"fields": ["latitude", "longitude", "map_image", "map_alt", "map_preview"]},
        ),
    ]

    def get_queryset(self, request):
        # The same per-clinic rule as the schedules: staff see their own clinic only.
        return Clinic.objects.for_staff(request.user)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return [*IDENTITY_FIELDS, *self.readonly_fields]

    def has_add_permission(self, request) -> bool:
        # Clinics are made by a migration with their routing; a new one is a superuser's job.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description="Preview")
    def map_preview(self, clinic: Clinic) -> str:
        return rendition_thumbnail(clinic.map_renditions, clinic.map_alt, 320)

    def save_model(self, request, obj: Clinic, form, change: bool) -> None:
        clinics.save_clinic(clinic=obj, map_changed="map_image" in form.changed_data)
