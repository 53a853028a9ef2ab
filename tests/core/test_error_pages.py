"""When something goes wrong, people get a page in the portal's layout that says what to do next."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


def test_unknown_address_gets_the_portal_page_with_ways_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We could not find that page" in body
    assert reverse("clusters:list") in body
    assert reverse("solutions:directory") in body


def test_a_bug_answers_500_without_touching_the_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "mailto:" in body and 'mailto:"' not in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_database_outage_answers_503_with_retry_after():
    response = Client(raise_request_exception=False).get("/test-errors/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "nothing was saved" in response.content.decode()


def test_permission_denied_without_a_message_still_explains(client):
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "This page is not open to your account." in body
    assert reverse("account_login") in body


@override_settings(ALLOWED_HOSTS=["portal.example"])
def test_a_bad_host_header_gets_a_plain_400():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "could not read this request" in response.content.decode()


def test_an_expired_form_token_says_to_send_again():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Please send the form again" in response.content.decode()
