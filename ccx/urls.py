from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from ccx.api.urls import api
from ccx.core.health import healthz
from ccx.core.language import choose_language
from ccx.core.robots import robots_txt
from ccx.site.sitemaps import SITEMAPS
from ccx.site.views import media

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("ccx/img/mark.svg"), permanent=True)),
    path("api/v1/", api.urls),
    path("language/<str:code>/", choose_language, name="choose_language"),
    # Conventions of a public site: sitemap, robots, health for balancers and monitors.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", include("ccx.site.urls")),
    path("cities/", include("ccx.cities.urls")),
    path("sdg/", include("ccx.sdg.urls")),
    path("practices/", include("ccx.search.urls")),
    path("practices/", include("ccx.practices.urls")),
    path("challenges/", include("ccx.challenges.urls")),
    path("cooperation/", include("ccx.partnerships.urls")),
    path("events/", include("ccx.events.urls")),
    path("publications/", include("ccx.publications.urls")),
    path("progress/", include("ccx.monitoring.urls")),
    path("accounts/", include("ccx.accounts.urls")),
    prefix_default_language=False,
)
urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media))

# Error pages in the site design (templates 403.html, 404.html; 500.html through this view).
handler500 = "ccx.site.error_pages.server_error"
