"""How long typed text may be: one message for every form, and a database check so nothing bypasses the forms.

Django enforces a TextField's `max_length` only in the form field it builds (and the widget's `maxlength`), not
in the database; `texts_within_limits` adds the check to the table, and `LengthLimitedFormMixin` /
`LengthLimitedAdminMixin` give every form the same message, with the text the person typed kept in the form.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import Length, Substr
from django.db.models.lookups import LessThanOrEqual
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

LENGTH_MESSAGE = _("Keep it to at most %(limit)s characters; you wrote %(count)s.")


class LengthLimitValidator(MaxLengthValidator):
    """MaxLengthValidator whose message shows both figures grouped in the reader's language (2,000; 2 000)."""

    message = LENGTH_MESSAGE

    def __call__(self, value) -> None:
        try:
            super().__call__(value)
        except ValidationError as error:
            error.params.update(
                limit=number_format(error.params["limit_value"], force_grouping=True),
                count=number_format(error.params["show_value"], force_grouping=True),
            )
            raise


def limit_length_message(field) -> None:
    """Give a form field that has a max_length the portal's message (its own ones take only Django's figures)."""
    if not getattr(field, "max_length", None):
        return
    field.validators = [
        LengthLimitValidator(field.max_length) if isinstance(validator, MaxLengthValidator) else validator
        for validator in field.validators
    ]
    field.error_messages["max_length"] = LENGTH_MESSAGE


class LengthLimitedFormMixin:
    """Every field of the form with a max_length says "Keep it to at most 2,000 characters; you wrote 2,345."."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit_length_message(field)


class LengthLimitedAdminMixin:
    """The same message in the back office's forms and inlines."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            limit_length_message(field)
        return field


class TextsWithinLimits(models.CheckConstraint):
    """The check of `texts_within_limits`. A form validating it before a save counts the characters of each text
    here, as the database's LENGTH does (characters, not bytes), rather than sending every typed text to the
    database in a query; the table's check is the same CheckConstraint (its migrations name Django's class)."""

    @cached_property
    def limits(self) -> dict[str, int]:
        return {check.lhs.source_expressions[0].name: check.rhs for check in self.condition.children}

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and not exclude.isdisjoint(self.limits):
            return  # as Django's check: a form that leaves one of the texts out does not check the others
        for field, limit in self.limits.items():
            value = getattr(instance, model._meta.get_field(field).attname)
            if value is not None and len(str(value)) > limit:
                raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs


def texts_within_limits(**limits: int) -> models.CheckConstraint:
    """One check per table that each named text column holds at most its number of characters, validated without a
    query (TextsWithinLimits). tests/security/test_text_limits.py holds it to the fields' limits."""
    return TextsWithinLimits(
        condition=models.Q(*(LessThanOrEqual(Length(field), limit) for field, limit in sorted(limits.items()))),
        name="%(app_label)s_%(class)s_texts_within_limits",
        violation_error_message=_("A text is longer than the portal accepts."),
    )


def text_length_validate(model: type[models.Model], field: str, value: str) -> None:
    """For services that write without a form: the forms' message, rather than the database's refusal."""
    LengthLimitValidator(model._meta.get_field(field).max_length)(value)


def overlong_texts_cut(app_label: str, model_name: str, **limits: int):
    """A migration step run before `texts_within_limits` is added: rows written before the limits existed are
    cut to them (the database would refuse the check otherwise). Returns the RunPython function."""

    def cut(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        for field, limit in limits.items():
            model.objects.annotate(_length=Length(field)).filter(_length__gt=limit).update(
                **{field: Substr(field, 1, limit)}
            )

    return cut
