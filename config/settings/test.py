"""Settings for the test suite: fast hashing, in-memory mail, media in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="transfers-test-media-"))
DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
#: a public address, as production has (tests that need a local one set it themselves)
PUBLIC_BASE_URL = "https://gongshi.lzu.edu.cn"
