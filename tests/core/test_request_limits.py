"""Oversized or overstuffed requests get a page in the portal's layout, never a 500, and an oversized body
is refused from its declared length without being read (review issue 21, finding 6)."""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class BodyThatMustNotBeRead(io.RawIOBase):
    """A wsgi.input that claims 100 MB and fails the test if more than a few kilobytes are read."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.served += len(buffer)
        if self.served > 64 * 1024:
            raise AssertionError("the body of an oversized request was read")
        buffer[:] = b"a" * len(buffer)
        return len(buffer)


def test_a_100_mb_upload_is_refused_before_its_body_is_read():
    body = BodyThatMustNotBeRead()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": reverse("account_login"),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(100 * 1024 * 1024),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    page = b"".join(WSGIHandler()(environ, start_response)).decode()
    assert answer["status"].startswith("413")
    assert "What you sent is too large" in page and "at most 12.0\xa0MB in one go" in page
    assert body.served == 0


def test_form_text_over_the_memory_limit_gets_the_too_large_page(settings):
    response = Client(raise_request_exception=False).post(
        reverse("account_login"), {"login": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


def test_far_too_many_fields_get_a_page_that_says_so(settings):
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client(raise_request_exception=False).post(reverse("account_login"), fields)
    assert response.status_code == 400
    assert "The form sent far too many entries" in response.content.decode()
