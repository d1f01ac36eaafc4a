"""The front door, health check, rule-pack versions, money and uploads."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.factories import assert_flow_agrees, file_case
from transfers.models import AuditEvent, RulePack, Stage, TransferCase
from transfers.services import cases as svc
from transfers.services.attachments import attachment_store
from transfers.services.errors import ActionRefused
from transfers.services.rules import rule_pack_new_version

pytestmark = pytest.mark.django_db


def test_home_explains_the_service_to_visitors_and_sends_users_to_work(client, world):
    page = client.get("/")
    assert page.status_code == 200
    assert "科技成果转化" in page.content.decode()
    assert reverse("login") in page.content.decode()
    client.force_login(world.a.tto_officer)
    assert client.get("/")["Location"] == reverse("workflows:inbox")


def test_english_is_selectable(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Staff login" in page


def test_healthz_names_database_and_broker(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    from config.celery_app import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error")


def test_rule_pack_edit_creates_a_version_and_pinned_cases_keep_theirs(world):
    a = world.a
    case = svc.case_submit(case=file_case(a), by=a.applicant)
    v1 = case.rule_pack
    v2 = rule_pack_new_version(base=v1, changes={"publicity_days": 20})
    assert (v2.code, v2.version, v2.publicity_days) == (v1.code, v1.version + 1, 20)
    a.institution.refresh_from_db()
    assert a.institution.rule_pack == v2
    case.refresh_from_db()
    assert case.rule_pack == v1 and case.rule_pack.publicity_days == 15
    # the floor of 15 days (国发〔2016〕16号) is enforced: no version 3, the institution keeps v2
    with pytest.raises(ValidationError) as refusal:
        rule_pack_new_version(base=v2, changes={"publicity_days": 10})
    assert [e.code for e in refusal.value.error_dict["publicity_days"]] == ["min_value"]
    assert list(RulePack.objects.filter(code=v1.code).values_list("version", flat=True)) == [v2.version, v1.version]
    a.institution.refresh_from_db()
    assert a.institution.rule_pack == v2
    # versions are immutable
    v1.name = "changed"
    with pytest.raises(ValidationError) as refusal:
        v1.save()
    assert refusal.value.code == "rulepack_immutable"
    assert RulePack.objects.get(pk=v1.pk).name != "changed"


def test_every_rule_value_carries_its_clause():
    for pack in RulePack.objects.all():
        for field in (
            "publicity_days",
            "reward_floor_transfer_pct",
            "reward_floor_equity_pct",
            "main_contributor_floor_pct",
        ):
            assert pack.clause(field), (pack.code, field)
        assert any(days in pack.clause("publicity_days") for days in ("15日", "十五日")), pack.code


@pytest.mark.parametrize("amount", ["0.0001", "12.3456", "99999999.9999", "4", "12345678.9012"])
def test_price_amounts_round_trip_exactly(world, amount):
    case = file_case(world.a, price_amount=Decimal(amount))
    assert TransferCase.objects.get(pk=case.pk).price_amount == Decimal(amount)


def test_an_amount_beyond_what_the_demo_database_holds_exactly_is_refused(world):
    """Twelve significant digits at most: SQLite stores decimals as doubles (exact to 15 digits)."""
    with pytest.raises(ActionRefused) as refused:
        file_case(world.a, price_amount=Decimal("123456789012.0000"))
    assert refused.value.code == "amount" and not TransferCase.objects.exists()


def test_royalty_price_keeps_the_terms_as_written(world):
    case = file_case(world.a, price_kind="royalty", price_amount=None, price_terms="产品销售净利润的30%")
    case.refresh_from_db()
    assert case.price_amount is None and case.price_terms == "产品销售净利润的30%"
    assert case.price_in_capitals == ""


def test_upload_checks_content_and_size(world, settings):
    case = file_case(world.a)
    with pytest.raises(ActionRefused) as refusal:
        attachment_store(
            case=case,
            by=world.a.applicant,
            kind="other",
            upload=SimpleUploadedFile("合同.pdf", b"<html>not a pdf</html>"),
        )
    assert refusal.value.code == "file_type"
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ActionRefused) as refusal:
        attachment_store(
            case=case,
            by=world.a.applicant,
            kind="other",
            upload=SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 100),
        )
    assert refusal.value.code == "file_too_large"
    assert case.attachments.count() == 1  # only the disclosure form filed with the case


def test_stored_attachment_keeps_name_size_and_hash(world):
    import hashlib

    case = file_case(world.a)
    attachment = case.attachments.get()
    data = attachment.file.open("rb").read()
    assert attachment.original_name == "披露表.pdf"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_seed_demo_walks_cases_into_every_stage_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "lzu_tto" in out and "ldu_secretary" in out
    counts = TransferCase.objects.count()
    assert set(TransferCase.objects.values_list("stage", flat=True)) == set(Stage.values)
    for case in TransferCase.objects.all():
        assert_flow_agrees(case)
        trail = list(AuditEvent.objects.filter(case=case).order_by("pk").values_list("to_stage", flat=True))
        assert trail[-1] == case.stage
    call_command("seed_demo")
    assert TransferCase.objects.count() == counts


def test_the_english_catalogue_is_complete_and_compiled():
    """Every string has an English translation, none is fuzzy, and the .mo is newer than the .po."""
    from pathlib import Path

    from django.conf import settings

    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header
    untranslated = []
    for entry in entries:
        lines = [line for line in entry.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        assert "#, fuzzy" not in entry, entry
        strings = [line for line in lines if line.startswith("msgstr")]
        for i, line in enumerate(lines):
            if line in strings and re.fullmatch(r'msgstr(\[\d+\])? ""', line):
                following = lines[i + 1] if i + 1 < len(lines) else ""
                if not following.startswith('"'):
                    untranslated.append(entry)
    assert untranslated == []
    assert po.with_suffix(".mo").stat().st_size > 0


def test_an_achievement_takes_at_most_thirty_inventors(world):
    from transfers.services.filing import AchievementData, InventorData, achievement_create

    inventors = [InventorData(f"完成人{n}", Decimal("100") / 31 if n else Decimal("100") - Decimal("100") / 31 * 30,
                              n == 0) for n in range(31)]
    with pytest.raises(ActionRefused) as refused:
        achievement_create(institution=world.a.institution, by=world.a.applicant,
                           data=AchievementData(kind="know_how", number="", title="技术秘密", inventors=inventors))
    assert refused.value.code == "inventors" and "30" in str(refused.value)
