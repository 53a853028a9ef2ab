"""The indicator catalogue in the back office: staff edit indicators, accept cities' proposals into the catalogue
or merge them into an existing indicator (kpis/services.py does both)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin_lists import ListPageAdminMixin
from core.languages import translation_columns
from core.text_limits import LengthLimitedAdminMixin

from . import services, units
from .models import Indicator


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            *translation_columns("name", "definition"),
            "unit",
            "direction",
            "clusters",
            "source",
            "status",
            "proposed_by",
        ]

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        units.parse(unit)
        before = self.instance.unit if self.instance.pk else None
        if before and not units.compatible(before, unit) and self.instance.kpis.exists():
            raise ValidationError(
                _("Projects measure this indicator in %(unit)s: choose a unit that converts to it."),
                params={"unit": before},
            )
        return unit


@admin.register(Indicator)
class IndicatorAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, TranslationAdmin):
    form = IndicatorForm
    list_display = ["name", "unit", "direction", "source", "status", "proposed_by", "project_count"]
    list_filter = ["status", "direction", "clusters"]
    search_fields = [*translation_columns("name"), "source"]
    list_select_related = ["proposed_by"]
    list_only = [*translation_columns("name"), "unit", "direction", "source", "status", "proposed_by__name"]
    autocomplete_fields = ["proposed_by"]
    filter_horizontal = ["clusters"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["accept", "merge"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("kpis"))

    @admin.display(description=_("projects"), ordering="project_count")
    def project_count(self, indicator: Indicator) -> int:
        return indicator.project_count

    @admin.action(description=_("Accept the selected proposals into the catalogue"), permissions=["change"])
    def accept(self, request, queryset):
        count = 0
        for indicator in queryset.proposed():
            try:
                services.indicator_accept(indicator=indicator, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, detail, messages.ERROR)
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d indicator accepted.", "%(count)d indicators accepted.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Merge into another indicator (asks which one)"), permissions=["change"])
    def merge(self, request, queryset):
        sources = list(queryset.order_by("pk"))
        targets = Indicator.objects.catalogue().exclude(pk__in=[source.pk for source in sources])
        chosen = request.POST.get("into", "")
        if "apply" in request.POST:
            into = targets.filter(pk=chosen).first() if chosen.isdigit() else None
            if into is None:
                self.message_user(request, gettext("Choose the indicator to merge into."), messages.ERROR)
            else:
                moved = 0
                for source in sources:
                    try:
                        moved += services.indicator_merge(source=source, into=into, by=request.user)
                    except (ValidationError, PermissionDenied) as error:
                        detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                        self.message_user(request, detail, messages.ERROR)
                        return None
                self.message_user(
                    request,
                    gettext("Merged into %(name)s; %(count)d project rows moved.") % {"name": into, "count": moved},
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/kpis/indicator/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Merge indicators"),
                "opts": self.model._meta,
                "sources": sources,
                "targets": targets.order_by("name"),
                "into": chosen,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
