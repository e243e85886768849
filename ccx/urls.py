from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from ccx.api.urls import api
from ccx.site.views import media

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("ccx/img/mark.svg"), permanent=True)),
    path("api/v1/", api.urls),
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
    path("accounts/", include("ccx.accounts.urls")),
    prefix_default_language=False,
)
urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media))
