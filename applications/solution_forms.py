"""Forms of solution registrations and the solution directory. A draft accepts gaps; `strict=True` does not."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from clusters.models import Cluster
from core.text_limits import LengthLimitedFormMixin

from .forms import AttachmentForm, CallChoiceMixin, PublicListFilterForm, row_formset
from .models import Call, Deployment, SolutionRegistration
from .models.solution import FIRST_DEPLOYMENT_YEAR, LAST_DEPLOYMENT_YEAR

REQUIRED_FOR_SUBMISSION = ("summary", "description", "clusters", "offering", "maturity")


def _thematic_clusters():
    return Cluster.objects.open().filter(kind=Cluster.Kind.THEMATIC).order_by("name")


class SolutionStartForm(CallChoiceMixin, LengthLimitedFormMixin, forms.ModelForm):
    call_kind = Call.Kind.SOLUTIONS

    class Meta:
        model = SolutionRegistration
        fields = ["name", "call"]
        help_texts = {"name": _("The name cities will know it by. You can change it later.")}
        error_messages = {"name": {"required": _("Give the solution a name; you can change it later.")}}


class SolutionForm(LengthLimitedFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the full address of the website, such as https://www.example.com.")},
    )

    class Meta:
        model = SolutionRegistration
        fields = ["name", "summary", "description", "clusters", "offering", "maturity", "standards", "website"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "standards": forms.Textarea(attrs={"rows": 3}),
            "clusters": forms.CheckboxSelectMultiple,
            "offering": forms.RadioSelect,
            "maturity": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": _("Give the solution a name.")},
            "clusters": {"invalid_choice": _("Choose among the open thematic clusters listed.")},
        }

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = _thematic_clusters()
        self.fields["offering"].choices = SolutionRegistration.Offering.choices
        self.fields["maturity"].choices = SolutionRegistration.Maturity.choices
        for name, field in self.fields.items():
            if strict and name in REQUIRED_FOR_SUBMISSION:
                field.required = True
                field.error_messages["required"] = _("This is needed before you can submit.")


class DeploymentForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = Deployment
        fields = ["city", "country", "year", "result"]
        error_messages = {
            "year": {
                "invalid": _("Enter the year as four digits, for example 2024."),
                "min_value": _("Enter a year from %(limit_value)s on."),
                "max_value": _("Enter a year up to %(limit_value)s."),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": FIRST_DEPLOYMENT_YEAR, "max": LAST_DEPLOYMENT_YEAR})


MAX_DEPLOYMENTS = 50
DeploymentFormSet = row_formset(
    Deployment,
    parent=SolutionRegistration,
    form=DeploymentForm,
    extra=2,
    max_num=MAX_DEPLOYMENTS,
    too_many=ngettext_lazy(
        "You can list at most %(num)d deployment.", "You can list at most %(num)d deployments.", "num"
    ),
)


class BrochureForm(AttachmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Attach a brochure")


class SolutionFilterForm(PublicListFilterForm):
    country_label = _("Deployed in")
    any_country = _("Any country")
    offering = forms.ChoiceField(
        label=_("Offering"), required=False, choices=[("", _("Any offering")), *SolutionRegistration.Offering.choices]
    )
    maturity = forms.ChoiceField(
        label=_("Maturity"), required=False, choices=[("", _("Any maturity")), *SolutionRegistration.Maturity.choices]
    )


class IntroductionForm(forms.Form):
    application = forms.IntegerField(min_value=1)
