"""Production settings: every secret and address from the environment (django-environ).

Variables may also come from a file named by ``DJANGO_ENV_FILE`` (``KEY=value`` lines, the format of
``config/deploy/`` and of systemd's ``EnvironmentFile``); what the process environment already holds wins.
``docs/deploy.md`` lists them all. The database is ``DATABASE_URL`` (``postgres://user:pass@host:5432/db``)
or, when it is unset, the ``POSTGRES_*`` variables.
"""

from pathlib import Path

import environ
from whitenoise.compress import Compressor

from .base import *  # noqa: F403

env = environ.Env()
if _env_file := env.str("DJANGO_ENV_FILE", default=""):
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = False
#: ``seed_demo`` refuses to run (demo accounts share one known password) unless a trial install
#: asks for it explicitly with ``DJANGO_DEMO_DATA=1``
DEMO_DATA_ALLOWED = env.bool("DJANGO_DEMO_DATA", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost"])
# no default: a notice prints this address and is hashed, so production never guesses it (see
# transfers/checks.py: `check --deploy` fails while it is unset or local, and issuing is refused)
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
#: a local trial without a public address (config/deploy/stack.sh) may issue the demo's notices with a local
#: one; `check --deploy` still fails with transfers.E001 while the address is local
NOTICES_REQUIRE_PUBLIC_ADDRESS = env.bool("DJANGO_NOTICES_REQUIRE_PUBLIC_ADDRESS", default=True)
# AGPL §13: where network users get the running version's source; empty: /source/ serves this tree
SOURCE_URL = env.str("DJANGO_SOURCE_URL", default="")
#: how many reverse proxies stand in front (the TLS proxy: 1). Default none: a server reached directly
#: never takes its client's address from a header the client could write.
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=0)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

if "DATABASE_URL" in env:
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env.str("POSTGRES_DB", default="transfers"),
            "USER": env.str("POSTGRES_USER", default="transfers"),
            "PASSWORD": env.str("POSTGRES_PASSWORD", default=""),
            "HOST": env.str("POSTGRES_HOST", default="localhost"),
            "PORT": env.str("POSTGRES_PORT", default="5432"),
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://localhost:6379/0")
# tasks are acknowledged after they run (acks_late): a task whose worker host vanished is handed out
# again after this many seconds; a worker takes one task at a time (PDF renders are long)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_CACHE_URL", default="redis://localhost:6379/1"),
    }
}
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))  # noqa: F405
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(STATIC_ROOT)))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}
# the PDF fonts (35 MB) are read from disk by the renderer, never sent to browsers: compressing them
# would only make collectstatic take minutes
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "otf", "ttf"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
#: a mail server that hangs never holds a delivery (and the outbox row it locks) for long
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: a trial on one machine without TLS sets 0 (config/deploy/stack.sh does); never behind a public address
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
