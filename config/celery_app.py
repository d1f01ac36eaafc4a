"""The Celery application: notifications, deadlines and the notices' PDFs run here.

The default broker is the embedded ``filesystem://`` transport (folders created at start), so the
demo needs no server; production sets ``CELERY_BROKER_URL`` to Redis.
"""

import gc
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("transfers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect  # each process of a prefork pool, once forked
@worker_ready.connect  # the worker itself (the solo pool of `make run` works in it)
def _freeze_start_up_objects(**kwargs: Any) -> None:
    """What start-up loaded (Django, the apps, their modules) stays for the process's life: moved out of
    the cyclic collector's reach, so a full collection during a PDF render does not walk it
    (docs/performance.md, Notice PDF: the slowest render 224 → 120 ms)."""
    gc.collect()
    gc.freeze()


@worker_process_shutdown.connect
def _release_fonts(**kwargs: Any) -> None:
    """A pool process ends with ``os._exit``: the PDF renderer's temporary font copies are deleted first."""
    from transfers.pdf import release_fonts

    release_fonts()
