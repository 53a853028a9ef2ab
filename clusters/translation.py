"""Cluster texts entered per language by staff (django-modeltranslation); a missing one falls back to English."""

from modeltranslation.translator import TranslationOptions, register

from .models import Cluster


@register(Cluster)
class ClusterTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description")
