"""A person's own data: everything the portal holds about them, and deleting their account.

The export walks every model that points at the user model (foreign keys and many-to-many, such as the
clusters a person leads), so data added by a new feature is exported without anyone remembering to add
it here, and lists the files the person uploaded.

Deleting an account keeps what the person did for their organisation (applications, decisions, comments):
those rows point at no one and read "former member". What still names the person goes, decided per field
(the full table is in the notes for docs/security.md):

- rows that are theirs alone are deleted with the account (cascade): organisation memberships with their
  message, event registrations, e-mail addresses, authenticators, e-mail preferences, their admin log;
- e-mails addressed to them: sent, failed and cancelled ones are deleted, unsent ones cancelled and
  emptied (notifications.services.outbox_forget_recipient);
- a contact person typed into a form (a model's `personal_contact_fields`: name, e-mail, more) whose name
  or address is theirs is blanked, in the record and in its change history;
- their own words on a record of their organisation (a model's `personal_text_fields`, keyed by the
  field naming the writer, such as a cluster membership's motivation) are replaced by REMOVED_TEXT;
- everywhere else, in every text column of every model (notes, comments, e-mails to others, change
  history, the admin log), their e-mail addresses, and their full name when it has two words or more, are
  replaced by FORMER_MEMBER. KEPT_TEXT lists the columns left alone: names of organisations.
"""

import html
import json
import logging
import re
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core import caches
from notifications.services import outbox_forget_recipient

from .services import administration_hand_over

logger = logging.getLogger(__name__)

# Never exported: secrets, and fields that only make sense inside the portal.
EXCLUDED_FIELDS = {"password", "secret", "data", "session_data", "key"}
# Not exported: framework tables whose rows are not the person's data or are encoded.
EXCLUDED_MODELS = {"sessions.Session", "admin.LogEntry"}
# Not searched for the person's name and addresses: encoded session data (a session of a deleted account
# holds only its id, and is refused at the next request).
UNSCRUBBED_MODELS = {"sessions.Session"}

FORMER_MEMBER = "former member"
REMOVED_TEXT = "Removed: the person who wrote this deleted their account."
# Text columns never rewritten when an account is deleted: the name of an organisation is its name, even when
# it is also a person's (a sole trader's); changing it would break the organisation for its other members.
KEPT_TEXT = {
    "accounts.Organisation.name",
    "accounts.Organisation.name_skeleton",
    "accounts.HistoricalOrganisation.name",
}


def _rows(queryset) -> list[dict]:
    rows = []
    for item in serializers.serialize("python", queryset):
        fields = {name: value for name, value in item["fields"].items() if name not in EXCLUDED_FIELDS}
        rows.append({"id": item["pk"], **fields})
    return rows


def _user_relations() -> Iterator[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key, one-to-one or many-to-many to the user model, in a stable order."""
    user_model = get_user_model()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label in EXCLUDED_MODELS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.ManyToManyField) and field.remote_field.model is user_model:
                yield model, field.name


def _file_size(file) -> int | None:
    try:
        return file.size
    except OSError:  # the row outlived its file
        return None


def _uploaded_files(model, rows: Iterable[models.Model]) -> list[dict]:
    file_fields = [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]
    files = []
    for row in rows:
        for field in file_fields:
            file = getattr(row, field.name)
            if file:
                files.append(
                    {
                        "record": model._meta.label,
                        "id": row.pk,
                        "field": field.name,
                        "file": file.name,
                        "original_name": getattr(row, "original_name", "") or file.name.rsplit("/", 1)[-1],
                        "size": _file_size(file),
                    }
                )
    return files


def personal_data(user) -> dict:
    data = {
        "exported_at": timezone.now(),
        "account": _rows(get_user_model().objects.filter(pk=user.pk))[0],
        "uploaded_files": [],
    }
    for model, field in _user_relations():
        queryset = model._default_manager.filter(**{field: user}).order_by("pk")
        rows = _rows(queryset)
        if rows:
            data.setdefault(model._meta.label, {})[field] = rows
            data["uploaded_files"] += _uploaded_files(model, queryset)
    return data


def personal_data_json(user) -> str:
    return json.dumps(personal_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _declared(model, attribute: str):
    """A model's declaration, also for django-simple-history's copy of it (its change history)."""
    return getattr(model, attribute, None) or getattr(getattr(model, "instance_type", None), attribute, None)


def _clear_typed_contacts(*, name: str, addresses: list[str]) -> None:
    for model in apps.get_models():
        fields = _declared(model, "personal_contact_fields")
        if not fields:
            continue
        name_field, email_field, *_others = fields
        theirs = Q(**{f"{name_field}__iexact": name}) if name else Q(pk__in=[])
        for address in addresses:
            theirs |= Q(**{f"{email_field}__iexact": address})
        model._base_manager.filter(theirs).update(**dict.fromkeys(fields, ""))


def _remove_own_words(*, user_id: int) -> None:
    for model in apps.get_models():
        for writer, fields in (_declared(model, "personal_text_fields") or {}).items():
            values = {field: "" if model._meta.get_field(field).blank else REMOVED_TEXT for field in fields}
            model._base_manager.filter(**{f"{writer}_id": user_id}).update(**values)


def _text_fields(model) -> Iterator[models.Field]:
    """Columns that may hold free text typed or rendered about a person."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if field.primary_key or field.unique or field.choices or isinstance(field, models.SlugField | models.URLField):
            continue
        if f"{model._meta.label}.{field.name}" not in KEPT_TEXT:
            yield field


def _person_patterns(*, name: str, addresses: list[str]) -> list[str]:
    """What identifies the person in free text: their addresses, and their full name when it has two words or
    more (a single word such as "Min" or "Paris" would rewrite unrelated text)."""
    needles = [address for address in addresses if address]
    if len(name.split()) >= 2:
        needles.append(" ".join(name.split()))
    return needles


def _scrub_text(*, needles: list[str]) -> int:
    """Replace every occurrence of the needles in every text column of every model; returns rows changed."""
    if not needles:
        return 0
    needles = sorted({*needles, *(html.escape(needle) for needle in needles)})  # as HTML e-mails carry them
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(needle)}(?!\w)" for needle in needles), re.IGNORECASE)
    user_label = get_user_model()._meta.label
    changed = 0
    for model in apps.get_models():
        if model._meta.label in UNSCRUBBED_MODELS or model._meta.label == user_label:
            continue
        for field in _text_fields(model):
            mentions = Q()
            for needle in needles:
                mentions |= Q(**{f"{field.name}__icontains": needle})
            for pk, text in list(model._base_manager.filter(mentions).values_list("pk", field.name)):
                scrubbed = pattern.sub(FORMER_MEMBER, text)
                if field.max_length:
                    scrubbed = scrubbed[: field.max_length]
                if scrubbed != text:
                    changed += model._base_manager.filter(pk=pk).update(**{field.name: scrubbed})
    return changed


def account_delete(user) -> None:
    """Delete the person and what names them; their organisation's submissions stay, attributed to nobody
    ("former member"). An organisation whose only administrator leaves gets its longest-standing member as
    administrator."""
    addresses = sorted({user.email.lower(), *_other_addresses(user)})
    name = " ".join(user.full_name.split())
    with transaction.atomic():
        administration_hand_over(leaving=user)
        outbox_forget_recipient(user_id=user.pk, addresses=addresses)
        _clear_typed_contacts(name=name, addresses=addresses)
        _remove_own_words(user_id=user.pk)
        changed = _scrub_text(needles=_person_patterns(name=name, addresses=addresses))
        get_user_model().objects.filter(pk=user.pk).delete()
        # Bulk updates send no signals: every cached page and read that may name the person is retired.
        caches.retire_all()
    logger.info("Account %s deleted; %s rows elsewhere no longer name them.", user.pk, changed)


def _other_addresses(user) -> list[str]:
    """Every address the person registered with allauth, besides the one they log in with."""
    return [address.lower() for address in user.emailaddress_set.values_list("email", flat=True)]
