from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("treatment/<slug:treatment>/", views.treatment_gallery, name="treatment"),
    # Before the cases' own addresses; no case may take this slug (RESERVED_CASE_SLUGS).
    path("reviews/", views.reviews, name="reviews"),
    path("<slug:slug>/", views.case_detail, name="case"),
]
