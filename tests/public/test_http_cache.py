"""Revalidation of the public pages and the feed: a reader who switches language gets the page in the
new language, never ``304 Not Modified`` and the cached page in the old one; the same reader in the
same language still gets a cheap 304; and every response says what it varies on."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.public.test_feed import publish

pytestmark = pytest.mark.django_db

#: a word each page shows in Chinese and in English
PAGES = {
    "list": ("公示编号", "Notice no."),
    "detail": ("下载 PDF", "Download PDF"),
    "version": ("下载 PDF", "Download PDF"),
    "feed": ("各单位最新发布的科技成果转化公示", "Latest achievement transfer notices from all institutions"),
}


def url_of(page, notice):
    return {
        "list": reverse("public:notice_list"),
        "detail": notice.get_current_url(),
        "version": notice.get_absolute_url(),
        "feed": reverse("public:notice_feed"),
    }[page]


def text(response):
    return response.content.decode()


def validators(response):
    """What a browser sends back: If-None-Match, and If-Modified-Since where there is a Last-Modified."""
    sent = {"HTTP_IF_NONE_MATCH": response["ETag"]}
    if response.has_header("Last-Modified"):
        sent["HTTP_IF_MODIFIED_SINCE"] = response["Last-Modified"]
    return sent


def assert_varies(response):
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    assert {"accept-language", "cookie"} <= vary, response.get("Vary")


@pytest.mark.parametrize("page", PAGES)
def test_switching_language_is_never_answered_not_modified(client, world, page):
    notice = publish(world.a)
    url = url_of(page, notice)
    chinese_word, english_word = PAGES[page]

    chinese = client.get(url)
    assert chinese.status_code == 200 and chinese_word in text(chinese)
    assert chinese.has_header("ETag")
    assert_varies(chinese)
    assert get_max_age(chinese) is None and "no-cache" in chinese["Cache-Control"]

    same = client.get(url, **validators(chinese))
    assert same.status_code == 304
    assert_varies(same)

    client.cookies["django_language"] = "en"  # what Django's set_language view sets
    english = client.get(url, **validators(chinese))
    assert english.status_code == 200
    assert english_word in text(english) and chinese_word not in text(english)
    assert english["ETag"] != chinese["ETag"]
    assert_varies(english)
    assert client.get(url, **validators(english)).status_code == 304

    # and back: the Chinese validators still answer for the Chinese page
    client.cookies["django_language"] = "zh-hans"
    assert client.get(url, **validators(chinese)).status_code == 304
    assert client.get(url, **validators(english)).status_code == 200


@pytest.mark.parametrize("page", ["list", "detail"])
def test_accept_language_alone_switches_too(client, world, page):
    notice = publish(world.a)
    url = url_of(page, notice)
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", **validators(chinese))
    assert english.status_code == 200 and PAGES[page][1] in text(english)


def test_if_modified_since_alone_never_answers_304_since_a_date_cannot_tell_languages_apart(client, world):
    publish(world.a)
    first = client.get(reverse("public:notice_list"))
    assert first.has_header("Last-Modified") and first.has_header("ETag")
    assert client.get(reverse("public:notice_list"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    client.cookies["django_language"] = "en"
    english = client.get(reverse("public:notice_list"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert english.status_code == 200 and "Achievement transfer public notices" in english.content.decode()
    del client.cookies["django_language"]
    # If-None-Match decides when both come: a stale ETag is a new page, whatever the date says
    stale = client.get(reverse("public:notice_list"), HTTP_IF_NONE_MATCH='"stale"',
                       HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert stale.status_code == 200


def test_signing_in_or_out_is_a_new_page(client, world):
    notice = publish(world.a)
    url = notice.get_current_url()
    anonymous = client.get(url)
    login = client.post(reverse("login"), {"username": world.b.tto_officer.username, "password": "pw"})
    assert login.status_code == 302
    # a signed-in reader's header (their name, their notifications) is never taken from the cache
    signed_in = client.get(url, **validators(anonymous))
    assert signed_in.status_code == 200 and not signed_in.has_header("ETag")
    assert_varies(signed_in)
    client.post(reverse("logout"))
    # the login gave the session a new CSRF secret: the page cached before it carries a stale one
    after = client.get(url, **validators(anonymous))
    assert after.status_code == 200
    assert client.get(url, **validators(after)).status_code == 304


def test_the_verify_page_varies_too(client, world):
    response = client.get(reverse("public:verify"))
    assert response.status_code == 200
    assert_varies(response)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_picker_names_each_language_in_itself_and_works_without_javascript(client, world, language):
    notice = publish(world.a)
    client.cookies["django_language"] = language
    html = text(client.get(notice.get_current_url()))
    # named in their own language and script, whatever the page's language
    assert '<option value="zh-hans" lang="zh-hans"' in html and ">简体中文</option>" in html
    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    # a labelled select in a plain form with a submit button
    assert '<label for="site-language" class="visually-hidden">' in html and 'id="site-language"' in html
    assert '<button class="small">' in html
    other = "en" if language == "zh-hans" else "zh-hans"
    switched = client.post(reverse("set_language"), {"language": other, "next": notice.get_current_url()})
    assert switched.status_code == 302 and switched["Location"] == notice.get_current_url()
    page = text(client.get(notice.get_current_url()))
    assert ("Download PDF" in page) == (other == "en")


def test_the_feed_sets_no_cookie(client, world):
    publish(world.a)
    response = client.get(reverse("public:notice_feed"))
    assert response.status_code == 200 and response.has_header("ETag") and not response.cookies


def test_a_publication_changes_the_list_at_once(client, world):
    publish(world.a)
    listing = client.get(reverse("public:notice_list"))
    second = publish(world.b)
    again = client.get(reverse("public:notice_list"), **validators(listing))
    assert again.status_code == 200 and second.number in text(again)
    assert client.get(reverse("public:notice_list"), **validators(again)).status_code == 304  # and then settles


def test_a_notice_published_out_of_order_reaches_the_list_within_seconds(client, world, monkeypatch):
    """Two workers render two notices at once: the one that commits last may carry the earlier
    ``updated_at``, so the newest write does not move. The count of the versions, kept a few seconds under
    the newest write, catches it once it is counted again: the list lags it by ``LIST_COUNT_TTL`` at most."""
    import datetime
    import time

    from django.core.cache.backends import locmem

    from transfers.models import Notice, NoticeStatus
    from transfers.public_views import LIST_COUNT_TTL

    first, second = publish(world.a), publish(world.b)
    Notice.objects.filter(pk=first.pk).update(status=NoticeStatus.PENDING)  # still rendering when the reader comes
    listing = client.get(reverse("public:notice_list"))
    assert listing.status_code == 200 and first.number not in text(listing)
    Notice.objects.filter(pk=first.pk).update(  # committed after the second, timestamped before it
        status=NoticeStatus.IN_PUBLICITY, updated_at=second.updated_at - datetime.timedelta(seconds=1))
    later = time.time() + LIST_COUNT_TTL + 1
    monkeypatch.setattr(locmem, "time", type("Clock", (), {"time": staticmethod(lambda: later)}))
    again = client.get(reverse("public:notice_list"), **validators(listing))
    assert again.status_code == 200 and first.number in text(again)
    assert client.get(reverse("public:notice_list"), **validators(again)).status_code == 304  # and then settles
