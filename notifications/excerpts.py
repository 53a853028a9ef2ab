"""E-mails quote what people typed as a bounded excerpt, never whole: the full text stays in the portal."""

from django.utils.translation import gettext as _

# Characters of a person's text an e-mail quotes; the e-mail links to the page that shows all of it.
EXCERPT_CHARACTERS = 500


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """`text` when it is short; otherwise its first `limit` characters, "…" and a pointer to the full text."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    shortened = _("(Shortened: the full text is on the portal.)")
    return f"{text[: limit - 1].rstrip()}…\n{shortened}"
