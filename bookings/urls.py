from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.consultation, name="consultation"),
    path("thank-you/", views.thank_you, name="thank_you"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/download/", views.photo, {"download": True}, name="photo_download"),
]
