"""Telling people about their work: in-app notifications and email through a transactional outbox.

Rows are written by a ``transfers.events`` handler inside the transition's transaction, so a
notification exists exactly when its transition does; Celery delivers them after commit and the
beat job retries whatever a crash left unsent.
"""
