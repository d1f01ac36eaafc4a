from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("审批流程")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from viewflow.workflow.models import Task

        from transfers import events
        from transfers.models import Membership, Substitution

        from . import handlers
        from .counts import bump_after_commit

        events.subscribe(handlers.sync_flow_with_case)
        events.subscribe(handlers.start_reward_approval)
        # what the navigation's counts count (``workflows.counts``)
        for model in (Task, Membership, Substitution):
            post_save.connect(bump_after_commit, sender=model, dispatch_uid=f"task-counts-{model.__name__}-save")
            post_delete.connect(bump_after_commit, sender=model, dispatch_uid=f"task-counts-{model.__name__}-delete")
