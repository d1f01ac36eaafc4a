from django.urls import path

from . import public_views as views

app_name = "public"

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("feed/", views.NoticeFeed(), name="notice_feed"),
    path("verify/", views.verify, name="verify"),
    path("<str:number>/", views.notice_detail, name="notice_detail"),
    path("<str:number>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("<str:number>/v<int:version>/", views.notice_version, name="notice_version"),
    path("<str:number>/v<int:version>/pdf/", views.notice_version_pdf, name="notice_version_pdf"),
]
