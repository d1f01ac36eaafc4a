from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("审批流程")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transfers import events

        from . import handlers

        events.subscribe(handlers.sync_flow_with_case)
        events.subscribe(handlers.start_reward_approval)
