from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transfers import events

        from . import handlers

        events.subscribe(handlers.queue_notifications)
        events.subscribe(handlers.confirm_objection)
        events.subscribe(handlers.tell_people)
