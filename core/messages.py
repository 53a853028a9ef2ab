"""Confirmations shown where the person is looking.

A form low on a long page (a worksheet section, a request on the leader page) sends the person back to its own
part of the page; a message at the top of the page would then be out of view. A view queues it with
`message_at(request, messages.SUCCESS, text, place="section-kpis")` and redirects to the address plus the fragment
it returns; the template shows it inside that part, `{% messages_at "section-kpis" %}` (core/templatetags/portal.py),
as a status (role="status") whose id is that fragment. So the page opens at the confirmation (its scroll margin,
static/css/portal.css, keeps the part's heading in view above it) and a screen reader starts reading there. No
script: autofocus is not applied on a page opened at a fragment. Other messages stay at the top of the page
(base.html), and a placed message whose part the page does not show is shown at its end rather than lost.
"""

from django.contrib import messages
from django.contrib.messages.storage.base import Message

# The message's extra tag that names its place; Django's message framework keeps it through the redirect.
PLACE_TAG = "place:"


def message_at(request, level: int, text: str, *, place: str) -> str:
    """Queue `text` to be shown inside the element whose id is `place`; returns the fragment to redirect to: the
    message's own id (messages_id)."""
    messages.add_message(request, level, text, extra_tags=f"{PLACE_TAG}{place}")
    return f"#{messages_id(place)}"


def messages_id(place: str) -> str:
    """The id of the messages shown inside `place`."""
    return f"{place}-messages"


def place_of(message: Message) -> str:
    """The id of the element the message belongs in, or "" for the top of the page."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PLACE_TAG):
            return tag.removeprefix(PLACE_TAG)
    return ""
