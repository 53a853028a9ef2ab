from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries

from accounts.models import Organisation
from applications.forms import row_formset
from clusters.models import Cluster, Round
from core.text_limits import LengthLimitedFormMixin

from .models import PARTNER_ROLES, Milestone, OpenRole, Team

SELECT = {"class": "form-select"}


def _clusters(kind: str):
    return Cluster.objects.open().filter(kind=kind).order_by("name")


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    cluster = forms.ModelChoiceField(
        label=_("Thematic cluster"),
        required=False,
        queryset=Cluster.objects.none(),
        empty_label=_("All themes"),
        widget=forms.Select(attrs=SELECT),
    )
    supercluster = forms.ModelChoiceField(
        label=_("SuperCluster"),
        required=False,
        queryset=Cluster.objects.none(),
        empty_label=_("All SuperClusters"),
        widget=forms.Select(attrs=SELECT),
    )
    role = forms.ChoiceField(
        label=_("Kind of partner"),
        required=False,
        choices=[("", _("Any kind")), *PARTNER_ROLES],
        widget=forms.Select(attrs=SELECT),
    )
    country = forms.ChoiceField(label=_("Country of the lead"), required=False, widget=forms.Select(attrs=SELECT))
    round = forms.ModelChoiceField(
        label=_("GCTC round"),
        required=False,
        queryset=Round.objects.all(),
        empty_label=_("All rounds"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = _clusters(Cluster.Kind.THEMATIC)
        self.fields["supercluster"].queryset = _clusters(Cluster.Kind.SUPER)
        # Only the countries teams are led from: a short list, and 250 options would cost more to draw than the
        # rest of the page.
        in_use = set(Team.objects.current().order_by().values_list("lead_organisation__country", flat=True).distinct())
        self.fields["country"].choices = [
            ("", _("All countries")),
            *((code, name) for code, name in countries if code in in_use),
        ]


class TeamFormationForm(LengthLimitedFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=200,
        help_text=_("How partners will find the team, for example “Smart street lighting for Seoul”."),
        error_messages={"required": _("Give the team a name.")},
    )
    summary = forms.CharField(
        label=_("Project summary"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public: shown on the team page and in the directory. The rest of the worksheet stays private."),
        error_messages={"required": _("Say in a paragraph what the project does.")},
    )
    round = forms.ModelChoiceField(
        label=_("GCTC round"),
        queryset=Round.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Choose the GCTC round."),
            "invalid_choice": _("Choose one of the rounds listed."),
        },
    )
    supercluster = forms.ModelChoiceField(
        label=_("SuperCluster (optional)"),
        required=False,
        queryset=Cluster.objects.none(),
        empty_label=_("None yet"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supercluster"].queryset = _clusters(Cluster.Kind.SUPER)


class TeamForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "summary", "discussion_url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"required": _("Give the team a name.")},
            "summary": {"required": _("Say in a paragraph what the project does.")},
            "discussion_url": {"invalid": _("Enter a full address such as https://groups.google.com/g/our-team.")},
        }


OpenRoleFormSet = row_formset(
    OpenRole,
    parent=Team,
    fields=["role", "expertise"],
    extra=2,
    max_num=20,
    too_many=ngettext_lazy(
        "You can list at most %(num)d open role.", "You can list at most %(num)d open roles.", "num"
    ),
)


class DateInput(forms.DateInput):
    input_type = "date"


MilestoneFormSet = row_formset(
    Milestone,
    parent=Team,
    fields=["title", "planned_on", "done_on"],
    widgets={"planned_on": DateInput(), "done_on": DateInput()},
    extra=1,
    max_num=30,
    too_many=ngettext_lazy(
        "You can list at most %(num)d milestone.", "You can list at most %(num)d milestones.", "num"
    ),
)


class JoinRequestForm(LengthLimitedFormMixin, forms.Form):
    message = forms.CharField(
        label=_("What would your organisation bring?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please say in a sentence or two what your organisation would bring to the team.")
        },
    )


class DecisionForm(LengthLimitedFormMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)


class InviteForm(LengthLimitedFormMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Organisation's name"),
        max_length=200,
        help_text=_("Its registered name, as on the portal."),
        error_messages={"required": _("Type the name of the organisation to invite.")},
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=PARTNER_ROLES, widget=forms.Select(attrs=SELECT))
    message = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_organisation(self):
        name = self.cleaned_data["organisation"].strip()
        found = list(Organisation.objects.filter(is_verified=True, name__iexact=name)[:2])
        if not found:
            found = list(Organisation.objects.filter(is_verified=True, name__icontains=name)[:2])
        if not found:
            raise forms.ValidationError(_("No verified organisation has this name. Check the spelling."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several organisations match “%(name)s”. Type the full name.") % {"name": name}
            )
        return found[0]
