"""Forms of the project worksheet. A draft accepts gaps; `strict=True` asks for every section before submit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from wego_portal.text_limits import LengthLimitedFormMixin, limit_length_message

from .models import ApplicationDocument, Kpi, PartnerSought, ProjectApplication, TeamMember
from .models.project import SECTIONS
from .uploads import ACCEPT_ATTRIBUTE, ALLOWED_LABELS, MAX_UPLOAD_BYTES, validate_document
from .workflow import NOTE_MAX_LENGTH, Action

# Which form fields each worksheet section shows, in order.
SECTION_FIELDS = {
    "overview": ("title", "summary", "cluster", "action_cluster"),
    "problem": ("problem",),
    "approach": ("approach", "technologies"),
    "stage": ("stage", "start_date", "end_date"),
    "team": (),
    "kpis": (),
    "standards": ("standards", "interoperability", "replicability", "scalability"),
    "security": ("cybersecurity", "privacy"),
    "budget": ("budget", "currency", "funding_sources"),
    "contact": ("contact_name", "contact_email", "contact_phone"),
}
REQUIRED_FOR_SUBMISSION = {field for section in SECTIONS for field in section.required}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _cluster_choices(kind: str):
    return Cluster.objects.open().filter(kind=kind).order_by("name")


class ProjectStartForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectApplication
        fields = ["title", "cluster"]
        help_texts = {"title": _("You can change it later.")}
        error_messages = {"title": {"required": _("Give the project a title; you can change it later.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = _cluster_choices(Cluster.Kind.THEMATIC)
        self.fields["cluster"].empty_label = _("Choose later")


class ProjectApplicationForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectApplication
        fields = [field for fields in SECTION_FIELDS.values() for field in fields]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "problem",
                    "approach",
                    "technologies",
                    "standards",
                    "interoperability",
                    "replicability",
                    "scalability",
                    "cybersecurity",
                    "privacy",
                    "funding_sources",
                )
            },
        }
        error_messages = {
            "title": {"required": _("Give the project a title.")},
            "contact_email": {"invalid": _("Enter an e-mail address such as name@city.gov.")},
            "start_date": {"invalid": _("Enter a date such as 2026-03-31.")},
            "end_date": {"invalid": _("Enter a date such as 2026-03-31.")},
            "budget": {
                "invalid": _("Enter the budget as a number, without the currency, for example 250000."),
                "min_value": _("The budget cannot be negative."),
            },
        }

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        self.fields["cluster"].queryset = _cluster_choices(Cluster.Kind.THEMATIC)
        self.fields["action_cluster"].queryset = _cluster_choices(Cluster.Kind.ACTION)
        for name, field in self.fields.items():
            if strict and name in REQUIRED_FOR_SUBMISSION:
                field.required = True
                field.error_messages["required"] = _("This is needed before you can submit.")

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "USD").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(_("Enter the three-letter currency code, for example USD, EUR or KRW."))
        return currency

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def sections(self, completion: dict[str, bool]):
        """(section, bound fields, complete) for the template, in worksheet order."""
        return [
            (section, [self[name] for name in SECTION_FIELDS[section.key]], completion.get(section.key, False))
            for section in SECTIONS
        ]


class RowFormSet(forms.BaseInlineFormSet):
    """Rows left completely empty are ignored; a half-filled row says what is missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:
            for field in form.fields.values():
                field.error_messages["required"] = _("Fill this in too, or clear the whole row.")
                limit_length_message(field)


TeamFormSet = forms.inlineformset_factory(
    ProjectApplication,
    TeamMember,
    formset=RowFormSet,
    fields=["name", "organisation", "role"],
    extra=2,
    can_delete=True,
    max_num=50,
)
PartnerSoughtFormSet = forms.inlineformset_factory(
    ProjectApplication,
    PartnerSought,
    formset=RowFormSet,
    fields=["kind", "expertise"],
    extra=1,
    can_delete=True,
    max_num=20,
)
KpiFormSet = forms.inlineformset_factory(
    ProjectApplication,
    Kpi,
    formset=RowFormSet,
    fields=["name", "unit", "baseline", "target", "how_measured"],
    extra=2,
    can_delete=True,
    max_num=50,
)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("%(kinds)s; at most %(size)d MB each.") % {"kinds": ALLOWED_LABELS, "size": MAX_UPLOAD_BYTES >> 20},
    )
    kind = forms.ChoiceField(label=_("What is it?"), choices=ApplicationDocument.Kind.choices, required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.cleaned_data["detected_kind"] = validate_document(upload)
        return upload


class PublicationConsentForm(forms.ModelForm):
    """What the city agrees to show on its public case page, beyond the project itself."""

    class Meta:
        model = ProjectApplication
        fields = ["publish_cybersecurity", "publish_budget", "publish_contact"]


class TransitionForm(LengthLimitedFormMixin, forms.Form):
    action = forms.ChoiceField(choices=Action.choices)
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeaderCommentForm(LengthLimitedFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment for the secretariat"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the secretariat and the cluster's leaders read it, not the city."),
        error_messages={"required": _("Write your comment first.")},
    )


class CaseFilterForm(LengthLimitedFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.filter(kind=Cluster.Kind.THEMATIC),
        empty_label=_("All clusters"),
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *ProjectApplication.Stage.choices]
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=[("", _("All countries")), *countries]
        )
