"""Settings shared by every environment."""

import datetime
import os
from pathlib import Path

from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = "insecure-local-only-key-replaced-in-production"  # overridden in production.py
DEBUG = False
ALLOWED_HOSTS: list[str] = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "axes",
    "transfers",
    "workflows",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the policy and the framing refusal on every response, the early refusals below (413, 400) included
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.LimitRequestBody",  # before anything reads the body (CSRF reads the form)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.RejectNulBytes",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "transfers.context_processors.site",
                "notifications.context_processors.unread",
                "workflows.context_processors.task_counts_in_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "var" / "db.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # first: refuses a login attempt while its username and address are locked out (django-axes)
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # object permissions: "may this user act as TTO officer on this case?" (role in the case's institution)
    "transfers.permissions.InstitutionRoleBackend",
]

#: login throttling (django-axes): 5 failures for one username from one address lock that pair for 15
#: minutes. Not the address alone: a campus shares few addresses behind NAT, and one person mistyping
#: must not lock out a department; not the username alone: anyone could lock out anyone.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "transfers.views.client_ip"  # the same address the audit trail records
AXES_VERBOSE = False
#: the demo data (``seed_demo``) may be loaded; production refuses it
DEMO_DATA_ALLOWED = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

#: Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only (plus
#: the notices' QR codes, inline ``data:`` SVG); nothing inline, no plugin, no framing, forms post here.
#: The templates carry no inline script, ``style`` attribute or handler (tests/config/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]  # each named in its own language, never translated
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# uploads (transfers/uploads.py): one file at most ATTACHMENT_MAX_BYTES (said under every file input,
# refused on its field and by the services); a request body at most UPLOAD_REQUEST_MAX_BYTES (the case
# form's three files and its text), refused from its Content-Length before it is read; the TLS proxy's
# client_max_body_size says the same (docs/deploy.md)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_REQUEST_MAX_BYTES = 3 * ATTACHMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Celery: embedded filesystem broker by default (folders are created in celery_broker_folders())
CELERY_BROKER_DIR = BASE_DIR / "var" / "celery"
CELERY_BROKER_URL = "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(CELERY_BROKER_DIR / "out"),
    "data_folder_out": str(CELERY_BROKER_DIR / "out"),
    "processed_folder": str(CELERY_BROKER_DIR / "processed"),
    # the broadcast exchange's state (kombu writes it to ./control by default): a runtime file
    "control_folder": str(CELERY_BROKER_DIR / "control"),
    "store_processed": False,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "notifications.tasks.deliver_pending", "schedule": 60.0},
    "fire-workflow-timers": {"task": "workflows.tasks.fire_timers", "schedule": 60.0},
    "stage-deadlines": {"task": "workflows.tasks.stage_deadlines", "schedule": 600.0},
    "sweep-stash": {"task": "workflows.tasks.sweep_stash", "schedule": 3600.0},
    "sweep-orphan-files": {"task": "transfers.tasks.sweep_orphan_files", "schedule": 6 * 3600.0},
    "close-due-publicity": {"task": "transfers.tasks.close_due_publicity", "schedule": 300.0},
    "close-due-reward-notices": {"task": "transfers.tasks.close_due_reward_notices", "schedule": 300.0},
    "publish-pending-notices": {"task": "transfers.tasks.publish_pending_notices", "schedule": 120.0},
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "noreply@transfers.localhost"

#: the address the public reaches the site at, printed in every notice PDF and QR code (and hashed
#: with it). Production refuses to issue notices while it is unset or local (transfers/addresses.py).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
NOTICES_REQUIRE_PUBLIC_ADDRESS = False
# reverse proxies in front of the app whose X-Forwarded-For is trusted (0: the client connects directly)
TRUSTED_PROXY_HOPS = 0

#: AGPL-3.0 §13: where users get the running version's source; empty: this site's own /source/ tarball
SOURCE_URL = ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # WeasyPrint narrates every rendering step at INFO; its warnings (a refused URL) still show
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# the embedded broker's folders and the SQLite/media folder exist before anything starts
for _folder in (
    CELERY_BROKER_DIR / "out", CELERY_BROKER_DIR / "processed", CELERY_BROKER_DIR / "control", MEDIA_ROOT, STATIC_ROOT
):
    _folder.mkdir(parents=True, exist_ok=True)
