"""Settings for `make run`: SQLite, the filesystem broker, mail to the console."""

from .base import *  # noqa: F403

DEBUG = True
