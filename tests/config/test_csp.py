"""A Content-Security-Policy on every page (django-csp): scripts, styles and fonts from this site only,
nothing inline, no framing. It holds because no template carries an inline script, a ``<style>``
block, a ``style`` attribute or an event handler: the browser tests fail on the console error a
blocked one would print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline script"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/notices/", "/accounts/login/"])
def test_every_page_says_what_it_may_load(client, path):
    policy = _policy(client.get(path))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


def test_a_staff_page_has_the_policy_too(client, world):
    client.force_login(world.a.tto_officer)
    assert "script-src 'self'" in client.get("/work/").headers["Content-Security-Policy"]


def test_no_template_of_ours_needs_inline_code_or_styles():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    found, scanned = [], 0
    for root in roots:
        for template in root.rglob("*.html"):
            scanned += 1
            text = template.read_text(encoding="utf-8")
            found += [f"{template.relative_to(settings.BASE_DIR)}: {what}" for pattern, what in INLINE
                      if pattern.search(text)]
    assert scanned > 50 and found == []
