"""The portal's words in another language, read from its catalogues, so a journey in Korean, Spanish or French
finds labels as a person reading that language would."""

from tests.i18n.catalogue import catalogue


def translated(language: str, english: str) -> str:
    """The catalogue's translation of `english`; fails when there is none, since the page would show English."""
    entry = catalogue(language).find(english)
    assert entry is not None and entry.msgstr, f"No {language} translation of {english!r}"
    return entry.msgstr
