"""A published notice's text is the same for every reader of a language: its page renders it once per
process and version (``transfers_tags.notice_body``), exactly as a fresh render prints it."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.public.test_notices import to_publicity
from transfers.models import Notice

pytestmark = pytest.mark.django_db

BODY = "public/_notice_body.html"


def test_the_text_is_rendered_once_per_version_and_language_and_is_what_a_fresh_render_prints(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    url = reverse("public:notice_detail", args=[notice.number])
    first = client.get(url)
    assert BODY in [t.name for t in first.templates]
    with translation.override("zh-hans"):
        fresh = render_to_string(BODY, {"notice": notice, "c": notice.content})
    assert fresh in first.content.decode()
    again = client.get(url)
    assert BODY not in [t.name for t in again.templates]  # kept
    assert fresh in again.content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert BODY in [t.name for t in english.templates]  # another language, another text
    assert "1. Scientific and technological achievements" in english.content.decode()
    assert "1. Scientific and technological achievements" not in client.get(url).content.decode()
    # a saved change to the version (its status, a reason) renders it again
    Notice.objects.filter(pk=notice.pk).update(updated_at=notice.updated_at.replace(microsecond=1))
    assert BODY in [t.name for t in client.get(url).templates]


def test_on_an_english_page_the_labels_are_english_and_the_frozen_values_marked_chinese(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    url = reverse("public:notice_detail", args=[notice.number])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    article = english.split('<article class="notice"', 1)[1].split("</article>", 1)[0]
    assert article.startswith(' lang="en"')
    assert '<span lang="zh-Hans">甘肃陇原科技发展有限公司</span>' in article  # the counterparty, as published
    assert "Transfer mode" in article and '<span lang="zh-Hans">Transfer' not in article
    assert not any(attribute.count("<span") for attribute in re.findall(r'="[^"]*"', article))  # never in a tag
    chinese = client.get(url).content.decode()
    article = chinese.split('<article class="notice"', 1)[1].split("</article>", 1)[0]
    assert article.startswith(' lang="zh-CN"') and 'lang="zh-Hans"' not in article
