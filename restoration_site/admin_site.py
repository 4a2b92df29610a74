"""The staff admin: Django's admin with two-factor login (django-otp, TOTP) whenever
ADMIN_REQUIRE_2FA is on, checked on each request so a deployment switches it by environment."""

from django.conf import settings
from django.contrib import admin
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

# Loaded by the admin app once every model is ready (AdminConfig.default_site).
from bookings.models import Clinic
from restoration_site.reports import ReportViews


class StaffSignInForm(OTPAdminAuthenticationForm):
    """Password and authenticator code in one step.

    django-otp 1.7.5 stopped trying each of a user's devices in turn (a failed try counts
    against every device) and asks for a device to be chosen first, so staff would type
    everything, be told "Please select a device." and submit again. Every account here has one
    authenticator app (`enrol_totp`); with exactly one, it is the device meant.
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


class ClinicAdminSite(admin.AdminSite):
    site_header = "Restoration U staff"
    site_title = "Restoration U staff"
    index_title = "Clinic administration"

    @property
    def login_form(self):
        return StaffSignInForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_2FA else None

    def index(self, request, extra_context=None):
        """The home page reception works from: today's counts for the staff member's clinic
        (a superuser: each clinic) above the list of models."""
        # Imported here: the bookings admin registers its pages with this site on import.
        from bookings.admin import reception

        extra_context = {**(extra_context or {}), "reception": reception.home(request)}
        return super().index(request, extra_context)

    def each_context(self, request):
        context = super().each_context(request)
        clinic = self.staff_clinic_name(request)
        if clinic:
            # Staff of each clinic work in an admin that names their own clinic.
            context["site_header"] = context["site_title"] = f"{clinic} staff"
        return context

    @staticmethod
    def staff_clinic_name(request) -> str | None:
        if not getattr(request.user, "is_authenticated", False):
            return None

        return (
            Clinic.objects.filter(staff__user=request.user).values_list("name", flat=True).first()
        )

    def get_urls(self):
        # The business report and its CSV (restoration_site/reports.py), inside the admin's
        # sign-in, two-factor check and look.
        return [*ReportViews(self).urls, *super().get_urls()]

    def has_permission(self, request) -> bool:
        allowed = super().has_permission(request)
        if settings.ADMIN_REQUIRE_2FA:
            # Staff who signed in with a password alone are treated as not signed in.
            return allowed and request.user.is_verified()
        return allowed
