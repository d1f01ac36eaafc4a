from django.urls import path

from . import money_views, views

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
    path("<uuid:public_id>/contract/", money_views.contract_edit, name="contract_edit"),
    path("<uuid:public_id>/import/", money_views.case_import, name="case_import"),
    path("<uuid:public_id>/contract/registration/", money_views.contract_registration,
         name="contract_registration"),
    path("<uuid:public_id>/receipts/new/", money_views.receipt_new, name="receipt_new"),
    path("<uuid:public_id>/receipts/<int:receipt_pk>/distribution/", money_views.distribution_new,
         name="distribution_new"),
    path("<uuid:public_id>/distributions/<int:distribution_pk>/adjust/", money_views.distribution_adjust,
         name="distribution_adjust"),
    path("<uuid:public_id>/distributions/<int:distribution_pk>/payments/", money_views.rewards_payment,
         name="rewards_payment"),
    path("<uuid:public_id>/distributions/<int:distribution_pk>/objection/", money_views.reward_objection,
         name="reward_objection"),
]
