"""Confirmations shown where the person is looking (core/messages.py): a message queued for a part of the page is
shown inside it, focused and announced; the others stay at the top; none is lost when the part is missing."""

import re

from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import Context, Template
from django.test import RequestFactory

from core.messages import message_at, place_of

PAGE = Template(
    "{% load portal %}<top>{% top_messages %}</top>"
    '<section id="kpis">{% messages_at "kpis" %}</section>'
    "<end>{% messages_left_over %}</end>"
)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _render(request) -> str:
    return PAGE.render(Context({"messages": messages.get_messages(request)}))


def _part(html: str, tag: str) -> str:
    return re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S).group(1)


def test_message_at_returns_the_fragment_to_redirect_to_and_remembers_the_place():
    request = _request()

    fragment = message_at(request, messages.SUCCESS, "Draft saved.", place="kpis")

    assert fragment == "#kpis-messages"
    [message] = messages.get_messages(request)
    assert place_of(message) == "kpis"
    assert message.level_tag == "success"


def test_a_placed_message_is_shown_in_its_part_where_the_page_opens_and_nowhere_else():
    request = _request()
    message_at(request, messages.SUCCESS, "Draft saved.", place="kpis")
    messages.info(request, "Welcome back.")

    html = _render(request)

    section = _part(html, "section")
    assert "Draft saved." in section
    assert re.search(
        r'<div id="kpis-messages" class="messages messages-placed" role="status" aria-live="polite">', section
    )
    assert 'class="alert alert-success"' in section
    assert "Welcome back." in _part(html, "top") and "Draft saved." not in _part(html, "top")
    assert "Draft saved." not in _part(html, "end")


def test_a_message_for_a_part_the_page_does_not_show_is_shown_at_its_end():
    request = _request()
    message_at(request, messages.ERROR, "This request has already been decided.", place="gone")

    html = _render(request)

    assert "This request has already been decided." in _part(html, "end")
    assert 'class="alert alert-danger"' in _part(html, "end")
    assert "messages-placed" not in html
