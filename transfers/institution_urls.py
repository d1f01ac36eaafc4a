"""The institution admin's screens, under ``/institutions/<code>/`` (``institution_views``)."""

from django.urls import path

from . import institution_views as views

app_name = "institutions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.overview, name="overview"),
    path("<str:code>/members/", views.members, name="members"),
    path("<str:code>/members/add/", views.member_add, name="member_add"),
    path("<str:code>/members/new/", views.account_create, name="account_create"),
    path("<str:code>/members/<int:user_pk>/", views.member, name="member"),
    path("<str:code>/members/<int:user_pk>/remove/", views.member_remove, name="member_remove"),
    path("<str:code>/contact/", views.contact, name="contact"),
    path("<str:code>/substitutes/", views.substitutes, name="substitutes"),
    path("<str:code>/rules/", views.rules, name="rules"),
    path("<str:code>/rules/new/", views.rules_edit, name="rules_edit"),
    path("<str:code>/rules/<int:pack_pk>/", views.rule_pack_version, name="rule_pack"),
]
