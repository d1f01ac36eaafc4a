"""The running version's source, as AGPL-3.0 §13 asks for users who reach the program over a network.

``/source/`` answers a gzipped tarball of the deployed tree (``settings.BASE_DIR``): only the
project's own folders and files (``SOURCE_ROOTS``, an allow-list, so a database, media uploads or a
secrets file someone drops into the tree are never served), without caches, compiled files and
anything named like a secret (``.env*``, keys, ``*.sqlite3``). It is built once per process into
``var/source-<fingerprint>.tar.gz``; the fingerprint covers every included file's path, size and
mtime, so a deployment that changes a file builds anew.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import tarfile
import tempfile
import threading
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

#: the folder the archive unpacks into
PREFIX = "achievement-transfer"
#: folders that are not source, wherever they are
SKIPPED_DIRS = frozenset({
    ".venv", "venv", ".git", ".hg", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", ".hypothesis", ".tox", ".nox", ".cache", "htmlcov",
})
#: what of the project root is source (everything else there, ``var/`` first, is not)
SOURCE_ROOTS = frozenset({
    "manage.py", "pyproject.toml", "README.md", "LICENSE", "Makefile", ".gitignore", ".ci", "requirements",
    "config", "transfers", "workflows", "notifications", "templates", "static", "locale", "tests",
    "benchmarks", "docs",
})
#: files that are not source, or are secrets whatever folder they are in, and folders named like them
SKIPPED_NAMES = (
    ".env*", "*.env", "*.pyc", "*.pyo", "*.log", ".coverage", ".coverage.*", ".DS_Store", "*.swp",
    "*.sqlite3", "*.sqlite3-*", "*.db", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", "id_ecdsa*",
    ".pgpass", ".netrc", "*secret*", "*credential*", "*.bak", "celerybeat-schedule*",
)

_lock = threading.Lock()
_built: dict[Path, Path] = {}


def _skipped(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in SKIPPED_NAMES)


def source_files(root: Path) -> list[str]:
    """The tree's source files (and symlinks, kept as links), as sorted paths relative to ``root``."""
    found = []
    data = _runtime_folders()
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        at_root = here == root
        dirs[:] = [
            d for d in dirs
            if d not in SKIPPED_DIRS and not _skipped(d) and not (at_root and d not in SOURCE_ROOTS)
            and not (here / d).is_symlink()  # a linked folder is followed nowhere
            and (here / d).resolve() not in data  # media, mail, collected static: never source
        ]
        for name in files:
            path = here / name
            if at_root and name not in SOURCE_ROOTS:
                continue
            if not _skipped(name) and (path.is_symlink() or path.is_file()):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def _runtime_folders() -> set[Path]:
    """Where the running site keeps data, wherever settings put them."""
    folders = {getattr(settings, name, None) for name in ("MEDIA_ROOT", "STATIC_ROOT", "EMAIL_FILE_PATH")}
    return {Path(folder).resolve() for folder in folders if folder}


def fingerprint(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        stat = (root / name).lstat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _normalised(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """No owner names or ids of the server in the archive."""
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member


def build_archive(root: Path, out: Path) -> Path:
    """The tarball of ``root``'s source in ``out``, named by its fingerprint; reused when it exists.
    Written under a temporary name and renamed, so no process ever serves a half-written one; older
    archives are removed."""
    files = source_files(root)
    target = out / f"source-{fingerprint(root, files)[:20]}.tar.gz"
    if target.exists():
        return target
    out.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out, prefix=".source-", suffix=".tmp")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as compressed,
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive,
        ):
            for name in files:
                archive.add(root / name, arcname=f"{PREFIX}/{name}", recursive=False, filter=_normalised)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    for old in out.glob("source-*.tar.gz"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
    return target


def archive_folder(root: Path) -> Path:
    """Where the archives are kept: the runtime folder, which they are not part of."""
    return root / "var"


def current_archive() -> Path:
    """This process's archive of the deployed tree: built on first use, rebuilt only if removed."""
    root = Path(settings.BASE_DIR).resolve()
    with _lock:
        path = _built.get(root)
        if path is None or not path.exists():
            try:
                path = build_archive(root, archive_folder(root))
            except PermissionError:  # a read-only deployment: the system's temporary folder
                path = build_archive(root, Path(tempfile.gettempdir()) / f"{PREFIX}-source")
            _built[root] = path
        return path


@require_safe
def source_archive(request: HttpRequest) -> FileResponse:
    path = current_archive()
    fingerprint_part = path.name.removeprefix("source-").removesuffix(".tar.gz")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=f"{PREFIX}-{fingerprint_part}.tar.gz",
        content_type="application/gzip",
    )
    response["ETag"] = f'"{fingerprint_part}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
