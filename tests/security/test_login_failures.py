import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_failed_sign_in_is_logged_without_the_password(client, user, caplog):
    with caplog.at_level(logging.WARNING, logger="wego.security"):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-123"})
    [record] = [r for r in caplog.records if r.name == "wego.security"]
    assert user.email in record.getMessage() and "127.0.0.1" in record.getMessage()
    assert "wrong-password-123" not in record.getMessage()
