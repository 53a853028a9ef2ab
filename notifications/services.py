"""The one way the portal sends e-mail.

Callers describe an e-mail (recipient, template, context, a de-duplication key); this module renders it
in the recipient's language and delivers it only after the surrounding transaction commits, so a rolled
back change never e-mails anybody.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(*, template: str, context: Mapping, language: str) -> RenderedEmail:
    """Render templates/notifications/email/<template>.{subject.txt,txt,html} in `language`."""
    base = f"notifications/email/{template}"
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{base}.subject.txt", context)
        return RenderedEmail(
            subject=" ".join(subject.split()),
            text=render_to_string(f"{base}.txt", context),
            html=render_to_string(f"{base}.html", context),
        )


def email_queue(
    *,
    recipient,
    template: str,
    context: Mapping,
    dedup_key: str,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
) -> None:
    """Send `template` to `recipient` (a User, or a plain address for the secretariat) after commit.

    `dedup_key` names the event and the recipient (for example "organisation-join-decided:42"); the outbox
    keys its rows on it so one event never e-mails the same person twice. `attachments` are
    (filename, content, mimetype) triples, such as an event's .ics file.
    """
    address = recipient if isinstance(recipient, str) else recipient.email
    language = getattr(recipient, "preferred_language", settings.LANGUAGE_CODE)
    if not isinstance(recipient, str) and not recipient.is_active:
        return
    rendered = email_render(template=template, context={"recipient": recipient, **context}, language=language)

    def deliver() -> None:
        message = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, to=[address], headers={"X-WeGO-Key": dedup_key}
        )
        message.attach_alternative(rendered.html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()

    transaction.on_commit(deliver)
