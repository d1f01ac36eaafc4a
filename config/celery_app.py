"""The Celery application: notifications and deadlines run here.

The default broker is the embedded ``filesystem://`` transport (folders created at start), so the
demo needs no server; production sets ``CELERY_BROKER_URL`` to Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("transfers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
