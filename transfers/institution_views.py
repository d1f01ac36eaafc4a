"""The institution admin's screens (not Django's admin): members and their roles, the contact data
and objection office, and the rule pack's versions. Each view finds the institution through
``selectors.institutions`` (404 unless the user is an institution admin of that very institution),
parses its form, calls one service and redirects; a refusal is shown on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import clock
from .institution_forms import (
    DUE_STAGES,
    AccountCreateForm,
    ContactForm,
    MemberAddForm,
    MemberRolesForm,
    RulesForm,
    SubstituteForm,
)
from .models import Institution, Membership, Role, Stage, Substitution
from .permissions import DELEGABLE_ROLES
from .selectors import institutions as selectors
from .selectors.rules import INSTITUTION_RULE, rule_rows
from .services import institutions as services
from .services.errors import ActionRefused
from .services.substitutions import substitution_cancel, substitution_create
from .wording import join_names

MEMBERS_PER_PAGE = 50


def _page(request: HttpRequest, template: str, institution: Institution, section: str,
          context: dict[str, Any], *, form: Any = None) -> HttpResponse:
    """Render a page of the institution's screens; a form with errors answers 400."""
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, {"institution": institution, "section": section, "form": form, **context},
                  status=status)


def _overview_url(institution: Institution) -> str:
    return reverse("institutions:overview", args=[institution.code])


@login_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    """The institutions the user administers (straight to it when there is one); 404 for others."""
    institutions = list(selectors.institutions_administered_by(request.user))
    if not institutions:
        raise Http404
    if len(institutions) == 1:
        return redirect(_overview_url(institutions[0]))
    return render(request, "transfers/institution/index.html", {"institutions": institutions})


@login_required
@never_cache
def overview(request: HttpRequest, code: str) -> HttpResponse:
    institution = selectors.institution_administered_by(request.user, code)
    context = {
        "role_counts": selectors.role_counts(institution),
        "pack": institution.rule_pack,
        "history": selectors.institution_history(institution),
    }
    return _page(request, "transfers/institution/overview.html", institution, "overview", context)


# --------------------------------------------------------------------------------------------
# Members


@login_required
@never_cache
def members(request: HttpRequest, code: str) -> HttpResponse:
    institution = selectors.institution_administered_by(request.user, code)
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    page = Paginator(selectors.members_of(institution, query=query, role=role), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": [selectors.member_row(user) for user in page],
        "q": query,
        "role": role,
        "roles": Role.choices,
    }
    return _page(request, "transfers/institution/members.html", institution, "members", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    """Grant roles to an existing account."""
    institution = selectors.institution_administered_by(request.user, code)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.member_add(
                institution=institution,
                by=request.user,
                username=form.cleaned_data["username"],
                roles=form.cleaned_data["roles"],
                external=form.cleaned_data["external"],
            )
            messages.success(request, _("已为 %(member)s 授予角色。") % {"member": user.get_username()})
            return redirect("institutions:member", institution.code, user.pk)
        except ActionRefused as refusal:
            form.refuse(refusal)
    return _page(request, "transfers/institution/member_add.html", institution, "members", {}, form=form)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, code: str) -> HttpResponse:
    """Create an account and grant it roles; the initial password is shown on this one response."""
    institution = selectors.institution_administered_by(request.user, code)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.member_create_account(
                institution=institution,
                by=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                external=form.cleaned_data["external"],
            )
            # rendered, not redirected: the password must not travel in a message cookie or a session
            response = _page(request, "transfers/institution/account_created.html", institution, "members",
                             {"account": account})
            response["Cache-Control"] = "no-store"
            return response
        except ActionRefused as refusal:
            form.refuse(refusal)
    return _page(request, "transfers/institution/account_create.html", institution, "members", {}, form=form)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member(request: HttpRequest, code: str, user_pk: int) -> HttpResponse:
    """A member's roles in the institution: change them (checkboxes) or remove the member."""
    institution = selectors.institution_administered_by(request.user, code)
    user = selectors.member_of(institution, user_pk)
    row = selectors.member_row(user)
    form = MemberRolesForm(request.POST or None, initial={"roles": row.role_codes, "external": row.external,
                                                          "affiliation": row.affiliation})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_roles(
                institution=institution,
                by=request.user,
                member=user,
                roles=form.cleaned_data["roles"],
                external=form.cleaned_data["external"],
                affiliation=form.cleaned_data["affiliation"],
            )
            messages.success(request, _("%(member)s 的角色已更新。") % {"member": user.get_username()})
            if not selectors.institutions_administered_by(request.user).filter(pk=institution.pk).exists():
                return redirect("home")  # the admin gave up their own admin role
            return redirect("institutions:member", institution.code, user.pk)
        except ActionRefused as refusal:
            form.refuse(refusal)
    context = {"row": row, "is_self": user.pk == request.user.pk}
    return _page(request, "transfers/institution/member.html", institution, "members", context, form=form)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, code: str, user_pk: int) -> HttpResponse:
    """Confirm, then take every role of the member in the institution away."""
    institution = selectors.institution_administered_by(request.user, code)
    user = selectors.member_of(institution, user_pk)
    row = selectors.member_row(user)
    refusals: list[dict[str, str]] = []  # for the error summary
    if request.method == "POST":
        try:
            services.member_remove(institution=institution, by=request.user, member=user)
            messages.success(request, _("已将 %(member)s 移出本单位。") % {"member": user.get_username()})
            if not selectors.institutions_administered_by(request.user).filter(pk=institution.pk).exists():
                return redirect("home")
            return redirect("institutions:members", institution.code)
        except ActionRefused as refusal:
            refusals.append({"message": str(refusal)})
    context = {"row": row, "refusals": refusals, "roles_text": join_names(label for _code, label in row.roles)}
    response = _page(request, "transfers/institution/member_remove.html", institution, "members", context)
    if refusals:
        response.status_code = 400
    return response


# --------------------------------------------------------------------------------------------
# Substitutes


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def substitutes(request: HttpRequest, code: str) -> HttpResponse:
    """Who acts for whom: every arrangement of the institution; the admin names a substitute for a
    reviewer who cannot (an absence that was not planned) or cancels one."""
    institution = selectors.institution_administered_by(request.user, code)
    members = list(
        get_user_model().objects.filter(memberships__institution=institution, is_active=True).distinct()
        .order_by("last_name", "first_name", "username")
    )
    reviewers = [m for m in members if Membership.objects.filter(
        user=m, institution=institution, role__in=DELEGABLE_ROLES).exists()]
    form = SubstituteForm(request.POST or None, reviewers=reviewers, members=members)
    if request.method == "POST" and request.POST.get("cancel"):
        if not request.POST["cancel"].isdigit():
            raise Http404
        arrangement = get_object_or_404(Substitution, pk=int(request.POST["cancel"]), institution=institution)
        substitution_cancel(substitution=arrangement, by=request.user)
        messages.success(request, _("已取消代理安排。"))
        return redirect("institutions:substitutes", institution.code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = {m.pk: m for m in members}
        try:
            substitution_create(institution=institution, principal=people[data["principal"]],
                                substitute=people[data["substitute"]], starts_on=data["starts_on"],
                                ends_on=data["ends_on"], reason=data["reason"], by=request.user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已安排代理人。"))
            return redirect("institutions:substitutes", institution.code)
    arrangements = (Substitution.objects.filter(institution=institution)
                    .select_related("principal", "substitute", "created_by"))
    return _page(request, "transfers/institution/substitutes.html", institution, "substitutes",
                 {"arrangements": arrangements, "today": clock.china_today()}, form=form)


# --------------------------------------------------------------------------------------------
# Contact data


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, code: str) -> HttpResponse:
    institution = selectors.institution_administered_by(request.user, code)
    form = ContactForm(request.POST or None, instance=Institution.objects.get(pk=institution.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update_contact(institution=institution, by=request.user, fields=form.values())
            messages.success(request, _("联系信息已保存，此后发布的公示将使用新的信息。"))
            return redirect("institutions:contact", institution.code)
        except ActionRefused as refusal:
            form.refuse(refusal)
    return _page(request, "transfers/institution/contact.html", institution, "contact", {}, form=form)


# --------------------------------------------------------------------------------------------
# Rule pack


@login_required
@never_cache
def rules(request: HttpRequest, code: str) -> HttpResponse:
    """The rules in force, each with its clause, and every version the institution has used."""
    institution = selectors.institution_administered_by(request.user, code)
    context = {**_rules_context(institution.rule_pack), "versions": selectors.rule_pack_versions(institution)}
    return _page(request, "transfers/institution/rules.html", institution, "rules", context)


@login_required
@never_cache
def rule_pack_version(request: HttpRequest, code: str, pack_pk: int) -> HttpResponse:
    institution = selectors.institution_administered_by(request.user, code)
    pack = selectors.rule_pack_of(institution, pack_pk)
    context = {**_rules_context(pack), "current": pack.pk == institution.rule_pack_id}
    return _page(request, "transfers/institution/rule_pack.html", institution, "rules", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A new version of the rule pack: the form shows the current values beside their clauses."""
    institution = selectors.institution_administered_by(request.user, code)
    pack = institution.rule_pack
    form = RulesForm(request.POST or None, pack=pack)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.institution_rules_new_version(
                institution=institution, by=request.user, changes=form.changes(), note=form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("已生成规则包“%(name)s”第 %(version)s 版，此后提交的案件适用新版本；已提交的案件仍适用原版本。")
                % {"name": new.name, "version": new.version},
            )
            return redirect("institutions:rules", institution.code)
        except ActionRefused as refusal:
            form.refuse(refusal)
    return _page(request, "transfers/institution/rules_edit.html", institution, "rules", {"pack": pack}, form=form)


def _rules_context(pack: Any) -> dict[str, Any]:
    """A version's rules with their clauses, and each stage's due days (None: no due date)."""
    return {
        "pack": pack,
        "rows": rule_rows(pack),
        "due": [{"stage": Stage(stage).label, "days": pack.due_days(stage)} for stage in DUE_STAGES],
        "due_clause": pack.clause("stage_due_days") or INSTITUTION_RULE,
    }
