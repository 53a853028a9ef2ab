"""Finding 5 of the security review: e-mails quote a bounded excerpt of what people typed, never all of it."""

import pytest

from clusters.services import theme_suggestion_create
from notifications.excerpts import EXCERPT_CHARACTERS, excerpt
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_a_suggestion_at_the_maximum_length_is_mailed_as_a_bounded_excerpt(user):
    rationale, participants = "R" * 4000, "P" * 2000

    theme_suggestion_create(by=user, title="Urban Resilience", rationale=rationale, participants=participants)

    email = OutboundEmail.objects.get(template="theme_suggested")
    # Two quoted texts of at most 500 characters each, and the rest of the e-mail around them.
    assert len(email.text) < 2 * EXCERPT_CHARACTERS + 1000
    assert len(email.html) < 2 * EXCERPT_CHARACTERS + 3000
    assert "R" * (EXCERPT_CHARACTERS - 1) + "…" in email.text
    assert "the full text is on the portal" in email.text
    assert f"/admin/clusters/themesuggestion/{email.dedup_key.split(':')[1]}/change/" in email.text


def test_a_short_text_is_quoted_whole():
    assert excerpt("  Floods.\nHeat waves.  ") == "Floods.\nHeat waves."
