from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("queue/", views.queue_view, name="queue"),
    path("archive/", views.archive_view, name="archive"),
    path("substitutes/", views.substitutes_view, name="substitutes"),
    path("tasks/<int:task_pk>/claim/", views.task_claim_view, name="claim"),
    path("tasks/<int:task_pk>/release/", views.task_release_view, name="release"),
    path("tasks/<int:task_pk>/reassign/", views.task_reassign_view, name="reassign"),
    path("tasks/<int:task_pk>/", views.task_detail, name="task"),
]
