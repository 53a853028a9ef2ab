from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation

from wego_portal.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Sends people who do not yet belong to an organisation to the step that sets one up, and switches the
    portal to the person's preferred language as they sign in."""

    def post_login(self, request, user, **kwargs):
        previous = translation.get_language()
        language = user.preferred_language or previous
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = super().post_login(request, user, **kwargs)
        if isinstance(response, HttpResponseRedirect):
            # A `next` address still carries the language of the sign-in page: give it the preferred one.
            with translation.override(previous):
                response["Location"] = translate_url(response["Location"], language)
        return response

    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_staff
            and not user.organisation_memberships.exclude(status="declined").exists()
        ):
            return reverse("accounts:organisation_start")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        """The browser's address behind our proxies: allauth's rate limits count per this address."""
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Log-in failures count per account *and* client address: someone guessing at a person's password
        is stopped without refusing that person's own correct log-in from their own address."""
        return f"{self.get_client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"
