"""Production settings: every secret and address from the environment (PostgreSQL, Redis)."""

import os
from pathlib import Path

from whitenoise.compress import Compressor

from .base import *  # noqa: F403


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"environment variable {name} is required in production")
    return value


DEBUG = False
DEMO_DATA_ALLOWED = False  # ``seed_demo`` refuses to run: demo accounts share one known password
SECRET_KEY = _env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _env("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
# no default: a notice prints this address and is hashed, so production never guesses it (see
# transfers/checks.py: `check --deploy` fails while it is unset or local, and issuing is refused)
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
NOTICES_REQUIRE_PUBLIC_ADDRESS = True
# AGPL §13: where network users get the running version's source; empty: /source/ serves this tree
SOURCE_URL = os.environ.get("DJANGO_SOURCE_URL", "")
#: how many reverse proxies stand in front (the TLS proxy: 1). Default none: a server reached directly
#: never takes its client's address from a header the client could write.
TRUSTED_PROXY_HOPS = int(os.environ.get("DJANGO_TRUSTED_PROXY_HOPS", "0"))
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _env("POSTGRES_DB", "transfers"),
        "USER": _env("POSTGRES_USER", "transfers"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
        "HOST": _env("POSTGRES_HOST", "localhost"),
        "PORT": _env("POSTGRES_PORT", "5432"),
        "CONN_MAX_AGE": 60,
    }
}

CELERY_BROKER_URL = _env("CELERY_BROKER_URL", "redis://localhost:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _env("REDIS_CACHE_URL", "redis://localhost:6379/1"),
    }
}
MEDIA_ROOT = Path(_env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}
# the PDF fonts (35 MB) are read from disk by the renderer, never sent to browsers: compressing them
# would only make collectstatic take minutes
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "otf", "ttf"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
