"""Event texts entered per language by staff (django-modeltranslation); a missing one falls back to English."""

from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("name", "description", "expected_period", "host", "co_located_with")
