"""viewflow's processes and tasks in Django admin, read-only: a task is claimed, done or reassigned only
through ``workflows.services`` (under the case's and the flow's locks, audited), never edited or
deleted here."""

from __future__ import annotations

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from transfers.admin import ReadOnly


class ReadOnlyProcessAdmin(ReadOnly, ProcessAdmin):
    pass


class ReadOnlyTaskAdmin(ReadOnly, TaskAdmin):
    pass


admin.site.unregister(Process)
admin.site.register(Process, ReadOnlyProcessAdmin)
admin.site.unregister(Task)
admin.site.register(Task, ReadOnlyTaskAdmin)
