"""The production path with real servers: Redis, Celery workers and beat as processes, PostgreSQL backups."""
