from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("treatment/<slug:treatment>/", views.treatment_gallery, name="treatment"),
    path("<slug:slug>/", views.case_detail, name="case"),
]
