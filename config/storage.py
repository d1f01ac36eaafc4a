"""Static files in production: whitenoise's compressed, hashed storage, tolerant of one thing.

viewflow ships a copy of ``roboto-fontface.css`` that references font files it does not ship; the
strict manifest storage then refuses to run ``collectstatic`` at all. A reference to a missing file
is left as written (it was broken already); everything else is hashed and compressed as usual.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            if content is not None or self.exists(self.clean_name(name)):
                raise
            return name
