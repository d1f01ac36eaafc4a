"""Shared fixtures: Celery runs eagerly, media goes to a temporary folder, demo-like data via factories."""

from __future__ import annotations

import pytest

from config.celery_app import app as celery_app


@pytest.fixture(autouse=True)
def _celery_eager():
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language(settings):
    """A request in English leaves English active in the thread: each test starts in the site's language."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and the navigation's counts live in the cache, notices' texts and rule packs
    in the process (``transfers_tags.notice_body``, ``selectors.rules``): each test starts with none (its
    rows may reuse another test's ids)."""
    from django.core.cache import cache

    from transfers.selectors import rules
    from transfers.templatetags import transfers_tags

    cache.clear()
    transfers_tags._NOTICE_BODIES.clear()
    rules._PACKS.clear()


@pytest.fixture
def world(db):
    from tests.factories import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _commit_hooks_as_in_production(monkeypatch):
    """``transaction.on_commit`` callbacks run when the outermost atomic block a test's code opens
    commits, as they do in production; a block that rolls back drops them. (A test runs inside the
    test case's own transaction, which never commits, so without this they would never run.)"""
    from django.db import transaction

    original_exit = transaction.Atomic.__exit__

    def __exit__(self, exc_type, exc_value, traceback):  # noqa: N807
        connection = transaction.get_connection(self.using)
        outermost = (
            not self._from_testcase
            and bool(connection.atomic_blocks)
            and connection.atomic_blocks[-1] is self
            and all(block._from_testcase for block in connection.atomic_blocks[:-1])
        )
        sid = connection.savepoint_ids[-1] if connection.savepoint_ids else None
        result = original_exit(self, exc_type, exc_value, traceback)
        if outermost and exc_type is None and sid is not None and connection.in_atomic_block:
            due = [hook for hook in connection.run_on_commit if sid in hook[0]]
            connection.run_on_commit = [hook for hook in connection.run_on_commit if sid not in hook[0]]
            for _sids, func, robust in due:
                if robust:
                    try:
                        func()
                    except Exception:  # as Django does for robust hooks: logged, not raised
                        import logging

                        logging.getLogger("django.db.backends.base").exception("on_commit hook failed")
                else:
                    func()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", __exit__)
