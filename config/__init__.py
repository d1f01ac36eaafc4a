"""Project configuration: settings per environment, URLs, the Celery app and the WSGI entry point."""

from .celery_app import app as celery_app

__all__ = ["celery_app"]
