from django.urls import path, register_converter

from . import public_views as views


class NoticeNumberConverter:
    """``LZU-GS-2026-003``: anything else is not a notice number (and never reaches the database)."""

    regex = r"[A-Z][A-Z0-9]{1,19}-[A-Z]{2}-[0-9]{4}-[0-9]{3,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NoticeNumberConverter, "notice_number")

app_name = "public"

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("feed/", views.NoticeFeed(), name="notice_feed"),
    path("verify/", views.verify, name="verify"),
    path("<notice_number:number>/", views.notice_detail, name="notice_detail"),
    path("<notice_number:number>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("<notice_number:number>/v<int:version>/", views.notice_version, name="notice_version"),
    path("<notice_number:number>/v<int:version>/pdf/", views.notice_version_pdf, name="notice_version_pdf"),
]
