"""Who counts as signed-in staff outside the admin's own pages (enquiry photos, previews of
unpublished articles and cases)."""

from django.contrib import admin
from django.http import HttpRequest


def signed_in_staff(request: HttpRequest) -> bool:
    """The admin's own test, asked of the site's admin (`admin.site`): an active staff account
    and, where two-factor sign-in is on, one that has given its authenticator code. A password
    alone never shows what the admin would not."""
    return admin.site.has_permission(request)
