"""Production settings come from the environment (django-environ, or a file named by
``DJANGO_ENV_FILE``), and ``manage.py check --deploy --fail-level WARNING`` passes on them: the same
command an operator runs before an upgrade (docs/deploy.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SECRET = "k" * 20 + "Zq8-pL2_vX9#tR4!mN6&wB1^yH3*cJ7@fD5%"  # 56 characters, 30+ distinct: what check --deploy asks


def _check(tmp_path: Path, **values: str) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "transfers.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PUBLIC_BASE_URL"))}
    environment["DJANGO_ENV_FILE"] = str(env_file)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
         "--settings=config.settings.production"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )


def test_production_settings_from_an_env_file_pass_the_deploy_check(tmp_path):
    done = _check(tmp_path, DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="gongshi.lzu.edu.cn",
                  PUBLIC_BASE_URL="https://gongshi.lzu.edu.cn")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_fails_on_a_local_public_address_and_on_a_weak_setting(tmp_path):
    local = _check(tmp_path, DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="gongshi.lzu.edu.cn",
                   PUBLIC_BASE_URL="http://127.0.0.1:8000")
    assert local.returncode != 0 and "transfers.E001" in local.stderr
    plain = _check(tmp_path, DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="gongshi.lzu.edu.cn",
                   PUBLIC_BASE_URL="https://gongshi.lzu.edu.cn", DJANGO_SECURE_SSL_REDIRECT="0")
    assert plain.returncode != 0 and "security.W008" in plain.stderr  # SECURE_SSL_REDIRECT off
