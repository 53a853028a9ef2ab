"""Writes to the indicator catalogue: a city's proposal, and the secretariat's curation of proposals (accept
into the catalogue, merge into an existing indicator with every row that used it moved along)."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import caches

from . import units
from .models import Indicator
from .selectors import indicator_named


def indicator_for_row(*, name: str, unit: str, organisation) -> Indicator:
    """The indicator a worksheet row names: from the catalogue, or a proposal (an existing one of that name, else a
    new one proposed by `organisation`, in the row's unit)."""
    name = " ".join(name.split())
    found = indicator_named(name)
    if found is not None:
        return found
    units.parse(unit)
    return Indicator.objects.create(
        name=name, name_en=name, unit=unit.strip(), status=Indicator.Status.PROPOSED, proposed_by=organisation
    )


def _enforce_curator(by) -> None:
    if not rules.test_rule("kpis.curate_indicators", by):
        raise PermissionDenied(_("Only the secretariat curates the indicator catalogue."))


def indicator_accept(*, indicator: Indicator, by) -> Indicator:
    """A proposal joins the catalogue: from now on every city finds it in the worksheet's list."""
    _enforce_curator(by)
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if locked.in_catalogue:
            return locked
        clash = indicator_named(locked.name, proposals=False)
        if clash is not None:
            raise ValidationError(
                _("The catalogue already has “%(name)s”: merge this proposal into it instead.") % {"name": clash}
            )
        locked.status = Indicator.Status.CATALOGUE
        locked.save(update_fields=["status", "updated_at"])
    return locked


def indicator_merge(*, source: Indicator, into: Indicator, by) -> int:
    """Move every row that uses `source` (the projects' KPIs) to `into`, then delete `source`; returns how many
    rows moved. Refused when the units cannot be converted, or when a project measures both indicators."""
    _enforce_curator(by)
    if source.pk == into.pk:
        raise ValidationError(_("Choose another indicator to merge into."))
    if not units.compatible(source.unit, into.unit):
        raise ValidationError(
            _(
                "“%(source)s” is measured in %(source_unit)s, which cannot be converted to %(unit)s, "
                "the unit of “%(into)s”."
            )
            % {"source": source, "source_unit": source.unit, "unit": into.unit, "into": into}
        )
    moved = 0
    try:
        with transaction.atomic():
            list(Indicator.objects.select_for_update().filter(pk__in=[source.pk, into.pk]))
            for relation in Indicator._meta.related_objects:
                if relation.one_to_many:
                    field = relation.field.name
                    moved += relation.related_model._base_manager.filter(**{field: source}).update(**{field: into})
            source.delete()
            # Bulk updates send no signals: cached pages that show the rows are retired.
            caches.retire_all()
    except IntegrityError:
        raise ValidationError(
            _("A project measures both “%(source)s” and “%(into)s”: remove one of its rows first.")
            % {"source": source, "into": into}
        ) from None
    return moved
