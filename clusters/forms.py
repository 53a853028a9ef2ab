from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_limits import LengthLimitedFormMixin

from .models import Cluster, ClusterEmailPreference, ThemeSuggestion


class CatalogueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Cluster.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Cluster.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ClusterJoinForm(LengthLimitedFormMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Why does your organisation want to join?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few sentences for the cluster's leaders: what your organisation works on and what it hopes to share "
            "or learn. Cities may name a project, whether ongoing or completed."
        ),
        error_messages={
            "required": _("Please say in a sentence or two why your organisation wants to join."),
        },
    )


class ClusterMembershipDecisionForm(LengthLimitedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        error_messages={"required": _("Please choose to approve or decline the request.")},
    )
    note = forms.CharField(
        label=_("Note to the organisation (optional)"),
        required=False,
        max_length=1000,
    )


class ThemeSuggestionForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = ThemeSuggestion
        fields = ["title", "rationale", "participants"]
        labels = {
            "title": _("Theme"),
            "rationale": _("Why this theme?"),
            "participants": _("Who would take part?"),
        }
        help_texts = {
            "title": _("A short name, for example “Urban Resilience and Disaster Response”."),
            "rationale": _("What problem cities share that this cluster would work on, and why now."),
            "participants": _(
                "Cities, companies, nonprofits or universities you expect to join, and who could lead the cluster."
            ),
        }
        widgets = {"rationale": forms.Textarea(attrs={"rows": 5}), "participants": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": _("Please name the theme.")},
            "rationale": {"required": _("Please say why this theme matters to cities.")},
            "participants": {"required": _("Please say who would take part, even if you are not sure yet.")},
        }

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class ClusterEmailPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How should we e-mail you about this cluster?"),
        choices=ClusterEmailPreference.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose an e-mail per event or a daily digest."),
            "invalid_choice": _("Please choose an e-mail per event or a daily digest."),
        },
    )
