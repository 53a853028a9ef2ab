"""The API tokens page (/me/tokens/): an organisation's administrators create its tokens, staff members with the
second factor their own read-only staff tokens; each sees their last use and revokes them. A new token is shown
once: its secret waits in the creator's session for the redirect that follows the creation (so a reload cannot
create a second one) and is removed from it as the page shows it; the database keeps only its digest."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import forbidden

from . import selectors, services
from .forms import StaffTokenForm, TokenForm
from .models import OrganisationToken

NEW_TOKEN_SESSION_KEY = "api_new_token"


def _page(request, forms: dict, *, new_token=None, status=200):
    user = request.user
    organisation = user.organisation
    manages = rules.test_rule("api.manage_tokens", user, organisation)
    response = render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation if manages else None,
            "tokens": selectors.tokens_of(organisation) if manages else [],
            "staff_tokens": selectors.staff_tokens_of(user) if "staff_form" in forms else [],
            "new_token": new_token,
            **forms,
        },
        status=status,
    )
    # The page may hold a secret shown once: no browser or proxy keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


def _forms(request, kind: str | None) -> dict:
    """The page's creation forms: the organisation's for its administrators, the staff one for staff with the
    second factor; the one posted (`kind`) is bound."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    forms = {}
    if rules.test_rule("api.manage_tokens", user, user.organisation):
        forms["form"] = TokenForm(data if kind == "organisation" else None)
    if rules.test_rule("api.make_staff_tokens", user):
        forms["staff_form"] = StaffTokenForm(data if kind == "staff" else None, prefix="staff")
    return forms


@login_required
def tokens(request):
    kind = "staff" if request.POST.get("kind") == "staff" else "organisation"
    forms = _forms(request, kind)
    if not forms:
        return forbidden(
            request,
            _(
                "Only an administrator of an organisation can manage its API tokens, and only staff members who "
                "have activated two-factor authentication can create staff tokens."
            ),
            link=("/", _("Back to the home page")),
        )
    if request.method == "POST":
        form = forms.get("staff_form" if kind == "staff" else "form")
        if form is None:
            return forbidden(
                request, _("You cannot create this kind of token."), link=("/", _("Back to the home page"))
            )
        if not form.is_valid():
            return _page(request, forms, status=400)
        try:
            if kind == "staff":
                token, raw = services.staff_token_create(
                    by=request.user, name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"]
                )
            else:
                token, raw = services.token_create(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    access=form.cleaned_data["access"],
                    valid_days=form.cleaned_data["valid_days"],
                )
        except PermissionDenied as error:
            return forbidden(request, str(error))
        request.session[NEW_TOKEN_SESSION_KEY] = {"pk": token.pk, "secret": raw}
        return redirect("tokens:list")
    shown = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    new_token = None
    if shown:
        # Shown to the person who made it, who just did.
        token = OrganisationToken.objects.filter(pk=shown["pk"], created_by=request.user).first()
        new_token = {"token": token, "secret": shown["secret"]} if token else None
    return _page(request, forms, new_token=new_token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(OrganisationToken.objects.select_related("organisation"), pk=pk)
    if not rules.test_rule("api.revoke_token", request.user, token):
        raise Http404
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
