"""URLs of the whole site: public pages, the applicant's and reviewers' pages, admin, health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from transfers import views as transfer_views

urlpatterns = [
    path("", transfer_views.home, name="home"),
    path("healthz/", transfer_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("notices/", include("transfers.public_urls")),
    path("cases/", include("transfers.urls")),
    path("work/", include("workflows.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
