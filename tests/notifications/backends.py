"""E-mail backends that behave like a broken mail server, for the delivery tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """Every send fails as an SMTP server that rejects the connection would; counts the attempts."""

    attempts: list[str] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            RefusingBackend.attempts.append(message.to[0])
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class BrokenMessageBackend(BaseEmailBackend):
    """A failure that retrying cannot fix (as a malformed message would raise)."""

    def send_messages(self, email_messages):
        raise ValueError("Header values can't contain newlines")
