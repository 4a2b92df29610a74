from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from blog.sitemaps import ArticleSitemap, TagSitemap, TopicSitemap
from bookings import views as bookings_views
from portfolio.sitemaps import BeforeAfterCaseSitemap, ClientReviewsSitemap
from restoration_site import views
from restoration_site.sitemaps import StaticPagesSitemap, VisitPagesSitemap

sitemaps = {
    "pages": StaticPagesSitemap,
    "visit": VisitPagesSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "tags": TagSitemap,
    "reviews": ClientReviewsSitemap,
    "cases": BeforeAfterCaseSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("scalp-micropigmentation/", views.smp, name="smp"),
    path("laser-removal/", views.laser_removal, name="laser_removal"),
    path("prices/", views.prices, name="prices"),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path("team/", bookings_views.team, name="team"),
    path("visit/<slug:slug>/", views.visit, name="visit"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("articles/", include("blog.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("", include("bookings.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.FaviconView.as_view()),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.public_media,
            name="media",
        )
    )

handler500 = "restoration_site.views.server_error"
