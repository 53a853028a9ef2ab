"""Indicator names and definitions entered per language by staff (django-modeltranslation); English is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import Indicator


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name", "definition")
