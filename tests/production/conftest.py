"""Real servers on loopback for the production-path tests: a ``redis-server`` on a free port in a
temporary folder, Celery workers and beat as subprocesses (``worker_settings``) on the PostgreSQL test
database (a worker process cannot open the in-memory SQLite one), and their mail as files."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from config.celery_app import app as celery_app

REPO = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"after {timeout:.0f} s: {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """A Celery process in its own session, so that it and its pool processes are killed together."""

    popen: subprocess.Popen[bytes]
    log: Path

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
        self.popen.wait(timeout=20)

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Servers:
    redis_url: str
    folder: Path
    processes: list[Process] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return self.folder / "mail"

    def _env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.production.worker_settings",
               "CELERY_BROKER_URL": self.redis_url, "TEST_MAIL_DIR": str(self.mail_dir),
               "TEST_WORKER_DATABASE": connection.settings_dict["NAME"], "PYTHONPATH": str(REPO), **extra}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    def _start(self, name: str, args: list[str], ready: str, **env: str) -> Process:
        log = self.folder / f"{name}.log"
        log.write_text("")
        popen = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel=INFO", f"--logfile={log}"],
            cwd=REPO, env=self._env(**env), start_new_session=True,
            stdout=(self.folder / f"{name}.out").open("wb"), stderr=subprocess.STDOUT,
        )
        process = Process(popen, log)
        self.processes.append(process)
        wait_until(lambda: ready in log.read_text() or popen.poll() is not None, 60, f"{name} ready ({log})")
        assert popen.poll() is None, (self.folder / f"{name}.out").read_text()
        return process

    def worker(self, *, concurrency: int = 2, visibility_timeout: float = 3600) -> Process:
        """A prefork worker; ``visibility_timeout``: how long a message taken by a worker that vanished
        stays away from the queue."""
        name = f"worker{len(self.processes)}"
        return self._start(name, ["worker", "--pool=prefork", f"--concurrency={concurrency}", f"--hostname={name}@test",
                                  "--without-gossip", "--without-mingle", "--without-heartbeat"],
                           ready=" ready.", TEST_VISIBILITY_TIMEOUT=str(visibility_timeout))

    def beat(self) -> Process:
        return self._start("beat", ["beat", f"--schedule={self.folder / 'beat-schedule'}"], ready="beat: Starting")

    # the mail server's side
    def hold(self) -> None:
        """Senders wait inside the mail server call (and say so) until ``release``."""
        (self.mail_dir / "HOLD").touch()

    def release(self) -> None:
        (self.mail_dir / "HOLD").unlink()

    def wait_for_sender(self) -> int:
        """The process id of the pool process now inside the mail server call."""
        marker = wait_until(lambda: next(self.mail_dir.glob("sending-*"), None), 30,
                            "a delivery reached the mail server")
        marker.unlink()
        return int(marker.name.removeprefix("sending-"))

    def mails(self) -> list[Message]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted(self.mail_dir.glob("*.eml"))]

    # the broker's side
    def redis(self) -> Any:
        import redis

        return redis.Redis.from_url(self.redis_url)

    def queued(self) -> int:
        return int(self.redis().llen("celery"))

    def wait_until_idle(self, timeout: float = 30) -> None:
        """Every message delivered and acknowledged: none waits in the queue, none is held unacknowledged
        (the delivery tasks are acknowledged only once they have run)."""
        client = self.redis()
        wait_until(lambda: client.llen("celery") == 0 and client.hlen("unacked") == 0, timeout,
                   "the queue empty and every task acknowledged")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; the Makefile's `redis` target)")
    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    server = subprocess.Popen(  # noqa: S603
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    def answers() -> bool:
        try:
            return bool(redis.Redis.from_url(url).ping())
        except redis.ConnectionError:
            return False

    try:
        wait_until(answers, 10, f"redis-server on port {port}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _reset_broker_connections() -> None:
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._after_fork()  # drops the connection and producer pools: the next send connects anew


@pytest.fixture
def servers(transactional_db: None, redis_url: str, tmp_path: Path) -> Iterator[Servers]:
    """Redis, and workers and beat started on demand; this process sends its tasks to that Redis too
    (not eagerly), as the web process does. Everything is stopped before the test database is flushed."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can open: run with --ds=config.settings.test_postgres")
    stack = Servers(redis_url=redis_url, folder=tmp_path)
    stack.mail_dir.mkdir()
    conf = celery_app.conf
    before = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = redis_url, False
    _reset_broker_connections()
    try:
        yield stack
    finally:
        for process in reversed(stack.processes):
            process.stop()
        conf.broker_url, conf.task_always_eager = before
        _reset_broker_connections()
