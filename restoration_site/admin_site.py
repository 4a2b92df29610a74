"""The staff admin: Django's admin with two-factor login (django-otp, TOTP) whenever
ADMIN_REQUIRE_2FA is on, checked on each request so a deployment switches it by environment."""

from django.conf import settings
from django.contrib import admin
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class ClinicAdminSite(admin.AdminSite):
    site_header = "Restoration U staff"
    site_title = "Restoration U staff"
    index_title = "Clinic administration"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request) -> bool:
        allowed = super().has_permission(request)
        if settings.ADMIN_REQUIRE_2FA:
            # Staff who signed in with a password alone are treated as not signed in.
            return allowed and request.user.is_verified()
        return allowed
