from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("<uuid:public_id>/edit/", views.case_edit, name="case_edit"),
    path(
        "<uuid:public_id>/achievements/<int:achievement_pk>/inventors/",
        views.achievement_inventors,
        name="achievement_inventors",
    ),
    path("<uuid:public_id>/submit/", views.case_submit, name="case_submit"),
    path("<uuid:public_id>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<uuid:public_id>/notice/correct/", views.notice_correct, name="notice_correct"),
    path("<uuid:public_id>/notice/retry/", views.notice_retry_view, name="notice_retry"),
    path(
        "<uuid:public_id>/objections/<str:confirmation>/evidence/",
        views.objection_evidence,
        name="objection_evidence",
    ),
    path("files/<uuid:public_id>/", views.attachment_download, name="attachment_download"),
]
