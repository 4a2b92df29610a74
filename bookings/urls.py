from django.urls import path

from bookings import views

app_name = "bookings"

# Included at the site's root: the visitor's pages under /book/, the client's own pages (from
# the links in their emails) under /appointments/.
urlpatterns = [
    path("book/", views.consultation, name="consultation"),
    path("book/thank-you/", views.thank_you, name="thank_you"),
    path("book/times/", views.times, name="times"),
    path("book/details/", views.details, name="details"),
    path("book/booked/", views.booked, name="booked"),
    path("book/photos/<int:pk>/", views.photo, name="photo"),
    path("book/photos/<int:pk>/download/", views.photo, {"download": True}, name="photo_download"),
    path("appointments/changed/", views.changed, name="changed"),
    path("appointments/<str:token>/", views.manage, name="manage"),
    path("appointments/<str:token>/move/", views.move, name="move"),
    path("appointments/<str:token>/cancel/", views.cancel, name="cancel"),
]
