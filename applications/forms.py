"""Forms of the project worksheet. A draft accepts gaps; `strict=True` asks for every section before submit."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Round
from core.text_limits import LengthLimitedFormMixin, limit_length_message
from kpis import units
from kpis.selectors import indicator_named

from .models import ApplicationDocument, Call, Kpi, PartnerSought, ProjectApplication, TeamMember
from .models.conversation import BODY_MAX_LENGTH as MESSAGE_MAX_LENGTH
from .models.project import SECTIONS, WORKSHEET_FIELDS
from .models.review import COMMENT_MAX_LENGTH as SCORE_COMMENT_MAX_LENGTH
from .uploads import ACCEPT_ATTRIBUTE, ALLOWED_LABELS, MAX_UPLOAD_BYTES, validate_document
from .workflow import NOTE_MAX_LENGTH, Action

REQUIRED_FOR_SUBMISSION = {field for section in SECTIONS for field in section.required}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _cluster_choices(kind: str):
    return Cluster.objects.open().filter(kind=kind).order_by("name")


class CallChoiceMixin:
    """A start form's "call" field: the calls open now for this kind of submission, chosen by their short name
    (the call page's link passes it); the service checks that the call takes the organisation."""

    call_kind: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        field.queryset = Call.objects.open().filter(kind=self.call_kind).order_by("closes_at")
        named = self.data.get(self.add_prefix("call")) if self.is_bound else None
        if not named and not field.queryset.exists():  # no call open, none named: no question to ask
            del self.fields["call"]
            return
        field.to_field_name = "slug"
        field.empty_label = _("Not for a call")
        field.help_text = _("Choose the call this answers, if any: it must be submitted before the call closes.")
        field.error_messages["invalid_choice"] = _("That call is not open. Choose an open call, or none.")


class ProjectStartForm(CallChoiceMixin, LengthLimitedFormMixin, forms.ModelForm):
    call_kind = Call.Kind.APPLICATIONS

    class Meta:
        model = ProjectApplication
        fields = ["title", "cluster", "call"]
        help_texts = {"title": _("You can change it later.")}
        error_messages = {"title": {"required": _("Give the project a title; you can change it later.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = _cluster_choices(Cluster.Kind.THEMATIC)
        self.fields["cluster"].empty_label = _("Choose later")


class ProjectApplicationForm(LengthLimitedFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectApplication
        fields = WORKSHEET_FIELDS
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
        self.fields["round"].queryset = Round.objects.order_by("-year", "name")
        self.fields["round"].empty_label = _("Not for a GCTC round")
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
            (section, [self[name] for name in section.fields], completion.get(section.key, False))
            for section in SECTIONS
        ]


class RowFormSet(forms.BaseInlineFormSet):
    """Rows left completely empty are ignored; a half-filled row says what is missing.

    A posted row count above the formset's maximum (only a tampered form sends one) builds no more than the
    maximum number of rows (only those the post carries) and is refused with the formset's own message; the
    rows shown again carry their true count, so the person can fix and save the page as it stands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked_too_many = False
        if self.is_bound:
            total = self.add_prefix(TOTAL_FORM_COUNT)
            try:
                asked = int(self.data.get(total, 0))
            except (TypeError, ValueError):
                asked = 0
            if asked > self.max_num:
                self.data = self.data.copy()
                self.data[total] = str(self._rows_sent())
                self.asked_too_many = True
        for form in self.forms:
            for field in form.fields.values():
                field.error_messages["required"] = _("Fill this in too, or clear the whole row.")
                limit_length_message(field)

    def _rows_sent(self) -> int:
        """How many rows the post really carries (the highest row number with a field), at most max_num."""
        row_field = re.compile(rf"^{re.escape(self.prefix)}-(\d+)-")
        numbers = [int(match.group(1)) for key in self.data if (match := row_field.match(key))]
        return min(self.max_num, max(numbers, default=-1) + 1)

    def clean(self):
        super().clean()
        if self.asked_too_many:
            raise ValidationError(self.error_messages["too_many_forms"] % {"num": self.max_num}, code="too_many_forms")


def row_formset(model, *, too_many: str, max_num: int, **options):
    """An inline formset of `model` rows under a parent, with a hard maximum that Django enforces both on
    the rows kept (validate_max) and on the rows it will build at all (absolute_max)."""
    formset = type(f"{model.__name__}RowFormSet", (options.pop("formset", RowFormSet),), {})
    formset.default_error_messages = {"too_many_forms": too_many}
    return forms.inlineformset_factory(
        options.pop("parent"),
        model,
        formset=formset,
        can_delete=True,
        max_num=max_num,
        validate_max=True,
        absolute_max=max_num,
        **options,
    )


MAX_TEAM_MEMBERS = 50
MAX_PARTNERS_SOUGHT = 20
MAX_KPIS = 50
TeamFormSet = row_formset(
    TeamMember,
    parent=ProjectApplication,
    fields=["name", "organisation", "role"],
    extra=2,
    max_num=MAX_TEAM_MEMBERS,
    too_many=ngettext_lazy(
        "You can add at most %(num)d team member.", "You can add at most %(num)d team members.", "num"
    ),
)
PartnerSoughtFormSet = row_formset(
    PartnerSought,
    parent=ProjectApplication,
    fields=["kind", "expertise"],
    extra=1,
    max_num=MAX_PARTNERS_SOUGHT,
    too_many=ngettext_lazy(
        "You can list at most %(num)d partner sought.", "You can list at most %(num)d partners sought.", "num"
    ),
)
INDICATOR_LIST_ID = "indicator-catalogue"


class MeasureInput(forms.TextInput):
    """A number as people write it in their language: "12000", "3,5" in French; no trailing zeros."""

    def __init__(self):
        super().__init__(attrs={"inputmode": "decimal"})
        self.is_localized = True

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = formats.localize_input(Decimal(f"{value.normalize():f}"))
        return super().format_value(value)


class KpiForm(forms.ModelForm):
    """A KPI row: the indicator typed with suggestions from the catalogue (an <input list> and its <datalist>, no
    script), or a new name that proposes an indicator; the unit must convert to the indicator's."""

    name = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        help_text=_("Start typing to pick one from the catalogue; a new name proposes an indicator."),
        widget=forms.TextInput(attrs={"list": INDICATOR_LIST_ID, "autocomplete": "off"}),
    )

    class Meta:
        model = Kpi
        fields = ["unit", "baseline", "target", "how_measured"]
        # xgettext:no-python-format (a literal percent sign: the string is never %-formatted)
        help_texts = {"unit": _("For example kWh, t, minutes, % or visits per month.")}
        widgets = {"baseline": MeasureInput(), "target": MeasureInput()}
        error_messages = {
            "baseline": {"invalid": _("Enter a number, for example 12000 or 3.5, without the unit.")},
            "target": {"invalid": _("Enter a number, for example 12000 or 3.5, without the unit.")},
        }

    field_order = ["name", "unit", "baseline", "target", "how_measured"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.indicator_id:
            self.initial.setdefault("name", self.instance.indicator.name)
        for name in ("baseline", "target"):
            self.fields[name].required = True
            self.fields[name].localize = True
        # The indicator this row names (None: it proposes a new one, named `proposed_name`).
        self.indicator = None
        self.proposed_name = ""

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        units.parse(unit)
        return unit

    def clean(self):
        cleaned = super().clean()
        name, unit = cleaned.get("name"), cleaned.get("unit")
        if not name:
            return cleaned
        self.indicator = indicator_named(name)
        if self.indicator is None:
            self.proposed_name = name
        elif unit:
            try:
                units.check_compatible(unit, indicator_unit=self.indicator.unit, indicator_name=self.indicator.name)
            except ValidationError as error:
                self.add_error("unit", error)
        if self.indicator is not None:
            self.instance.indicator = self.indicator
        return cleaned


class KpiRowFormSet(RowFormSet):
    def get_queryset(self):
        # Django's formset asks for its queryset once per row and keeps the first one it built; a fresh clone on
        # every call would read the KPIs again for each row.
        if not hasattr(self, "_with_indicators"):
            self._with_indicators = super().get_queryset().select_related("indicator")
        return self._with_indicators

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            key = form.indicator.pk if form.indicator else (form.proposed_name or "").lower()
            if key and key in seen:
                form.add_error("name", _("This indicator is already in another row: measure it once."))
            seen.add(key)


KpiFormSet = row_formset(
    Kpi,
    parent=ProjectApplication,
    form=KpiForm,
    formset=KpiRowFormSet,
    extra=2,
    max_num=MAX_KPIS,
    too_many=ngettext_lazy("You can add at most %(num)d KPI.", "You can add at most %(num)d KPIs.", "num"),
)


_UPLOAD_LIMITS = {"kinds": ALLOWED_LABELS, "size": MAX_UPLOAD_BYTES >> 20}
# An upload field's help, formatted as it is shown, in the reader's language: formatted when the module is loaded,
# it would be the server's.
UPLOAD_HELP = lazy(lambda: gettext("%(kinds)s; at most %(size)d MB each.") % _UPLOAD_LIMITS, str)()
ONE_UPLOAD_HELP = lazy(lambda: gettext("%(kinds)s; at most %(size)d MB.") % _UPLOAD_LIMITS, str)()


class AttachmentForm(forms.Form):
    """An optional file attached on an edit page, checked as every upload is (uploads.validate_document)."""

    file = forms.FileField(
        label=_("Attach a document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=UPLOAD_HELP,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_document(upload)
        return upload


class DocumentForm(AttachmentForm):
    kind = forms.ChoiceField(label=_("What is it?"), choices=ApplicationDocument.Kind.choices, required=False)


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


class PublicListFilterForm(LengthLimitedFormMixin, forms.Form):
    """The filters of a public list (the case library, the solutions directory). Its country filter offers the
    countries that have something to show (`countries`, from the view); a subclass names it and places it."""

    country_label = _("Country")
    any_country = _("All countries")
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.filter(kind=Cluster.Kind.THEMATIC).order_by("name"),
        empty_label=_("All clusters"),
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=self.country_label, required=False, choices=[("", self.any_country), *countries]
        )


class CaseFilterForm(PublicListFilterForm):
    country = forms.CharField(required=False)  # its place: the choices are set per request
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *ProjectApplication.Stage.choices]
    )


class ProgressReportForm(LengthLimitedFormMixin, forms.Form):
    """A value the city measured for one of its KPIs, in any unit that converts to the indicator's."""

    kpi = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    measured_on = forms.DateField(
        label=_("Measured on"), widget=DateInput(), error_messages={"invalid": _("Enter a date such as 2026-03-31.")}
    )
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=20,
        decimal_places=6,
        localize=True,
        widget=MeasureInput(),
        error_messages={"invalid": _("Enter a number, for example 12000 or 3.5, without the unit.")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=units.MAX_UNIT_LENGTH,
        help_text=_("Any unit of the same kind as the KPI's: 12 MWh and 12000 kWh compare."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=ONE_UPLOAD_HELP,
    )

    def __init__(self, *args, application: ProjectApplication, **kwargs):
        super().__init__(*args, **kwargs)
        # The application's KPIs as its page has read them (with their indicators): no query of its own.
        self.kpis = {kpi.pk: kpi for kpi in application.kpis.all()}
        self.fields["kpi"].choices = [(pk, f"{kpi.indicator.name} ({kpi.unit})") for pk, kpi in self.kpis.items()]

    def clean_kpi(self) -> Kpi:
        return self.kpis[self.cleaned_data["kpi"]]

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise ValidationError(_("This date is in the future: report values once they are measured."))
        return measured_on

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        units.parse(unit)
        return unit

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        kpi, unit = cleaned.get("kpi"), cleaned.get("unit")
        if kpi and unit:
            try:
                units.check_compatible(unit, indicator_unit=kpi.indicator.unit, indicator_name=kpi.indicator.name)
            except ValidationError as error:
                self.add_error("unit", error)
        return cleaned


SCORE_CHOICES = [
    (1, _("1 · weak")),
    (2, "2"),
    (3, _("3 · adequate")),
    (4, "4"),
    (5, _("5 · excellent")),
]


class ReviewForm(LengthLimitedFormMixin, forms.Form):
    """A reviewer's score (1-5) and comment for each criterion of the application's call, their earlier ones shown.
    `criteria`: the call's, in order; `scores`: the reviewer's saved ones, {criterion id: Score}."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = scores or {}
        for criterion in self.criteria:
            saved = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=saved.value if saved else None,
                error_messages={"required": _("Choose a score from 1 (weak) to 5 (excellent).")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s” (optional)") % {"criterion": criterion.name},
                required=False,
                max_length=SCORE_COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=saved.comment if saved else "",
            )

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            criterion: (self.cleaned_data[f"score_{criterion.pk}"], self.cleaned_data[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        }


class MessageForm(LengthLimitedFormMixin, AttachmentForm):
    """A message in a submission's conversation, with an optional file; reviewers may make it an internal note."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message.")},
    )
    internal = forms.BooleanField(
        label=_("Internal note: only the reviewers see it, the applicant never does"),
        required=False,
    )

    field_order = ["body", "file", "internal"]

    def __init__(self, *args, internal_allowed: bool = False, **kwargs):
        # Its own ids: the page also has the leaders' comment form, whose field is called "body" too.
        kwargs.setdefault("auto_id", "id_message_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Attach a file (optional)")
        if not internal_allowed:
            del self.fields["internal"]
