"""The test settings on PostgreSQL (the production database): row locks and concurrency are real here.
``make test`` runs the suite on it when a server answers (see the Makefile's ``postgres`` target)."""

import os

from .test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POSTGRES_DB", "transfers"),
        "USER": os.environ.get("POSTGRES_USER", "transfers"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", "transfers"),
        "HOST": os.environ.get("POSTGRES_HOST", "localhost"),
        "PORT": os.environ.get("POSTGRES_PORT", "5432"),
        "TEST": {"NAME": os.environ.get("POSTGRES_TEST_DB", "test_transfers")},  # one per concurrent run
    }
}
