from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("tasks/<int:task_pk>/", views.task_detail, name="task"),
    path("cases/<uuid:public_id>/task/", views.case_task, name="case_task"),
]
