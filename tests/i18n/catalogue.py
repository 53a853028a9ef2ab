"""Reading the message catalogues (locale/<lang>/LC_MESSAGES/django.po) for the translation tests."""

import functools
import html
import re
from pathlib import Path

import polib
from django.conf import settings

TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d ... as Python formats them (msgfmt's python-format check); {name} for str.format.
_PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
_BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def catalogue_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


@functools.cache
def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(language)))


def placeholders(text: str, flags: list[str]) -> list[str]:
    found = sorted(match for match in _PYTHON_PLACEHOLDER.findall(text) if match != "%%")
    if "python-brace-format" in flags:
        found += sorted(_BRACE_PLACEHOLDER.findall(text))
    return found


def _placeholder_problem(entry: polib.POEntry, msgid: str, msgstr: str) -> str | None:
    if "python-format" not in entry.flags and "python-brace-format" not in entry.flags:
        return None
    expected, found = placeholders(msgid, entry.flags), placeholders(msgstr, entry.flags)
    if entry.msgid_plural:
        # A plural form may leave out the count (Korean has one form; "one" may say "a"), never add one.
        if not set(found) <= set(placeholders(entry.msgid_plural, entry.flags)) | set(expected):
            return f"placeholders {found} not in {expected}"
        return None
    if expected != found:
        return f"placeholders {found}, expected {expected}"
    return None


def problems(po: polib.POFile) -> list[str]:
    """Every entry msgfmt --check would refuse, or that would show English: empty, fuzzy, bad placeholders."""
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        label = f"line {entry.linenum}: {entry.msgid[:60]!r}"
        if entry.fuzzy:
            found.append(f"{label}: fuzzy")
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not translations or any(not text.strip() for text in translations):
            found.append(f"{label}: not translated")
            continue
        for text in translations:
            problem = _placeholder_problem(entry, entry.msgid, text)
            if problem:
                found.append(f"{label}: {problem}")
    return found


_WORD = re.compile(r"[A-Za-z]+")


def english_sentences(language: str) -> list[str]:
    """Catalogue texts a reader of `language` must never see in English: whole phrases of three words or
    more, without markup, whose translation differs from the English. Their placeholders (%(name)s) stand for
    whatever the page filled in."""
    sentences = []
    for entry in catalogue(language):
        if entry.obsolete or entry.msgid_plural or entry.msgstr == entry.msgid:
            continue
        text = entry.msgid
        if "{" in text or "<" in text or len(_WORD.findall(_PYTHON_PLACEHOLDER.sub(" ", text))) < 3:
            continue
        sentences.append(" ".join(text.split()))
    return sentences


@functools.cache
def _english_patterns(language: str) -> tuple[tuple[str, str, re.Pattern | None], ...]:
    """Each English sentence, with a pattern where it has placeholders: its words as written, each placeholder
    any text (a text formatted when the code was loaded, in the server's language, shows this way)."""
    patterns = []
    for sentence in english_sentences(language):
        parts = _PYTHON_PLACEHOLDER.split(sentence)
        pattern = re.compile(r".+?".join(re.escape(part) for part in parts)) if len(parts) > 1 else None
        patterns.append((sentence, max(parts, key=len), pattern))  # its longest part is looked for first
    return tuple(patterns)


_SKIPPED_ELEMENTS = re.compile(r"<(script|style|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# Attributes that assistive technology reads out or the browser shows.
_READ_ATTRIBUTES = re.compile(
    r"""\b(?:aria-label|title|placeholder|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE
)


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader (or a screen reader) meets it: text, labels and titles, with
    whitespace collapsed and entities decoded."""
    page = _SKIPPED_ELEMENTS.sub(" ", page)
    attributes = " ".join(double or single for double, single in _READ_ATTRIBUTES.findall(page))
    text = _TAG.sub(" ", page) + " " + attributes
    return " ".join(html.unescape(text).split())


def english_left(page: str, language: str) -> list[str]:
    text = visible_text(page)
    return [
        sentence
        for sentence, longest, pattern in _english_patterns(language)
        if longest in text and (pattern is None or pattern.search(text))
    ]
