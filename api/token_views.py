"""The organisation's API tokens page (/me/tokens/): its administrators create tokens, see each one's last use,
and revoke them. A new token is shown once: its secret waits in the creator's session for the redirect that
follows the creation (so a reload cannot create a second one) and is removed from it as the page shows it; the
database keeps only its digest."""

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
from .forms import TokenForm
from .models import OrganisationToken

NEW_TOKEN_SESSION_KEY = "api_new_token"


def _page(request, form, *, new_token=None, status=200):
    organisation = request.user.organisation
    response = render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "tokens": selectors.tokens_of(organisation),
            "form": form,
            "new_token": new_token,
        },
        status=status,
    )
    # The page may hold a secret shown once: no browser or proxy keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def tokens(request):
    organisation = request.user.organisation
    if not rules.test_rule("api.manage_tokens", request.user, organisation):
        return forbidden(
            request,
            _("Only an administrator of an organisation can manage its API tokens."),
            link=("/", _("Back to the home page")),
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, status=400)
        try:
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
        token = OrganisationToken.objects.filter(pk=shown["pk"], organisation=organisation).first()
        new_token = {"token": token, "secret": shown["secret"]} if token else None
    return _page(request, form, new_token=new_token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(OrganisationToken, pk=pk)
    if not rules.test_rule("api.manage_tokens", request.user, token.organisation):
        raise Http404
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
