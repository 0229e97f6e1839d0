"""URLs: pages live under a language prefix (/en/, /fr/, /es/, /ko/); machine endpoints do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from ungpkit.apps.accounts.signin import throttled_admin_login
from ungpkit.web import views
from ungpkit.web.api import api

urlpatterns = [
    path("health", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", throttled_admin_login),  # before the admin's own, same throttle
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("check/", include("ungpkit.apps.check.urls")),
    path("accounts/", include("ungpkit.apps.accounts.urls")),
    path("remedy/", include("ungpkit.apps.remedy.staff_urls")),
    path("grievances/", include("ungpkit.apps.remedy.public_urls")),
    path("triage/", include("ungpkit.apps.triage.urls")),
    path("transparency/", include("ungpkit.apps.transparency.urls")),
)
