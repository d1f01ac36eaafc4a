"""What every page links to: the running version's source (AGPL-3.0 §13) and the site's icon."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from transfers import source_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def archives(tmp_path, monkeypatch):
    """Archives go to a temporary folder, and each test starts with none built in this process."""
    folder = tmp_path / "archives"
    monkeypatch.setattr(source_views, "archive_folder", lambda root: folder)
    monkeypatch.setattr(source_views, "_built", {})
    return folder


def members(response) -> list[str]:
    data = b"".join(response.streaming_content)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return archive.getnames()


def test_the_source_of_the_deployed_tree_is_downloadable(client, archives):
    response = client.get(reverse("source"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "attachment" in response["Content-Disposition"] and ".tar.gz" in response["Content-Disposition"]
    names = members(response)
    assert "achievement-transfer/manage.py" in names
    assert "achievement-transfer/transfers/models/cases.py" in names
    assert "achievement-transfer/LICENSE" in names
    inside = [name.split("/", 1)[1] for name in names]
    assert not [n for n in inside if n.startswith(("var/", ".venv/", ".git/"))]
    assert not [n for n in inside if "__pycache__" in n or n.endswith(".pyc")]
    assert (Path(django_settings.BASE_DIR) / "var").is_dir()  # there was a var/ to leave out


def make_tree(root: Path) -> None:
    for name, text in {
        "manage.py": "# manage\n",
        "transfers/models.py": "# models\n",
        "transfers/var/kept.py": "# a folder named var below the root is source\n",
        "static/favicon.svg": "<svg/>",
        "var/db.sqlite3": "data",
        "var/media/upload.pdf": "personal data",
        ".venv/bin/python": "binary",
        ".git/HEAD": "ref",
        ".env": "SECRET_KEY=x",
        ".env.production": "SECRET_KEY=y",
        ".envs/.production/.django": "SECRET_KEY=z",
        "transfers/__pycache__/models.cpython-311.pyc": "bytecode",
        "workflows/stray.pyc": "bytecode",
        "node_modules/x/index.js": "js",
        ".mypy_cache/3.11/x.json": "{}",
        ".ruff_cache/x": "",
        "var-ci-test.log": "log",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_archive_leaves_out_what_is_not_source(client, settings, tmp_path, archives):
    root = tmp_path / "tree"
    make_tree(root)
    settings.BASE_DIR = root
    names = {name.removeprefix("achievement-transfer/") for name in members(client.get(reverse("source")))}
    assert names == {"manage.py", "transfers/models.py", "transfers/var/kept.py", "static/favicon.svg"}


def test_the_archive_is_built_once_and_again_when_the_tree_changes(client, settings, tmp_path, archives,
                                                                   monkeypatch):
    root = tmp_path / "tree"
    make_tree(root)
    settings.BASE_DIR = root
    builds = []
    real_build = source_views.build_archive
    monkeypatch.setattr(source_views, "build_archive", lambda *a: builds.append(a) or real_build(*a))
    first = client.get(reverse("source"))
    b"".join(first.streaming_content)
    b"".join(client.get(reverse("source")).streaming_content)
    assert len(builds) == 1
    (built,) = list(archives.glob("source-*.tar.gz"))
    assert first["ETag"].strip('"') in built.name

    # a new deployment (a new process) with a changed file: a new archive, the old one removed
    (root / "manage.py").write_text("# manage, version 2\n")
    os.utime(root / "manage.py", ns=(1, 1))
    monkeypatch.setattr(source_views, "_built", {})
    second = client.get(reverse("source"))
    data = b"".join(second.streaming_content)
    assert second["ETag"] != first["ETag"]
    assert [p.name for p in archives.glob("source-*.tar.gz")] != [built.name]
    assert len(list(archives.glob("source-*.tar.gz"))) == 1
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        assert archive.extractfile("achievement-transfer/manage.py").read() == b"# manage, version 2\n"
        assert {m.uname for m in archive.getmembers()} == {""}
    assert not list(archives.glob(".source-*"))  # no temporary file left behind


def test_the_footer_links_to_the_source(client, settings):
    html = client.get(reverse("public:notice_list")).content.decode()
    assert f'<a href="{reverse("source")}">获取源代码</a>' in html
    assert "example.invalid" not in html
    settings.SOURCE_URL = "https://git.example.edu.cn/tto/achievement-transfer"
    html = client.get(reverse("public:notice_list")).content.decode()
    assert '<a href="https://git.example.edu.cn/tto/achievement-transfer">获取源代码</a>' in html


def test_the_site_has_an_icon(client):
    html = client.get(reverse("public:notice_list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    icon = Path(django_settings.BASE_DIR, "static", "favicon.svg").read_text()
    assert icon.lstrip().startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in icon


def test_nothing_but_the_projects_own_source_is_served(tmp_path, settings):
    """A database, uploads, mail, keys or a secrets module dropped into the deployed tree stay private."""
    from transfers.source_views import source_files

    settings.MEDIA_ROOT = tmp_path / "transfers" / "uploads"
    for name in ["manage.py", "transfers/models.py", "config/settings/base.py", "db.sqlite3", "media/x/id.jpg",
                 "config/settings/local_secrets.py", ".pgpass", "config/deploy/id_rsa", "env/prod.env",
                 "transfers/uploads/objection.pdf", "config/tls.key", "var/mail/1.log", "celerybeat-schedule"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert source_files(tmp_path) == ["config/settings/base.py", "manage.py", "transfers/models.py"]
