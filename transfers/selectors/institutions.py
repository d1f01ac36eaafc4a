"""The institution admin's reads: the institutions a user administers, their members and roles, the
rule pack versions the institution has used (with who made each) and the record of changes.

An institution is reached only by an institution admin of it: anyone else gets a 404, whether or
not the code exists; a member or a rule pack version outside that institution is a 404 too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Institution, Membership, Role, RulePack, TransferCase
from ..services.rules import institution_pack_code
from ..wording import join_names

#: what an institution code looks like (``Institution.code``): anything else never reaches the database
INSTITUTION_CODE = re.compile(r"[A-Z][A-Z0-9]{1,19}")


def institutions_administered_by(user: Any) -> QuerySet[Institution]:
    """The institutions where the (active) user holds the institution admin role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Institution.objects.none()
    ids = Membership.objects.filter(user=user, role=Role.INSTITUTION_ADMIN).values("institution_id")
    return Institution.objects.filter(pk__in=ids).order_by("code")


def institution_administered_by(user: Any, code: str) -> Institution:
    """The institution of ``code`` if the user administers it, else 404 (whether or not it exists)."""
    if not INSTITUTION_CODE.fullmatch(code or ""):
        raise Http404
    try:
        return institutions_administered_by(user).select_related("rule_pack").get(code=code)
    except Institution.DoesNotExist as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------------------------
# Members


@dataclass
class MemberRow:
    user: Any
    roles: list[tuple[str, str]] = field(default_factory=list)
    external: bool = False
    affiliation: str = ""

    @property
    def role_codes(self) -> list[str]:
        return [code for code, _label in self.roles]


def _roles_here(institution: Institution) -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.filter(institution=institution), to_attr="roles_here")


def members_of(institution: Institution, *, query: str = "", role: str = "") -> QuerySet[Any]:
    """The users holding any role in the institution, by name, each with ``roles_here``."""
    users = get_user_model().objects.filter(pk__in=Membership.objects.filter(institution=institution).values("user_id"))
    if role in Role.values:
        users = users.filter(memberships__institution=institution, memberships__role=role)
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(email__icontains=query)
        )
    return users.prefetch_related(_roles_here(institution)).order_by("last_name", "first_name", "username")


def member_row(user: Any) -> MemberRow:
    """A user of ``members_of``/``member_of`` with their roles in the institution, in ``Role`` order."""
    held = {m.role: m for m in user.roles_here}
    roles = [(code, str(label)) for code, label in Role.choices if code in held]
    return MemberRow(user=user, roles=roles, external=any(m.external for m in held.values()),
                     affiliation=next((m.affiliation for m in held.values() if m.affiliation), ""))


def member_of(institution: Institution, user_pk: int) -> Any:
    """A member of the institution (with ``roles_here``), else 404: another institution's user is
    never reached through this one."""
    try:
        return members_of(institution).get(pk=user_pk)
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def role_counts(institution: Institution) -> list[tuple[str, int]]:
    """How many people hold each role in the institution, in ``Role`` order."""
    counts = dict(
        Membership.objects.filter(institution=institution).values_list("role").annotate(n=Count("pk")).order_by()
    )
    return [(str(label), counts.get(code, 0)) for code, label in Role.choices]


# --------------------------------------------------------------------------------------------
# Rule pack versions


def _packs_of(institution: Institution) -> Q:
    """The versions the institution has used: its own pack's, the current one, those its cases pinned."""
    pinned = TransferCase.objects.filter(institution=institution, rule_pack__isnull=False).values("rule_pack_id")
    return Q(code=institution_pack_code(institution)) | Q(pk=institution.rule_pack_id) | Q(pk__in=pinned)


def rule_pack_of(institution: Institution, pk: int) -> RulePack:
    """A version the institution has used, else 404."""
    try:
        return RulePack.objects.filter(_packs_of(institution)).get(pk=pk)
    except RulePack.DoesNotExist as exc:
        raise Http404 from exc


def rule_pack_versions(institution: Institution) -> list[dict[str, Any]]:
    """The versions the institution has used, newest first: who made each (none for a pack the
    system installed), the note and rules changed, how many of this institution's cases pinned it."""
    packs = list(
        RulePack.objects.filter(_packs_of(institution))
        .annotate(pinned_by=Count("cases", filter=Q(cases__institution=institution)))
        .order_by("-created_at", "-pk")
    )
    # who made each version: the first line about it (ours, or Django admin's for a superuser's edit)
    entries: dict[int, LogEntry] = {}
    for line in LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RulePack),
        object_id__in=[str(p.pk) for p in packs],
        action_flag__in=[ADDITION, CHANGE],
    ).select_related("user").order_by("action_time", "pk"):
        if line.object_id and line.object_id.isdigit():
            entries.setdefault(int(line.object_id), line)
    rows = []
    for pack in packs:
        entry = entries.get(pack.pk)
        details = next((values for _kind, values in _parts(entry)), {}) if entry else {}
        rows.append({
            "pack": pack,
            "current": pack.pk == institution.rule_pack_id,
            "by": entry.user if entry else None,
            "note": details.get("note", ""),
            "based_on": details.get("based_on", ""),
            "rules": join_names(_rule_label(name) for name in details.get("rules", [])),
            "cases": pack.pinned_by,  # type: ignore[attr-defined]
        })
    return rows


def _rule_label(name: str) -> str:
    try:
        return str(RulePack._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except Exception:
        return name


# --------------------------------------------------------------------------------------------
# The record of changes (Django's append-only ``LogEntry``), each line in the reader's language


def _parts(entry: LogEntry) -> list[tuple[str, dict[str, Any]]]:
    """The parts of an entry's change message (the admin's format: ``[{"added": {...}}, ...]``)."""
    try:
        parts = json.loads(entry.change_message or "[]")
    except ValueError:
        return []
    if not isinstance(parts, list):
        return []
    return [
        (kind, values)
        for part in parts
        if isinstance(part, dict)
        for kind, values in part.items()
        if isinstance(values, dict)
    ]


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def _who(values: dict[str, Any]) -> str:
    name, username = values.get("member_name", ""), values.get("member", "")
    return f"{name}（{username}）" if name and name != username else username


def _line(kind: str, values: dict[str, Any]) -> str:
    if "role" in values:
        message = _("授予 %(member)s“%(role)s”角色") if kind == "added" else _("撤销 %(member)s 的“%(role)s”角色")
        return message % {"member": _who(values), "role": _role_label(values["role"])}
    if kind == "registered":
        return _("登记单位“%(name)s”（%(code)s）") % {"name": values.get("object", ""), "code": values.get("code", "")}
    if values.get("account"):
        return _("新建账号 %(member)s") % {"member": _who(values)}
    if "external" in values:
        message = _("将 %(member)s 标记为外部人员") if values["external"] else _("取消 %(member)s 的外部人员标记")
        return message % {"member": _who(values)}
    if "affiliation" in values:
        return _("将 %(member)s 的工作单位改为“%(affiliation)s”") % {
            "member": _who(values), "affiliation": values["affiliation"] or "—"}
    if "contact" in values:
        labels = [str(Institution._meta.get_field(n).verbose_name) for n in values["contact"]]  # type: ignore[union-attr]
        return _("修改联系信息：%(fields)s") % {"fields": join_names(labels)}
    if "rule_pack" in values:
        name, version = values.get("pack_name", ""), values["version"]
        return _("启用规则包“%(name)s”第 %(version)s 版") % {"name": name, "version": version}
    return ""


def institution_history(institution: Institution, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest changes made on the institution's screens: when, who, what (each part a line)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Institution), object_id=str(institution.pk)
    ).select_related("user").order_by("-action_time", "-pk")[:limit]
    history = []
    for entry in entries:
        lines = [line for kind, values in _parts(entry) if (line := _line(kind, values))]
        history.append({"at": entry.action_time, "by": entry.user, "lines": lines or [entry.get_change_message()]})
    return history
