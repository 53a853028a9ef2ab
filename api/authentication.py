"""`Authorization: Bearer wego_…`: the organisation token's creator becomes the request's user, limited to what
the token allows (api/permissions.py). Every refusal says why, as JSON with 401."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.rules import is_organisation_admin

from .models import OrganisationToken
from .services import TOKEN_START, token_digest, token_used

MAX_TOKEN_LENGTH = 100


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _space, raw = header.partition(" ")
        if scheme != self.keyword:
            return None
        raw = raw.strip()
        if not raw.startswith(TOKEN_START) or len(raw) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("This is not an API token of the portal."))
        token = (
            OrganisationToken.objects.select_related("organisation", "created_by")
            .filter(key_hash=token_digest(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This API token is unknown. Check that it was copied whole."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("This API token was revoked. Ask an administrator for a new one."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This API token has expired. Ask an administrator for a new one."))
        user = token.created_by
        if token.is_staff_token:
            # What the staff member may still read is each endpoint's question (api/staff.py).
            if not user.is_active or not user.is_staff:
                raise exceptions.AuthenticationFailed(
                    _("The person who created this staff token is no longer on the secretariat's staff.")
                )
        elif not user.is_active or not is_organisation_admin(user, token.organisation):
            raise exceptions.AuthenticationFailed(
                _("The person who created this API token no longer administers the organisation.")
            )
        token_used(token)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the organisation token."""

    target_class = OrganisationTokenAuthentication
    name = "organisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token (wego_…) made on the tokens page: an organisation's, by one of its administrators, for "
                "/api/v1/organisation/; a staff token, by a staff member with the second factor, for /api/v1/staff/."
            ),
        }
