"""Helpers shared by the apps whose texts are entered per language (django-modeltranslation)."""

from django.conf import settings


def translation_columns(*fields: str) -> list[str]:
    """The per-language columns django-modeltranslation adds for `fields`: name_en, name_ko, ..."""
    return [f"{field}_{code.replace('-', '_')}" for field in fields for code, _name in settings.LANGUAGES]


def translation_texts_fill(
    instance, texts: dict[str, dict[str, str]], *, superseded: dict[str, str] | None = None
) -> list[str]:
    """Give `instance` the texts it lacks, per language ({"ko": {"name": "..."}}), for seed data: a column staff
    filled is kept, unless it still holds a value an earlier release seeded wrongly (`superseded`: {"host_en":
    "NIST"}). Returns the columns to save, with the untranslated column of each English text (which the model
    keeps English); empty when nothing changed."""
    superseded = superseded or {}
    changed = []
    for language, fields in texts.items():
        for field, text in fields.items():
            column = f"{field}_{language.replace('-', '_')}"
            current = getattr(instance, column)
            if not current or (column in superseded and current == superseded[column]):
                setattr(instance, column, text)
                changed.append(column)
                if language == settings.LANGUAGE_CODE:
                    changed.append(field)
    return changed
