"""What an institution admin changes on the institution's own screens: its members and their roles,
its contact data and objection office, and its rule pack (each change a new version).

One function per action, keyword-only, the acting user explicit. Each opens its transaction, locks
the institution row, checks that ``by`` is an institution admin of that institution, refuses bad
input with a translated message (changing nothing) and records what it did in Django's append-only
``LogEntry`` (who, when, what: codes, rendered in the reader's language by
``selectors.institutions``), on the institution and, for a rule pack, on the new version too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..models import Institution, Membership, Role, RulePack
from ..templatetags.transfers_tags import person
from .cases import limit_text, require_text
from .errors import ActionRefused
from .rules import EDITABLE_FIELDS, institution_pack_code, rule_pack_new_version_for

#: what the contact screen edits (printed in every notice issued afterwards)
CONTACT_FIELDS = ("office_name", "objection_office", "contact_email", "contact_phone", "address")
#: a rule change's note, kept with the version
RULE_NOTE_MAX = 200
#: an initial password: no look-alike characters (it is read off a screen and typed)
PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 14


class Refusal(StrEnum):
    """Why an institution admin's action was refused (``ActionRefused.code``)."""

    FORBIDDEN = "forbidden"
    NOT_MEMBER = "not_member"
    UNKNOWN_USER = "unknown_user"
    INACTIVE_USER = "inactive_user"
    ALREADY_MEMBER = "already_member"
    USERNAME_TAKEN = "username_taken"
    INVALID = "invalid"
    NO_ROLE = "no_role"
    LAST_ADMIN = "last_admin"
    UNCHANGED = "unchanged"
    BELOW_FLOOR = "below_floor"


class FieldRefused(ActionRefused):
    """A refusal about one input (``field``, a form field's name): the page shows it on that field."""

    def __init__(self, message: str | Promise, *, code: str, field: str) -> None:
        super().__init__(message, code=code)
        self.field = field


@dataclass(frozen=True)
class NewAccount:
    user: Any
    #: shown once to the admin who created the account, stored nowhere in clear
    password: str


# --------------------------------------------------------------------------------------------
# Guards and the record


def _lock(institution: Institution, by: Any) -> Institution:
    """The institution's row, locked; refused unless ``by`` is an active institution admin of it."""
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    allowed = (
        by is not None
        and by.is_authenticated
        and by.is_active
        and Membership.objects.filter(user=by, institution=locked, role=Role.INSTITUTION_ADMIN).exists()
    )
    if not allowed:
        raise ActionRefused(_("只有本单位的单位管理员可以执行此操作。"), code=Refusal.FORBIDDEN)
    return locked


def _text(field: str, value: str, label: Promise | str, *, max_length: int, required: bool = False) -> str:
    """One line of text (``services.cases`` rules: no NUL, no direction override, no control
    character), stripped and within ``max_length``; the refusal names the form field."""
    try:
        value = require_text(value, label, max_length=max_length) if required else (value or "").strip()
        return limit_text(value, label, max_length=max_length, single_line=True)
    except ActionRefused as refusal:
        raise FieldRefused(refusal.message, code=refusal.code, field=field) from refusal


def _roles(roles: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(r) for r in roles))
    if not chosen:
        raise FieldRefused(_("请至少选择一个角色。"), code=Refusal.NO_ROLE, field="roles")
    if any(role not in Role.values for role in chosen):
        raise FieldRefused(_("请从列出的角色中选择。"), code=Refusal.INVALID, field="roles")
    return [role for role in Role.values if role in chosen]


def _keeps_an_admin(locked: Institution, *, losing: Any, by: Any) -> None:
    """Refuse a change that would leave the institution without an active institution admin."""
    others = (
        Membership.objects.filter(institution=locked, role=Role.INSTITUTION_ADMIN, user__is_active=True)
        .exclude(user=losing)
        .exists()
    )
    if others:
        return
    if losing.pk == by.pk:
        message = _("您是本单位唯一的单位管理员，不能移除自己的单位管理员角色。请先为另一位成员授予单位管理员角色。")
    else:
        message = _("本单位至少需要一位单位管理员，不能移除最后一位单位管理员的角色。")
    raise FieldRefused(message, code=Refusal.LAST_ADMIN, field="roles")


def _msgid(label: Promise | str) -> str:
    """A label's source text (Chinese): the admin's history and our pages translate it when read."""
    with translation.override(None):
        return str(label)


def _member(user: Any) -> dict[str, Any]:
    return {"member": user.get_username(), "member_name": person(user)}


def _role_part(kind: str, user: Any, role: str) -> dict[str, Any]:
    label = _msgid(Membership._meta.verbose_name or "")
    return {kind: {"name": label, "object": f"{user.get_username()} · {_msgid(Role(role).label)}",
                   "role": role, **_member(user)}}


def _record(by: Any, obj: models.Model, flag: int, parts: list[dict[str, Any]]) -> LogEntry:
    """One append-only line of the record (Django's ``LogEntry``), in the caller's transaction."""
    return LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[obj], action_flag=flag, change_message=parts, single_object=True
    )


def _forget(*users: Any) -> None:
    for user in users:
        permissions.forget_roles(user)


# --------------------------------------------------------------------------------------------
# Registering an institution (the platform's operators, from Django admin)


def institution_register(*, by: Any, code: str, name: str, rule_pack: RulePack, admin_username: str) -> Institution:
    """A new institution with its first institution admin, who does everything else on the
    institution's own screens (members, contact data, rules). Only a platform operator (an active
    superuser) registers one; the record names them."""
    if by is None or not by.is_active or not by.is_superuser:
        raise ActionRefused(_("只有平台管理员可以登记单位。"), code=Refusal.FORBIDDEN)
    with transaction.atomic():
        admin_username = _text("admin_username", admin_username, gettext_lazy("单位管理员用户名"), max_length=150,
                               required=True)
        admin = get_user_model().objects.filter(username=admin_username, is_active=True).first()
        if admin is None:
            raise FieldRefused(_("没有用户名为“%(username)s”的启用账号。") % {"username": admin_username},
                               code=Refusal.UNKNOWN_USER, field="admin_username")
        institution = Institution(code=code, name=name, rule_pack=rule_pack)
        try:
            institution.full_clean()
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise FieldRefused(messages[0], code=Refusal.INVALID, field=field) from exc
        institution.save()
        Membership.objects.create(user=admin, institution=institution, role=Role.INSTITUTION_ADMIN)
        registered = {"registered": {"name": _msgid(Institution._meta.verbose_name or ""), "object": institution.name,
                                     "code": institution.code}}
        _record(by, institution, ADDITION, [registered, _role_part("added", admin, Role.INSTITUTION_ADMIN)])
        _forget(admin)
        return institution


# --------------------------------------------------------------------------------------------
# Members


def member_add(*, institution: Institution, by: Any, username: str, roles: list[str], external: bool = False) -> Any:
    """Grant ``roles`` in the institution to an existing account, found by its exact username."""
    with transaction.atomic():
        locked = _lock(institution, by)
        username = _text("username", username, gettext_lazy("用户名"), max_length=150, required=True)
        roles = _roles(roles)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise FieldRefused(
                _("没有用户名为“%(username)s”的账号。请核对用户名，或新建账号。") % {"username": username},
                code=Refusal.UNKNOWN_USER, field="username",
            )
        if not user.is_active:
            raise FieldRefused(_("账号“%(username)s”已停用，不能授予角色。") % {"username": username},
                               code=Refusal.INACTIVE_USER, field="username")
        if Membership.objects.filter(user=user, institution=locked).exists():
            raise FieldRefused(_("%(member)s 已是本单位成员，请在其成员页修改角色。") % {"member": person(user)},
                               code=Refusal.ALREADY_MEMBER, field="username")
        for role in roles:  # one by one: each save is a signal (what the navigation counts changes)
            Membership.objects.create(user=user, institution=locked, role=role, external=external)
        _record(by, locked, CHANGE, [_role_part("added", user, role) for role in roles])
        _forget(user)
        return user


def member_create_account(
    *,
    institution: Institution,
    by: Any,
    username: str,
    full_name: str,
    email: str,
    roles: list[str],
    external: bool = False,
) -> NewAccount:
    """Create an account with an initial password (returned once) and grant it ``roles``."""
    User = get_user_model()
    with transaction.atomic():
        locked = _lock(institution, by)
        username = _text("username", username, gettext_lazy("用户名"), max_length=150, required=True)
        try:
            User.username_validator(username)  # type: ignore[attr-defined]
        except ValidationError as exc:
            raise FieldRefused(
                _("用户名只能包含字母、数字和 @ . + - _ 字符。"), code=Refusal.INVALID, field="username"
            ) from exc
        if User.objects.filter(username__iexact=username).exists():
            raise FieldRefused(_("用户名“%(username)s”已被使用，请换一个；如要添加该用户，请用“添加已有用户”。")
                               % {"username": username}, code=Refusal.USERNAME_TAKEN, field="username")
        full_name = _text("full_name", full_name, gettext_lazy("姓名"), max_length=150, required=True)
        email = _text("email", email, gettext_lazy("电子邮箱"), max_length=254, required=True)
        try:
            validate_email(email)
        except ValidationError as exc:
            raise FieldRefused(_("请填写有效的电子邮箱地址。"), code=Refusal.INVALID, field="email") from exc
        roles = _roles(roles)
        password = get_random_string(PASSWORD_LENGTH, PASSWORD_CHARS)
        # the whole name in one field: ``person`` shows 姓+名 joined, so nothing is guessed about
        # where a surname ends
        user = User(username=username, last_name=full_name, first_name="", email=email)
        user.set_password(password)
        user.save()
        for role in roles:  # one by one: each save is a signal (what the navigation counts changes)
            Membership.objects.create(user=user, institution=locked, role=role, external=external)
        account = {"added": {"name": _msgid(User._meta.verbose_name or ""), "object": username,
                             "account": True, **_member(user)}}
        _record(by, locked, CHANGE, [account, *(_role_part("added", user, role) for role in roles)])
        return NewAccount(user=user, password=password)


def member_set_roles(
    *, institution: Institution, by: Any, member: Any, roles: list[str], external: bool, affiliation: str = ""
) -> Any:
    """Make ``roles`` the member's roles in the institution (granting and removing), and set
    whether they are an external person and their affiliation (an expert tied to a case's
    counterparty may not sit on its panel). The institution always keeps an institution admin."""
    with transaction.atomic():
        locked = _lock(institution, by)
        held = {m.role: m for m in Membership.objects.select_for_update().filter(institution=locked, user=member)}
        if not held:
            raise ActionRefused(_("该用户不是本单位成员。"), code=Refusal.NOT_MEMBER)
        roles = _roles(roles)
        added = [role for role in roles if role not in held]
        removed = [role for role in held if role not in roles]
        was_external = any(m.external for m in held.values())
        affiliation = limit_text(affiliation.strip(), Membership._meta.get_field("affiliation").verbose_name,
                                 max_length=60, single_line=True)
        was_affiliation = next((m.affiliation for m in held.values() if m.affiliation), "")
        if not added and not removed and was_external == external and was_affiliation == affiliation:
            raise ActionRefused(_("角色没有变化。"), code=Refusal.UNCHANGED)
        if Role.INSTITUTION_ADMIN in removed:
            _keeps_an_admin(locked, losing=member, by=by)
        Membership.objects.filter(institution=locked, user=member, role__in=removed).delete()
        for role in added:  # one by one: each save is a signal (what the navigation counts changes)
            Membership.objects.create(user=member, institution=locked, role=role, external=external,
                                      affiliation=affiliation)
        parts = [_role_part("added", member, r) for r in added] + [_role_part("deleted", member, r) for r in removed]
        if was_affiliation != affiliation:
            Membership.objects.filter(institution=locked, user=member).update(affiliation=affiliation)
            label = _msgid(Membership._meta.get_field("affiliation").verbose_name)
            parts.append({"changed": {"fields": [label], "affiliation": affiliation, **_member(member)}})
        if was_external != external:
            Membership.objects.filter(institution=locked, user=member).update(external=external)
            label = _msgid(Membership._meta.get_field("external").verbose_name)
            parts.append({"changed": {"fields": [label], "external": external, **_member(member)}})
        _record(by, locked, CHANGE, parts)
        _forget(member, by)
        return member


def member_remove(*, institution: Institution, by: Any, member: Any) -> None:
    """Take every role of the member in the institution away (the account stays)."""
    with transaction.atomic():
        locked = _lock(institution, by)
        memberships = Membership.objects.select_for_update().filter(institution=locked, user=member)
        held = list(memberships.values_list("role", flat=True))
        if not held:
            raise ActionRefused(_("该用户不是本单位成员。"), code=Refusal.NOT_MEMBER)
        if Role.INSTITUTION_ADMIN in held:
            _keeps_an_admin(locked, losing=member, by=by)
        Membership.objects.filter(institution=locked, user=member).delete()
        _record(by, locked, CHANGE, [_role_part("deleted", member, role) for role in Role.values if role in held])
        _forget(member, by)


# --------------------------------------------------------------------------------------------
# Contact data


def institution_update_contact(*, institution: Institution, by: Any, fields: dict[str, str]) -> Institution:
    """The offices, e-mail, telephone and address notices print (notices already issued keep theirs)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(institution, by)
        before = {name: getattr(locked, name) for name in CONTACT_FIELDS}
        for name in CONTACT_FIELDS:
            model_field = Institution._meta.get_field(name)
            value = _text(name, fields.get(name, before[name]), model_field.verbose_name,  # type: ignore[union-attr]
                          max_length=model_field.max_length or 254,  # type: ignore[union-attr]
                          required=not model_field.blank)  # type: ignore[union-attr]
            setattr(locked, name, value)
        others = [f.name for f in Institution._meta.concrete_fields if f.name not in CONTACT_FIELDS]
        try:
            locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise FieldRefused(messages[0], code=Refusal.INVALID, field=name) from exc
        changed = [name for name in CONTACT_FIELDS if getattr(locked, name) != before[name]]
        if not changed:
            raise ActionRefused(_("联系信息没有变化。"), code=Refusal.UNCHANGED)
        locked.save(update_fields=changed)
        labels = [_msgid(Institution._meta.get_field(name).verbose_name) for name in changed]  # type: ignore[union-attr]
        _record(by, locked, CHANGE, [{"changed": {"fields": labels, "contact": changed}}])
        return locked


# --------------------------------------------------------------------------------------------
# Rule pack


def institution_rules_new_version(
    *, institution: Institution, by: Any, changes: dict[str, Any], note: str = ""
) -> RulePack:
    """A new version of the institution's rule pack with ``changes`` (the values the form shows;
    those equal to the current version's are no change). The institution uses it from now on, so
    cases submitted from now on pin it; cases already submitted keep the version they pinned. A value
    below its legal floor is refused citing the clause, and nothing is created."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not rule pack fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(institution, by)
        base = locked.rule_pack
        note = _text("note", note, gettext_lazy("修订说明"), max_length=RULE_NOTE_MAX)
        if "name" in changes:
            changes = {**changes, "name": _text("name", changes["name"], RulePack._meta.get_field("name").verbose_name,
                                                max_length=200, required=True)}
        changed = {name: value for name, value in changes.items() if getattr(base, name) != value}
        if not changed:
            raise ActionRefused(_("规则没有变化，未生成新版本。"), code=Refusal.UNCHANGED)
        forked = base.code != institution_pack_code(locked)
        if forked and "name" not in changed:
            changed["name"] = f"{locked.name} · {base.name}"[:200]
        try:
            pack = rule_pack_new_version_for(institution=locked, changes=changed)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            codes = {error.code for error in exc.error_dict.get(name, [])}
            code = Refusal.BELOW_FLOOR if codes & {"below_floor", "min_value"} else Refusal.INVALID
            raise FieldRefused(messages[0], code=code, field=name) from exc
        rules = [name for name in EDITABLE_FIELDS if name in changed and name != "name"]
        details = {"rules": rules, "note": note, "based_on": str(base) if forked else ""}
        _record(by, pack, ADDITION, [{"added": {"name": _msgid(RulePack._meta.verbose_name or ""),
                                                "object": str(pack), "institution": locked.code, **details}}])
        _record(by, locked, CHANGE, [{"changed": {
            "fields": [_msgid(Institution._meta.get_field("rule_pack").verbose_name)],  # type: ignore[union-attr]
            "rule_pack": pack.pk, "version": pack.version, "pack_name": pack.name, **details,
        }}])
        return pack
