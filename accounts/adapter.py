import hashlib
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.client_address import client_address
from notifications.services import RenderedEmail, email_queue_rendered, email_render_plain

# The links allauth puts in its e-mails; they are given the recipient's language.
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails call the site ("Hello from ...!"): the portal's name and public host, never
    the host a request happened to use (allauth's fallback without django.contrib.sites)."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=str(_("WeGO Cluster Portal")), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """Sends people who do not yet belong to an organisation to the step that sets one up, switches the
    portal to the person's preferred language as they sign in, and sends allauth's e-mails through the
    outbox like every other e-mail of the portal."""

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

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        """allauth's account notices (password changed, e-mail changed, two-factor on) name the user, so
        send_mail can write them in the user's language even to an address the user no longer has."""
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth e-mail (verification, password reset, "no account with this address", notices)
        becomes an outbox row in the current transaction, in the recipient's language: the user's preferred
        one, or the page's for an address without an account. Links open the portal in that language."""
        request = allauth_context.request
        user = context.get("user") or _user_with_address(email)
        language = getattr(user, "preferred_language", None) or translation.get_language() or settings.LANGUAGE_CODE
        links = {name: translate_url(context[name], language) for name in EMAIL_LINKS if context.get(name)}

        def render() -> RenderedEmail:
            with translation.override(language):
                ctx = {"request": request, "email": email, **context, **links, "current_site": portal_site()}
                message = self.render_mail(template_prefix, email, ctx)
            return email_render_plain(subject=message.subject, text=message.body, language=language)

        email_queue_rendered(
            address=email,
            user=user,
            language=language,
            template=template_prefix,
            render=render,
            dedup_key=_dedup_key(request, template_prefix, email, user),
        )


def _user_with_address(email: str):
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    return address.user if address else None


def _dedup_key(request, template_prefix: str, email: str, user) -> str:
    """One request sends one such e-mail to one address once; a later request (another reset, another
    verification link asked for) is another e-mail. allauth's rate limits bound how many requests count."""
    request_key = getattr(request, "_outbox_request_key", None) or uuid.uuid4().hex
    if request is not None:
        request._outbox_request_key = request_key
    address = hashlib.sha256(email.lower().encode()).hexdigest()[:16]
    return f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{user.pk if user else '-'}:{address}:{request_key}"
