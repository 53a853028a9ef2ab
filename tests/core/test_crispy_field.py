"""templates/bootstrap5/field.html replaces crispy-bootstrap5's own to render the worksheet's 60 fields faster: it
must write exactly the HTML the package's template writes, for every kind of field and every way crispy calls it.
When an upgrade of crispy-bootstrap5 changes its field.html, this fails: copy the change over."""

import re
from pathlib import Path

import crispy_bootstrap5
import pytest
from django import forms
from django.template import engines
from django.template.loader import get_template

PACKAGE_TEMPLATE = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5" / "field.html"


class EveryKind(forms.Form):
    title = forms.CharField(help_text="A short name.", max_length=20)
    body = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one.")
    agree = forms.BooleanField(help_text="You must agree.")
    optional = forms.BooleanField(required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=0)
    email = forms.EmailField(required=False)
    file = forms.FileField(required=False, help_text="PDF, at most 10 MB.")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    choices = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


CONTEXTS = [
    {},
    {"form_class": "form-horizontal", "label_class": "col-lg-2", "field_class": "col-lg-8"},
    {"tag": "td"},
    {"help_text_inline": True},
    {"error_text_inline": True},
    {"form_show_labels": False},
    {"wrapper_class": "col-md-6", "bootstrap_checkbox_offsets": ["col-lg-offset-2"]},
]


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("bound", [False, True], ids=["empty", "with-errors"])
@pytest.mark.parametrize("extra", CONTEXTS, ids=lambda extra: ",".join(extra) or "plain")
def test_our_field_template_writes_what_the_packages_writes(bound, extra):
    ours = get_template("bootstrap5/field.html")
    assert Path(ours.origin.name).resolve() != PACKAGE_TEMPLATE.resolve()  # the project's, not the package's
    theirs = engines["django"].from_string(PACKAGE_TEMPLATE.read_text())
    form = EveryKind({"title": "x" * 30, "count": "-1", "kind": "z"} if bound else None)
    if bound:
        assert form.errors
    for field in form:
        context = {"field": field, "form_show_errors": True, "form_show_labels": True, **extra}
        assert _normalised(ours.render(context)) == _normalised(theirs.render(context)), field.name
