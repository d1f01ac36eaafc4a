"""URLs of the whole site: public pages, the applicant's and reviewers' pages, admin, health, and
the running version's source (AGPL-3.0 §13)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from transfers import accounts, source_views
from transfers import views as transfer_views


class FaviconRedirect(RedirectView):
    """``/favicon.ico``, which browsers and feed readers ask for unprompted: the SVG icon, at the
    address the static storage gives it (hashed in production, so the redirect is not permanent)."""

    permanent = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("", transfer_views.home, name="home"),
    path("healthz/", transfer_views.healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("source/", source_views.source_archive, name="source"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("notices/", include("transfers.public_urls")),
    path("cases/", include("transfers.urls")),
    path("institutions/", include("transfers.institution_urls")),
    path("work/", include("workflows.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
