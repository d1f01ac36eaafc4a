"""Settings of the Celery worker and beat processes the tests start (``conftest.py``): the test
process's PostgreSQL test database, the broker of the test's own Redis, each mail written as a file."""

import os

from config.settings.test_postgres import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DATABASE"]  # noqa: F405 - the test database itself
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # a message taken by a worker that vanished goes back to the queue after this long (Redis's own
    # default is an hour); the restored worker looks for such messages every second
    "visibility_timeout": float(os.environ.get("TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
EMAIL_BACKEND = "tests.production.mailbox.FolderBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
# the sweep of the real schedule, every second instead of every minute (the other entries keep theirs)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "deliver-outbox": {**CELERY_BEAT_SCHEDULE["deliver-outbox"], "schedule": 1.0},  # noqa: F405
}
