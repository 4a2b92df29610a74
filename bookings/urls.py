from django.urls import path

from bookings import forms, offer_views, selectors, views
from restoration_site.common.caching import cached_public_page

app_name = "bookings"

# The times page is the same for everyone asking for the same week: each process keeps its copy
# for TIMES_PAGE_SECONDS at most, keyed on the version of everything it shows, so a time booked
# in any process disappears from the next view at once. (Cached here, in the URLconf, as
# Django's per-view cache can be: the view stays a plain view.)
times = cached_public_page(
    selectors.times_version, query=forms.times_page_query, timeout=selectors.TIMES_PAGE_SECONDS
)(views.times)

# Included at the site's root: the visitor's pages under /book/, the client's own pages (from
# the links in their emails) under /appointments/.
urlpatterns = [
    path("book/", views.consultation, name="consultation"),
    path("book/thank-you/", views.thank_you, name="thank_you"),
    path("book/times/", times, name="times"),
    path("book/details/", views.details, name="details"),
    path("book/booked/", views.booked, name="booked"),
    path("book/waiting-list/", views.waiting_list, name="waiting_list"),
    path("book/waiting-list/joined/", views.waiting_list_joined, name="waiting_list_joined"),
    path(
        "book/waiting-list/offers/<str:token>/",
        views.waiting_list_offer,
        name="waiting_list_offer",
    ),
    path(
        "book/waiting-list/leave/<str:token>/", views.waiting_list_leave, name="waiting_list_leave"
    ),
    path("book/offers/<str:token>/", offer_views.time_offer, name="time_offer"),
    path("book/photos/<int:pk>/", views.photo, name="photo"),
    path("book/photos/<int:pk>/download/", views.photo, {"download": True}, name="photo_download"),
    path("appointments/changed/", views.changed, name="changed"),
    path("appointments/<str:token>/", views.manage, name="manage"),
    path("appointments/<str:token>/move/", views.move, name="move"),
    path("appointments/<str:token>/cancel/", views.cancel, name="cancel"),
]
