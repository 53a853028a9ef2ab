"""Helpers shared by the apps whose texts are entered per language (django-modeltranslation)."""

from django.conf import settings


def translation_columns(*fields: str) -> list[str]:
    """The per-language columns django-modeltranslation adds for `fields`: name_en, name_ko, ..."""
    return [f"{field}_{code.replace('-', '_')}" for field in fields for code, _name in settings.LANGUAGES]
