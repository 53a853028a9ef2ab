"""E-mails are written in the recipient's preferred language, and their links open the page in it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts import services
from notifications.models import OutboundEmail
from notifications.services import email_render
from tests.factories import OrganisationMembershipFactory, UserFactory

from .catalogue import TRANSLATED_LANGUAGES

pytestmark = pytest.mark.django_db


def _approved_join_email(language: str) -> OutboundEmail:
    """A real e-mail: an organisation's administrator (in English) approves a request to join."""
    administrator = OrganisationMembershipFactory(role="admin", user__preferred_language="en")
    requester = UserFactory(preferred_language=language)
    membership = services.membership_request(user=requester, organisation=administrator.organisation)
    services.membership_approve(membership=membership, by=administrator.user, note="")
    return OutboundEmail.objects.get(recipient=requester.email, template="organisation_join_approved")


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_email_link_carries_the_recipient_language(language):
    email = _approved_join_email(language)

    with translation.override(language):
        link = settings.SITE_URL + reverse("accounts:organisation")
    assert email.language == language
    assert link in email.text
    assert f'href="{link}"' in email.html


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_email_subject_and_body_are_in_the_recipient_language(language):
    email = _approved_join_email(language)
    english = email_render(
        template="organisation_join_approved",
        context={"organisation": email.recipient_user.active_membership.organisation, "membership": None},
        language="en",
    )

    assert email.subject != english.subject
    first_line = english.text.strip().splitlines()[0]
    assert first_line not in email.text


def test_an_english_recipient_gets_english_with_english_links():
    email = _approved_join_email("en")

    assert email.subject.startswith("Welcome to ")
    assert re.search(rf"{re.escape(settings.SITE_URL)}/en/me/organisation/", email.text)
