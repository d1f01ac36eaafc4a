"""Settings for `make run`: SQLite, the filesystem broker, mail written to files under var/mail/.

``make run PORT=N`` sets ``PUBLIC_BASE_URL`` to ``http://127.0.0.1:N`` (the address every demo notice
prints in its PDF and QR code) and keeps one demo database per port (``var/db-N.sqlite3``), since a
notice's printed address is hashed with it and can never change.
"""

import os

from .base import *  # noqa: F403

DEBUG = True

DATABASES["default"]["NAME"] = os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3"))  # noqa: F405

# the demo's mail (notifications, objection confirmations) as files, one per message, not on the console
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405
EMAIL_FILE_PATH.mkdir(parents=True, exist_ok=True)

# one cache for the web server, the worker and beat (the navigation's task counts are invalidated by
# whichever process changes a task: ``workflows.counts``); production uses Redis
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / "cache"),  # noqa: F405
    }
}
